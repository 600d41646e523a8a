"""pressrun's default look as WordprocessingML, made from the theme: the styles, the list definitions, the settings.

A leaf of the DOCX exporter (the style catalogue and the theme only, no
python-docx): the ``reference`` tool writes these parts into
``styles/reference.docx``, and ``template`` completes a user's reference from
them when it lacks one of pressrun's styles or lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from pressrun.exporters.docx import styles as S
from pressrun.theme import Theme

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _hp(points: float) -> int:
    """Points → half-points (w:sz)."""
    return round(points * 2)


def _tw(points: float) -> int:
    """Points → twentieths of a point (spacing, indentation)."""
    return round(points * 20)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _rpr(font: str | None = None, size: float | None = None, bold: bool = False, italic: bool = False,
         caps: bool = False, color: str | None = None, underline: bool = False, spacing: int | None = None) -> str:
    parts = []
    if font:
        f = quoteattr(font)
        parts.append(f"<w:rFonts w:ascii={f} w:hAnsi={f} w:cs={f} w:eastAsia={f}/>")
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if caps:
        parts.append("<w:caps/>")
    if color:
        parts.append(f'<w:color w:val="{_hex(color)}"/>')
    if spacing:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if size:
        parts.append(f'<w:sz w:val="{_hp(size)}"/><w:szCs w:val="{_hp(size)}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _ppr(before: float = 0, after: float = 0, line: float | None = None, keep_next: bool = False,
         align: str | None = None, outline: int | None = None, left: float = 0, hanging: float = 0,
         contextual: bool = False, borders: str = "", shade: str | None = None, keep_lines: bool = False) -> str:
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if borders:
        parts.append(borders)
    if shade:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(shade)}"/>')
    rule = f' w:line="{round(240 * line)}" w:lineRule="auto"' if line else ""
    parts.append(f'<w:spacing w:before="{_tw(before)}" w:after="{_tw(after)}"{rule}/>')
    if left or hanging:
        parts.append(f'<w:ind w:left="{_tw(left)}" w:hanging="{_tw(hanging)}"/>')
    if contextual:
        parts.append("<w:contextualSpacing/>")
    if align:
        parts.append(f'<w:jc w:val="{align}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _border(colour: str, size_eighths: int, space: int) -> str:
    """One side's attributes (``_pbdr`` names the side)."""
    return f'w:val="single" w:sz="{size_eighths}" w:space="{space}" w:color="{_hex(colour)}"'


def _pbdr(**sides: str) -> str:
    """A ``w:pBdr`` with its sides in the schema's order, whatever order they are given in."""
    unknown = set(sides) - set(S.PBDR_ORDER)
    if unknown:
        raise ValueError(f"not a paragraph border: {sorted(unknown)}")
    return "<w:pBdr>" + "".join(f"<w:{side} {sides[side]}/>" for side in S.PBDR_ORDER if side in sides) + "</w:pBdr>"


def _style(spec: S.StyleSpec, body: str, based: str | None = "Normal", next_id: str | None = None,
           default: bool = False, ui: int = 10) -> str:
    attrs = f' w:type="{spec.kind}" w:styleId="{spec.id}"' + (' w:default="1"' if default else "")
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    next_xml = f'<w:next w:val="{next_id}"/>' if next_id else ""
    return (f"<w:style{attrs}><w:name w:val={quoteattr(spec.name)}/>{based_xml}{next_xml}"
            f'<w:uiPriority w:val="{ui}"/><w:qFormat/>{body}</w:style>')


@dataclass(frozen=True)
class _Fonts:
    serif: str
    sans: str
    mono: str

    @classmethod
    def of(cls, theme: Theme) -> "_Fonts":
        return cls(theme.stack("body")[0].name, theme.stack("display")[0].name, theme.stack("code")[0].name)


# A paragraph style: its pPr and rPr, the style it is based on and the style of the paragraph after it.
_ParagraphStyle = tuple[str, str, str | None, str | None]


