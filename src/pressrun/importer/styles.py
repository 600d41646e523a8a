"""What a style means: paragraph styles as the article's parts and blocks, character styles as Markdown flags.

A style is found by its id (Word keeps ids when it localises display names), then by its display name
(LibreOffice renames some ids on saving: ``BodyText`` becomes ``TextBody``, ``Caption`` ``Caption1``,
``Hyperlink`` ``InternetLink``), then among the common styles of Word, LibreOffice and Google Docs, and
last through the chain of styles it is based on. A style found only through that chain is reported once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pressrun.exporters.docx import styles as S
from pressrun.importer.package import w


@dataclass(frozen=True)
class Role:
    """What a paragraph is: ``kind`` (a part of the article or a kind of block) and, for headings and list
    continuations, a ``level``. ``pressrun`` is true for pressrun's own styles."""

    kind: str
    level: int = 0
    pressrun: bool = False


_OWN: dict[str, Role] = {
    S.KICKER: Role("kicker"), S.HEADLINE: Role("headline"), S.STANDFIRST: Role("standfirst"), S.BYLINE: Role("byline"),
    S.DATELINE: Role("dateline"), S.DATE: Role("date"), S.FIGURE: Role("figure"), S.CAPTION: Role("caption"),
    S.CREDIT: Role("credit"), S.WHY_HEADING: Role("why_heading"), S.WHY_BODY: Role("why"),
    S.TAKEAWAYS_HEADING: Role("takeaways_heading"), S.TAKEAWAY: Role("takeaway"), S.BODY: Role("body"),
    S.LIST_ITEM: Role("list"), S.LIST_ITEM_SPACED: Role("list_spaced"), S.QUOTE: Role("quote"), S.CODE: Role("code"),
    S.SEPARATOR: Role("separator"), S.HEADER: Role("furniture"), S.FOOTER: Role("furniture"),
    S.CORRECTION: Role("correction"),
    **{sid: Role("heading", level) for level, sid in S.HEADINGS.items()},
    **{sid: Role("list_continue", n) for n, sid in enumerate(S.LIST_CONTINUE)},
}
# "Normal" is in the catalogue but is any tool's default: a paragraph in it is text of whatever part it is in.
OWN = {**{sid: Role(r.kind, r.level, True) for sid, r in _OWN.items()}, "Normal": Role("body")}

# Styles of other tools, by normalised id or name.
_FOREIGN: dict[str, Role] = {
    "title": Role("headline"), "subtitle": Role("standfirst"), "caption": Role("caption"),
    **{f"heading{n}": Role("heading", n) for n in range(1, 10)},
    **{k: Role("quote") for k in ("quote", "intensequote", "quotations", "blocktext", "blockquote")},
    **{k: Role("code") for k in ("preformattedtext", "htmlpreformatted", "sourcecode", "plaintext", "code")},
    **{k: Role("body") for k in ("normal", "bodytext", "textbody", "firstparagraph", "compact", "nospacing",
                                 "normalweb", "standard", "default", "bodytextfirstindent")},
    **{k: Role("list") for k in ("listparagraph", "listbullet", "listnumber", "list", "listcontinue")},
    "horizontalline": Role("separator"),
}
_LIST_NAME = re.compile(r"^list(bullet|number|paragraph)?\d*$")


@dataclass(frozen=True)
class CharStyle:
    bold: bool | None = None  # None: the style says nothing
    italic: bool | None = None
    code: bool = False
    known: bool = True


_CHAR_OWN = {S.STRONG: CharStyle(True), S.EMPHASIS: CharStyle(None, True), S.STRONG_EMPHASIS: CharStyle(True, True),
             S.INLINE_CODE: CharStyle(code=True), S.HYPERLINK: CharStyle(), "DefaultParagraphFont": CharStyle()}
