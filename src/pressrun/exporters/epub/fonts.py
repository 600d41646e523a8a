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
  face costs nothing (nor does deflating it into the archive: ``reproducible``,
  issue 19). The base also covers what CSS adds (``·`` separators).
  Han ideographs and Hangul syllables are the exception (issue 14): there every character is a glyph of its
  own and a chunk is 128 glyphs the book does not use (a Chinese article touched nearly every chunk, so the
  "subset" was 1.5 MB of the 5 MB face), so those are subset to the book's own characters.

The result depends only on the fonts, the coverage and the HarfBuzz version,
never on build order, so bytes stay reproducible.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pressrun.exporters.epub.charset import distinct
from pressrun.theme import FontFamily, Theme

if TYPE_CHECKING:
    import uharfbuzz as hb

STYLES = ((False, False), (True, False), (False, True), (True, True))

CHUNK_BITS = 7  # coverage grows in aligned runs of 128 code points: one or two per script, so articles in the same language share their subsets
BASE: frozenset[int] = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2028), *range(0x2030, 0x203B), 0x20AC, 0x2122]
)
_CODE = re.compile(r"<(?:code|pre)[\s/>]")
# Ideographs (Extension A, unified, compatibility, Extension B+) and Hangul syllables: subset character by character.
EXACT = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))


def _exact(point: int) -> bool:
    return point >= EXACT[0][0] and any(lo <= point <= hi for lo, hi in EXACT)  # most text is below the first


def font_href(path: Path) -> str:
    return f"fonts/{path.name}"


@lru_cache(maxsize=64)
def codepoints(path: Path) -> frozenset[int]:
    """The characters a font file maps (its cmap only: cheap)."""
    return frozenset(face(path).unicodes)


def characters(text: str) -> frozenset[int]:
    """The book's printable characters, with their other case (CSS may transform it)."""
    # Each character cased alone, as ``c.upper()`` would (spaces keep one from being another's context: Greek's
    # final sigma), and white space dropped by ``split``, which tests ``isspace``'s property: issue 19, a third
    # of the time of casing and testing them one by one (~5 µs a book). ``distinct`` leaves out the control characters.
    spaced = " ".join(distinct(text))
    return frozenset(map(ord, "".join(f"{spaced} {spaced.upper()} {spaced.lower()}".split())))


def coverage(chars: frozenset[int]) -> frozenset[int]:
    """The 128-code-point chunks beyond ``BASE`` that the book's characters fall in (ideographs and Hangul
    syllables aside: ``singles``)."""
    return frozenset(c >> CHUNK_BITS for c in chars - BASE if c < EXACT[0][0] or not _exact(c))  # (calls are dear)


def singles(chars: frozenset[int]) -> frozenset[int]:
    """The book's ideographs and Hangul syllables, which are subset one by one."""
    return frozenset(c for c in chars if c >= EXACT[0][0] and _exact(c))


def roles(text: str) -> tuple[str, ...]:
    """The stacks a book's CSS sets its text in: the code stack only when the book has ``code``/``pre``."""
    return stack_roles(has_code(text))


def has_code(text: str) -> bool:
    return _CODE.search(text) is not None


def stack_roles(code: bool) -> tuple[str, ...]:
    return ("body", "display", "code") if code else ("body", "display")


def used_families(theme: Theme, text: str) -> tuple[FontFamily, ...]:
    return families_for(theme, roles(text), characters(text))


def families_for(theme: Theme, in_roles: tuple[str, ...], needed: frozenset[int]) -> tuple[FontFamily, ...]:
    """Families the book's CSS can reach for its characters ``needed`` (``characters``), set in the stacks
    ``in_roles`` (``roles``), in the theme's order.

    The first family of each stack in use; a later family only where it has a
    character (in some style) that every family before it lacks in that style,
    as a reading system falling back along the stack would.
    """
    stacks = [stack for stack in (theme.stack(role) for role in in_roles) if stack]
    keys = {stack[0].key for stack in stacks}
    for stack in stacks:
        if all(f.key in keys for f in stack):
            continue  # nothing to decide (the default theme's fallbacks are first families too): no cmap read
        for bold, italic in STYLES:
            keys |= _fallbacks(stack, bold, italic, needed)
    return tuple(f for f in theme.families.values() if f.key in keys)


def _fallbacks(stack: tuple[FontFamily, ...], bold: bool, italic: bool, needed: frozenset[int]) -> set[str]:
    """Keys of the later families of ``stack`` that are, in this style, the first to have one of the ``needed``
    characters the first family lacks: the ones a reading system falls back to."""
    missing = needed - codepoints(stack[0].file(bold, italic))
    if not missing:
        return set()
    first = _first_having(stack, bold, italic)
    found = set()
    for point in missing:
        index = first.get(point, -1)
        if index == -1:
            index = first[point] = next((n for n, family in enumerate(stack[1:], 1)
                                         if point in codepoints(family.file(bold, italic))), None)
        if index is not None:
            found.add(stack[index].key)
    return found


# Keyed by the families' identities (hashing a stack hashes every field of ~30 families, a tenth of a
# millisecond a book); each entry holds its stack, so no id in a key can be reused while the entry lives.
_FIRST_HAVING: dict[tuple, tuple[tuple[FontFamily, ...], dict[int, int | None]]] = {}


