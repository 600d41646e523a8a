"""The CommonMark spec's list examples through pressrun's reader and the web edition's XHTML (issue 13).

``fixtures/commonmark-lists.json`` holds the 74 examples of the spec's "Lists" and "List items" sections
(CommonMark 0.31.2, CC-BY-SA 4.0). Each example's Markdown goes through ``readers.markdown.BodyConverter``
(the reader every article body goes through) and ``XhtmlRenderer.blocks`` (the web edition and the EPUB),
and must give the spec's HTML after this normalisation, which removes differences that do not change
what a reader sees:

- **White space.** Outside ``<pre>``, every run of white space becomes one space (HTML collapses it), and
  white space next to a block-level tag (``<ul>``, ``<li>``, ``<p>``, ``<h2>``…) is dropped: pressrun
  writes one block per line, the spec puts line breaks elsewhere, and a soft line break is a space in
  pressrun's model. Code keeps its white space exactly.
- **XHTML.** Void elements are self-closed without a space (``<hr/>``, ``<br/>``): the same string is an
  EPUB content document. The spec writes ``<hr />``.
- **Heading ids.** pressrun gives every body heading an ``id`` (the table of contents and in-article links
  point at it); the ids are removed before comparing.
- **Typography.** pressrun sets typographic quotes and dashes on purpose (for the article's language); the
  spec's straight ASCII quotes are compared as the typographic ones English uses. No list example has
  any, so this rule is documented rather than exercised.

Examples that use what pressrun deliberately shows another way are listed in ``DIFFERENT`` with the reason,
and a test checks that each really differs in just that way (so they are neither silently dropped nor
skipped). Every other example must match.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES
from pressrun.readers.markdown import BodyConverter
from pressrun.render.xhtml import UrlPolicy, XhtmlRenderer

SPEC = json.loads((FIXTURES / "commonmark-lists.json").read_text(encoding="utf-8"))
EXAMPLES = {e["example"]: e for e in SPEC["examples"]}

DIFFERENT = {
    300: "`# Foo` becomes a level-2 heading: the headline is the article's only level 1 (README, Source format)",
    308: "raw HTML (`<!-- -->`) is never passed through: pressrun shows it as visible text",
    309: "raw HTML (`<!-- -->`) is never passed through: pressrun shows it as visible text",
}

_BLOCK_TAGS = "ul|ol|li|p|pre|blockquote|h[1-6]|hr|figure|div|section"
_AROUND_BLOCK_TAG = re.compile(rf"\s*(</?(?:{_BLOCK_TAGS})\b[^>]*>)\s*")
_PRE = re.compile(r"(<pre\b[^>]*>.*?</pre>)", re.S)
_HEADING_ID = re.compile(r'(<h[1-6])\s+id="[^"]*"')
_STRAIGHT_QUOTES = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019")}


_TAG = re.compile(r"(<[^>]*>)")


def _typographic(html: str) -> str:
    """Straight quotes in text (not in tags) as English typographic ones: opening after a space or at the
    start of a text, closing elsewhere."""
    pieces = _TAG.split(html)
    for n in range(0, len(pieces), 2):  # odd pieces are tags, attribute quotes included
        text, out = pieces[n], []
        for i, char in enumerate(text):
            if char in _STRAIGHT_QUOTES:
                opening = i == 0 or text[i - 1].isspace() or text[i - 1] in "([{"
                char = _STRAIGHT_QUOTES[char][0 if opening else 1]
            out.append(char)
        pieces[n] = "".join(out)
    return "".join(pieces)


def normalise(html: str, spec: bool = False) -> str:
    """The rules of the module docstring; ``spec``: also apply the ones that map the spec's spelling to ours."""
    html = _HEADING_ID.sub(r"\1", html)
    html = html.replace("<hr />", "<hr/>").replace("<br />", "<br/>")
    pieces = _PRE.split(html)  # odd pieces are <pre> elements: left exactly as they are
    for n in range(0, len(pieces), 2):
        text = re.sub(r"\s+", " ", pieces[n])
        text = _AROUND_BLOCK_TAG.sub(r"\1", text)
        pieces[n] = _typographic(text) if spec else text
    return "".join(pieces).strip()


def pressrun_html(markdown: str) -> str:
    def no_images(src, alt, title, line):
        raise AssertionError("no list example has an image")

    warnings: list[str] = []
    blocks = BodyConverter("en", no_images, lambda message, line: warnings.append(message)).blocks(markdown)
    return XhtmlRenderer(UrlPolicy(image_src=lambda image: image.src)).blocks(blocks)


def test_the_fixture_is_the_spec_list_sections():
    assert len(EXAMPLES) == 74
    assert {e["section"] for e in EXAMPLES.values()} == {"Lists", "List items"}
    assert set(DIFFERENT) <= set(EXAMPLES)


@pytest.mark.parametrize("number", sorted(set(EXAMPLES) - set(DIFFERENT)))
def test_spec_example(number):
    example = EXAMPLES[number]
    assert normalise(pressrun_html(example["markdown"])) == normalise(example["html"], spec=True), example["markdown"]


def test_normalisation_keeps_code_and_what_a_reader_sees():
    assert normalise("<ul>\n<li>\n<p>a\nb</p>\n</li>\n</ul>\n") == "<ul><li><p>a b</p></li></ul>"
    assert normalise("<pre><code>a\n\n  b\n</code></pre>") == "<pre><code>a\n\n  b\n</code></pre>"
    assert normalise('<h2 id="x">T</h2><hr />', spec=True) == "<h2>T</h2><hr/>"
    assert normalise("<p>\"a\" it's</p>", spec=True) == "<p>\u201ca\u201d it\u2019s</p>"
    assert normalise('<ol start="3">', spec=True) == '<ol start="3">'  # attributes keep their quotes
    # Tight and loose stay different: a <p> is never normalised away.
    assert normalise("<li>a</li>") != normalise("<li><p>a</p></li>")


def test_the_examples_shown_differently_differ_only_as_documented():
    """The three examples pressrun shows another way: a `#` heading is level 2, and an HTML comment is text."""
    spec_300 = normalise(EXAMPLES[300]["html"], spec=True)
    assert normalise(pressrun_html(EXAMPLES[300]["markdown"])) == spec_300.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    for number in (308, 309):
        ours = pressrun_html(EXAMPLES[number]["markdown"])
        assert "&lt;!-- --&gt;" in ours and "<!--" not in ours, ours  # visible as text, never passed through
        without_comment = normalise(ours.replace("<p>&lt;!-- --&gt;</p>", ""))
        assert without_comment == normalise(EXAMPLES[number]["html"].replace("<!-- -->", ""), spec=True)
