"""The one XHTML rendering of the model, shared by the web edition, EPUB and feed content.

Output is well-formed XML *and* valid HTML5 (void elements self-closed, every
attribute quoted), so the same string serves an EPUB content document and a
web page. URLs are decided by the caller through :class:`UrlPolicy`: the web
edition uses relative paths, EPUB its package paths, feeds absolute URLs.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from pressrun import model
from pressrun.text import FORBIDDEN
from pressrun.render import outline, wording
from pressrun.render.dispatch import NodeVisitor
from pressrun.theme import Labels


def esc(text: str) -> str:
    """Escape for XML text and attributes, dropping characters XML 1.0 forbids."""
    return html.escape(FORBIDDEN.sub("", text), quote=True)


def _identity(href: str) -> str:
    return href


@dataclass(frozen=True)
class UrlPolicy:
    """Where links and images point, for one kind of output."""

    image_src: Callable[[model.Image], str]
    link_href: Callable[[str], str] = _identity
    id_prefix: str = ""  # keeps ids unique when several articles share one document
    # In-article links ("#x") stay "#<id_prefix>x" unless set; feeds set it to
    # point at the web page's anchor, since a feed reader has no such id.
    fragment_href: Callable[[str], str] | None = None

    def anchor(self, name: str) -> str:
        return self.id_prefix + name


class XhtmlRenderer(NodeVisitor):
    """``code_label``: render code blocks as keyboard-reachable, named scroll regions (see ``visit_CodeBlock``)."""

    def __init__(self, urls: UrlPolicy, code_label: str | None = None):
        self.urls = urls
        self.code_label = code_label
        self.code_blocks = 0  # numbers the regions, so each has its own name

    # --- inlines --------------------------------------------------------------
    def inlines(self, nodes: model.RichText) -> str:
        return "".join(self.visit(n) for n in nodes)

    def visit_Text(self, node: model.Text) -> str:
        return esc(node.text)

    def visit_Emphasis(self, node: model.Emphasis) -> str:
        return f"<em>{self.inlines(node.children)}</em>"

    def visit_Strong(self, node: model.Strong) -> str:
        return f"<strong>{self.inlines(node.children)}</strong>"

    def visit_Code(self, node: model.Code) -> str:
        return f"<code>{esc(node.text)}</code>"

    def visit_Link(self, node: model.Link) -> str:
        href = node.href
        if href.startswith("#"):
            if self.urls.fragment_href is not None:
                href = self.urls.fragment_href(href[1:])
            else:
                href = "#" + self.urls.anchor(href[1:])
        else:
            href = self.urls.link_href(href)
        title = f' title="{esc(node.title)}"' if node.title else ""
        return f'<a href="{esc(href)}"{title}>{self.inlines(node.children)}</a>'

    def visit_LineBreak(self, node: model.LineBreak) -> str:
        return "<br/>"

    # --- blocks ---------------------------------------------------------------
    def blocks(self, blocks: model.Blocks | tuple[model.Block, ...]) -> str:
        return "\n".join(self.visit(b) for b in blocks)

    def visit_Paragraph(self, node: model.Paragraph) -> str:
        return f"<p>{self.inlines(node.children)}</p>"

    def visit_Heading(self, node: model.Heading) -> str:
        return f'<h{node.level} id="{esc(self.urls.anchor(node.anchor))}">{self.inlines(node.children)}</h{node.level}>'

    def visit_ListItem(self, node: model.ListItem) -> str:
        # A "tight" item of one paragraph renders without <p>, as readers expect.
        if len(node.children) == 1 and isinstance(node.children[0], model.Paragraph):
            return f"<li>{self.inlines(node.children[0].children)}</li>"
        return f"<li>{self.blocks(node.children)}</li>"

    def visit_BulletList(self, node: model.BulletList) -> str:
        return "<ul>\n" + "\n".join(self.visit(i) for i in node.items) + "\n</ul>"

    def visit_OrderedList(self, node: model.OrderedList) -> str:
        start = f' start="{node.start}"' if node.start != 1 else ""
        return f"<ol{start}>\n" + "\n".join(self.visit(i) for i in node.items) + "\n</ol>"

    def visit_BlockQuote(self, node: model.BlockQuote) -> str:
        return f"<blockquote>\n{self.blocks(node.children)}\n</blockquote>"

    def visit_CodeBlock(self, node: model.CodeBlock) -> str:
        cls = f' class="language-{esc(node.language)}"' if node.language else ""
        return f"<pre{self._code_region(node)}><code{cls}>{esc(node.text)}</code></pre>"

    def _code_region(self, node: model.CodeBlock) -> str:
        """Attributes that make a code block that scrolls sideways usable from the keyboard (WCAG 2.1.1).

        A ``<pre>`` is not focusable, so a keyboard user could never scroll it: ``tabindex="0"`` puts it in
        the tab order, and a focusable element needs a role and a name for a screen reader to announce what
        received focus. Pages decide whether code scrolls (the web edition), so only they ask for this;
        e-books wrap code lines instead, and feed readers drop such attributes.
        """
        if self.code_label is None:
            return ""
        self.code_blocks += 1
        name = f"{self.code_label} {self.code_blocks}" + (f" ({node.language})" if node.language else "")
        return f' tabindex="0" role="region" aria-label="{esc(name)}"'

    def visit_ThematicBreak(self, node: model.ThematicBreak) -> str:
        return "<hr/>"

    def visit_Figure(self, node: model.Figure) -> str:
        return self.figure(node.image)

    def figure(self, image: model.Image, figure_id: str | None = None) -> str:
        ident = f' id="{esc(self.urls.anchor(figure_id))}"' if figure_id else ""
        img = (
            f'<img src="{esc(self.urls.image_src(image))}" alt="{esc(image.alt)}" '
            f'width="{image.width}" height="{image.height}"/>'
        )
        parts = []
        if image.caption:
            parts.append(f'<span class="caption">{esc(image.caption)}</span>')
        if image.credit:
            parts.append(f'<span class="credit">{esc(image.credit)}</span>')
        caption = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
        return f"<figure{ident}>{img}{caption}</figure>"


@dataclass(frozen=True)
class ArticleHtml:
    """The article's parts as XHTML fragments; templates arrange them."""

    header: str
    lead_image: str
    why_this_matters: str
    takeaways: str
    body: str

    @property
    def all(self) -> str:
        return "\n".join(p for p in (self.header, self.lead_image, self.why_this_matters, self.takeaways, self.body) if p)


