"""The document body as paragraphs: each a style's role, its list level, and its content as styled spans.

Word, LibreOffice and Google Docs split text into runs at will (revision ids, spell-check marks, bookmarks);
here every run becomes spans with the flags Markdown has (bold, italic, code, link), and neighbours with the
same flags are one span. Bold and italic come from the run's character style or from direct formatting (the
toolbar's B and I). A run that names another language than the document's (``w:lang``) is a phrase in that
language (``languages``). Other visible direct formatting (underline, colour, size, superscript…) has no Markdown
equivalent: it is dropped, with one warning per paragraph. Run properties that are not formatting — fonts per
script, direction, proofing — are ignored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pressrun.errors import Problem, Severity
from pressrun.importer import fields, languages
from pressrun.importer.locate import snippet, text_of, top_blocks
from pressrun.importer.numbering import ListLevel, Numbering
from pressrun.importer.package import NS, Package, w
from pressrun.importer.styles import Role, StyleMap, toggle
from pressrun.render.spans import Span

# Visible formatting with no Markdown equivalent; any other run property is not formatting or is handled.
DROPPED = {"u": "underline", "strike": "strikethrough", "dstrike": "strikethrough", "vertAlign": "superscript/subscript",
           "highlight": "highlight", "color": "colour", "shd": "shading", "caps": "capitals", "smallCaps": "small capitals",
           "emboss": "emboss", "imprint": "engrave", "outline": "outline", "shadow": "shadow", "em": "emphasis mark",
           "bdr": "border", "sz": "font size"}
NEUTRAL_VALUES = {"u": "none", "vertAlign": "baseline", "highlight": "none", "color": "auto"}
PARAGRAPH_WIDE = ("sz", "color")  # Google Docs sets both on every run: reported only when they vary in a paragraph
SKIPPED = (w("proofErr"), w("bookmarkEnd"), w("permStart"), w("permEnd"), w("commentRangeStart"), w("commentRangeEnd"),
           w("del"), w("moveFrom"), w("pPr"), w("lastRenderedPageBreak"))
CONTAINERS = (w("smartTag"), w("customXml"), w("ins"), w("moveTo"), w("dir"), w("bdo"))
MEDIA = {b"\x89PNG\r\n\x1a\n": ("image/png", "png"), b"\xff\xd8\xff": ("image/jpeg", "jpg"),
         b"GIF87a": ("image/gif", "gif"), b"GIF89a": ("image/gif", "gif")}


@dataclass(frozen=True)
class Picture:
    """A picture in the text: its bytes (by digest), what they are, and its alt text."""

    digest: str
    alt: str
    media_type: str | None  # None: not JPEG, PNG or GIF
    ext: str
    data: bytes = field(compare=False, repr=False)


Item = Span | Picture


@dataclass
class Para:
    number: int  # the paragraph's place in the document (see ``locate``)
    role: Role | None  # None: a style nothing explains (reported)
    style: str  # the style's display name, for messages
    content: tuple[Item, ...] = ()
    list_level: ListLevel | None = None
    ilvl: int = 0
    bookmarks: tuple[str, ...] = ()
    table: bool = False

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.content if isinstance(i, Span))

    @property
    def pictures(self) -> list[Picture]:
        return [i for i in self.content if isinstance(i, Picture)]

    @property
    def empty(self) -> bool:
        return not self.pictures and not self.text.strip()


@dataclass(frozen=True)
class RunFlags:
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


class BodyReader:
    """Reads one document body into ``Para`` objects; problems go to ``self.problems``."""

    def __init__(self, package: Package, styles: StyleMap, numbering: Numbering, language: str | None = None):
        self.package, self.styles, self.numbering = package, styles, numbering
        self.language = language  # the document's (``languages.document_language``): runs in it are no phrase
        self.rels = package.rels(package.main)
        self.problems: list[Problem] = []
        self._unknown_char_styles: set[str] = set()

    def warn(self, number: int, message: str) -> None:
        self.problems.append(Problem(self.package.shown, message, f"paragraph {number}", severity=Severity.WARNING))

    def error(self, number: int, message: str) -> None:
        self.problems.append(Problem(self.package.shown, message, f"paragraph {number}"))

    def read(self, body: Any) -> list[Para]:
        paras = []
        for number, node in enumerate(top_blocks(body), start=1):
            if node.tag == w("tbl"):
                rows = len(node.findall(w("tr")))
                cells = " / ".join(" | ".join(text_of(tc) for tc in tr.findall(w("tc"))) for tr in node.findall(w("tr")))
                self.warn(number, f"a table ({rows} row(s)) is not imported: articles have no tables; its text: "
                                  f"{snippet(cells, 200)}")
                paras.append(Para(number, None, "table", table=True))
            else:
                paras.append(self.paragraph(node, number))
        return paras

    def paragraph(self, p: Any, number: int) -> Para:
        ppr = p.find(w("pPr"))
        style_node = ppr.find(w("pStyle")) if ppr is not None else None
        sid = style_node.get(w("val")) if style_node is not None else None
        role, direct = self.styles.paragraph(sid)
        name = self.styles.name(sid)
        if role is None or (not direct and role.kind != "body"):
            shown = "a paragraph" if role is None else f"imported as {role.kind.replace('_', ' ')} (the style it is based on)"
            self.warn(number, f"style '{name}' is not one of pressrun's; {shown}")
        level, ilvl = self._list(ppr, sid)
        collector = _Collector(self, number)
        collector.walk(p, RunFlags())
        return Para(number, role, name, tuple(collector.items), level, ilvl, tuple(collector.bookmarks))

    def _list(self, ppr: Any, sid: str | None) -> tuple[ListLevel | None, int]:
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        if numpr is not None and numpr.find(w("numId")) is not None:
            num_id = numpr.find(w("numId")).get(w("val"), "0")
            ilvl_node = numpr.find(w("ilvl"))
            ilvl = int(ilvl_node.get(w("val"), "0")) if ilvl_node is not None else 0
        else:
            found = self.styles.numbering(sid)
            if found is None:
                return None, 0
            num_id, ilvl = found
        return self.numbering.level(num_id, ilvl), ilvl

    def href(self, node: Any) -> str | None:
        rid, anchor = node.get(f"{{{NS['r']}}}id"), node.get(w("anchor"))
        rel = self.rels.get(rid or "")
        url = rel.target if rel is not None and rel.external else None
        if anchor:
            return (url or "") + "#" + anchor
        return url

    def char_flags(self, rpr: Any, base: RunFlags, number: int) -> tuple[RunFlags, set[str]]:
        """The run's flags, and the names of the formatting it drops."""
        bold, italic, code = base.bold, base.italic, False
        dropped: set[str] = set()
        if rpr is None:
            return RunFlags(bold, italic, code, base.href), dropped
        style = rpr.find(w("rStyle"))
        if style is not None:
            sid = style.get(w("val"), "")
            char = self.styles.character(sid)
            bold = char.bold if char.bold is not None else bold
            italic = char.italic if char.italic is not None else italic
            code = char.code
            if not char.known and sid not in self._unknown_char_styles:
                self._unknown_char_styles.add(sid)
                self.warn(number, f"character style '{self.styles.name(sid)}' is not one of pressrun's; only its bold and italic are kept")
        bold = _or(toggle(rpr.find(w("b"))), bold)
        italic = _or(toggle(rpr.find(w("i"))), italic)
        for child in rpr:
            local = child.tag.rpartition("}")[2]
            if local in DROPPED and _visible(local, child) and not (base.href and local in ("u", "color")):
                # a size or colour is judged per paragraph: the same on every run is the paragraph's look, not emphasis
                dropped.add(f"{DROPPED[local]}={child.get(w('val'))}" if local in PARAGRAPH_WIDE else DROPPED[local])
        return RunFlags(bold, italic, code, base.href), dropped

    def picture(self, drawing: Any, number: int) -> Picture | None:
        blip = drawing.find(".//a:blip", NS)
        doc_pr = drawing.find(".//wp:docPr", NS)
        alt = ((doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else "").strip()
        if blip is None:
            self.warn(number, "a shape, chart or text box is not imported: " + (snippet(text_of(drawing)) or "(no text)"))
            return None
        rel = self.rels.get(blip.get(f"{{{NS['r']}}}embed") or "")
        if rel is None or rel.external or not self.package.has(rel.target):
            self.error(number, "a linked (not embedded) picture cannot be imported; insert the picture into the document")
            return None
        data = self.package.blob(rel.target)
        media_type, ext = next(((t, e) for magic, (t, e) in MEDIA.items() if data.startswith(magic)), (None, rel.target.rpartition(".")[2]))
        return Picture(hashlib.sha256(data).hexdigest(), alt, media_type, ext, data)


def _or(value: bool | None, default: bool) -> bool:
    return default if value is None else value


def _visible(local: str, node: Any) -> bool:
    value = node.get(w("val"), "")
    if local == "shd":
        return node.get(w("fill"), "auto") not in ("auto", "FFFFFF", "ffffff") or value not in ("clear", "nil", "")
    if local in NEUTRAL_VALUES:
        return value != NEUTRAL_VALUES[local]
    return local in ("sz", "bdr") or toggle(node) is not False


class _Collector:
    """Walks one paragraph's content in order, turning runs into spans and pictures."""

    def __init__(self, reader: BodyReader, number: int):
        self.reader, self.number = reader, number
        self.items: list[Item] = []
        self.bookmarks: list[str] = []
        self.fields = fields.FieldStack()
        self.dropped: set[str] = set()
        self.text_runs = 0
        self.wide: dict[str, list[str]] = {}  # a paragraph-wide property → its value on each text run that has it

    def add(self, text: str, flags: RunFlags, names: dict[str, str] | None = None) -> None:
        """``text`` with ``flags``; ``names``: the languages its run names (``languages.named``)."""
        if not text:
            return
        if names:
            for piece, language in languages.segments(text, names, self.reader.language):
                self.add_span(piece, flags, language)
            return
        self.add_span(text, flags, None)

    def add_span(self, text: str, flags: RunFlags, language: str | None) -> None:
        if flags.code and (flags.bold or flags.italic) and not flags.href:
            self.dropped.add("bold or italic on inline code")
            flags = RunFlags(code=True)
        if flags.code and flags.href:
            self.dropped.add("inline code inside a link")
            flags = RunFlags(flags.bold, flags.italic, False, flags.href)
        last = self.items[-1] if self.items else None
        span = Span(text, flags.bold, flags.italic, flags.code, flags.href, None if flags.code else language)
        if isinstance(last, Span) and not last.is_break and last.style() == span.style():
            self.items[-1] = last.styled(last.text + text)
        else:
            self.items.append(span)

    def line_break(self) -> None:
        self.items.append(Span("\n"))

    def walk(self, node: Any, flags: RunFlags) -> None:
        for child in node:
            tag = child.tag
            if tag == w("r"):
                self.run(child, flags)
            elif tag == w("hyperlink"):
                self.walk(child, RunFlags(flags.bold, flags.italic, False, self.reader.href(child) or flags.href))
            elif tag == w("fldSimple"):
                href = fields.hyperlink_target(child.get(w("instr"), ""))
                self.walk(child, RunFlags(flags.bold, flags.italic, False, href or flags.href))
            elif tag == w("bookmarkStart"):
                self.bookmarks.append(child.get(w("name"), ""))
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.walk(content, flags)
            elif tag in CONTAINERS:
                self.walk(child, flags)
            elif tag == f"{{{NS['mc']}}}AlternateContent":
                choice = child.find("mc:Choice", NS)
                if choice is not None:
                    self.walk(choice, flags)
        if node.tag == w("p"):
            self.report()

    def report(self) -> None:
        for name, values in self.wide.items():  # (a link's colour is the link's: only sizes must cover every run)
            if len(set(values)) > 1 or (name == DROPPED["sz"] and len(values) < self.text_runs):
                self.dropped.add(name)
        if self.dropped:
            self.reader.warn(self.number, f"{', '.join(sorted(self.dropped))} dropped: Markdown has no equivalent "
                                          "(bold, italic, code and links are kept)")

    def run(self, r: Any, flags: RunFlags) -> None:
        own, dropped = self.reader.char_flags(r.find(w("rPr")), flags, self.number)
        rpr = r.find(w("rPr"))
        if rpr is not None and toggle(rpr.find(w("vanish"))):
            self.reader.warn(self.number, f"hidden text dropped: {snippet(text_of(r))}")
            return
        names = languages.named(rpr)
        for child in r:
            self.run_child(child, own, dropped, names)

    def run_child(self, child: Any, own: RunFlags, dropped: set[str], names: dict[str, str]) -> None:
        tag = child.tag
        if tag in (w("fldChar"), w("instrText")):
            self.fields.feed(child)
            return
        if not self.fields.visible:
            return
        flags = RunFlags(own.bold, own.italic, own.code, self.fields.href or own.href) if self.fields.href else own
        if tag == w("t"):
            self.text_runs += 1
            for entry in dropped:
                name, equals, value = entry.partition("=")
                if equals:
                    self.wide.setdefault(name, []).append(value)
                else:
                    self.dropped.add(entry)
            self.add(child.text or "", flags, names)
        elif tag in (w("tab"), w("ptab")):
            self.add("\t", flags, names)
        elif tag in (w("br"), w("cr")):
            if child.get(w("type"), "textWrapping") == "textWrapping":
                self.line_break()
        elif tag == w("noBreakHyphen"):
            self.add("\u2011", flags, names)
        elif tag == w("softHyphen"):
            self.add("\u00ad", flags, names)
        elif tag == w("sym"):
            self.add(chr(int(child.get(w("char"), "20"), 16)), flags, names)
        elif tag == w("drawing"):
            picture = self.reader.picture(child, self.number)
            if picture is not None:
                self.items.append(picture)
        elif tag in (w("pict"), w("object")):
            self.reader.warn(self.number, "an embedded object or old-style picture is not imported; insert it as a picture")
        elif tag in (w("footnoteReference"), w("endnoteReference")):
            self.reader.warn(self.number, "a footnote or endnote is not imported: articles have none; move its text into the paragraph")