def _front_styles(theme: Theme, f: _Fonts) -> dict[str, _ParagraphStyle]:
    """The article's front matter and headings: kicker to credit, the two boxed sections, Heading 2-4."""
    c, z = theme.colors, theme.sizes
    box_borders = _pbdr(left=_border(c.accent, 24, 8), top=_border(c.box, 4, 4), bottom=_border(c.box, 4, 4),
                        right=_border(c.box, 4, 8))
    sans, serif = f.sans, f.serif
    return {
        S.KICKER: (_ppr(after=4, keep_next=True), _rpr(sans, z.small + 0.5, bold=True, caps=True, color=c.accent, spacing=10), "Normal", S.HEADLINE),
        S.HEADLINE: (_ppr(after=10, line=1.08, keep_next=True, outline=0), _rpr(sans, z.headline, bold=True, color=c.text), "Normal", S.STANDFIRST),
        S.STANDFIRST: (_ppr(after=12, line=1.3), _rpr(serif, z.standfirst, color=c.muted), "Normal", S.BYLINE),
        S.BYLINE: (_ppr(after=0, keep_next=True), _rpr(sans, z.small + 1, bold=True, color=c.text), "Normal", S.DATE),
        S.DATELINE: (_ppr(after=0, keep_next=True), _rpr(sans, z.small, bold=True, caps=True, color=c.accent), "Normal", S.DATE),
        S.DATE: (_ppr(after=14, contextual=True), _rpr(sans, z.small, color=c.muted), "Normal", S.BODY),
        S.FIGURE: (_ppr(before=4, after=4, align="center", keep_next=True), "", "Normal", S.CAPTION),
        S.CAPTION: (_ppr(after=0, keep_lines=True), _rpr(sans, z.small + 0.5, color=c.text), "Normal", S.CREDIT),
        S.CREDIT: (_ppr(after=14), _rpr(sans, z.small - 0.5, italic=True, color=c.muted), "Normal", S.BODY),
        S.WHY_HEADING: (_ppr(before=8, after=0, keep_next=True, outline=1, borders=box_borders, shade=c.box),
                        _rpr(sans, z.small + 1, bold=True, caps=True, color=c.accent, spacing=10), "Normal", S.WHY_BODY),
        S.WHY_BODY: (_ppr(before=4, after=0, line=1.35, borders=box_borders, shade=c.box), _rpr(serif, z.body), "Normal", S.WHY_BODY),
        S.TAKEAWAYS_HEADING: (_ppr(before=16, after=6, keep_next=True, outline=1, borders=_pbdr(bottom=_border(c.rule, 6, 2))),
                              _rpr(sans, z.small + 1, bold=True, caps=True, color=c.accent, spacing=10), "Normal", S.TAKEAWAY),
        S.TAKEAWAY: (_ppr(after=12, line=1.3, left=18, hanging=14, contextual=True), _rpr(serif, z.body), "Normal", S.TAKEAWAY),
        S.BODY: (_ppr(after=8, line=theme.sizes.leading), "", "Normal", S.BODY),
        S.HEADINGS[2]: (_ppr(before=18, after=6, keep_next=True, keep_lines=True, outline=1), _rpr(sans, z.heading2, bold=True, color=c.text), "Normal", S.BODY),
        S.HEADINGS[3]: (_ppr(before=14, after=4, keep_next=True, keep_lines=True, outline=2), _rpr(sans, z.heading3, bold=True, color=c.text), "Normal", S.BODY),
        S.HEADINGS[4]: (_ppr(before=12, after=4, keep_next=True, keep_lines=True, outline=3), _rpr(sans, z.heading4, bold=True, italic=True, color=c.muted), "Normal", S.BODY),
    }


# List Paragraph Spaced is List Paragraph (restyling one restyles both) with its spacing between items kept.
_SPACED = '<w:pPr><w:contextualSpacing w:val="0"/></w:pPr>'


def _block_styles(theme: Theme, f: _Fonts) -> dict[str, _ParagraphStyle]:
    """The body's other blocks: list paragraphs, quote, code and separator; then the page furniture."""
    c, z = theme.colors, theme.sizes
    code_borders = _pbdr(**{side: _border(c.rule, 4, 4) for side in ("top", "left", "bottom", "right")})
    return {
        # A tight list's items share the spacing after its last item (contextual spacing); a loose list's
        # items, and the further paragraphs of any item, are spaced like body paragraphs.
        S.LIST_ITEM: (_ppr(after=8, line=1.3, left=18, hanging=14, contextual=True), "", "Normal", S.LIST_ITEM),
        S.LIST_ITEM_SPACED: (_SPACED, "", S.LIST_ITEM, S.LIST_ITEM_SPACED),
        S.LIST_CONTINUE[0]: (_ppr(after=8, line=1.3, left=18), "", "Normal", None),
        S.LIST_CONTINUE[1]: (_ppr(after=8, line=1.3, left=36), "", "Normal", None),
        S.LIST_CONTINUE[2]: (_ppr(after=8, line=1.3, left=54), "", "Normal", None),
        S.QUOTE: (_ppr(before=6, after=8, line=1.35, left=18, borders=_pbdr(left=_border(c.rule, 18, 10))), _rpr(f.serif, z.body + 0.5, italic=True, color=c.muted), "Normal", S.BODY),
        S.CODE: (_ppr(before=4, after=8, line=1.0, borders=code_borders, shade=c.box),
                 _rpr(f.mono, z.small), "Normal", S.BODY),
        S.SEPARATOR: (_ppr(before=6, after=14, borders=_pbdr(bottom=_border(c.rule, 6, 1))), _rpr(size=4), "Normal", S.BODY),
        # Consecutive notices share one top rule: Word and LibreOffice join equal borders of adjacent paragraphs.
        S.CORRECTION: (_ppr(before=4, after=6, line=1.3, borders=_pbdr(top=_border(c.rule, 6, 6))),
                       _rpr(f.serif, z.small + 1, color=c.text), "Normal", S.CORRECTION),
        S.HEADER: (_ppr(after=0, borders=_pbdr(bottom=_border(c.rule, 4, 4))), _rpr(f.sans, z.small, caps=True, color=c.muted, spacing=10), "Normal", None),
        S.FOOTER: (_ppr(after=0, align="center"), _rpr(f.sans, z.small, color=c.muted), "Normal", None),
    }