_CHAR_FOREIGN = {
    "strong": CharStyle(True), "emphasis": CharStyle(None, True), "strongemphasis": CharStyle(True, True),
    **{k: CharStyle(code=True) for k in ("sourcetext", "htmlcode", "verbatimchar", "codechar", "inlinecode", "htmlkeyboard")},
    **{k: CharStyle() for k in ("hyperlink", "internetlink", "followedhyperlink", "visitedinternetlink", "commentreference",
                                "footnotereference", "endnotereference", "pagenumber", "linenumber", "placeholdertext",
                                "defaultparagraphfont")},
}


def normalise(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


_OWN_BY_NAME = {normalise(spec.name): spec.id for spec in S.CATALOGUE}


class StyleMap:
    """The styles part of one document, answering what its paragraph and character styles mean."""

    def __init__(self, styles_root: Any):
        self.styles: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        for node in (styles_root.iter(w("style")) if styles_root is not None else ()):
            sid = node.get(w("styleId"), "")
            self.styles[sid] = node
            if node.get(w("type")) == "paragraph" and node.get(w("default")) in ("1", "true", "on"):
                self.default_paragraph = sid

    def name(self, sid: str | None) -> str:
        node = self.styles.get(sid or "")
        name = node.find(w("name")) if node is not None else None
        return name.get(w("val"), sid) if name is not None else (sid or "Normal")

    def _based_on(self, sid: str) -> str | None:
        node = self.styles.get(sid)
        based = node.find(w("basedOn")) if node is not None else None
        return based.get(w("val")) if based is not None else None

    def paragraph(self, sid: str | None) -> tuple[Role | None, bool]:
        """(the role, whether it was found directly); (None, False) for a style nothing explains."""
        seen: set[str] = set()
        current, direct = sid or self.default_paragraph or "Normal", True
        while current and current not in seen:
            seen.add(current)
            role = self._paragraph_role(current)
            if role is not None:
                return role, direct
            current, direct = self._based_on(current), False
        return None, False

    def _paragraph_role(self, sid: str) -> Role | None:
        if sid in OWN:
            return OWN[sid]
        name = normalise(self.name(sid))
        if name in _OWN_BY_NAME:
            return OWN[_OWN_BY_NAME[name]]
        for key in (normalise(sid), name):
            if key in _FOREIGN:
                return _FOREIGN[key]
            if _LIST_NAME.match(key):
                return Role("list")
        return None

    def character(self, sid: str) -> CharStyle:
        """The Markdown flags of a character style; an unknown one keeps the bold and italic it defines."""
        if sid in _CHAR_OWN:
            return _CHAR_OWN[sid]
        for key in (normalise(self.name(sid)), normalise(sid)):
            if key in _CHAR_FOREIGN:
                return _CHAR_FOREIGN[key]
        bold = italic = None
        current, seen = sid, set()
        while current and current not in seen:
            seen.add(current)
            rpr = self.styles[current].find(w("rPr")) if current in self.styles else None
            if rpr is not None:
                bold = toggle(rpr.find(w("b"))) if bold is None else bold
                italic = toggle(rpr.find(w("i"))) if italic is None else italic
            current = self._based_on(current)
        return CharStyle(bold, italic, known=False)

    def numbering(self, sid: str | None) -> tuple[str, int] | None:
        """The (numId, level) a paragraph style puts its paragraphs in (Word's "List Bullet" does), if any."""
        current, seen = sid or self.default_paragraph, set()
        while current and current not in seen:
            seen.add(current)
            node = self.styles.get(current)
            numpr = node.find(f"{w('pPr')}/{w('numPr')}") if node is not None else None
            if numpr is not None and numpr.find(w("numId")) is not None:
                level = numpr.find(w("ilvl"))
                return numpr.find(w("numId")).get(w("val"), "0"), int(level.get(w("val"), "0")) if level is not None else 0
            current = self._based_on(current)
        return None


def toggle(node: Any) -> bool | None:
    """A toggle property (``w:b``, ``w:i``): None when absent, else on unless its value says off."""
    if node is None:
        return None
    return node.get(w("val"), "true").lower() not in ("0", "false", "off", "none")
