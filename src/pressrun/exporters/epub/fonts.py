"""The theme's TrueType fonts, subset for the book, and the CSS that uses them.

Subsetting keeps a book small (DejaVu is ~5 MB whole); the name records are kept
whole so every copy carries the fonts' copyright and licence notice, and the
head table's timestamp is left alone so identical text gives identical bytes.

Speed (issue 8): subsetting is HarfBuzz's hb-subset (uharfbuzz, ~1 ms a face;
fontTools needed 50–300 ms, most of it decoding the big GSUB/GPOS tables).
Beyond that:

* only the families a book can use are embedded: the first family of the body
  and display stacks, the code stack's only when the book has ``code``/``pre``,
  and a fallback family only when it covers characters the families before it
  lack (all four faces of each family: bold and italic come from the theme's
  CSS, which this module does not try to second-guess);
* each face is subset to a *coverage* rather than to the exact text: a fixed
  base (printable ASCII, Latin-1, typographic punctuation) plus every 128-code
  point chunk holding one of the book's other characters (or their upper/lower
  case: ``text-transform`` changes case). Books in the same scripts share
  coverage, and subsets are cached per process, so after the first book each
  face costs nothing. The base also covers what CSS adds (``·`` separators).

The result depends only on the fonts, the coverage and the HarfBuzz version,
never on build order, so bytes stay reproducible.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pressrun.theme import FontFamily, Theme

if TYPE_CHECKING:
    import uharfbuzz as hb

STYLES = ((False, False), (True, False), (False, True), (True, True))

CHUNK_BITS = 7  # coverage grows in aligned runs of 128 code points: one or two per script, so articles in the same language share their subsets
BASE: frozenset[int] = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2028), *range(0x2030, 0x203B), 0x20AC, 0x2122]
)
_CODE = re.compile(r"<(?:code|pre)[\s/>]")


def font_href(path: Path) -> str:
    return f"fonts/{path.name}"


@lru_cache(maxsize=64)
def codepoints(path: Path) -> frozenset[int]:
    """The characters a font file maps (its cmap only: cheap)."""
    return frozenset(_face(path).unicodes)


def characters(text: str) -> frozenset[int]:
    """The book's printable characters, with their other case (CSS may transform it)."""
    chars = set(text)
    chars |= {c.upper() for c in chars} | {c.lower() for c in chars}
    return frozenset(ord(c) for c in "".join(chars) if c >= " " and not c.isspace())


def coverage(chars: frozenset[int]) -> frozenset[int]:
    """The 128-code-point chunks beyond ``BASE`` that the book's characters fall in."""
    return frozenset(c >> CHUNK_BITS for c in chars if c not in BASE)


def used_families(theme: Theme, text: str) -> tuple[FontFamily, ...]:
    """Families the book's CSS can reach for its text, in the theme's order.

    The first family of each stack in use; a later family only where it has a
    character (in some style) that every family before it lacks in that style,
    as a reading system falling back along the stack would.
    """
    roles = ("body", "display", "code") if _CODE.search(text) else ("body", "display")
    stacks = [stack for stack in (theme.stack(role) for role in roles) if stack]
    keys = {stack[0].key for stack in stacks}
    needed = characters(text)
    for stack in stacks:
        if all(f.key in keys for f in stack):
            continue  # nothing to decide (the default theme's fallbacks are first families too): no cmap read
        for bold, italic in STYLES:
            missing = needed - codepoints(stack[0].file(bold, italic))
            for family in stack[1:]:
                if not missing:
                    break
                has = codepoints(family.file(bold, italic))
                if missing & has:
                    keys.add(family.key)
                missing -= has
    return tuple(f for f in theme.families.values() if f.key in keys)


@lru_cache(maxsize=64)
def _face(path: Path) -> "hb.Face":
    import uharfbuzz as hb

    return hb.Face(hb.Blob(path.read_bytes()))


@lru_cache(maxsize=256)
def _subset(path: Path, chunks: frozenset[int]) -> bytes:
    import uharfbuzz as hb

    wanted = set(BASE)
    for chunk in chunks:
        wanted.update(range(chunk << CHUNK_BITS, (chunk + 1) << CHUNK_BITS))
    plan = hb.SubsetInput()
    plan.keep_everything()  # every table, name record (the licence), layout feature and script…
    plan.glyph_set.clear()  # …but only the glyphs of these characters (and what layout reaches from them)
    plan.unicode_set.clear()
    plan.unicode_set.update(sorted(wanted))  # code points the font lacks are skipped
    plan.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    return hb.subset(_face(path), plan).blob.data


def font_files(families: tuple[FontFamily, ...]) -> list[Path]:
    return sorted({f.file(b, i) for f in families for b, i in STYLES})


def embedded_fonts(families: tuple[FontFamily, ...], text: str) -> list[tuple[str, bytes]]:
    """(package href, bytes) for every face of ``families``, subset to the coverage of ``text``."""
    chunks = coverage(characters(text))
    return [(font_href(path), _subset(path, chunks)) for path in font_files(families)]


def _stack(families: tuple[FontFamily, ...], generic: str) -> str:
    return ", ".join([f'"{f.name}"' for f in families] + [generic])


def theme_css(theme: Theme, embedded: tuple[FontFamily, ...] | None = None) -> str:
    """@font-face rules (for the ``embedded`` families, default all) and the theme's fonts and colours;
    ``styles/epub.css`` adds the layout.

    Written out literally (no CSS variables) because many e-readers ignore them.
    """
    keys = {f.key for f in (theme.families.values() if embedded is None else embedded)}
    rules = []
    for family in sorted(theme.families.values(), key=lambda f: f.key):
        if family.key not in keys:
            continue
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
    # Each stack lists only the families the book embeds: a family it does not carry would be a name the
    # reading system cannot resolve, and the embedded ones already hold every character of the book.
    body, display, code = (tuple(f for f in theme.stack(w) if f.key in keys) for w in ("body", "display", "code"))
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
