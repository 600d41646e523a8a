"""Blocks → CommonMark: headings, paragraphs, fenced code, quotes, breaks, figures and nested lists.

A tight list keeps its items and their blocks together (no blank lines), a loose one spaces them. Two lists of
one kind side by side get different markers (``-``/``*``, ``1.``/``1)``), which is what keeps them two lists.
"""

from __future__ import annotations

import re

from pressrun import model
from pressrun.importer.markdown import Context, escape, inline, source_form, title

ListMark = tuple[str, str]  # ("ul", "-") or ("ol", ".")
BULLETS, DELIMITERS = ("-", "*", "+"), (".", ")")


class BlockWriter:
    """``wrap``: the width the source wraps its paragraphs at (None: one line per paragraph)."""

    def __init__(self, ctx: Context, wrap: int | None = None):
        self.ctx, self.wrap = ctx, wrap

    def text(self, blocks: model.Blocks, before: ListMark | None = None, after: ListMark | None = None) -> str:
        """A field's Markdown; ``before``/``after``: the lists next to it in the source, not to be joined."""
        return "\n".join(self.blocks(blocks, tight=False, before=before, after=after))

    def blocks(self, blocks: model.Blocks, tight: bool, before: ListMark | None = None,
               after: ListMark | None = None) -> list[str]:
        lines: list[str] = []
        previous_block: model.Block | None = None
        previous_list = before
        for i, block in enumerate(blocks):
            avoid = {previous_list, after if i == len(blocks) - 1 else None}
            out, mark = self.block(block, avoid)
            if lines and (not tight or _needs_blank(previous_block, block)):
                lines.append("")
            lines.extend(out)
            previous_block, previous_list = block, mark
        return lines

    def block(self, block: model.Block, avoid: set[ListMark | None]) -> tuple[list[str], ListMark | None]:
        if isinstance(block, (model.BulletList, model.OrderedList)):
            return self.list(block, avoid)
        if isinstance(block, model.Paragraph):
            lines = inline(source_form(block.children, self.ctx), self.ctx).split("\n")
            return ([part for line in lines for part in wrap(line, self.wrap)] if self.wrap else lines), None
        if isinstance(block, model.Heading):
            return [self.heading(block)], None
        if isinstance(block, model.CodeBlock):
            return fenced(block.text), None
        if isinstance(block, model.BlockQuote):
            inner = self.blocks(block.children, tight=False)
            return [f"> {line}" if line else ">" for line in inner] or [">"], None
        if isinstance(block, model.Figure):
            return [self.figure(block.image)], None
        return ["***"], None

    def heading(self, node: model.Heading) -> str:
        children = tuple(model.Text(" ") if isinstance(c, model.LineBreak) else c for c in node.children)
        text = inline(source_form(children, self.ctx), self.ctx).replace("\\\n", " ")
        if text.endswith("#"):  # not a closing sequence
            text = text[:-1] + "\\#"
        return "#" * node.level + " " + text

    def figure(self, image: model.Image) -> str:
        src = self.ctx.image_src(image)
        if re.search(r"[\s()<>]", src):
            src = "<" + src + ">"
        caption = f" {title(image.caption)}" if image.caption else ""
        return f"![{escape(image.alt)}]({src}{caption})"

    def list(self, node: model.BulletList | model.OrderedList, avoid: set[ListMark | None]) -> tuple[list[str], ListMark]:
        kind = "ol" if isinstance(node, model.OrderedList) else "ul"
        marker = next(m for m in (DELIMITERS if kind == "ol" else BULLETS) if (kind, m) not in avoid)
        lines: list[str] = []
        for n, item in enumerate(node.items):
            label = f"{node.start + n}{marker}" if isinstance(node, model.OrderedList) else marker
            body = self.blocks(item.children, tight=node.tight)
            if lines and not node.tight:
                lines.append("")
            if not body:
                lines.append(label)
                continue
            pad = " " * (len(label) + 1)
            lines.append(f"{label} {body[0]}" if body[0] else label)
            lines.extend(pad + line if line else "" for line in body[1:])
        return lines, (kind, marker)


def _needs_blank(previous: model.Block | None, block: model.Block) -> bool:
    """Inside a tight list item: blocks that would run together without a blank line."""
    texts = (model.Paragraph, model.Figure)
    if isinstance(previous, texts) and isinstance(block, texts):
        return True
    if isinstance(previous, model.Paragraph) and isinstance(block, (model.BulletList, model.OrderedList)):
        first_empty = not block.items or not block.items[0].children
        return first_empty or (isinstance(block, model.OrderedList) and block.start != 1)
    return False


def wrap(line: str, width: int) -> list[str]:
    """A paragraph's line wrapped at single spaces, as an author wraps Markdown: a line break there reads as the
    space it replaces. A break is never made where the next line would start a block (``-``, ``#``, ``1.``…)
    or after a backslash (a hard break)."""
    out, start, last = [], 0, None
    kept_whole = [m.span() for m in re.finditer(r"\]\(<(?:[^>\\]|\\.)*>\)", line)]  # a <destination> holds no break
    for i, ch in enumerate(line):
        if ch != " " or line[i - 1: i] in (" ", "\\", "") or not _safe_start(line[i + 1: i + 3]):
            continue
        if any(a < i < b for a, b in kept_whole):
            continue
        if i - start > width and last is not None:
            out.append(line[start:last])
            start = last + 1
        last = i
    if len(line) - start > width and last is not None and last > start:
        out.append(line[start:last])
        start = last + 1
    out.append(line[start:])
    return out


def _safe_start(text: str) -> bool:
    return bool(text) and text[0] not in "#>-+*=`~<|[!\\ " and not text[0].isdigit()


def fenced(text: str) -> list[str]:
    longest = max((len(m) for m in re.findall(r"^ {0,3}(`{3,})", text, re.MULTILINE)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text[:-1] if text.endswith("\n") else text
    return [fence, *(body.split("\n") if text else []), fence]
