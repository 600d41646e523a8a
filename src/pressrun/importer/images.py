"""Pictures in the DOCX and image files in the source folder.

A picture whose bytes are those of an image the article already uses is that image (its ``src`` is kept).
Any other picture is new: it is written beside the article's images (or into ``images/``) under a name made of
the article's slug and the first characters of its SHA-256, so importing twice writes it once. A new picture
must be JPEG, PNG or GIF, and every picture needs alt text; otherwise a located error asks for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pressrun import model
from pressrun.errors import Problem
from pressrun.importer.paragraphs import Para, Picture


@dataclass
class ImageFiles:
    source_dir: Path
    slug: str
    known: dict[str, str] = field(default_factory=dict)  # sha256 → src of an image the article uses
    folder: str = "images"
    new: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # sha256 → (src, bytes) to write

    @classmethod
    def of(cls, article: model.Article | None, source_dir: Path, slug: str) -> "ImageFiles":
        files = cls(source_dir, slug)
        for image in (article.images() if article else ()):
            try:
                files.known.setdefault(hashlib.sha256(image.path.read_bytes()).hexdigest(), image.src)
            except OSError:
                continue
        if files.known:
            files.folder = str(PurePosixPath(next(iter(files.known.values()))).parent)
        return files

    def src(self, image: model.Image) -> str:
        """The ``src`` to write for a picture (``image.src`` is ``sha256:…`` when it came from the DOCX)."""
        digest = image.src.removeprefix("sha256:")
        if digest == image.src:
            return image.src
        if digest in self.known:
            return self.known[digest]
        return self.new[digest][0] if digest in self.new else f"(missing picture {digest[:12]})"

    def add(self, picture: Picture) -> None:
        if picture.digest in self.known or picture.digest in self.new:
            return
        folder = "" if self.folder in ("", ".") else self.folder + "/"
        self.new[picture.digest] = (f"{folder}{self.slug}-{picture.digest[:12]}.{picture.ext}", picture.data)

    def check(self, paras: list[Para], shown: str) -> list[Problem]:
        """Every picture has alt text; every new one is JPEG, PNG or GIF (and is then added)."""
        problems = []
        for para in paras:
            for picture in para.pictures:
                where = f"paragraph {para.number}"
                if not picture.alt:
                    problems.append(Problem(shown, "a picture has no alt text: describe it for readers who cannot see it "
                                                   "(in Word: right-click the picture > View Alt Text), then import again", where))
                elif picture.digest not in self.known and picture.media_type is None:
                    problems.append(Problem(shown, f"a pasted picture is {picture.ext.upper() or 'of an unknown type'}; "
                                                   "insert it as JPEG, PNG or GIF", where))
                else:
                    self.add(picture)
        return problems

    def write(self) -> list[Path]:
        """Write the new image files (each atomically); returns their paths."""
        from pressrun.importer.files import write_atomic

        written = []
        for src, data in self.new.values():
            path = self.source_dir / src
            if path.exists() and path.read_bytes() == data:
                continue
            write_atomic(path, data)
            written.append(path)
        return written
