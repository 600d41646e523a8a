"""CommonMark (markdown-it-py) tokens → model nodes.

Raw HTML is disabled in the parser, so it reaches the model as visible text.
Links that markdown-it refuses (``javascript:``, ``vbscript:``, ``file:``,
``data:``) are likewise kept as their literal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

from pressrun import model
from pressrun.outline import RESERVED_ANCHORS  # ids the layout uses: body headings never take them
from pressrun.language import check_tag, quotes_for
from pressrun.readers.mdtree import TreeNode, tree


# (src, alt, title, line) -> Image, or None when the image is invalid (already reported).
ImageLoader = Callable[[str, str, str | None, int | None], model.Image | None]
# (message, line) -> None
Warn = Callable[[str, int | None], None]


@lru_cache(maxsize=32)
def parser(language: str) -> MarkdownIt:
    """One CommonMark parser per language (typographic quotes depend on it)."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": "".join(quotes_for(language))})
    md.enable(["replacements", "smartquotes"])
    # Bracketed spans with attributes, [phrase]{lang=he}, and nothing else: attributes after links, images or
    # code would change what existing text means.
    md.use(attrs_plugin, spans=True, after=("span_close",))
    return md


class BodyConverter:
    """Converts one Markdown text to blocks, reporting problems through callbacks."""

    def __init__(self, language: str, load_image: ImageLoader, warn: Warn, line_offset: int = 0,
                 error: Warn | None = None):
        self.md = parser(language)
        self.load_image = load_image
        self.warn = warn
        self.error = error or warn
        self.line_offset = line_offset
        self.anchors: set[str] = set(RESERVED_ANCHORS)

    # --- entry points -------------------------------------------------------
    def blocks(self, text: str) -> model.Blocks:
        return tuple(b for node in tree(self.md.parse(text)) for b in self._block(node))

    def inlines(self, text: str) -> model.RichText:
        tokens = self.md.parseInline(text)
        out: list[model.Inline] = []
        for node in tree(tokens):  # the single "inline" node
            out.extend(self._inline_children(node, None))
        return model.merge_text(out)

    # --- blocks -------------------------------------------------------------
    def _line(self, node: TreeNode) -> int | None:
        return node.map[0] + 1 + self.line_offset if node.map else None

    def _block(self, node: TreeNode) -> list[model.Block]:
        kind = node.type
        line = self._line(node)
        if kind == "paragraph":
            return self._paragraph(node.children[0], line)
        if kind == "heading":
            level = int(node.tag[1])
            children = self._inline_children(node.children[0], line)
            if level == 1 or level > 4:
                clamped = 2 if level == 1 else 4
                self.warn(f"heading level {level} is not used in articles; rendered as level {clamped}", line)
                level = clamped
            return [model.Heading(level, model.merge_text(children), self._anchor(children))]
        if kind in ("bullet_list", "ordered_list"):
            items = tuple(self._list_item(c) for c in node.children)
            # markdown-it hides the paragraphs of a tight list: looseness belongs to the list, not the item
            tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
            if kind == "bullet_list":
                return [model.BulletList(items, tight)]
            return [model.OrderedList(items, start=int(node.attrs.get("start", 1)), tight=tight)]
        if kind == "blockquote":
            return [model.BlockQuote(tuple(b for c in node.children for b in self._block(c)))]
        if kind in ("fence", "code_block"):
            language = (node.info or "").split(maxsplit=1)[0] if kind == "fence" and node.info else None
            return [model.CodeBlock(node.content, language or None)]
        if kind == "hr":
            return [model.ThematicBreak()]
        self.warn(f"unsupported Markdown block '{kind}' dropped", line)
        return []

    def _list_item(self, node: TreeNode) -> model.ListItem:
        return model.ListItem(tuple(b for c in node.children for b in self._block(c)))

    def _paragraph(self, inline: TreeNode, line: int | None) -> list[model.Block]:
        """A paragraph; top-level images become figures, splitting the paragraph around them."""
        blocks: list[model.Block] = []
        run: list[model.Inline] = []

        def flush() -> None:
            text = _strip_edges(model.merge_text(run))
            if text:
                blocks.append(model.Paragraph(text))
            run.clear()

        for child in inline.children:
            if child.type == "image":
                image = self._image(child, line)
                if image is not None:
                    flush()
                    blocks.append(model.Figure(image))
                continue
            run.extend(self._inline(child, line))
        flush()
        return blocks

    def _image(self, node: TreeNode, line: int | None) -> model.Image | None:
        alt = _plain(self._inline_children(node, line)).strip()
        return self.load_image(node.attrs.get("src", ""), alt, node.attrs.get("title") or None, line)

    def _anchor(self, children: list[model.Inline]) -> str:
        base = re.sub(r"[^\w]+", "-", _plain(children).lower(), flags=re.UNICODE).strip("-_") or "section"
        if not base[0].isalpha():
            base = "s-" + base
        anchor, n = base, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        return anchor

    # --- inlines ------------------------------------------------------------
    def _inline_children(self, node: TreeNode, line: int | None) -> list[model.Inline]:
        return [i for c in node.children for i in self._inline(c, line)]

    def _inline(self, node: TreeNode, line: int | None) -> list[model.Inline]:
        kind = node.type
        if kind == "text":
            return [model.Text(node.content)] if node.content else []
        if kind == "softbreak":
            return [model.Text(" ")]
        if kind == "hardbreak":
            return [model.LineBreak()]
        if kind == "code_inline":
            return [model.Code(node.content)]
        if kind == "em":
            return [model.Emphasis(model.merge_text(self._inline_children(node, line)))]
        if kind == "strong":
            return [model.Strong(model.merge_text(self._inline_children(node, line)))]
        if kind == "link":
            title = node.attrs.get("title") or None
            return [model.Link(str(node.attrs["href"]), model.merge_text(self._inline_children(node, line)), title)]
        if kind == "span":
            return self._span(node, line)
        if kind == "image":
            alt = _plain(self._inline_children(node, line))
            self.warn("an image inside a link, emphasis or heading cannot be shown; its alt text is used", line)
            return [model.Text(alt)] if alt else []
        self.warn(f"unsupported Markdown inline '{kind}' dropped", line)
        return []


    def _span(self, node: TreeNode, line: int | None) -> list[model.Inline]:
        """``[phrase]{lang=he}`` → a LanguageSpan with the canonical tag; a span without a usable ``lang`` keeps
        its text, unmarked, and says why."""
        children = model.merge_text(self._inline_children(node, line))
        attrs = {str(k): str(v) for k, v in node.attrs.items()}
        ignored = sorted(set(attrs) - {"lang"})
        if ignored:
            self.warn(f"span attribute(s) {', '.join(ignored)} ignored: a [phrase]{{...}} span takes only lang, "
                      "e.g. [שלום]{lang=he} (direction follows from the language)", line)
        if "lang" not in attrs:
            return list(children)
        checked = check_tag(attrs["lang"])
        if checked.error:
            self.error(f"span {{lang={attrs['lang']}}}: {checked.error}", line)
            return list(children)
        if checked.warning:
            self.warn(f"span {{lang={attrs['lang']}}}: {checked.warning}", line)
        return [model.LanguageSpan(checked.tag, children)] if children else []


def _plain(nodes: list[model.Inline] | tuple[model.Inline, ...]) -> str:
    return model.plain_text(nodes)




def _strip_edges(nodes: model.RichText) -> model.RichText:
    """Trim white space left at the edges of a paragraph split around a figure."""
    items = list(nodes)
    while items and isinstance(items[0], model.LineBreak):
        items.pop(0)
    while items and isinstance(items[-1], model.LineBreak):
        items.pop()
    if items and isinstance(items[0], model.Text):
        items[0] = model.Text(items[0].text.lstrip())
    if items and isinstance(items[-1], model.Text):
        items[-1] = model.Text(items[-1].text.rstrip())
    return tuple(i for i in items if not (isinstance(i, model.Text) and not i.text))
