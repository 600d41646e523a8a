"""The theme: ``styles/theme.yaml`` loaded once into a frozen Theme passed explicitly."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from pressrun.digest import tree_digest
from pressrun.errors import Diagnostics, Problem, SourceError
from pressrun.labels import LABEL_FIELDS, LABEL_KEYS, Catalogue, Labels, merged
from pressrun.language import check_tag
from pressrun.theme_yaml import LocatedYaml, load_located

FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
# The file a style without its own falls back to, nearest first: keep the weight, then the slant, then regular.
# So a family of regular (and bold) files serves every style, and every format sees the same choice.
_STYLE_FALLBACK = {
    "regular": ("regular",),
    "bold": ("bold", "regular"),
    "italic": ("italic", "regular"),
    "bold_italic": ("bold_italic", "bold", "italic", "regular"),
}


@dataclass(frozen=True)
class FontFamily:
    """A family's four styles. A style the theme gives no file of is the file it falls back to (see
    ``_STYLE_FALLBACK``): many scripts have no italic, and a CJK face may have no bold."""

    key: str  # the theme's name for it, e.g. "serif"
    name: str  # the family name shown to users, e.g. "DejaVu Serif"
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    own_styles: tuple[str, ...] = FONT_STYLES  # the styles with a file of their own, in FONT_STYLES order
    license: Path | None = None  # the licence text that travels with the files, when the theme names it

    def file(self, bold: bool = False, italic: bool = False) -> Path:
        return {(False, False): self.regular, (True, False): self.bold,
                (False, True): self.italic, (True, True): self.bold_italic}[(bold, italic)]

    def has_own(self, bold: bool = False, italic: bool = False) -> bool:
        """Whether this style has its own file (False: ``file()`` gives the style it falls back to)."""
        return FONT_STYLES[bold + 2 * italic] in self.own_styles


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
    language: str  # the language of the theme's own labels, and every article's fallback for missing ones
    catalogue: Catalogue
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

    def labels_for(self, language: str) -> Labels:
        """The labels an article (or publication) in ``language`` is printed with."""
        return self.catalogue.labels_for(language)

    def missing_labels(self, language: str) -> tuple[str, ...]:
        """Label keys ``language`` has no translation of (shipped or the theme's): they come from ``self.language``."""
        return self.catalogue.missing(language)

    def stack(self, which: str) -> tuple[FontFamily, ...]:
        return self._stacks[which]

    @cached_property
    def _stacks(self) -> dict[str, tuple[FontFamily, ...]]:
        """Each stack's families, looked up once (issue 19: a stack is ~30 families, and a book asks for its
        stacks a dozen times). Set in the instance's ``__dict__``, so the frozen theme stays equal to itself."""
        keys = {"body": self.body_stack, "display": self.display_stack, "code": self.code_stack}
        return {which: tuple(self.families[k] for k in names) for which, names in keys.items()}

    def font_files(self) -> list[Path]:
        return sorted({f.file(b, i) for f in self.families.values() for b in (False, True) for i in (False, True)})


TOP_LEVEL = ("name", "language", "labels", "fonts", "colors", "page", "sizes", "css", "reference_docx")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


class _ThemeReader:
    """Checks theme.yaml section by section, collecting every problem with its line."""

    def __init__(self, path: Path, located: LocatedYaml):
        self.path = path
        self.located = located
        self.diag = Diagnostics()

    def error(self, key: str, message: str, *, at_key: bool = False) -> None:
        self.diag.error(self.path, message, key, self.located.line(key, of_key=at_key))

    def unknown_keys(self, values: dict, known: Sequence[str], prefix: str = "") -> None:
        for name in values:
            if str(name) in known:
                continue
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            self.error(f"{prefix}{name}", f"unknown key; {hint}", at_key=True)

    def mapping(self, raw: dict, key: str) -> dict:
        values = raw.get(key)
        if values is None:
            return {}
        if not isinstance(values, dict):
            self.error(key, f"must be a mapping of 'key: value' lines, not {_kind(values)}")
            return {}
        return values

    def section(self, raw: dict, key: str, cls: type, check: Callable[[str, Any], str | None]) -> Any:
        """A flat section (labels, colours, sizes, page) as its dataclass; wrong values keep the default."""
        values = self.mapping(raw, key)
        known = tuple(cls.__dataclass_fields__)
        self.unknown_keys(values, known, f"{key}.")
        kept = {}
        for name, value in values.items():
            if name not in known:
                continue
            problem = check(str(name), value)
            if problem:
                self.error(f"{key}.{name}", problem)
            else:
                kept[name] = value
        return cls(**kept)

    def labels(self, raw: dict, default_language: str) -> dict[str, dict[str, str]]:
        """``labels:``: label keys for the theme's own language, and a mapping of them under any language tag."""
        overrides: dict[str, dict[str, str]] = {}
        for name, value in self.mapping(raw, "labels").items():
            name = str(name)
            if name in LABEL_KEYS:
                self.label(f"labels.{name}", name, value, overrides.setdefault(default_language, {}))
                continue
            checked = check_tag(name)
            if checked.error or not isinstance(value, dict):
                close = difflib.get_close_matches(name, LABEL_KEYS, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "a language's labels go under its tag, e.g. 'ar:'"
                self.error(f"labels.{name}", f"neither a label nor a language tag with labels under it; {hint}", at_key=True)
                continue
            self.unknown_keys(value, LABEL_KEYS, f"labels.{name}.")
            for key, text in value.items():
                if str(key) in LABEL_KEYS:
                    self.label(f"labels.{name}.{key}", str(key), text, overrides.setdefault(checked.tag, {}))
        return overrides

    def label(self, where: str, key: str, value: Any, into: dict[str, str]) -> None:
        problem = _check_label(key, value)
        if problem:
            self.error(where, problem)
        else:
            into[key] = value

    def language(self, raw: dict) -> str:
        value = raw.get("language", "en")
        checked = check_tag(value) if isinstance(value, str) else None
        if checked is None or checked.error:
            self.error("language", checked.error if checked else f"must be a language tag such as 'en', not {_kind(value)}")
            return "en"
        return checked.tag

    def families(self, fonts: dict, styles_dir: Path) -> dict[str, FontFamily]:
        families: dict[str, FontFamily] = {}
        declared = fonts.get("families") or {}
        if not isinstance(declared, dict):
            self.error("fonts.families", f"must be a mapping of family keys, not {_kind(declared)}")
            return families
        for key, fam in declared.items():
            where = f"fonts.families.{key}"
            if not isinstance(fam, dict):
                self.error(where, f"must be a mapping with name, {', '.join(FONT_STYLES)}, not {_kind(fam)}")
                continue
            self.unknown_keys(fam, ("name", *FONT_STYLES, "license"), f"{where}.")
            files = self.font_files(fam, where, styles_dir)
            license = self.license_file(fam, where, styles_dir)
            if "regular" in files and len(files) == sum(style in fam for style in FONT_STYLES):
                own = tuple(style for style in FONT_STYLES if style in files)
                resolved = {style: next(files[s] for s in _STYLE_FALLBACK[style] if s in files) for style in FONT_STYLES}
                families[str(key)] = FontFamily(key=str(key), name=str(fam.get("name", key)), **resolved,
                                                own_styles=own, license=license)
        return families

    def font_files(self, fam: dict, where: str, styles_dir: Path) -> dict[str, Path]:
        """The family's font files by style: ``regular`` is required, the other styles may be left out."""
        files: dict[str, Path] = {}
        for style in FONT_STYLES:
            if style not in fam and style != "regular":
                continue  # falls back (``_STYLE_FALLBACK``)
            rel = fam.get(style)
            if not rel or not isinstance(rel, str):
                if style == "regular":
                    self.error(where, f"missing 'regular' font file (a .ttf path relative to {styles_dir})", at_key=True)
                else:
                    self.error(f"{where}.{style}", f"must be a .ttf path relative to {styles_dir} (or leave the "
                               f"key out: the {style.replace('_', ' ')} style then uses the upright or regular file)")
                continue
            file = (styles_dir / rel).resolve()
            if not file.is_file():
                self.error(f"{where}.{style}", f"font file not found: {rel}")
            elif file.suffix.lower() != ".ttf":
                self.error(f"{where}.{style}", f"{rel}: only TrueType (.ttf) fonts are supported")
            files[style] = file
        return files

    def license_file(self, fam: dict, where: str, styles_dir: Path) -> Path | None:
        if "license" not in fam:
            return None
        rel = fam["license"]
        if not rel or not isinstance(rel, str):
            self.error(f"{where}.license", f"must be the path of the fonts' licence text relative to {styles_dir}")
            return None
        file = (styles_dir / rel).resolve()
        if not file.is_file():
            self.error(f"{where}.license", f"licence file not found: {rel}")
            return None
        return file

    def stacks(self, fonts: dict) -> dict[str, tuple[str, ...]]:
        """Each role's stack: its own families, then the ``fallback`` families it does not list yet."""
        declared = fonts.get("families") if isinstance(fonts.get("families"), dict) else {}
        lists: dict[str, tuple[str, ...]] = {}
        for which in (*STACKS, FALLBACK):
            value = fonts.get(which) or ()
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, (list, tuple)) or not all(isinstance(k, str) for k in value):
                self.error(f"fonts.{which}", f"must be a list of family keys, e.g. [serif, sans], not {_kind(value)}")
                value = ()
            elif not value and which != FALLBACK:
                self.error(f"fonts.{which}", "a font stack needs at least one family", at_key=True)
            for index, key in enumerate(value):
                if key not in declared:
                    close = difflib.get_close_matches(key, [str(k) for k in declared], n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else f"; declared: {', '.join(map(str, declared))}"
                    self.error(f"fonts.{which}.{index}", f"unknown font family '{key}'{hint}")
            lists[which] = tuple(value)
        return {which: tuple(dict.fromkeys(lists[which] + lists[FALLBACK])) for which in STACKS}


STACKS = ("body", "display", "code")
FALLBACK = "fallback"  # families appended to every stack: the world's scripts after the theme's own faces


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_label(name: str, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"must be non-empty text, not {_kind(value)}"
    allowed = LABEL_FIELDS.get(name, set())
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError as exc:
        return f"is not a valid label: {exc} (write literal braces as {{{{ and }}}})"
    unknown = sorted(fields - allowed)
    if unknown:
        usable = ", ".join(f"{{{f}}}" for f in sorted(allowed)) or "none"
        return f"unknown placeholder {{{unknown[0]}}} (this label can use: {usable})"
    return None


def _check_colour(name: str, value: Any) -> str | None:
    if isinstance(value, str) and _HEX.fullmatch(value):
        return None
    return f"must be a hex colour such as \"#1b1b1b\" (quoted: YAML reads # as a comment), not {value!r}"


def _check_size(name: str, value: Any) -> str | None:
    if not _is_number(value) or value <= 0:
        return f"must be a positive number ({'a line-height factor' if name == 'leading' else 'points'}), not {value!r}"
    if name == "leading" and not 0.8 <= value <= 3:
        return f"is a line-height factor between 0.8 and 3 (e.g. 1.45), not {value!r}"
    return None


def _check_page(name: str, value: Any) -> str | None:
    if name == "size":
        return None if value in ("A4", "Letter") else f"must be A4 or Letter, not {value!r}"
    if not _is_number(value) or not 0 <= value <= 100:
        return f"must be a margin in millimetres between 0 and 100, not {value!r}"
    return None


def load_theme(styles_dir: Path) -> Theme:
    """Read ``styles/theme.yaml``; every problem is reported at once, located, as a SourceError."""
    path = styles_dir / "theme.yaml"
    try:
        located = load_located(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(Problem(str(path), f"cannot read the theme: {exc.strerror or exc}")) from None
    except UnicodeDecodeError:
        raise SourceError(Problem(str(path), "the theme is not UTF-8 text")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(Problem(str(path), f"malformed YAML: {problem}; check indentation, colons and quotes",
                                  "theme", mark.line + 1 if mark else None)) from None
    raw = located.data if located.data is not None else {}
    if not isinstance(raw, dict):
        raise SourceError(Problem(str(path), "the theme must be a YAML mapping of 'key: value' lines", "theme", 1))

    reader = _ThemeReader(path, located)
    reader.unknown_keys(raw, TOP_LEVEL)
    fonts = reader.mapping(raw, "fonts")
    reader.unknown_keys(fonts, ("families", *STACKS, FALLBACK), "fonts.")
    families = reader.families(fonts, styles_dir)
    stacks = reader.stacks(fonts)
    language = reader.language(raw)
    labels = reader.labels(raw, language)
    colors = reader.section(raw, "colors", Colors, _check_colour)
    page = reader.section(raw, "page", PageSetup, _check_page)
    sizes = reader.section(raw, "sizes", Sizes, _check_size)
    files = {}
    for key, default in (("css", "site.css"), ("reference_docx", "reference.docx"), ("name", "theme")):
        value = raw.get(key, default)
        if not isinstance(value, str) or not value:
            reader.error(key, f"must be text, not {_kind(value)}")
            value = default
        files[key] = value
    css = styles_dir / files["css"]
    if not css.is_file():
        reader.error("css", f"stylesheet not found: {files['css']} (relative to {styles_dir})")
    if reader.diag.errors:
        raise SourceError(sorted(reader.diag.errors, key=lambda p: p.line or 0))

    return Theme(
        root=styles_dir,
        name=files["name"],
        language=language,
        catalogue=merged(labels, language),
        families=families,
        body_stack=stacks["body"],
        display_stack=stacks["display"],
        code_stack=stacks["code"],
        colors=colors,
        page=page,
        sizes=sizes,
        css=css,
        reference_docx=styles_dir / files["reference_docx"],
        fingerprint=tree_digest(styles_dir),
    )
