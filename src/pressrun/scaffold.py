"""``pressrun new``: a new article file with every field documented."""

from __future__ import annotations

from pathlib import Path

import yaml

from pressrun import clock
from pressrun.errors import Diagnostics, PressrunError, Problem
from pressrun.readers.article import default_id
from pressrun.text import slugify
from pressrun.readers.publication import read_publication

TEMPLATE = """---
# Required ---------------------------------------------------------------
headline: {headline}
summary: >-
  The standfirst: one or two sentences under the headline. *Inline Markdown* works.
published: {published}            # ISO 8601 date or date-time, e.g. 2024-04-27T14:30:00+04:00
{byline_line}
# Optional ---------------------------------------------------------------
# updated: YYYY-MM-DD          # not before published
# language: en                 # BCP 47; defaults to the publication's language
slug: {slug}                   # lowercase letters, digits, hyphens; the file name of every output
id: {article_id}   # stable identifier: never change it once published
# section: World
# tags: [Tag one, Tag two]
# dateline: BAKU
# canonical_url: https://example.org/original-story
# rights: © 2024 Example
# image:
#   src: images/photo.jpg      # relative to the source folder
#   alt: What the image shows, for readers who cannot see it (required)
#   caption: What the picture is about
#   credit: Photographer / Agency
# why_this_matters: >-
#   Why readers should care. Markdown paragraphs.
# takeaways:
#   - First key point.
#   - Second key point.
# Lifecycle -------------------------------------------------------------
# embargo: YYYY-MM-DDTHH:MM:SS+00:00  # date, time and UTC offset: nothing public before it; published not before it
# status: usable               # usable (default), withheld or canceled: withheld/canceled leave every public output
# corrections:                 # dated notices printed at the end of the article, oldest first
#   - date: YYYY-MM-DDTHH:MM:SS+00:00  # not before published; updated (if set) not before the newest notice
#     type: correction         # correction or clarification
#     text: An earlier version misspelled the minister's name. *Inline Markdown* works.
---
The body in CommonMark: paragraphs, ## to #### headings, *emphasis*, **strong**,
[links](https://example.org), `code`, lists, > quotes, images with alt text.
"""


def today(zone: str) -> str:
    """Today's date where the newsroom is, by the build clock (``SOURCE_DATE_EPOCH`` when set): a draft needs a date."""
    return clock.today(zone)


def new_article(headline: str, source_dir: Path) -> Path:
    headline = " ".join(headline.split())
    slug = slugify(headline)
    if not slug:
        raise PressrunError(Problem("headline", "cannot make a file name from this headline; use Latin letters or digits"))
    path = source_dir / f"{slug}.md"
    if path.exists():
        raise PressrunError(Problem(str(path), "already exists; choose another headline or edit that file"))
    diag = Diagnostics()
    publication = read_publication(source_dir, diag)
    if publication is None:
        raise PressrunError(diag.errors)
    byline = "byline: Your Name              # or a list of names / {name, role, url, email}"
    if publication.authors:  # optional: the publication's author is the default
        byline = f"# {byline} (default: {', '.join(a.name for a in publication.authors)})"
    text = TEMPLATE.format(
        headline=yaml.safe_dump(headline, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip(),
        slug=slug,
        article_id=default_id(publication, slug),
        byline_line=byline,
        published=today(publication.timezone),
    )
    path.write_text(text, encoding="utf-8")
    return path
