"""The PDF exporter's per-process caches give what the uncached code gave, and callers cannot spoil them."""

from __future__ import annotations

from pressrun.exporters.pdf.preflight import PRINTED_LABELS, printed_labels
from pressrun.labels import Labels


def test_printed_labels_are_worded_once_and_handed_out_as_fresh_lists() -> None:
    first = printed_labels(Labels(), "en", "en")
    first.clear()  # a caller's change must not reach the next article
    again = printed_labels(Labels(), "en", "en")
    assert [field for field, _, _ in again] == [f"labels.{name}" for name in PRINTED_LABELS]
    assert again is not printed_labels(Labels(), "en", "en")


def test_runs_in_the_style_s_own_font_lose_only_their_font_tag() -> None:
    from pressrun.exporters.pdf.paragraphs import _in_own_font

    markup = ('<font face="Serif">a &amp; b </font><a href="#x"><font face="Serif">link</font></a>'
              '<font face="Serif-Bold">bold</font><onDraw name="tag" label=""/><font face="Mono">code</font>')
    assert _in_own_font(markup, "Serif") == (
        'a &amp; b <a href="#x">link</a><font face="Serif-Bold">bold</font><onDraw name="tag" label=""/>'
        '<font face="Mono">code</font>')
    assert _in_own_font(markup, "Sans") == markup
