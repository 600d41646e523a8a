"""Speed (issue 19): reportlab's writing of a PDF object's numbers, names and strings, without its codec.

reportlab writes every number, name and string of every dictionary and array (a font's widths, the structure
tree, the page tree…) through ``format``: a number by ``fp_str`` and then, like every name and string, through
``pdfdocEnc``, which encodes by a codec written in Python ('extpdfdoc'). That was ~6 % of an article's PDF.
ASCII (all numbers, and nearly all names, keys and object headers) is the same bytes in that codec and in
'ascii', but for U+0018–U+001F, which that codec cannot encode; so ``format`` and ``pdfdocEnc`` below encode it
directly and leave anything else to reportlab: same bytes. And every key of every dictionary is made a name
(``PDFName``: a loop over its characters) again: the same few dozen names, made once (``pdf_name``). Installed
in reportlab's ``pdfdoc`` module (whose functions look them up there) when this module is imported.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import reportlab.pdfbase.pdfdoc as _pdfdoc
from reportlab.lib.rl_accel import fp_str

_rl_format = _pdfdoc.format
_rl_pdfdoc_enc = _pdfdoc.pdfdocEnc
_rl_pdf_name = _pdfdoc.PDFName
_UNENCODABLE = re.compile("[\x18-\x1f]").search  # ASCII that "extpdfdoc" cannot encode (PDFDocEncoding: accents)


def pdfdoc_enc(x: Any) -> Any:
    """reportlab's ``pdfdocEnc``: a str in PDFDocEncoding (printable ASCII is itself), anything else as it is."""
    if type(x) is str and x.isascii() and (x.isprintable() or not _UNENCODABLE(x)):
        return x.encode("ascii")
    return _rl_pdfdoc_enc(x)


def format_object(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """reportlab's ``format`` of one element of a PDF object: a plain number, bytes or printable ASCII text here
    (none is a ``PDFObject``), anything else by reportlab."""
    kind = type(element)
    if kind is float or kind is int:
        return fp_str(element).encode("ascii")
    if kind is bytes:
        return element
    if kind is str and element.isascii() and (element.isprintable() or not _UNENCODABLE(element)):
        return element.encode("ascii")
    return _rl_format(element, document, toplevel)


def pdf_name(data: str, lo: str = chr(0x21), hi: str = chr(0x7E)) -> str:
    """reportlab's ``PDFName`` ("/Type", "/A#20B"), each name made once."""
    if type(data) is str and lo == "!" and hi == "~":
        return _name(data)
    return _rl_pdf_name(data, lo, hi)


@functools.lru_cache(maxsize=4096)  # keys, roles, font and resource names: a small vocabulary, bounded anyway
def _name(data: str) -> str:
    return _rl_pdf_name(data)


_pdfdoc.format = format_object
_pdfdoc.pdfdocEnc = pdfdoc_enc
_pdfdoc.PDFName = pdf_name
