"""The theme: ``styles/theme.yaml`` loaded once into a frozen Theme passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pressrun.digest import tree_digest
from pressrun.errors import Diagnostics, Problem, SourceError

FONT_STYLES = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True)
class FontFamily:
    key: str  # the theme's name for it, e.g. "serif"
    name: str  # the family name shown to users, e.g. "DejaVu Serif"
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def file(self, bold: bool = False, italic: bool = False) -> Path:
        return {(False, False): self.regular, (True, False): self.bold,
                (False, True): self.italic, (True, True): self.bold_italic}[(bold, italic)]


@dataclass(frozen=True)
class Labels:
    why_this_matters: str = "Why this matters"
    takeaways: str = "Key takeaways"
    by: str = "By"
    published: str = "Published"
    updated: str = "Updated"
    photo: str = "Photo"
    downloads: str = "Download this article"
    page: str = "Page {page} of {pages}"
    contents: str = "Contents"
    index_heading: str = "Latest"
    topics: str = "Topics"
    image_descriptions: str = "Image descriptions"


@dataclass(frozen=True)
class Colors:
    text: str = "#1b1b1b"
    muted: str = "#5b5b5b"
    accent: str = "#a4161a"
    rule: str = "#cfcfcf"
    box: str = "#f3efe6"
    link: str = "#0b4f8a"


@dataclass(frozen=True)
class PageSetup:
    size: str = "A4"
    margin_top_mm: float = 20
    margin_bottom_mm: float = 22
    margin_left_mm: float = 22
    margin_right_mm: float = 22


@dataclass(frozen=True)
class Sizes:
    body: float = 10.5
    leading: float = 1.45
    headline: float = 25
    standfirst: float = 13
    heading2: float = 15
    heading3: float = 13
    heading4: float = 11.5
    small: float = 8.5


@dataclass(frozen=True)
class Theme:
    root: Path
    name: str
    labels: Labels
    families: dict[str, FontFamily]
    body_stack: tuple[str, ...]
    display_stack: tuple[str, ...]
    code_stack: tuple[str, ...]
    colors: Colors
    page: PageSetup
    sizes: Sizes
    css: Path
    reference_docx: Path
    fingerprint: str  # hash of every theme file: a changed theme rebuilds everything

    def stack(self, which: str) -> tuple[FontFamily, ...]:
        keys = {"body": self.body_stack, "display": self.display_stack, "code": self.code_stack}[which]
        return tuple(self.families[k] for k in keys)

    def font_files(self) -> list[Path]:
        return sorted({f.file(b, i) for f in self.families.values() for b in (False, True) for i in (False, True)})


def _section(raw: dict[str, Any], key: str, cls: type, path: Path, diag: Diagnostics) -> Any:
    values = raw.get(key) or {}
    if not isinstance(values, dict):
        diag.error(path, "must be a mapping", key)
        return cls()
    known = set(cls.__dataclass_fields__)
    for name in values:
        if name not in known:
            diag.warning(path, f"unknown key '{name}' (known: {', '.join(sorted(known))})", f"{key}.{name}")
    try:
        return cls(**{k: v for k, v in values.items() if k in known})
    except TypeError as exc:
        diag.error(path, str(exc), key)
        return cls()


def load_theme(styles_dir: Path) -> Theme:
    """Read ``styles/theme.yaml``; every problem is reported at once as a SourceError."""
    path = styles_dir / "theme.yaml"
    diag = Diagnostics()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SourceError(Problem(str(path), f"cannot read theme: {exc}")) from None
    if not isinstance(raw, dict):
        raise SourceError(Problem(str(path), "the theme must be a YAML mapping"))

    families: dict[str, FontFamily] = {}
    fonts = raw.get("fonts") or {}
    for key, fam in (fonts.get("families") or {}).items():
        files: dict[str, Path] = {}
        for style in FONT_STYLES:
            rel = (fam or {}).get(style)
            if not rel:
                diag.error(path, f"missing '{style}' font file", f"fonts.families.{key}")
                continue
            file = (styles_dir / rel).resolve()
            if not file.is_file():
                diag.error(path, f"font file not found: {rel}", f"fonts.families.{key}.{style}")
            elif file.suffix.lower() != ".ttf":
                diag.error(path, f"{rel}: only TrueType (.ttf) fonts are supported", f"fonts.families.{key}.{style}")
            files[style] = file
        if len(files) == len(FONT_STYLES):
            families[key] = FontFamily(key=key, name=str((fam or {}).get("name", key)), **files)

    stacks: dict[str, tuple[str, ...]] = {}
    for which in ("body", "display", "code"):
        stack = tuple(fonts.get(which) or ())
        if not stack:
            diag.error(path, "a font stack needs at least one family", f"fonts.{which}")
        for key in stack:
            if key not in (fonts.get("families") or {}):
                diag.error(path, f"unknown font family '{key}'", f"fonts.{which}")
        stacks[which] = stack

    page = _section(raw, "page", PageSetup, path, diag)
    if page.size not in ("A4", "Letter"):
        diag.error(path, f"page size must be A4 or Letter, not {page.size!r}", "page.size")
    css = styles_dir / str(raw.get("css", "site.css"))
    reference = styles_dir / str(raw.get("reference_docx", "reference.docx"))
    if not css.is_file():
        diag.error(path, f"stylesheet not found: {css.name}", "css")
    if diag.errors:
        raise SourceError(diag.errors)


    return Theme(
        root=styles_dir,
        name=str(raw.get("name", "theme")),
        labels=_section(raw, "labels", Labels, path, diag),
        families=families,
        body_stack=stacks["body"],
        display_stack=stacks["display"],
        code_stack=stacks["code"],
        colors=_section(raw, "colors", Colors, path, diag),
        page=page,
        sizes=_section(raw, "sizes", Sizes, path, diag),
        css=css,
        reference_docx=reference,
        fingerprint=tree_digest(styles_dir),
    )

