"""Paragraph markup → reportlab's fragments, without reportlab's parser.

pressrun's paragraph markup has a small, closed vocabulary (``markup``, ``fonts``, ``phrases``, ``tagging``):
``<font face="…">``, ``<a href="…" color="…" underline="1">``, ``<nobr>``, ``<br/>``, the tagging markers
``<onDraw name="tag" label="…"/>`` and the entities ``escape`` writes (``&amp;`` ``&lt;`` ``&gt;`` ``&quot;``).
reportlab reads it back with its ``ParaParser``, an ``HTMLParser`` that copies the fragment on top of its stack
for every tag and every piece of text: a tenth of what the PDF cost above the bare-library floor. ``frags``
makes the very fragments that parser makes (the same attributes, in the same order, the same pieces of text:
an entity is a piece of its own there, so it is here), by the same steps: the text between two tags or
entities is one fragment, a copy of the one on top of the stack with its face resolved (``tt2ps``). Markup with
anything else in it — another tag, another entity, a ``<`` or ``&`` that starts neither — is not guessed at:
``frags`` says None and reportlab parses it. (Checked fragment by fragment against reportlab's parser for every
paragraph of 100 benchmark articles and the four test sources, and for edge cases: entities, whitespace, links.)

Speed (issue 19): reportlab's markup parser is skipped for pressrun's own markup: 10 µs a paragraph instead of 44
(1.3 ms an article of 30), and its cleaning is skipped when there is nothing to clean (``_clean``); a link's colour
is read once (``_color``).
"""

from __future__ import annotations

import functools
import re
from html import unescape
from typing import Any

from reportlab.lib.colors import toColor
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.platypus.paragraph import _wsc, cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, _lineRepeats, known_entities
from reportlab.lib.abag import ABag

# One alternative per piece of the vocabulary; the last catches any other "<" or "&" (a <para> tag too):
# then reportlab parses.
_TOKEN = re.compile(
    r'<font face="([^"<>&]*)">'  # 1: face
    r'|(</font>)'  # 2
    r'|<a href="([^"<>]*)" color="([^"<>&]*)" underline="1">'  # 3: href (escaped), 4: colour
    r'|(</a>)'  # 5
    r'|(<br/>)'  # 6
    r'|<onDraw name="tag" label="(\d*)"/>'  # 7: label
    r'|(<nobr>)'  # 8
    r'|(</nobr>)'  # 9
    r'|&(amp|lt|gt|quot);'  # 10: entity
    r'|([<&])'  # 11: anything else
)
_INTERESTING = re.compile("[<&]")  # where HTMLParser stops a piece of text: a tag or an entity starts there
_ENTITY = {name: known_entities[name] for name in ("amp", "lt", "gt", "quot")}
_new = ParaFrag.__new__


def _copy(frag: ParaFrag) -> ParaFrag:
    """``copy.copy`` of a fragment, as the parser makes it (a new bag with the same attributes, in order)."""
    new = _new(ParaFrag)
    new.__dict__.update(frag.__dict__)
    return new


def frags(markup: str, style: Any, clean: bool = True) -> tuple[str, list[ParaFrag]] | None:
    """(the text ``Paragraph`` keeps, the fragments) for ``markup`` in ``style``, as reportlab's ``Paragraph``
    (``clean``: it first cleans the text, ``cleanBlockQuotedText``) or ``ParaParser.parse`` (not ``clean``)
    would make them; None when the markup has anything this does not read (reportlab is to parse it)."""
    text = _clean(markup) if clean else markup
    if style.textTransform:
        return None  # reportlab transforms the parsed text (pressrun's styles have no transform)
    try:
        return text, _parse(text, style)
    except (_Unread, ValueError):  # ValueError: a face or colour reportlab does not know; its parser says so
        return None


# Whitespace reportlab's cleaning touches, but the single space: what str.split and its _wsc split on.
_ODD_SPACE = re.compile("[" + re.escape("".join(
    sorted(({c for c in map(chr, range(0x3001)) if c.isspace()} | set(_wsc) | {"\xa0"}) - {" "}))) + "]")


def _clean(markup: str) -> str:
    """``cleanBlockQuotedText(markup)`` (runs of whitespace as one space, none at either end), without its
    splitting and joining when there is nothing to clean: no whitespace but single spaces, none at either end."""
    if "  " in markup or markup[:1] == " " or markup[-1:] == " " or _ODD_SPACE.search(markup):
        return cleanBlockQuotedText(markup)
    return markup


