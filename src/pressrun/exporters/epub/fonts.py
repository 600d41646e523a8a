"""The theme's TrueType fonts, subset to the book's characters, and the CSS that uses them.

Subsetting keeps a book small (DejaVu is ~5 MB whole); the name table is kept
whole so every copy carries the fonts' copyright and licence notice, and the
head table's timestamp is left alone so identical text gives identical bytes.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

from pressrun.theme import FontFamily, Theme

STYLES = ((False, False), (True, False), (False, True), (True, True))


def font_href(path: Path) -> str:
    return f"fonts/{path.name}"


@lru_cache(maxsize=64)
def _subset(path: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is expected noise
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = TTFont(str(path), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embedded_fonts(theme: Theme, text: str) -> list[tuple[str, bytes]]:
    """(package href, bytes) for every face of every family in the theme, subset to ``text``."""
    chars = "".join(sorted(set(text) | set(" \u00a0-–—…")))
    return [(font_href(path), _subset(path, chars)) for path in theme.font_files()]


def _stack(families: tuple[FontFamily, ...], generic: str) -> str:
    return ", ".join([f'"{f.name}"' for f in families] + [generic])


def theme_css(theme: Theme) -> str:
    """@font-face rules and the theme's fonts and colours; ``styles/epub.css`` adds the layout.

    Written out literally (no CSS variables) because many e-readers ignore them.
    """
    rules = []
    for family in sorted(theme.families.values(), key=lambda f: f.key):
        for bold, italic in STYLES:
            rules.append(
                "@font-face {\n"
                f'  font-family: "{family.name}";\n'
                f"  font-weight: {'bold' if bold else 'normal'};\n"
                f"  font-style: {'italic' if italic else 'normal'};\n"
                f'  src: url("../{font_href(family.file(bold, italic))}") format("truetype");\n'
                "}"
            )
    c = theme.colors
    body, display, code = (theme.stack(w) for w in ("body", "display", "code"))
    rules.append(f"body {{ font-family: {_stack(body, 'serif')}; color: {c.text}; }}")
    rules.append(
        "h1, h2, h3, h4, .section, .byline, .meta, figcaption, nav, .colophon "
        f"{{ font-family: {_stack(display, 'sans-serif')}; }}"
    )
    rules.append(f"code, pre {{ font-family: {_stack(code, 'monospace')}; }}")
    rules.append(f"a {{ color: {c.link}; }}")
    rules.append(f".section, .why-this-matters h2, .takeaways h2 {{ color: {c.accent}; }}")
    rules.append(f".meta, figcaption, .colophon {{ color: {c.muted}; }}")
    rules.append(f".why-this-matters {{ background-color: {c.box}; border-left: 0.25em solid {c.accent}; }}")
    rules.append(f"header, .takeaways, hr, blockquote {{ border-color: {c.rule}; }}")
    return "\n".join(rules) + "\n"
