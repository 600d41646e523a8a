"""The one XHTML rendering of the model, shared by the web edition, EPUB and feed content.

Output is well-formed XML *and* valid HTML5 (void elements self-closed, every
attribute quoted), so the same string serves an EPUB content document and a
web page. URLs are decided by the caller through :class:`UrlPolicy`: the web
edition uses relative paths, EPUB its package paths, feeds absolute URLs.

Speed (issue 19): :func:`esc` does html.escape's five replacements itself (one call less for each of the ~120
texts of an article), and inline runs are joined from lists rather than generators.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from pressrun import language, model, outline
from pressrun.text import FORBIDDEN
from pressrun.render import wording
from pressrun.render.dispatch import NodeVisitor, PartWriter
from pressrun.theme import Labels


# What ``esc`` changes: the characters it escapes and those it drops. Most texts have none (typographic quotes
# replace the straight ones), and one search says so in half the time of the six passes (issue 19).
_ESCAPED = re.compile("[&<>\"'" + FORBIDDEN.pattern.removeprefix("["))  # one class: FORBIDDEN's is "[…]"


def esc(text: str) -> str:
    """Escape for XML text and attributes, dropping characters XML 1.0 forbids (``html.escape(…, quote=True)``
    exactly: ``&`` first, then ``<``, ``>``, ``"`` and ``'``)."""
    if _ESCAPED.search(text) is None:
        return text
    return (FORBIDDEN.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


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
    """``code_label``: render code blocks as keyboard-reachable, named scroll regions (see ``visit_CodeBlock``).
    ``rtl``: the text is right to left, so code (blocks and spans) is marked ``dir="ltr"``: it reads left to
    right, and a ``dir`` attribute also isolates it from the text around it (HTML's ``unicode-bidi: isolate``)."""

    def __init__(self, urls: UrlPolicy, code_label: str | None = None, rtl: bool = False):
        self.urls = urls
        self.code_label = code_label
        self.code_blocks = 0  # numbers the regions, so each has its own name
        self.direction = "ltr"  # of the text being written: a span in another direction is isolated
        self.set_direction(rtl)

    def set_direction(self, rtl: bool) -> None:
        """Write text that runs right to left (or not): code is marked ``dir="ltr"`` in it, and a language span
        is isolated when its own direction differs from this one."""
        self.direction = "rtl" if rtl else "ltr"

    @property
    def code_dir(self) -> str:
        """Code reads left to right; in right-to-left text (an article's, or a span's) it says so."""
        return ' dir="ltr"' if self.direction == "rtl" else ""

    # --- inlines --------------------------------------------------------------
    def inlines(self, nodes: model.RichText) -> str:
        return "".join([self.visit(n) for n in nodes])

    def visit_Text(self, node: model.Text) -> str:
        return esc(node.text)

    def visit_Emphasis(self, node: model.Emphasis) -> str:
        return f"<em>{self.inlines(node.children)}</em>"

    def visit_Strong(self, node: model.Strong) -> str:
        return f"<strong>{self.inlines(node.children)}</strong>"

    def visit_Code(self, node: model.Code) -> str:
        return f"<code{self.code_dir}>{esc(node.text)}</code>"

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

    def visit_LanguageSpan(self, node: model.LanguageSpan) -> str:
        """``<span lang>``; a phrase in the other direction is a ``<bdi>`` with its ``dir``, so it neither reorders
        nor is reordered by the text around it (HTML's bidi isolation, which EPUB reading systems share)."""
        direction = language.direction(node.language)
        lang = esc(node.language)
        if direction == self.direction:
            return f'<span lang="{lang}">{self.inlines(node.children)}</span>'
        outer, self.direction = self.direction, direction
        try:
            return f'<bdi lang="{lang}" dir="{direction}">{self.inlines(node.children)}</bdi>'
        finally:
            self.direction = outer

    def visit_LineBreak(self, node: model.LineBreak) -> str:
        return "<br/>"

    # --- blocks ---------------------------------------------------------------
    def blocks(self, blocks: model.Blocks | tuple[model.Block, ...]) -> str:
        return "\n".join([self.visit(b) for b in blocks])

    def visit_Paragraph(self, node: model.Paragraph) -> str:
        return f"<p>{self.inlines(node.children)}</p>"

    def visit_Heading(self, node: model.Heading) -> str:
        return f'<h{node.level} id="{esc(self.urls.anchor(node.anchor))}">{self.inlines(node.children)}</h{node.level}>'

    def visit_ListItem(self, node: model.ListItem, tight: bool = False) -> str:
        """CommonMark: the paragraphs of a tight list's items are set without <p>; a loose list keeps them."""
        if not tight:
            return f"<li>{self.blocks(node.children)}</li>"
        inner = (self.inlines(b.children) if isinstance(b, model.Paragraph) else self.visit(b) for b in node.children)
        return f"<li>{chr(10).join(inner)}</li>"

    def visit_BulletList(self, node: model.BulletList) -> str:
        return "<ul>\n" + "\n".join(self.visit(i, node.tight) for i in node.items) + "\n</ul>"

    def visit_OrderedList(self, node: model.OrderedList) -> str:
        start = f' start="{node.start}"' if node.start != 1 else ""
        return f"<ol{start}>\n" + "\n".join(self.visit(i, node.tight) for i in node.items) + "\n</ol>"

    def visit_BlockQuote(self, node: model.BlockQuote) -> str:
        return f"<blockquote>\n{self.blocks(node.children)}\n</blockquote>"

    def visit_CodeBlock(self, node: model.CodeBlock) -> str:
        cls = f' class="language-{esc(node.language)}"' if node.language else ""
        return f"<pre{self._code_region(node)}{self.code_dir}><code{cls}>{esc(node.text)}</code></pre>"

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
    """The article's parts as XHTML fragments, one slot each; templates and documents arrange them.

    ``header`` holds the header parts (kicker, headline, standfirst, byline, dates) in one ``<header>``.
    ``topics`` and ``rights`` are placed by each document in its own footer, so :attr:`all` leaves them out.
    An empty slot is a part the article does not have.
    """

    header: str
    lead_image: str = ""
    why_this_matters: str = ""
    takeaways: str = ""
    body: str = ""
    corrections: str = ""
    topics: str = ""
    rights: str = ""
    order: tuple[str, ...] = ()  # the slots in the reading order the parts were visited in

    FOOTER_SLOTS: ClassVar[frozenset[str]] = frozenset({"topics", "rights"})

    @property
    def all(self) -> str:
        """The article proper, header to story, as one fragment in reading order."""
        return "\n".join(getattr(self, s) for s in self.order if s not in self.FOOTER_SLOTS and getattr(self, s))


class XhtmlArticle(XhtmlRenderer, PartWriter):
    """The whole article as XHTML: every part of ``outline.article_parts``, each into its :class:`ArticleHtml`
    slot, and the parts' blocks and inlines through the same dispatch (:class:`XhtmlRenderer`).

    Anchors and heading ids come from the part types, labels from the theme by the part's label key.
    ``code_label`` as for :class:`XhtmlRenderer`.
    """

    def __init__(self, labels: Labels, urls: UrlPolicy, code_label: str | None = None):
        super().__init__(urls, code_label)
        self.labels = labels

    def render(self, article: model.Article) -> ArticleHtml:
        self.set_direction(wording.is_rtl(article.language))  # spans and code are placed against the article's text
        slots: dict[str, list[str]] = {}
        for slot, fragment in self.parts(article):
            slots.setdefault(slot, []).append(fragment)
        header = "\n".join(slots.pop("header"))
        return ArticleHtml(
            header=f"<header>\n{header}\n</header>",
            order=("header", *slots),
            **{slot: "\n".join(fragments) for slot, fragments in slots.items()},
        )

    def _id(self, part: outline.Part) -> str:
        return esc(self.urls.anchor(part.anchor))

    def _label(self, part: outline.Part) -> str:
        return esc(getattr(self.labels, part.label))

    def _labelled_section(self, part: outline.Part, css_class: str, content: str) -> str:
        """A box titled by its label; ``aria-labelledby`` names it by its heading."""
        heading = esc(self.urls.anchor(outline.heading_id(type(part))))
        return (
            f'<section class="{css_class}" id="{self._id(part)}" aria-labelledby="{heading}">\n'
            f'<h2 id="{heading}">{self._label(part)}</h2>\n{content}\n</section>'
        )

    # --- the header -------------------------------------------------------------
    def visit_Kicker(self, part: outline.Kicker) -> tuple[str, str]:
        return "header", f'<p class="section">{esc(part.text)}</p>'

    def visit_Headline(self, part: outline.Headline) -> tuple[str, str]:
        return "header", f'<h1 id="{self._id(part)}">{esc(part.text)}</h1>'

    def visit_Standfirst(self, part: outline.Standfirst) -> tuple[str, str]:
        return "header", f'<p class="standfirst" id="{self._id(part)}">{self.inlines(part.children)}</p>'

    def visit_Byline(self, part: outline.Byline) -> tuple[str, str]:
        names = f'<span class="author">{esc(wording.byline_text(part.authors, part.language))}</span>'
        return "header", f'<p class="byline" id="{self._id(part)}">{self._label(part)} {names}</p>'

    def visit_Dates(self, part: outline.Dates) -> tuple[str, str]:
        meta = [f'<span class="dateline">{esc(part.dateline)}</span>'] if part.dateline else []
        meta.append(self._moment("published", getattr(self.labels, part.label), part.published, part.language))
        if part.updated:
            meta.append(self._moment("updated", self.labels.updated, part.updated, part.language))
        return "header", f'<p class="meta">{" ".join(meta)}</p>'

    @staticmethod
    def _moment(css_class: str, label: str, moment: datetime, language: str) -> str:
        shown = esc(wording.format_date(moment, language))
        return f'<span class="{css_class}">{esc(label)} <time datetime="{wording.iso(moment)}">{shown}</time></span>'

    # --- the story --------------------------------------------------------------
    def visit_LeadImage(self, part: outline.LeadImage) -> tuple[str, str]:
        return "lead_image", self.figure(part.image, part.anchor)

    def visit_WhyThisMatters(self, part: outline.WhyThisMatters) -> tuple[str, str]:
        return "why_this_matters", self._labelled_section(part, "why-this-matters", self.blocks(part.blocks))

    def visit_Takeaways(self, part: outline.Takeaways) -> tuple[str, str]:
        items = "\n".join(f"<li>{self.inlines(t)}</li>" for t in part.items)
        return "takeaways", self._labelled_section(part, "takeaways", f"<ul>\n{items}\n</ul>")

    def visit_Body(self, part: outline.Body) -> tuple[str, str]:
        return "body", f'<div class="story" id="{self._id(part)}">\n{self.blocks(part.blocks)}\n</div>'

    # --- after the story ----------------------------------------------------------
    def visit_Corrections(self, part: outline.Corrections) -> tuple[str, str]:
        """One paragraph per notice: "**Correction** · <time>April 28, 2024</time>: text", in the article's words."""
        notices = "\n".join(self._notice(notice, part.language) for notice in part.notices)
        return "corrections", f'<div class="corrections" id="{self._id(part)}">\n{notices}\n</div>'

    def _notice(self, notice: model.Correction, language: str) -> str:
        label = esc(getattr(self.labels, notice.kind))
        when = f'<time datetime="{wording.iso(notice.date)}">{esc(wording.format_date(notice.date, language))}</time>'
        return f'<p class="{notice.kind}"><strong>{label}</strong> · {when}{esc(self.labels.colon)}{self.inlines(notice.text)}</p>'

    def visit_Topics(self, part: outline.Topics) -> tuple[str, str]:
        # The list's accessible name is the theme's label, as the PDF's "Topics:" line shows it.
        items = "".join(f"<li>{esc(tag)}</li>" for tag in part.tags)
        return "topics", f'<ul class="tags" aria-label="{self._label(part)}">{items}</ul>'

    def visit_Rights(self, part: outline.Rights) -> tuple[str, str]:
        return "rights", f'<p class="rights">{esc(part.text)}</p>'
