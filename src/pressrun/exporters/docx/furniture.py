"""The page furniture: a header with the publication's name, a footer with page numbers as Word fields.

A leaf of the DOCX exporter (the oxml helpers and the style catalogue only): the
article's ``writer`` and the ``reference`` tool both put it on their pages.
"""

from __future__ import annotations

import re
from typing import Any

from pressrun.exporters.docx import oxml
from pressrun.exporters.docx import styles as S


def write_furniture(doc: Any, publication: str, page_label: str) -> None:
    """Header with the publication's name; footer with the theme's page label, its numbers as Word fields.

    ``page_label`` is the theme's, e.g. "Page {page} of {pages}": ``{page}`` becomes a PAGE field and
    ``{pages}`` a NUMPAGES field, which Word and LibreOffice fill in as they lay the pages out.
    """
    for section in doc.sections:
        header, footer = section.header, section.footer
        header.is_linked_to_previous = footer.is_linked_to_previous = False
        for story, style in ((header, S.HEADER), (footer, S.FOOTER)):
            for child in list(story._element):
                story._element.remove(child)
            story._element.append(oxml.paragraph(style))
        header._element[0].append(oxml.text_run(publication))
        footer._element[0].extend(_page_label(page_label))


def _page_label(page_label: str) -> list[Any]:
    """The footer's runs: the label's text, its ``{page}`` and ``{pages}`` as fields."""
    runs: list[Any] = []
    for piece in re.split(r"(\{pages?\})", page_label):
        if piece == "{page}":
            runs.extend(oxml.field_runs("PAGE", "1"))
        elif piece == "{pages}":
            runs.extend(oxml.field_runs("NUMPAGES", "1"))
        elif piece:
            runs.append(oxml.text_run(piece))
    return runs
