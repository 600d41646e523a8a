"""The page furniture: a header with the publication's name, a footer with page numbers as Word fields.

A leaf of the DOCX exporter (the oxml helpers and the style catalogue only): the
article's ``writer`` and the ``reference`` tool both put it on their pages.
"""

from __future__ import annotations

from string import Formatter
from typing import Any

from pressrun.exporters.docx import oxml
from pressrun.exporters.docx import styles as S

# The page label's fields and the Word field each becomes.
FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def write_furniture(doc: Any, publication: str, page_label: str, publication_language: str | None = None) -> None:
    """Header with the publication's name; footer with the page label in the article's language, its numbers as
    Word fields.

    ``page_label`` is a format string such as "Page {page} of {pages}", "Страница {page} из {pages}" or
    "{pages} ページ中 {page} ページ": ``{page}`` becomes a PAGE field and ``{pages}`` a NUMPAGES field, wherever
    they stand, which Word and LibreOffice fill in as they lay the pages out. ``publication_language``: the
    language of the publication's name when it is not the article's (its run says so in ``w:lang``).
    """
    for section in doc.sections:
        header, footer = section.header, section.footer
        header.is_linked_to_previous = footer.is_linked_to_previous = False
        for story, style in ((header, S.HEADER), (footer, S.FOOTER)):
            for child in list(story._element):
                story._element.remove(child)
            story._element.append(oxml.paragraph(style))
        name = oxml.text_run(publication)
        if publication_language:
            oxml.set_lang(name.get_or_add_rPr(), publication_language, *oxml.language_slots(publication_language))
        header._element[0].append(name)
        footer._element[0].extend(_page_label(page_label))


def label_parts(page_label: str) -> list[tuple[str, str | None]]:
    """(literal text, Word field or None) pieces of the label, in order; ``{{`` and ``}}`` are literal braces.
    A label that is not a valid format string is all text."""
    try:
        parsed = list(Formatter().parse(page_label))
    except ValueError:
        return [(page_label, None)]
    parts: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        if literal:
            parts.append((literal, None))
        if name is not None:
            field = FIELDS.get(name)
            parts.append(("", field) if field else ("{" + name + (f"!{conversion}" if conversion else "")
                                                        + (f":{spec}" if spec else "") + "}", None))
    return parts


def label_text(page_label: str) -> str:
    """The label's own words, without its fields: what decides the footer's direction."""
    return "".join(text for text, field in label_parts(page_label) if field is None)


def _page_label(page_label: str) -> list[Any]:
    """The footer's runs: the label's text before, between and after its fields, and the fields."""
    runs: list[Any] = []
    for text, field in label_parts(page_label):
        if field:
            runs.extend(oxml.field_runs(field, "1"))
        elif text:
            runs.append(oxml.text_run(text))
    return runs