def _character_styles(theme: Theme, f: _Fonts) -> dict[str, str]:
    """Character style id → its rPr."""
    return {
        S.HYPERLINK: _rpr(color=theme.colors.link, underline=True),
        S.STRONG: _rpr(bold=True),
        S.EMPHASIS: _rpr(italic=True),
        S.STRONG_EMPHASIS: _rpr(bold=True, italic=True),
        S.INLINE_CODE: _rpr(f.mono, theme.sizes.body - 1),
    }


# The defaults every document needs besides pressrun's own styles (Word writes them into every file).
_DEFAULT_PARAGRAPH_FONT = (
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
)
_TABLE_AND_LIST_DEFAULTS = (
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
)


def styles_xml(theme: Theme) -> str:
    """Every style of the catalogue, its look taken from the theme."""
    f, c, z = _Fonts.of(theme), theme.colors, theme.sizes
    spec = {s.id: s for s in S.CATALOGUE}
    out = [
        "<w:docDefaults><w:rPrDefault>"
        f"{_rpr(f.serif, z.body, color=c.text)[:-len('</w:rPr>')]}<w:lang w:val=\"en\"/></w:rPr>"
        "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
        "</w:pPrDefault></w:docDefaults>",
        _style(spec["Normal"], _ppr(line=theme.sizes.leading), based=None, default=True, next_id=None, ui=0),
    ]
    for ident, (ppr, rpr, based, nxt) in {**_front_styles(theme, f), **_block_styles(theme, f)}.items():
        out.append(_style(spec[ident], ppr + rpr, based, nxt))
    out.append(_DEFAULT_PARAGRAPH_FONT)
    for ident, rpr in _character_styles(theme, f).items():
        out.append(_style(spec[ident], rpr, based="DefaultParagraphFont"))
    out.append(_TABLE_AND_LIST_DEFAULTS)
    return f'<w:styles {NS}>{"".join(out)}</w:styles>'


def _levels(kind: str, theme: Theme) -> str:
    sans = quoteattr(theme.stack("display")[0].name)
    out = []
    for lvl in range(9):
        left, hanging = 360 * (lvl + 1), 280
        if kind == "numbers":
            fmt = ("decimal", "lowerLetter", "lowerRoman")[lvl % 3]
            text, rpr = f"%{lvl + 1}.", ""
        else:
            fmt = "bullet"
            marks = ("\u25a0", "\u25aa", "\u2013") if kind == "takeaways" else ("\u2022", "\u25e6", "\u25aa")
            text = marks[lvl % 3]
            colour = f'<w:color w:val="{_hex(theme.colors.accent)}"/>' if kind == "takeaways" else ""
            rpr = f"<w:rPr><w:rFonts w:ascii={sans} w:hAnsi={sans} w:cs={sans}/>{colour}</w:rPr>"
        out.append(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
        )
    return "".join(out)


def numbering_xml(theme: Theme) -> str:
    """Three named list definitions, found by name (``w:name``) by the exporter."""
    defs = [(0, S.BULLETS, "bullets"), (1, S.NUMBERS, "numbers"), (2, S.TAKEAWAY_BULLETS, "takeaways")]
    abstract = "".join(
        f'<w:abstractNum w:abstractNumId="{i}"><w:nsid w:val="5052{i:04X}"/><w:multiLevelType w:val="hybridMultilevel"/>'
        f'<w:name w:val="{name}"/>{_levels(kind, theme)}</w:abstractNum>'
        for i, name, kind in defs
    )
    nums = "".join(f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>' for i, _, _ in defs)
    return f"<w:numbering {NS}>{abstract}{nums}</w:numbering>"


def settings_xml(language: str = "en") -> str:
    return (
        f"<w:settings {NS}><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
        "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{language}"/></w:settings>'
    )


