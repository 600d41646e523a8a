"""``pressrun import --new``: a new article from any DOCX (a reporter's file that pressrun did not write).

pressrun's styles are read as in any import; a file without them gives its Title (or first Heading 1) as the
headline, its Subtitle (or first paragraph) as the standfirst and the rest as the body. The file is written even
when required fields are missing (the date, a byline with no publication default): they are reported as the
usual located errors, so the reporter's text is never lost and the user completes the file.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from pressrun import model, site
from pressrun.errors import Diagnostics, Problem, SourceError
from pressrun.importer import command
from pressrun.importer.document import Document
from pressrun.importer.files import write_atomic
from pressrun.importer.frontmatter import dump
from pressrun.importer.images import ImageFiles
from pressrun.importer.inlines import build
from pressrun.importer.languages import same_language
from pressrun.importer.markdown import Context, inline, source_form
from pressrun.importer.mdblocks import BlockWriter
from pressrun.importer.merge import read_blocks
from pressrun.importer.parts import Parts
from pressrun.render.wording import split_names
from pressrun.readers.article import URI, default_id, read_article
from pressrun.language import check_tag
from pressrun.readers.markdown import BodyConverter, parser
from pressrun.text import slugify


def import_new(options, doc: Document, theme, sources, report) -> None:
    publication = sources.publication
    owner = next((a for a in sources.articles if doc.identifier and a.id == doc.identifier), None)
    if owner is not None:
        raise SourceError(Problem(doc.package.shown, f"was made from {owner.source_path} (id {owner.id}): import it "
                                                     "without --new to bring the edits into that article"))
    parts = command.read_parts(doc, theme, report)
    _fallbacks(parts)
    slug = slugify(parts.headline or "") or slugify(options.docx.stem) or "imported"
    path = options.source / f"{slug}.md"
    if path.exists():
        raise SourceError(Problem(command.shown(path), "already exists: rename the DOCX's headline, or import into that "
                                                       "article without --new"))
    images = ImageFiles.of(None, publication.source_dir, slug)
    report.problems += images.check(doc.paras, doc.package.shown)
    if report.errors:
        return
    language = _language(doc, publication)
    page = publication.url(site.page_path(slug))
    ctx = _context(language or publication.language, images, page.rsplit("/", 1)[0] + "/")
    warn = command.warner(doc, report)
    text = "---\n" + "\n".join(_front(parts, doc, publication, slug, language, ctx)) + "\n---\n"
    text += BlockWriter(ctx).text(tuple(read_blocks(parts.body, warn))) + "\n"
    report.target = command.shown(path)
    report.changed = ["new article"]
    report.diff = command.unified_diff("", text, report.target)
    report.new_images = [src for src, _ in images.new.values()]
    if not options.dry_run:
        report.written += images.write()
        write_atomic(path, text.encode("utf-8"))
        report.written.append(path)
    diag = Diagnostics()
    if options.dry_run and images.new:
        diag.warning(report.target, "new pictures are not checked in a dry run", "image")
    else:
        read_article(path, Path(report.target), publication, diag, text.encode("utf-8"))
    report.problems += diag.problems


def _fallbacks(parts: Parts) -> None:
    """A reporter's file: the first Heading 1 as the headline, the first paragraph as the standfirst."""
    if parts.headline is None:
        for para in parts.body:
            if para.role and para.role.kind == "heading" and para.role.level == 1:
                parts.headline = " ".join(para.text.split()) or None
                parts.body.remove(para)
                break
    if parts.standfirst is None:
        for para in parts.body:
            kind = para.role.kind if para.role else "body"
            if para.empty:
                continue
            if kind == "body" and para.list_level is None and not para.pictures:
                parts.standfirst = build(para.content)
                parts.body.remove(para)
            break


def _language(doc: Document, publication: model.Publication) -> str | None:
    tag = doc.package.core().get("language", "")
    if not tag or check_tag(tag).error:
        return None
    tag = check_tag(tag).tag
    return tag if tag != publication.language else None


def _context(language: str, images: ImageFiles, page_folder: str) -> Context:
    """``page_folder``: the URL of the folder of the new article's page. pressrun's DOCX makes relative links
    absolute against it; they become relative again (they resolve to the same page)."""
    md = parser(language)
    converter = BodyConverter(language, lambda *args: None, lambda message, line: None)

    def href(url: str) -> str:
        rest = url[len(page_folder):] if url.startswith(page_folder) else ""
        return rest if rest and not rest.startswith(("/", "#", "?")) else url

    # A reporter's Word marks every run typed with a keyboard for the article's language: that is no phrase.
    return Context(href=href, language=lambda tag: None if same_language(tag, language) else tag,
                   image_src=images.src, parse=converter.inlines,
                   valid_link=lambda h: bool(md.validateLink(md.normalizeLink(h))))


def _front(parts: Parts, doc: Document, publication: model.Publication, slug: str, language: str | None,
           ctx: Context) -> list[str]:
    lines = ["headline:" if not parts.headline else dump("headline", inline((model.Text(parts.headline),), ctx))[0]]
    lines += dump("summary", inline(source_form(parts.standfirst, ctx), ctx)) if parts.standfirst else ["summary:"]
    if parts.byline:
        names = split_names(parts.byline, language or publication.language)
        lines += dump("byline", names[0] if len(names) == 1 else names)
    lines.append(f"published: {_published(doc, publication)}".rstrip() + ("" if doc.identifier else "   # required: e.g. 2024-04-27"))
    if language:
        lines.append(f"language: {language}")
    lines.append(f"slug: {slug}")
    ident = doc.identifier if URI.match(doc.identifier or "") else default_id(publication, slug)
    lines += dump("id", ident)
    for key, value in (("section", parts.kicker), ("dateline", parts.dateline)):
        if value:
            lines += dump(key, value)
    if parts.lead:
        image = {"src": ctx.image_src(model.Image(f"sha256:{parts.lead.picture.digest}", Path(), "", "", 0, 0, 0)),
                 "alt": parts.lead.picture.alt, "caption": parts.lead.caption, "credit": parts.lead.credit}
        lines += dump("image", {k: v for k, v in image.items() if v})
    why = read_blocks(parts.why, lambda n, m: None) if parts.why else []
    if why:
        lines += dump("why_this_matters", BlockWriter(ctx).text(tuple(why)))
    if parts.takeaways:
        lines += dump("takeaways", [inline(source_form(t, ctx), ctx) for t in parts.takeaways])
    return lines


def _published(doc: Document, publication: model.Publication) -> str:
    """A DOCX that pressrun made carries the date it was published as its creation date; any other file's
    creation date is when someone opened a blank document, so it is left for the user to fill in."""
    created = doc.package.core_date("created") if doc.identifier else None
    if created is None:
        return ""
    local = created.astimezone(ZoneInfo(publication.timezone))
    return local.date().isoformat() if local.time() == time() else re.sub(r"\+00:00$", "Z", local.isoformat())