def _first_having(stack: tuple[FontFamily, ...], bold: bool, italic: bool) -> dict[int, int | None]:
    """Speed (issue 19): for each character asked about so far, the index in ``stack`` of the first later family
    with it (None: none), filled in as books ask (the same characters, book after book): a book's question
    is then a lookup per character, where walking the families took ~0.1 ms."""
    key = (*map(id, stack), bold, italic)
    found = _FIRST_HAVING.get(key)
    if found is None:
        if len(_FIRST_HAVING) >= 64:  # a build has one theme: a dozen entries
            _FIRST_HAVING.clear()
        found = _FIRST_HAVING[key] = (stack, {})
    return found[1]


@lru_cache(maxsize=64)
def face(path: Path) -> "hb.Face":
    """The font file as HarfBuzz reads it (its cmap, its subsets; the cover shapes with it): once per process."""
    import uharfbuzz as hb

    return hb.Face(hb.Blob(path.read_bytes()))


@lru_cache(maxsize=256)
def _subset(path: Path, chunks: frozenset[int], exact: frozenset[int] = frozenset(),
            left_out: frozenset[int] = frozenset()) -> bytes:
    import uharfbuzz as hb

    wanted = set(BASE) | exact
    for chunk in chunks:
        wanted.update(range(chunk << CHUNK_BITS, (chunk + 1) << CHUNK_BITS))
    wanted -= left_out  # a script a later family of the stack sets whole (``scriptfaces``)
    plan = hb.SubsetInput()
    plan.keep_everything()  # every table, name record (the licence), layout feature and script…
    plan.glyph_set.clear()  # …but only the glyphs of these characters (and what layout reaches from them)
    plan.unicode_set.clear()
    plan.unicode_set.update(sorted(wanted))  # code points the font lacks are skipped
    plan.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    return hb.subset(face(path), plan).blob.data


@lru_cache(maxsize=64)
def font_files(families: tuple[FontFamily, ...]) -> tuple[Path, ...]:
    return tuple(sorted({f.file(b, i) for f in families for b, i in STYLES}))


def embedded_fonts(families: tuple[FontFamily, ...], text: str,
                   left_out: dict[str, frozenset[int]] | None = None) -> list[tuple[str, bytes]]:
    return subset_fonts(families, characters(text), left_out)


def subset_fonts(families: tuple[FontFamily, ...], chars: frozenset[int],
                 left_out: dict[str, frozenset[int]] | None = None) -> list[tuple[str, bytes]]:
    """(package href, bytes) for every face of ``families``, subset to the coverage of the book's characters
    ``chars`` (``characters``), less what ``left_out`` names for a family (by key)."""
    chunks, exact = coverage(chars), singles(chars)
    if not left_out:
        return [(font_href(path), _subset(path, chunks, exact)) for path in font_files(families)]
    lacking = {f.file(b, i): left_out.get(f.key, frozenset()) for f in families for b, i in STYLES}
    return [(font_href(path), _subset(path, chunks, exact, lacking[path])) for path in font_files(families)]


def _stack(families: tuple[FontFamily, ...], generic: str) -> str:
    return ", ".join([f'"{f.name}"' for f in families] + [generic])


def theme_css(theme: Theme, embedded: tuple[FontFamily, ...] | None = None, rtl: bool = False) -> str:
    """@font-face rules (for the ``embedded`` families, default all) and the theme's fonts and colours;
    ``styles/epub.css`` adds the layout. ``rtl``: the book has right-to-left documents, which get the
    mirrored rules of ``_rtl_css``.

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
    if rtl:
        rules.extend(_rtl_css(theme))
    return "\n".join(rules) + "\n"


def _rtl_css(theme: Theme) -> list[str]:
    """Right-to-left documents (``dir="rtl"`` on their root): boxes, quotes and lists mirrored onto the start
    side, code left to right, and no letter-spacing (it breaks the joins of Arabic script). Physical properties
    in ``[dir]`` rules rather than logical ones, which older reading systems ignore.

    Direction itself is never set here: EPUB style sheets must not use ``direction`` or ``unicode-bidi``
    (EPUBCheck CSS-001), so code's left-to-right ``dir`` and the isolation of a phrase in the other direction
    (``<bdi dir>``) are written in the markup by the shared renderer."""
    c = theme.colors
    return [
        f'[dir="rtl"] .why-this-matters {{ border-left: 0; border-right: 0.25em solid {c.accent}; }}',
        '[dir="rtl"] blockquote { padding-left: 0; border-left: 0; padding-right: 0.9em; border-right: 3px solid; }',
        '[dir="rtl"] nav ol { padding-left: 0; padding-right: 1em; }',
        '[dir="rtl"] nav > ol { padding-right: 0; }',
        # Bullets and numbers on the right, where an older reading system's own sheet pads the left.
        '[dir="rtl"] ul, [dir="rtl"] ol { padding-left: 0; padding-right: 2.5em; }',
        '[dir="rtl"] .section, [dir="rtl"] .why-this-matters h2, [dir="rtl"] .takeaways h2, '
        '[dir="rtl"] figcaption .credit { letter-spacing: 0; }',
        'pre[dir="ltr"] { text-align: left; }',
    ]