@functools.lru_cache(maxsize=64)  # the theme's link colour, read once: reportlab evaluates the text every time
def _color(value: str) -> Any:
    """``toColor(value)``; the same object for every link in that colour (reportlab never changes a colour)."""
    return toColor(value)


class _Unread(Exception):
    """The markup has something ``_parse`` does not read."""


def _parse(text: str, style: Any) -> list[ParaFrag]:
    return _FragReader(style).read(text)


class _FragReader:
    """reportlab's ParaParser, step by step, for pressrun's vocabulary of tags and entities only."""

    def __init__(self, style: Any) -> None:
        # ParaParser.start_para → _initial_frag (no attributes: the style itself).
        base = ParaFrag()
        base.rise = 0
        base.greek = 0
        base.link = []
        base.fontName, base.bold, base.italic = ps2tt(style.fontName)
        base.fontSize = style.fontSize
        base.textColor = style.textColor
        base.us_lines = []
        base.__tag__ = "para"
        self.stack = [base]
        self.out: list[ParaFrag] = []
        self.links = self.lines = 0
        self.underline = (getattr(style, "underlineColor", ""), getattr(style, "underlineWidth", ""),
                          getattr(style, "underlineOffset", ""), getattr(style, "underlineGap", ""))

    def read(self, text: str) -> list[ParaFrag]:
        pos = 0
        search, match = _INTERESTING.search, _TOKEN.match
        while (found := search(text, pos)) is not None:
            start = found.start()
            if start > pos:
                self.data(text[pos:start])
            m = match(text, start)
            pos = m.end()
            self.token(m)
        if pos < len(text):
            self.data(text[pos:])
        if len(self.stack) != 1:
            raise _Unread  # unclosed tags: reportlab's parser reports them
        return self.out

    def token(self, m: re.Match[str]) -> None:
        kind = m.lastindex
        if kind == 1:  # start_font
            frag = self.push("font")
            frag.fontName, frag.bold, frag.italic = ps2tt(m[1])
        elif kind == 2 or kind == 5 or kind == 9:
            self.pop("font" if kind == 2 else "a" if kind == 5 else "nobr")
        elif kind == 4:  # start_a (groups 3 and 4: lastindex 4)
            self.link(m)
        elif kind == 6:  # start_br, end_br
            frag = self.push("br")
            frag._selfClosingTag = "br"
            frag.lineBreak = True
            frag.text = ""
            del frag._selfClosingTag
            self.data("")
            self.stack.pop()
        elif kind == 7:  # start_ondraw
            defn = ABag()
            defn.name = "tag"
            defn.label = m[7]
            defn.kind = "onDraw"
            self.push("ondraw").cbDefn = defn
            self.data("")
            self.stack.pop()
        elif kind == 8:  # start_nobr
            self.push("nobr").nobr = True
        elif kind == 10:  # handle_entityref: a piece of its own
            self.data(_ENTITY[m[10]])
        else:
            raise _Unread

    def link(self, m: re.Match[str]) -> None:
        """_handle_link: link and colour, then the underline (_new_line; the vocabulary's links are all underlined)."""
        link = self.stack[-1].link + [(self.links, unescape(m[3]).strip())]
        color = _color(unescape(m[4]))
        self.links += 1
        frag = self.push("a")
        frag.link = link
        frag.textColor = color
        underline = self.underline
        frag.us_lines = frag.us_lines + [(
            self.lines, "underline",
            getattr(frag, "underlineColor", underline[0]), getattr(frag, "underlineWidth", underline[1]),
            getattr(frag, "underlineOffset", underline[2]), frag.rise,
            _lineRepeats[getattr(frag, "underlineKind", "single")], getattr(frag, "underlineGap", underline[3]),
        )]
        self.lines += 1

    def data(self, piece: str) -> None:  # ParaParser.handle_data
        frag = _copy(self.stack[-1])
        frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
        frag.text = piece
        self.out.append(frag)

    def push(self, tag: str) -> ParaFrag:  # ParaParser._push (the caller sets the attributes)
        frag = _copy(self.stack[-1])
        frag.__tag__ = tag
        self.stack.append(frag)
        return frag

    def pop(self, tag: str) -> None:
        if self.stack.pop().__tag__ != tag:
            raise _Unread
