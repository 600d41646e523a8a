"""pressrun's model → CommonMark that pressrun's reader reads back as the same model.

Text is escaped exactly: Markdown punctuation, line-start constructs (``#``, ``>``, ``-``, ``1.``…), and the
characters pressrun's typography would change (straight quotes, ``--``, ``...``, ``(c)``), so what the DOCX
shows is what the article says. Each paragraph's inline Markdown is read back with pressrun's own reader, and
the first spelling that gives the same nodes is kept (``*``/``**`` or ``_``/``__`` for emphasis, ``<url>`` or
``[url](url)`` for a bare link); a paragraph no spelling can express is kept closest and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pressrun import model

ALWAYS = set("\\`*_[]<\"'")
RUNS = {"-": 2, ".": 2, ",": 2, "?": 4, "!": 4}  # runs typography rewrites ("--" → "–", "..." → "…")
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
SCOPED = re.compile(r"\((?:c|r|tm)\)", re.IGNORECASE)
LINE_START = re.compile(r"^(?:[#>=+\-]|~~~|\d{1,9}[.)](?=[ \t]|$))")
AUTOLINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*$")
VARIANTS = (("*", "**", True), ("_", "__", True), ("*", "**", False), ("_", "__", False), ("*", "__", True), ("_", "**", True))


def escape(text: str) -> str:
    """Text with every character Markdown or typography would change escaped."""
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in ALWAYS:
            out.append("\\" + ch)
        elif ch in RUNS and _in_run(text, i, ch, RUNS[ch]):
            out.append("\\" + ch)
        elif ch == "+" and i + 1 < n and text[i + 1] == "-":
            out.append("\\+")
        elif ch == "&" and ENTITY.match(text, i):
            out.append("\\&")
        elif ch == "(" and SCOPED.match(text, i):
            out.append("\\(")
        elif ch == "!" and i + 1 < n and text[i + 1] == "[":
            out.append("\\!")
        else:
            out.append(ch)
    return "".join(out)


def _in_run(text: str, i: int, ch: str, length: int) -> bool:
    start = i
    while start > 0 and text[start - 1] == ch:
        start -= 1
    end = i
    while end < len(text) and text[end] == ch:
        end += 1
    return end - start >= length


def escape_line_start(line: str) -> str:
    """A line of a paragraph that would otherwise start a heading, quote, list, fence or setext underline."""
    match = LINE_START.match(line)
    if match is None or line.startswith("\\"):
        return line
    token = match.group()
    if token[0].isdigit():
        return token[:-1] + "\\" + token[-1] + line[len(token):]
    return "\\" + line


@dataclass
class Context:
    """How links and pictures are written, and pressrun's inline reader for checking a spelling."""

    href: Callable[[str], str] = lambda h: h
    # A phrase's language as the source spells it (``pt-BR`` for the ``pt`` read); None: the article's own, no span.
    language: Callable[[str], str | None] = lambda t: t
    image_src: Callable[[model.Image], str] = lambda i: i.src
    parse: Callable[[str], model.RichText] | None = None
    valid_link: Callable[[str], bool] = lambda h: True
    inexact: list[str] = field(default_factory=list)  # text of paragraphs no spelling expresses exactly


def source_form(nodes: model.RichText, ctx: Context) -> model.RichText:
    """The inline nodes with links as the source writes them (relative again, anchors by name), and phrases'
    languages as it spells them; links that pressrun would refuse (``javascript:``…), and phrases in the article's
    own language, become their text."""
    out: list[model.Inline] = []
    for node in nodes:
        if isinstance(node, model.Link):
            href = ctx.href(node.href)
            children = source_form(node.children, ctx)
            if ctx.valid_link(href):
                out.append(model.Link(href, children))
            else:
                out.extend(children)
        elif isinstance(node, model.LanguageSpan):
            tag, children = ctx.language(node.language), source_form(node.children, ctx)
            out.extend([model.LanguageSpan(tag, children)] if tag else children)
        elif isinstance(node, (model.Strong, model.Emphasis)):
            out.append(replace(node, children=source_form(node.children, ctx)))
        else:
            out.append(node)
    return model.merge_text(out)




def inline(nodes: model.RichText, ctx: Context) -> str:
    """Inline Markdown for ``nodes`` (already in source form), each line safe at the start of a paragraph line.

    When no spelling reads back as ``nodes`` (bold that CommonMark cannot open between a letter and a quote
    mark, say), the paragraph is written without its bold and italic, and reported."""
    found = _spell(nodes, ctx)
    if found is not None:
        return found
    ctx.inexact.append(model.plain_text(nodes))
    plain = _without_emphasis(nodes)
    return _spell(plain, ctx) or _render(plain, VARIANTS[0])


def _render(nodes: model.RichText, variant: tuple[str, str, bool]) -> str:
    em, strong, autolinks = variant
    return "\\\n".join(escape_line_start(line) for line in _Inline(em, strong, autolinks).render(nodes).split("\\\n"))


def _spell(nodes: model.RichText, ctx: Context) -> str | None:
    for variant in VARIANTS:
        text = _render(nodes, variant)
        if ctx.parse is None or ctx.parse(text) == nodes:
            return text
    return None


def _without_emphasis(nodes: model.RichText) -> model.RichText:
    out: list[model.Inline] = []
    for node in nodes:
        if isinstance(node, (model.Strong, model.Emphasis)):
            out.extend(_without_emphasis(node.children))
        elif isinstance(node, (model.Link, model.LanguageSpan)):
            out.append(replace(node, children=_without_emphasis(node.children)))
        else:
            out.append(node)
    return model.merge_text(out)


class _Inline:
    def __init__(self, em: str, strong: str, autolinks: bool):
        self.em, self.strong, self.autolinks = em, strong, autolinks

    def render(self, nodes: model.RichText) -> str:
        return "".join(self.node(n) for n in nodes)

    def node(self, node: model.Inline) -> str:
        if isinstance(node, model.Text):
            return escape(node.text)
        if isinstance(node, model.LineBreak):
            return "\\\n"
        if isinstance(node, model.Code):
            return code_span(node.text)
        if isinstance(node, model.Emphasis):
            return self.em + self.render(node.children) + self.em
        if isinstance(node, model.Strong):
            return self.strong + self.render(node.children) + self.strong
        if isinstance(node, model.LanguageSpan):
            return f"[{self.render(node.children)}]{{lang={node.language}}}"
        return self.link(node)

    def link(self, node: model.Link) -> str:
        text = model.plain_text(node.children)
        if self.autolinks and node.children == (model.Text(node.href),) and AUTOLINK.match(node.href) and ">" not in text:
            return f"<{node.href}>"
        return f"[{self.render(node.children)}]({link_destination(node.href)})"


def code_span(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip(" "))
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"


def link_destination(href: str) -> str:
    if href and not re.search(r"[\s<>]", href) and _balanced(href):
        return href.replace("\\", "\\\\")
    return "<" + re.sub(r"([<>\\])", r"\\\1", href) + ">"


def _balanced(href: str) -> bool:
    depth = 0
    for ch in href:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def title(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", text) + '"'
