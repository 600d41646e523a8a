"""The PDF exporter's shortcuts into reportlab give what reportlab gave (issue 19, second round)."""

from __future__ import annotations

import random
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

from pressrun.exporters.pdf import subsets

from conftest import ROOT

FONT = ROOT / "styles" / "fonts" / "DejaVuSans.ttf"
# Latin, a no-break space, Greek and Cyrillic (past one subset of 256 codes), and characters DejaVu lacks.
ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789.,;\xa0" + "".join(map(chr, range(0x391, 0x3C9))) \
    + "".join(map(chr, range(0x410, 0x44F))) + "\u4e00\u0915\U0001F600"


class _Doc:
    """A stand-in for reportlab's document: the font's state is per document object."""


def test_split_string_gives_reportlab_s_subsets_and_codes() -> None:
    rng = random.Random(19)
    fast, plain = TTFont("SpeedFast", str(FONT)), TTFont("SpeedPlain", str(FONT))
    for _ in range(3):  # each round a new document: codes are given afresh
        fast_doc, plain_doc = _Doc(), _Doc()
        for _ in range(400):
            text = "".join(rng.choice(ALPHABET[: rng.choice((30, 60, len(ALPHABET)))]) for _ in range(rng.randint(0, 12)))
            assert subsets.split_string(fast, text, fast_doc) == subsets._rl_split_string(plain, text, plain_doc)
        assert fast.state[fast_doc].assignments == plain.state[plain_doc].assignments
        assert fast.state[fast_doc].subsets == plain.state[plain_doc].subsets


def test_split_string_is_reportlab_s() -> None:
    assert TTFont.splitString is subsets.split_string


def _outcome(function: Any, *args: Any) -> Any:
    """What ``function`` gives, or the kind of error it raises."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the same error is what is compared
        return type(exc)


def test_objects_are_written_as_reportlab_writes_them() -> None:
    import reportlab.pdfbase.pdfdoc as pdfdoc

    from pressrun.exporters.pdf import objects

    assert (pdfdoc.format, pdfdoc.pdfdocEnc, pdfdoc.PDFName) == (objects.format_object, objects.pdfdoc_enc,
                                                                   objects.pdf_name)
    doc = pdfdoc.PDFDocument()
    rng = random.Random(20)
    texts = ["", "/Name", "text (with) \\ parens", "line\nbreak\ttab\r", "1 0 obj\n", "\x18\x1f", "\x00\x7f",
             "é ü", "\u2019", "\u4e00", "A B", "a#b", "Figure", "H1"] + [chr(c) for c in range(0x180)]
    values: list[object] = [0, 1, -3, 600, 1.5, -0.25, 1e-7, 123456.789, True, None, b"\x00raw", *texts,
                            pdfdoc.PDFString("a string"), pdfdoc.PDFArray([1, 2.5, "/N"])]
    values += [rng.uniform(-1000, 1000) for _ in range(200)] + [rng.randint(-10**6, 10**6) for _ in range(200)]
    for value in values:
        assert _outcome(objects.format_object, value, doc) == _outcome(objects._rl_format, value, doc), value
    for text in texts:
        assert _outcome(objects.pdfdoc_enc, text) == _outcome(objects._rl_pdfdoc_enc, text), text
        assert objects.pdf_name(text) == objects._rl_pdf_name(text) == objects.pdf_name(text)


def test_a_subset_made_again_is_the_same_program_deflated_once() -> None:
    import zlib

    from reportlab.pdfbase.ttfonts import TTFontFile

    from pressrun.exporters.pdf.document import _QuickFlate

    face = TTFontFile(str(FONT))
    first_codes, other_codes = [0, *range(32, 127)], [0, 32, *map(ord, "Σελίδα")]
    first = face.makeSubset(first_codes)
    assert first == subsets._rl_make_subset(face, first_codes)
    assert face.makeSubset(other_codes) == subsets._rl_make_subset(face, other_codes)
    again = face.makeSubset(list(first_codes))
    assert again is first
    deflated = _QuickFlate().encode(first)
    assert deflated == zlib.compress(bytes(first), 1) and _QuickFlate().encode(again) is deflated
    for n in range(subsets.PROGRAMS_KEPT + 1):  # the oldest subsets are let go
        face.makeSubset([0, 65 + n])
    assert face.makeSubset(first_codes) is not first


def test_a_jpeg_is_named_after_its_bytes_and_embedded_as_it_is() -> None:
    import hashlib
    import io

    from PIL import Image as PILImage
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from pressrun.exporters.pdf.layout import Picture, _Photo

    def encoded(kind: str) -> bytes:
        out = io.BytesIO()
        PILImage.new("RGB", (40, 30), (200, 30, 60)).save(out, kind)
        return out.getvalue()

    jpeg, png = encoded("JPEG"), encoded("PNG")
    assert _Photo(jpeg).getRGBData() == hashlib.md5(jpeg).digest()
    assert _Photo(png).getRGBData() == ImageReader(io.BytesIO(png)).getRGBData()  # not a JPEG: reportlab's
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=0)
    picture = Picture(jpeg, width=40, height=30)
    picture.drawOn(canvas, 10, 10)
    canvas.showPage()
    canvas.save()
    assert jpeg in buffer.getvalue() and b"/DCTDecode" in buffer.getvalue()


def test_widths_and_ascents_are_reportlab_s_and_follow_a_font_registered_again() -> None:
    from reportlab.pdfbase import pdfmetrics

    from pressrun.exporters.pdf import paragraphs

    rng = random.Random(21)
    words = ["".join(rng.choice(ALPHABET[:60]) for _ in range(rng.randint(0, 9))) for _ in range(300)]
    # Put straight into reportlab's table of fonts: registerFont would also map a font family (process-wide).
    pdfmetrics._fonts["SpeedWidths"] = TTFont("SpeedWidths", str(FONT))
    try:
        for _ in range(2):  # the second time from what was remembered
            for word in words:
                for size in (9, 10.5):
                    expected = pdfmetrics.stringWidth(word, "SpeedWidths", size)
                    assert paragraphs.string_width(word, "SpeedWidths", size) == expected
            assert paragraphs.ascent_descent("SpeedWidths", 10.5) == pdfmetrics.getAscentDescent("SpeedWidths", 10.5)
        pdfmetrics._fonts["SpeedWidths"] = TTFont("SpeedWidths", str(ROOT / "styles" / "fonts" / "DejaVuSansMono.ttf"))
        assert paragraphs.string_width("mmm", "SpeedWidths", 10) == pdfmetrics.stringWidth("mmm", "SpeedWidths", 10)
        assert paragraphs.ascent_descent("SpeedWidths", 10.5) == pdfmetrics.getAscentDescent("SpeedWidths", 10.5)
    finally:
        del pdfmetrics._fonts["SpeedWidths"]
