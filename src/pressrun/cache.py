"""Incremental builds: a manifest of what each article's exports wrote, keyed by a content hash.

An article is re-rendered only when its key changes. The key covers everything
an article's outputs depend on: its source file, its images, the publication
file, the theme (every file in styles/), the set of formats in the build and
pressrun's version and code. The manifest also records every output path, so outputs of
deleted articles (and files a format no longer writes) are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pressrun import __version__, model
from pressrun.exporters.base import Written
from pressrun.digest import code_fingerprint
from pressrun.stored import load_salted
from pressrun.theme import Theme

MANIFEST = ".pressrun-manifest.json"
FRAGMENTS = ".pressrun-cache/fragments.pickle"  # exporters' reusable pieces (ExportContext.fragments)
SCHEMA = 2


def _hash_file(digest: "hashlib._Hash", path: Path, name: str) -> None:
    # The name, not the absolute path: the same sources elsewhere give the same keys (and manifest).
    digest.update(name.encode() + b"\0")
    digest.update(path.read_bytes())


def build_salt(publication: model.Publication, theme: Theme, formats: list[str]) -> str:
    """What every output depends on, whatever the article."""
    code = code_fingerprint()  # not only the version: an upgrade or a local edit of pressrun rebuilds everything
    digest = hashlib.sha256(f"pressrun {__version__} {code}|schema {SCHEMA}|{','.join(formats)}|{theme.fingerprint}".encode())
    _hash_file(digest, publication.source_dir / "publication.yaml", "publication.yaml")
    return digest.hexdigest()


def article_key(article: model.Article, salt: str, source_file: Path) -> str:
    digest = hashlib.sha256(salt.encode())
    _hash_file(digest, source_file, source_file.name)
    for image in article.images():
        _hash_file(digest, image.path, image.src)
    return digest.hexdigest()


def part_key(salt: str, name: str, label: str | None, articles: list[tuple[str, str]]) -> str:
    """A publication-level part: its name and label and the (id, key) of every article it is made of."""
    digest = hashlib.sha256(f"{salt}|{name}|{label}".encode())
    for article_id, key in articles:
        digest.update(f"|{article_id}:{key}".encode())
    return digest.hexdigest()


@dataclass
class Entry:
    key: str
    outputs: list[Written] = field(default_factory=list)


@dataclass
class Manifest:
    articles: dict[str, Entry] = field(default_factory=dict)  # article id -> entry
    parts: dict[str, Entry] = field(default_factory=dict)  # "<format>:<part>" -> publication-level entry
    assets: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, out_dir: Path) -> "Manifest":
        try:
            raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            if raw.get("schema") != SCHEMA:
                return cls()
            return cls(
                articles={
                    k: Entry(v["key"], [Written(**w) for w in v["outputs"]]) for k, v in raw["articles"].items()
                },
                parts={k: Entry(v["key"], [Written(**w) for w in v["outputs"]]) for k, v in raw["parts"].items()},
                assets=list(raw.get("assets", [])),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # no or unreadable manifest: rebuild everything

    def fresh(self, article_id: str, key: str, out_dir: Path) -> Entry | None:
        """The recorded entry if the article is unchanged and all its outputs are still there."""
        return self._fresh(self.articles.get(article_id), key, out_dir)

    def fresh_part(self, name: str, key: str, out_dir: Path) -> Entry | None:
        return self._fresh(self.parts.get(name), key, out_dir)

    @staticmethod
    def _fresh(entry: Entry | None, key: str, out_dir: Path) -> Entry | None:
        if entry is None or not entry.key or entry.key != key:
            return None
        folder = os.fspath(out_dir)  # strings, not Paths: a rebuild asks this of every output (~4,000 of them)
        if not all(os.path.isfile(os.path.join(folder, w.path)) for w in entry.outputs):
            return None
        return entry

    def all_paths(self) -> set[str]:
        paths = {w.path for e in [*self.articles.values(), *self.parts.values()] for w in e.outputs}
        return paths | set(self.assets)

    def to_bytes(self) -> bytes:
        """Compact JSON: ``indent`` would make json fall back from its C encoder to Python (~0.2 s for 1,000
        articles), and a record's ``vars`` are read as they are, without ``asdict``'s deep copy."""
        data = {
            "schema": SCHEMA,
            "articles": {k: {"key": e.key, "outputs": [vars(w) for w in e.outputs]} for k, e in sorted(self.articles.items())},
            "parts": {k: {"key": e.key, "outputs": [vars(w) for w in e.outputs]} for k, e in sorted(self.parts.items())},
            "assets": sorted(self.assets),
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def remove_stale(out_dir: Path, old: Manifest, new: Manifest) -> list[str]:
    """Delete files the previous build wrote that this build no longer produces."""
    removed = []
    root = out_dir.resolve()
    for path in sorted(old.all_paths() - new.all_paths()):
        target = (root / path).resolve()
        if target.is_relative_to(root) and target.is_file():
            os.unlink(target)
            removed.append(path)
    return removed


def load_fragments(out_dir: Path, salt: str) -> dict[str, object]:
    """The fragments the last build kept, if it was made with the same salt (code, theme, publication…);
    deleting the file, or anything unreadable in it, only costs time."""
    fragments = load_salted(out_dir / FRAGMENTS, salt)
    return {k: f for k, f in fragments.items() if isinstance(f, tuple) and len(f) == 3}


def store_fragments(handle: BinaryIO, salt: str, fragments: dict[str, object]) -> None:
    """Pickled without its memo (``fast``): equal values give equal bytes whether or not they share objects, which
    depends on the process that made them (-j 1 or workers)."""
    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump((salt, dict(sorted(fragments.items()))))
