"""Build pressrun's default ``styles/reference.docx`` from the theme: a tool on top of the exporter's leaves.

Run once after changing the theme, and commit the result::

    python -m pressrun.exporters.docx.reference styles/

The reference holds every named style of ``styles.CATALOGUE`` and the list
definitions (``defaults``), page setup, header and footer (``furniture``), and
one example paragraph per style, so editors can see the styles and restyle them
in Word or LibreOffice. Users may replace the file with their own (as with
pandoc's ``--reference-doc``). Nothing in the exporter imports this module.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Mm

from pressrun.exporters.docx import oxml
from pressrun.exporters.docx import styles as S
from pressrun.exporters.docx.defaults import numbering_xml, settings_xml, styles_xml
from pressrun.exporters.docx.furniture import write_furniture
from pressrun.exporters.docx.package import clean_package, reset_properties, save
from pressrun.theme import Theme, load_theme

MADE = datetime(2024, 1, 1)  # the reference's date, in its properties and its ZIP entries

# One example paragraph per style; the text tells editors which style they are looking at.
EXAMPLES: tuple[tuple[str, str], ...] = (
    (S.KICKER, "Section kicker (style Kicker)"),
    (S.HEADLINE, "The headline of the article (style Title)"),
    (S.STANDFIRST, "The standfirst sums the story up in a sentence or two (style Standfirst)."),
    (S.BYLINE, "By Ann Writer and Bo Second (style Byline)"),
    (S.DATELINE, "Baku (style Dateline)"),
    (S.DATE, "Published 27 April 2024 (style Date)"),
    (S.FIGURE, "[the picture] (style Figure)"),
    (S.CAPTION, "The caption describes the picture (style Caption)."),
    (S.CREDIT, "Photo by A. Photographer / Agency (style Image Credit)"),
    (S.WHY_HEADING, "Why this matters (style Why This Matters Heading)"),
    (S.WHY_BODY, "Why the story matters to the reader (style Why This Matters)."),
    (S.TAKEAWAYS_HEADING, "Key takeaways (style Key Takeaways Heading)"),
    (S.TAKEAWAY, "A key takeaway (style Key Takeaway, list pressrun-takeaways)."),
    (S.TAKEAWAY, "Another key takeaway."),
    (S.BODY, "Body text of the story (style Body Text)."),
    (S.HEADINGS[2], "A section heading (style Heading 2)"),
    (S.HEADINGS[3], "A subsection heading (style Heading 3)"),
    (S.HEADINGS[4], "A minor heading (style Heading 4)"),
    (S.LIST_ITEM, "A bulleted list item (style List Paragraph, list pressrun-bullets)"),
    (S.LIST_CONTINUE[0], "A further paragraph of the item (style List Continue)."),
    (S.LIST_ITEM, "A numbered list item (style List Paragraph, list pressrun-numbers)"),
    (S.LIST_CONTINUE[1], "A further paragraph at the second level (style List Continue 2)."),
    (S.LIST_CONTINUE[2], "A further paragraph at the third level (style List Continue 3)."),
    (S.LIST_ITEM_SPACED, "An item of a loose list, one written with blank lines between its items "
                         "(style List Paragraph Spaced)."),
    (S.LIST_ITEM_SPACED, "The next item of the loose list: loose items are spaced like body paragraphs."),
    (S.QUOTE, "A block quotation (style Quote)."),
    (S.CODE, 'def example():\n    return "code"  # style Code'),
    (S.SEPARATOR, ""),
    (S.CORRECTION, "Correction · 28 April 2024: a dated correction or clarification after the story (style Correction)."),
)


def build_reference(theme: Theme, publication: str = "Publication name") -> bytes:
    """The reference document's bytes, reproducible."""
    doc = _blank(theme)
    _page_setup(doc.sections[0], theme)
    body = doc.element.body
    for child in list(body):
        if child.tag != oxml.qn("w:sectPr"):
            body.remove(child)
    for p in _examples(doc.part):
        body.sectPr.addprevious(p)  # the section properties stay last
    write_furniture(doc, publication, theme.labels_for(theme.language).page)
    reset_properties(doc, title="pressrun reference document", author="pressrun", language="en",
                     created=MADE, modified=MADE,
                     comments="Styles for pressrun's DOCX exporter: edit the styles, keep their ids.")
    return save(doc, MADE)


def _blank(theme: Theme) -> Any:
    """python-docx's default document with the theme's styles, lists and settings, and nothing of Word 2010's."""
    doc = Document()
    part = doc.part
    clean_package(doc)
    for rel in list(part.rels.values()):  # python-docx's template carries Word 2010 leftovers
        if rel.reltype in (RT.CUSTOM_XML, RT.WEB_SETTINGS) or rel.reltype.endswith("/stylesWithEffects"):
            del part.rels[rel.rId]
    part._styles_part._element = parse_xml(styles_xml(theme))
    part.numbering_part._element = parse_xml(numbering_xml(theme))
    part._settings_part._element = parse_xml(settings_xml())
    return doc


def _page_setup(section: Any, theme: Theme) -> None:
    width, height = (Mm(210), Mm(297)) if theme.page.size == "A4" else (Mm(215.9), Mm(279.4))
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = Mm(theme.page.margin_top_mm), Mm(theme.page.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(theme.page.margin_left_mm), Mm(theme.page.margin_right_mm)
    section.header_distance = section.footer_distance = Mm(10)


def _examples(part: Any) -> list[Any]:
    """One paragraph per entry of EXAMPLES, list items in their lists (numIds of ``numbering_xml``)."""
    numbers = {S.BULLETS: 1, S.NUMBERS: 2, S.TAKEAWAY_BULLETS: 3}
    list_of_item = iter([(1, 0), (2, 0)])
    paragraphs = []
    for style_id, text in EXAMPLES:
        p = oxml.paragraph(style_id)
        if style_id == S.TAKEAWAY:
            oxml.numbered(p, numbers[S.TAKEAWAY_BULLETS], 0)
        elif style_id == S.LIST_ITEM:
            oxml.numbered(p, *next(list_of_item))
        elif style_id == S.LIST_ITEM_SPACED:
            oxml.numbered(p, numbers[S.BULLETS], 0)
        if style_id == S.BODY:
            p.extend(_body_example(part))
        elif text:
            p.append(oxml.text_run(text))
        paragraphs.append(p)
    return paragraphs


def _body_example(part: Any) -> list[Any]:
    """The body paragraph shows every character style."""
    return [
        oxml.text_run("Body text of the story with "),
        oxml.text_run("strong", S.STRONG),
        oxml.text_run(", "),
        oxml.text_run("emphasis", S.EMPHASIS),
        oxml.text_run(", "),
        oxml.text_run("both", S.STRONG_EMPHASIS),
        oxml.text_run(", "),
        oxml.text_run("inline code", S.INLINE_CODE),
        oxml.text_run(" and a "),
        oxml.hyperlink(part, [oxml.text_run("hyperlink", S.HYPERLINK)], url="https://example.com/"),
        oxml.text_run(" (style Body Text; character styles Strong, Emphasis, Strong Emphasis, "
                      "Inline Code, Hyperlink)."),
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    styles_dir = Path(args[0] if args else "styles")
    theme = load_theme(styles_dir)
    target = theme.reference_docx
    target.write_bytes(build_reference(theme))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
