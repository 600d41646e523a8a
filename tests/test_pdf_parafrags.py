"""parafrags makes the fragments reportlab's parser makes, for pressrun's markup and for anything it falls back on;
same_frag and string_width answer as reportlab's own (issue 19: the PDF's bytes do not change)."""

import itertools
import random

import pytest
from reportlab.lib.abag import ABag
from reportlab.lib.colors import HexColor, black
from reportlab.lib.rl_accel import sameFrag as c_same_frag
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from pressrun.exporters.pdf import paragraphs
from pressrun.exporters.pdf.fonts import FontRegistry
from pressrun.exporters.pdf.parafrags import _clean, frags
from pressrun.exporters.pdf.styles import Stacks, Styles
from pressrun.theme import load_theme

from conftest import ROOT


def _norm(v):
    if isinstance(v, ABag):
        return (type(v).__name__, [(k, _norm(x)) for k, x in v.__dict__.items()])
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [_norm(x) for x in v])
    return (type(v).__name__, repr(v))


@pytest.fixture(scope="module")
def styles():
    theme = load_theme(ROOT / "styles")
    return Styles(theme, Stacks.of(FontRegistry(), theme), "en")


F = "DejaVuSerif"
CASES = [
    "plain text", "  lead and trail  ", "a  b\n\n c \t d", "nb\xa0sp  x\xa0 y", "thin\u2009space\u3000ideo \u200b zw",
    "AT&amp;T &lt;tag&gt; &quot;q&quot;", "&amp;", "x&amp;", "&amp;y", "", " ", "\n", "a\nb",
    f'<font face="{F}-Bold">bold</font> <font face="{F}-Italic">it &amp; x</font>',
    "a<br/>b<br/><br/>c", "<br/>", '<nobr><font face="DejaVuSans">hy\u00adphen</font></nobr> z',
    '<onDraw name="tag" label="3"/><a href="https://x.org/?a=1&amp;b=2 " color="#0b4f8a" underline="1">'
    f'<font face="{F}-Bold">l</font> k</a><onDraw name="tag" label=""/>',
    '<a href="#x" color="#0b4f8a" underline="1">one</a> <a href="#y" color="#0b4f8a" underline="1">two '
    '<font face="DejaVuSans">three</font></a>',
    f'<font face="{F}">a</font><font face="{F}">b</font>', '<a href="a&quot;b&lt;c" color="blue" underline="1">q</a>',
]
ELSEWHERE = ["bad <b>tag</b>", "a & b", "&nbsp;", "<para>x</para>", "&#65;", '<font face="NoSuchFont">x</font>']


@pytest.mark.parametrize("markup", CASES)
def test_the_fragments_are_reportlabs(styles, markup):
    for style in (styles.body, styles.headline, styles.code, styles.quote):
        ours = frags(markup, style)
        theirs = Paragraph(markup, style)
        assert ours is not None and ours[0] == theirs.text
        assert [_norm(f) for f in ours[1]] == [_norm(f) for f in theirs.frags]
        raw = frags(markup, style, clean=False)  # the complex path parses without cleaning
        assert raw is not None and [_norm(f) for f in raw[1]] == [_norm(f) for f in ParaParser().parse(markup, style)[1]]


@pytest.mark.parametrize("markup", ELSEWHERE)
def test_anything_else_is_left_to_reportlab(styles, markup):
    assert frags(markup, styles.body) is None


def test_cleaning_is_reportlabs():
    rng = random.Random(2)
    alphabet = [*"ab<&;", " ", " ", " ", "\n", "\t", "\xa0", "\u200b", "\u2009", "\u3000", "\x1c", "\x85", "\r", "é"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert _clean(text) == cleanBlockQuotedText(text), repr(text)


def test_same_frag_answers_as_reportlabs():
    values = {"fontName": ["A", "B"], "fontSize": [10, 10.0, 11], "textColor": [black, HexColor("#000000"), HexColor("#0b4f8a")],
              "rise": [0, 1], "us_lines": [[], [(0, "underline")]], "link": [[], [(0, "x")]], "backColor": [None, black],
              "nobr": [True, None], "cbDefn": [ABag(kind="onDraw")], "lineBreak": [True]}
    rng = random.Random(1)
    common = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link")
    bags = [ParaFrag(**{k: rng.choice(v) for k, v in values.items() if rng.random() < (0.8 if k in common else 0.15)})
            for _ in range(150)]
    for f, g in itertools.product(bags, bags):
        assert paragraphs.same_frag(f, g) == bool(c_same_frag(f, g))


def test_a_space_is_measured_as_reportlab_does(styles):
    for font in (styles.body.fontName, styles.headline.fontName, "Helvetica"):
        for size in (9, 10.5, 12):
            assert paragraphs.string_width(" ", font, size) == stringWidth(" ", font, size)
            assert paragraphs.string_width("a word", font, size) == stringWidth("a word", font, size)
