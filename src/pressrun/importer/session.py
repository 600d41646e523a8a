"""Importing into one existing article: which fields changed, and the source text with only those rewritten."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from pressrun import model, outline
from pressrun.errors import Diagnostics, Problem, Severity
from pressrun.exporters.base import ExportContext
from pressrun.importer import baseline, chunks
from pressrun.importer.frontmatter import DELETE, FrontMatterEditor
from pressrun.importer.images import ImageFiles
from pressrun.importer.languages import reduced, same_language
from pressrun.importer.markdown import Context, inline, source_form
from pressrun.importer.mdblocks import BlockWriter
from pressrun.importer.merge import merge
from pressrun.importer.parts import Parts
from pressrun.importer.sourcefile import SourceFile
from pressrun.readers.images import load_image
from pressrun.readers.markdown import BodyConverter, parser
from pressrun.render.wording import join_names, split_names


def docx_href(href: str, page_url: str) -> str:
    """A link target as pressrun's DOCX writes it: an internal anchor as a bookmark name, a relative link made
    absolute against the article's page (``exporters.docx.writer``)."""
    from pressrun.exporters.docx.oxml import bookmark_name

    if href.startswith("#"):
        return "#" + bookmark_name(href[1:])
    return urljoin(page_url, href)


def _keep_skipped(plan: list[tuple[int | None, Any]], raw: list[str], old: list, first: dict[str, int]) -> list:
    """Items pressrun's reader skips (empty, or repeating an earlier one) stay after the item before them, unless
    the item they repeat is gone (then they would come back)."""
    kept = {raw[i] for i, _ in plan if i is not None}
    out = list(plan)
    for index, value in enumerate(raw):
        if value and (first.get(value) == index or value not in kept):
            continue
        at = max((n for n, (i, _) in enumerate(out) if i is not None and i < index), default=-1)
        out.insert(at + 1, (index, old[index]))
    return out


def _wrap_width(text: str, found: list) -> int | None:
    """The width the field's author wraps paragraphs at, if they wrap them (a paragraph over several lines)."""
    lines = text.split("\n")
    wrapped = [c for c in found if c.end - c.start > 1 and len(c.blocks) == 1 and isinstance(c.blocks[0], model.Paragraph)]
    if not wrapped:
        return None
    return max(len(line) for c in wrapped for line in lines[c.start:c.end])