def render_article(article: model.Article, labels: Labels, urls: UrlPolicy, code_label: str | None = None) -> ArticleHtml:
    """Every part of the article in reading order (see ``render.outline``); ``code_label`` as for :class:`XhtmlRenderer`."""
    r = XhtmlRenderer(urls, code_label)
    a = urls.anchor
    meta = []
    if article.dateline:
        meta.append(f'<span class="dateline">{esc(article.dateline)}</span>')
    meta.append(
        f'<span class="published">{esc(labels.published)} '
        f'<time datetime="{wording.iso(article.published)}">{esc(wording.format_date(article.published, article.language))}</time></span>'
    )
    if article.updated:
        meta.append(
            f'<span class="updated">{esc(labels.updated)} '
            f'<time datetime="{wording.iso(article.updated)}">{esc(wording.format_date(article.updated, article.language))}</time></span>'
        )
    section = f'<p class="section">{esc(article.section)}</p>\n' if article.section else ""
    header = (
        f"<header>\n{section}"
        f'<h1 id="{a(outline.HEADLINE_ID)}">{esc(article.headline)}</h1>\n'
        f'<p class="standfirst" id="{a(outline.STANDFIRST_ID)}">{r.inlines(article.summary)}</p>\n'
        f'<p class="byline" id="{a(outline.BYLINE_ID)}">{esc(labels.by)} '
        f'<span class="author">{esc(wording.byline_text(article.byline))}</span></p>\n'
        f'<p class="meta">{" ".join(meta)}</p>\n</header>'
    )
    lead = r.figure(article.image, outline.LEAD_IMAGE_ID) if article.image else ""
    why = ""
    if article.why_this_matters:
        why = (
            f'<section class="why-this-matters" id="{a(outline.WHY_ID)}" aria-labelledby="{a(outline.WHY_ID)}-h">\n'
            f'<h2 id="{a(outline.WHY_ID)}-h">{esc(labels.why_this_matters)}</h2>\n'
            f"{r.blocks(article.why_this_matters)}\n</section>"
        )
    takeaways = ""
    if article.takeaways:
        items = "\n".join(f"<li>{r.inlines(t)}</li>" for t in article.takeaways)
        takeaways = (
            f'<section class="takeaways" id="{a(outline.TAKEAWAYS_ID)}" aria-labelledby="{a(outline.TAKEAWAYS_ID)}-h">\n'
            f'<h2 id="{a(outline.TAKEAWAYS_ID)}-h">{esc(labels.takeaways)}</h2>\n<ul>\n{items}\n</ul>\n</section>'
        )
    body = f'<div class="story" id="{a(outline.BODY_ID)}">\n{r.blocks(article.body)}\n</div>'
    return ArticleHtml(header, lead, why, takeaways, body)
