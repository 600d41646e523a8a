"""One ``source/*.md`` file → Article (or located problems)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pressrun import model, site
from pressrun.errors import Diagnostics
from pressrun.text import MAX_SLUG, slugify
from pressrun.readers.fields import Fields
from pressrun.readers.frontmatter import FrontMatter, split_front_matter
from pressrun.readers.images import load_image
from pressrun.readers.lifecycle import read_lifecycle
from pressrun.readers.markdown import BodyConverter
from pressrun.readers.text import decode_source, scrub

ARTICLE_FIELDS = (
    "headline", "summary", "byline", "published", "updated", "language", "slug", "id", "section",
    "tags", "dateline", "canonical_url", "rights", "image", "why_this_matters", "takeaways",
    "embargo", "status", "corrections",
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# A news article is tens of kilobytes; a source this large is a paste accident or a
# hostile file, and would produce a PDF of thousands of pages.
MAX_SOURCE_BYTES = 2 * 1024 * 1024


def default_id(publication: model.Publication, slug: str) -> str:
    """Stable id from base_url + slug: editing the headline never changes it."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, publication.base_url + slug)}"


def read_article(
    path: Path, shown: Path, publication: model.Publication, diag: Diagnostics, data: bytes | None = None
) -> model.Article | None:
    """``data``: the file's bytes when the caller has read them already. None when the article is invalid
    (every problem is in ``diag``)."""
    errors_before = len(diag.errors)
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_SOURCE_BYTES:
        diag.error(shown, f"is {size / 1048576:.1f} MB; an article may be at most {MAX_SOURCE_BYTES // 1048576} MB: split it or remove pasted data", "file")
        return None
    text = decode_source(path.read_bytes() if data is None else data, shown, diag)
    front = split_front_matter(text, shown, diag) if text is not None else None
    if front is None:
        return None
    reader = _ArticleFields(front, path, shown, publication, diag)
    article = reader.article()
    return article if len(diag.errors) == errors_before else None


class _ArticleFields:
    """Reads one article's fields from its front matter and body; problems go to ``diag``, located.

    Fallbacks are decided here, once: the byline falls back to the publication's author, rights to the
    publication's rights, the canonical URL to the article's own page.
    """

    def __init__(self, front: FrontMatter, path: Path, shown: Path, publication: model.Publication, diag: Diagnostics):
        self.front, self.path, self.shown, self.publication, self.diag = front, path, shown, publication, diag
        self.fields = Fields(front.data, front.lines, shown, diag)
        self.fields.warn_unknown(ARTICLE_FIELDS)
        self.language = self.fields.language("language", default=publication.language) or publication.language

    def converter(self, field: str, line_offset: int = 0) -> BodyConverter:
        def warn(message: str, line: int | None) -> None:
            self.diag.warning(self.shown, message, field, line)

        def error(message: str, line: int | None) -> None:
            self.diag.error(self.shown, message, field, line)

        def load(src: str, alt: str, title: str | None, line: int | None) -> model.Image | None:
            return load_image(src, alt, title, None, self.publication.source_dir, self.shown, self.diag, field, line)

        return BodyConverter(self.language, load, warn, line_offset, error)

    def article(self) -> model.Article | None:
        f, pub = self.fields, self.publication
        # Plain one-line fields. The headline gets the same typography as rich text.
        raw_headline = f.text("headline", required=True, one_line=True)
        headline = model.plain_text(self.converter("headline").inlines(raw_headline)) if raw_headline else None
        raw_summary = f.text("summary", required=True)
        summary = self.converter("summary").inlines(raw_summary) if raw_summary else ()
        byline = self.byline()
        published, updated = self.dates()
        lifecycle = read_lifecycle(f, ZoneInfo(pub.timezone), lambda field, text: self.converter(field).inlines(text),
                                   published, updated)
        slug = self.slug()
        article_id = self.article_id(slug)
        image = self.lead_image()
        raw_why = f.text("why_this_matters")
        why = self.converter("why_this_matters").blocks(raw_why) if raw_why else ()
        takeaways = tuple(self.converter("takeaways").inlines(item) for item in f.text_list("takeaways"))
        body = self.body()
        canonical = f.url("canonical_url")
        section = f.text("section", one_line=True)
        if not (headline and article_id and slug and published and byline is not None and body):
            return None
        return model.Article(
            id=article_id, slug=slug, source_path=self.shown, headline=headline, summary=summary, byline=byline,
            published=published, updated=updated, language=self.language, section=section,
            tags=f.text_list("tags"), dateline=f.text("dateline", one_line=True),
            canonical_url=canonical or pub.url(site.page_path(slug)), rights=f.text("rights") or pub.rights,
            image=image, why_this_matters=why, takeaways=takeaways, body=body,
            embargo=lifecycle.embargo, status=lifecycle.status, corrections=lifecycle.corrections,
        )

    def byline(self) -> tuple[model.Author, ...] | None:
        byline = self.fields.authors("byline")
        if byline is None and "byline" not in self.front.data:
            if self.publication.authors:
                return self.publication.authors
            self.fields.error("byline", "required (or set 'author' in publication.yaml)")
        return byline

    def dates(self) -> tuple[datetime | None, datetime | None]:
        zone = ZoneInfo(self.publication.timezone)
        published = self.fields.moment("published", zone, required=True)
        updated = self.fields.moment("updated", zone)
        if published and updated and updated < published:
            self.fields.error("updated", f"{updated.isoformat()} is before published ({published.isoformat()})")
        return published, updated

    def slug(self) -> str | None:
        slug = self.fields.text("slug", one_line=True)
        if slug is None:
            slug = slugify(self.path.stem)
            if not slug:
                self.diag.error(self.shown, "cannot derive a slug from the file name; add 'slug: my-article'", "slug", 1)
        elif not SLUG.match(slug) or len(slug) > MAX_SLUG:
            self.fields.error("slug", f"'{slug}' must be lowercase letters, digits and single hyphens (e.g. 'peace-talks')")
            return None
        return slug or None

    def article_id(self, slug: str | None) -> str | None:
        article_id = self.fields.text("id", one_line=True)
        if article_id is not None and not URI.match(article_id):
            # Atom ids and RSS guids must be URIs that stay the same forever.
            self.fields.error("id", f"'{article_id}' is not a URI; use e.g. urn:uuid:… or tag:example.org,2024:{slug or 'story'}")
        return article_id or (default_id(self.publication, slug) if slug else None)

    def lead_image(self) -> model.Image | None:
        raw = self.front.data.get("image")
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.fields.error("image", "must be a mapping with src, alt, and optionally caption and credit")
            return None
        extra = set(raw) - {"src", "alt", "caption", "credit"}
        if extra:
            self.fields.warning("image", f"unknown image field(s) ignored: {', '.join(sorted(map(str, extra)))}")
        caption = self.fields.nested_text("image.caption", raw.get("caption"))
        credit = self.fields.nested_text("image.credit", raw.get("credit"))
        return load_image(raw.get("src"), raw.get("alt"), caption, credit,
                          self.publication.source_dir, self.shown, self.diag, "image", self.fields.line("image"))

    def body(self) -> model.Blocks:
        front = self.front
        body_text = scrub(front.body, self.shown, self.diag, "body", front.body_line - 1)
        body = self.converter("body", front.body_line - 1).blocks(body_text)
        if not body:
            self.diag.error(self.shown, "the article has no body text after the front matter", "body", front.body_line)
        return body