@dataclass
class ArticleImport:
    """One article's source, its export as the baseline, and the editor's parts of the DOCX."""

    article: model.Article
    ctx: ExportContext
    source: SourceFile
    edited: dict[str, Any]  # the DOCX's snapshot (``snapshot.snapshot``)
    base: dict[str, Any]  # the source's own export's snapshot
    parts: Parts
    images: ImageFiles
    problems: list[Problem] = field(default_factory=list)
    inexact: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.language = self.article.language
        self.page_url = self.ctx.publication.url(self.article.page_path)
        self.hrefs = self._href_map()
        self.languages = self._language_map()

    # --- writing Markdown like the source ----------------------------------------------------------
    def _href_map(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for anchor in sorted(outline.anchors(self.article)):
            found.setdefault(docx_href("#" + anchor, self.page_url), "#" + anchor)
        a = self.article
        texts = [a.summary, *a.takeaways, *(model.block_inlines(b) for b in model.iter_blocks(a.why_this_matters + a.body))]
        for nodes in texts:
            for node in model.iter_inlines(nodes):
                if isinstance(node, model.Link):
                    found.setdefault(docx_href(node.href, self.page_url), node.href)
        return found

    def _language_map(self) -> dict[str, str]:
        """A phrase's language as the DOCX is read (``languages.reduced``: ``he``, ``pt``) → as the source spells
        it (``he``, ``pt-BR``): the first spelling the article uses."""
        found: dict[str, str] = {}
        a = self.article
        texts = [a.summary, *a.takeaways, *(model.block_inlines(b) for b in model.iter_blocks(a.why_this_matters + a.body))]
        for nodes in texts:
            for node in model.iter_inlines(nodes):
                if isinstance(node, model.LanguageSpan):
                    found.setdefault(reduced(node.language) or node.language, node.language)
        return found

    def phrase_language(self, tag: str) -> str | None:
        """A phrase's language as the source writes it; None for the article's own (no span needed)."""
        return None if same_language(tag, self.language) else self.languages.get(tag, tag)

    def context(self) -> Context:
        converter = BodyConverter(self.language, lambda *args: None, lambda message, line: None)
        md = parser(self.language)
        ctx = Context(href=lambda h: self.hrefs.get(h, h), language=self.phrase_language,
                      image_src=self.images.src, parse=converter.inlines,
                      valid_link=lambda h: bool(md.validateLink(md.normalizeLink(h))))
        ctx.inexact = self.inexact
        return ctx

    def converter_args(self, name: str) -> tuple:
        root, shown = self.ctx.publication.source_dir, self.source.shown

        def load(src: str, alt: str, title: str | None, line: int | None) -> model.Image | None:
            return load_image(src, alt, title, None, root, Path(shown), Diagnostics(), name, line)

        return (self.language, load, lambda message, line: None)

    # --- the fields -------------------------------------------------------------------------------
    def apply(self, fields: list[str], force: frozenset[str] = frozenset()) -> str:
        """The source with ``fields`` rewritten from the DOCX (``force``: block fields rewritten whole)."""
        front = FrontMatterEditor(self.source.yaml)
        body = self.source.body
        for name in fields:
            if name == "body":
                body = self.block_field(self.source.body, self.edited["body"], why=False, force="body" in force)
            else:
                getattr(self, f"_set_{name}")(front, name in force)
        return self.source.with_parts(front.text(), body)

    def _set_section(self, front: FrontMatterEditor, force: bool) -> None:
        front.set("section", self.edited["section"] or DELETE)

    def _set_dateline(self, front: FrontMatterEditor, force: bool) -> None:
        front.set("dateline", self.edited["dateline"] or DELETE)

    def _set_headline(self, front: FrontMatterEditor, force: bool) -> None:
        headline = self.edited["headline"]
        if not headline:
            self.error("headline", "the document has no headline (a paragraph in the Title style); it is required")
            return
        front.set("headline", inline((model.Text(headline),), self.context()))

    def _set_summary(self, front: FrontMatterEditor, force: bool) -> None:
        summary = self.edited["summary"]
        if not summary:
            self.error("summary", "the document has no standfirst (a paragraph in the Standfirst style); it is required")
            return
        ctx = self.context()
        front.set("summary", inline(source_form(summary, ctx), ctx))

    def _set_byline(self, front: FrontMatterEditor, force: bool) -> None:
        text = self.edited["byline"]
        if not text:
            front.set("byline", DELETE)
            return
        known = [a.name for a in self.article.byline]
        names = known if text.strip() == join_names(known, self.language) else split_names(text, self.language)
        old = front.get("byline")
        if isinstance(old, list):
            by_name = {(item.get("name") if isinstance(item, dict) else str(item)).strip(): i
                       for i, item in enumerate(old) if isinstance(item, (dict, str))}
            front.set_list("byline", [(by_name.get(n), old[by_name[n]] if n in by_name else n) for n in names])
        else:
            front.set("byline", names[0] if len(names) == 1 else names)

    def _set_image(self, front: FrontMatterEditor, force: bool) -> None:
        lead = self.parts.lead
        if lead is None:
            self.warn("image", "the lead image is not in the document: removed from the source (its file is kept)")
            front.set("image", DELETE)
            return
        src = self.images.src(model.Image(f"sha256:{lead.picture.digest}", Path(), "", "", 0, 0, 0))
        values = {"src": src, "alt": lead.picture.alt, "caption": lead.caption, "credit": lead.credit}
        if "image" not in front:
            front.set("image", {k: v for k, v in values.items() if v})
            return
        old = front.get("image") or {}
        for key, value in values.items():
            if (old.get(key) or None) != (value or None):
                front.set_nested("image", key, value or DELETE)

    def _set_takeaways(self, front: FrontMatterEditor, force: bool) -> None:
        """Takeaways the editor left alone keep their lines (and the empty or repeated items pressrun's reader
        skips stay where they were); new and changed ones are written."""
        items = self._unique_takeaways()
        old = front.get("takeaways")
        raw = [str(v).strip() for v in old] if isinstance(old, list) else []
        first_index: dict[str, int] = {}
        for index, value in enumerate(raw):
            if value:
                first_index.setdefault(value, index)
        positions = list(first_index.values())
        base = list(self.base["takeaways"] or ())
        matched: dict[int, int] = {}
        if not force and len(base) == len(positions):
            for tag, i1, i2, j1, _ in SequenceMatcher(None, base, items, autojunk=False).get_opcodes():
                if tag == "equal":
                    matched.update({j1 + k: positions[i1 + k] for k in range(i2 - i1)})
        ctx = self.context()
        plan = [(matched[j], old[matched[j]]) if j in matched else (None, inline(source_form(item, ctx), ctx))
                for j, item in enumerate(items)]
        front.set_list("takeaways", _keep_skipped(plan, raw, old, first_index) if not force else plan)

    def _unique_takeaways(self) -> list[model.RichText]:
        """The snapshot holds each takeaway once (as pressrun's reader does); a repeat is reported."""
        if len(self.parts.takeaways or ()) > len(self.edited["takeaways"] or ()):
            self.warn("takeaways", "the same takeaway is in the document twice: the article keeps it once")
        return list(self.edited["takeaways"] or ())

    def _set_why_this_matters(self, front: FrontMatterEditor, force: bool) -> None:
        blocks = self.edited["why_this_matters"]
        if not blocks:
            front.set("why_this_matters", DELETE)
            return
        old = front.get("why_this_matters")
        text = str(old).strip() if isinstance(old, str) else ""
        new = self.block_field(text, blocks, why=True, force=force).strip("\n")
        keep_newline = isinstance(old, str) and old.endswith("\n") and "\n" in new  # `|` stays `|`, not `|-`
        front.set("why_this_matters", new + "\n" if keep_newline else new)

    def block_field(self, text: str, edited: tuple, why: bool, force: bool) -> str:
        found = chunks.split(text, self.converter_args("why_this_matters" if why else "body")) if text else []
        writer = BlockWriter(self.context(), None if force else _wrap_width(text, found))
        if not found or force:
            return writer.text(tuple(edited)) + "\n"
        base_paras, owners = baseline.render_chunks(self.article, self.ctx, [c.blocks for c in found], why)
        return merge(text, found, base_paras, owners, list(edited), writer)

    # --- problems ------------------------------------------------------------------------------------
    def error(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.source.docx_shown, message, f"paragraph {self.parts.numbers.get(name, 1)}"
                                     if name in self.parts.numbers else name))

    def warn(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.source.docx_shown, message, name, severity=Severity.WARNING))

