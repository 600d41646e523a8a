"""Image references: must stay inside the source folder and be real, complete images."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from pressrun import model
from pressrun.errors import Diagnostics

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


def load_image(
    src: object,
    alt: object,
    caption: str | None,
    credit: str | None,
    source_dir: Path,
    path: Path,
    diag: Diagnostics,
    field: str,
    line: int | None,
) -> model.Image | None:
    """Validate an image reference and read its facts; report problems and return None if invalid."""
    ok = True
    if not isinstance(alt, str) or not alt.strip():
        diag.error(path, "alt text is required: describe the image for readers who cannot see it", f"{field}.alt", line)
        ok = False
    if not isinstance(src, str) or not src.strip():
        diag.error(path, "src is required: a path relative to the source folder", f"{field}.src", line)
        return None
    src = src.strip()
    if urlsplit(src).scheme or src.startswith("//"):
        diag.error(path, f"'{src}' is a URL; pressrun never fetches from the network: put the file in the source folder", f"{field}.src", line)
        return None
    posix = PurePosixPath(src)
    if posix.is_absolute() or src.startswith("\\") or ":" in posix.parts[0] or ".." in posix.parts:
        diag.error(path, f"'{src}' must be a relative path inside the source folder, without '..'", f"{field}.src", line)
        return None
    root = source_dir.resolve()
    file = (root / posix).resolve()
    if not file.is_relative_to(root):
        diag.error(path, f"'{src}' leads outside the source folder (a symbolic link?)", f"{field}.src", line)
        return None
    if not file.is_file():
        diag.error(path, f"image file not found: {src}", f"{field}.src", line)
        return None
    from PIL import Image as PILImage  # imported here: `pressrun --help` needs no imaging library

    try:
        with PILImage.open(file) as im:
            kind = im.format
            width, height = im.size
            im.load()  # decodes every pixel: catches truncated files
    except Exception as exc:  # Pillow raises many types for broken files
        diag.error(path, f"'{src}' is not a readable image ({exc.__class__.__name__}); re-export it as JPEG or PNG", f"{field}.src", line)
        return None
    if kind not in MEDIA_TYPES:
        diag.error(path, f"'{src}' is {kind}; use JPEG, PNG or GIF", f"{field}.src", line)
        return None
    if not ok:
        return None
    return model.Image(
        src=posix.as_posix(),
        path=file,
        alt=alt.strip(),
        media_type=MEDIA_TYPES[kind],
        width=width,
        height=height,
        size=file.stat().st_size,
        caption=caption,
        credit=credit,
    )
