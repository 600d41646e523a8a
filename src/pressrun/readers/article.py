"""One ``source/*.md`` file → Article (or located problems)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from pressrun import model
from pressrun.errors import Diagnostics
from pressrun.text import MAX_SLUG, slugify
from pressrun.readers.fields import Fields
from pressrun.readers.frontmatter import split_front_matter
from pressrun.readers.images import load_image
from pressrun.readers.markdown import BodyConverter
from pressrun.readers.text import decode_source, scrub

ARTICLE_FIELDS = (
    "headline", "summary", "byline", "published", "updated", "language", "slug", "id", "section",
    "tags", "dateline", "canonical_url", "rights", "image", "why_this_matters", "takeaways",
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
    """``data``: the file's bytes when the caller has read them already."""
    errors_before = len(diag.errors)
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_SOURCE_BYTES:
        diag.error(shown, f"is {size / 1048576:.1f} MB; an article may be at most {MAX_SOURCE_BYTES // 1048576} MB: split it or remove pasted data", "file")
        return None
    text = decode_source(path.read_bytes() if data is None else data, shown, diag)
    if text is None:
        return None
    front = split_front_matter(text, shown, diag)
    if front is None:
        return None
    fields = Fields(front.data, front.lines, shown, diag)
    fields.warn_unknown(ARTICLE_FIELDS)
    zone = ZoneInfo(publication.timezone)
    language = fields.language("language", default=publication.language) or publication.language

    def warn_at(field: str):
        return lambda message, line: diag.warning(shown, message, field, line)

    def image_loader(field: str):
        def load(src: str, alt: str, title: str | None, line: int | None) -> model.Image | None:
            return load_image(src, alt, title, None, publication.source_dir, shown, diag, field, line)
        return load

    def converter(field: str, line_offset: int = 0) -> BodyConverter:
        return BodyConverter(language, image_loader(field), warn_at(field), line_offset)

    # Plain one-line fields. The headline gets the same typography as rich text.
    raw_headline = fields.text("headline", required=True, one_line=True)
    headline = model.plain_text(converter("headline").inlines(raw_headline)) if raw_headline else None

    raw_summary = fields.text("summary", required=True)
    summary = converter("summary").inlines(raw_summary) if raw_summary else ()

    byline = fields.authors("byline")
    if byline is None and "byline" not in front.data:
        if publication.authors:
            byline = publication.authors
        else:
            fields.error("byline", "required (or set 'author' in publication.yaml)")

    published = fields.moment("published", zone, required=True)
    updated = fields.moment("updated", zone)
    if published and updated and updated < published:
        fields.error("updated", f"{updated.isoformat()} is before published ({published.isoformat()})")

    slug = fields.text("slug", one_line=True)
    if slug is None:
        slug = slugify(path.stem)
        if not slug:
            diag.error(shown, "cannot derive a slug from the file name; add 'slug: my-article'", "slug", 1)
    elif not SLUG.match(slug) or len(slug) > MAX_SLUG:
        fields.error("slug", f"'{slug}' must be lowercase letters, digits and single hyphens (e.g. 'peace-talks')")
        slug = None
    article_id = fields.text("id", one_line=True)
    if article_id is not None and not URI.match(article_id):
        # Atom ids and RSS guids must be URIs that stay the same forever.
        fields.error("id", f"'{article_id}' is not a URI; use e.g. urn:uuid:… or tag:example.org,2024:{slug or 'story'}")
    article_id = article_id or (default_id(publication, slug) if slug else None)

    image = None
    raw_image = front.data.get("image")
    if raw_image is not None:
        if not isinstance(raw_image, dict):
            fields.error("image", "must be a mapping with src, alt, and optionally caption and credit")
        else:
            extra = set(raw_image) - {"src", "alt", "caption", "credit"}
            if extra:
                fields.warning("image", f"unknown image field(s) ignored: {', '.join(sorted(map(str, extra)))}")
            caption = _optional_text(raw_image.get("caption"), fields, "image.caption")
            credit = _optional_text(raw_image.get("credit"), fields, "image.credit")
            image = load_image(
                raw_image.get("src"), raw_image.get("alt"), caption, credit,
                publication.source_dir, shown, diag, "image", fields.line("image"),
            )

    raw_why = fields.text("why_this_matters")
    why = converter("why_this_matters").blocks(raw_why) if raw_why else ()
    takeaways: list[model.RichText] = []
    for item in fields.text_list("takeaways"):
        takeaways.append(converter("takeaways").inlines(item))

    body_text = scrub(front.body, shown, diag, "body", front.body_line - 1)
    body = converter("body", front.body_line - 1).blocks(body_text)
    if not body:
        diag.error(shown, "the article has no body text after the front matter", "body", front.body_line)

    canonical = fields.url("canonical_url")
    section = fields.text("section", one_line=True)
    if len(diag.errors) > errors_before:
        return None
    assert headline and article_id and slug and published and byline is not None
    return model.Article(
        id=article_id,
        slug=slug,
        source_path=shown,
        headline=headline,
        summary=summary,
        byline=byline,
        published=published,
        updated=updated,
        language=language,
        section=section,
        tags=fields.text_list("tags"),
        dateline=fields.text("dateline", one_line=True),
        canonical_url=canonical,
        rights=fields.text("rights") or publication.rights,
        image=image,
        why_this_matters=why,
        takeaways=tuple(takeaways),
        body=body,
    )


def _optional_text(value: object, fields: Fields, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        fields.error(key, "must be text")
        return None
    return scrub(str(value).strip(), fields.path, fields.diag, key, (fields.line(key) or 1) - 1) or None
