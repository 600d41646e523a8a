"""Where every output lives in the output folder, decided once: exporters write there, pages link there.

Paths are POSIX, relative to the output folder (and to ``base_url`` once published).
"""

from __future__ import annotations

import re

from pressrun.text import slugify

# (path in the output folder, media type, label)
RSS_FEED = ("feeds/rss.xml", "application/rss+xml", "RSS")
ATOM_FEED = ("feeds/atom.xml", "application/atom+xml", "Atom")
JSON_FEED = ("feeds/feed.json", "application/feed+json", "JSON Feed")
PUBLICATION_FEEDS = (RSS_FEED, ATOM_FEED, JSON_FEED)

INDEX_PAGE = "index.html"


def page_path(slug: str) -> str:
    """The web edition's page of an article."""
    return f"articles/{slug}.html"


def media_path(src: str) -> str:
    """The published copy of an image, by its path in the source folder."""
    return f"media/{src}"


def document_path(fmt: str, slug: str) -> str:
    """An article's downloadable edition: ``document_path("pdf", slug)`` → ``pdf/<slug>.pdf``."""
    return f"{fmt}/{slug}.{fmt}"


def issue_path(publication_title: str, base_url: str) -> str:
    """The collection e-book, named from the publication's title (ASCII), falling back to its host."""
    host = re.sub(r"^https?://", "", base_url).split("/")[0]
    return f"epub/issue/{slugify(publication_title) or slugify(host) or 'issue'}.epub"


def section_feeds(slug: str) -> tuple[str, str]:
    """(RSS path, Atom path) of a section feed."""
    return f"feeds/section/{slug}.rss.xml", f"feeds/section/{slug}.atom.xml"


def tag_feeds(slug: str) -> tuple[str, str]:
    """(RSS path, Atom path) of a tag feed."""
    return f"feeds/tag/{slug}.rss.xml", f"feeds/tag/{slug}.atom.xml"


def language_feeds(language: str) -> tuple[str, str, str]:
    """(RSS, Atom, JSON Feed) paths of one language's feeds in a multilingual publication. ``language`` is a
    canonical BCP 47 tag (letters, digits and hyphens only), so it is its own file name: ``feeds/lang/ru.rss.xml``."""
    return f"feeds/lang/{language}.rss.xml", f"feeds/lang/{language}.atom.xml", f"feeds/lang/{language}.json"


def language_section(language: str) -> str:
    """The id of a language's section on a multilingual publication's index page (its feeds' home link)."""
    return f"lang-{language}"


# Google News sitemap, at the root of the output folder: one file of at most SITEMAP_URLS articles, or (beyond)
# a sitemap index under the same name pointing at numbered parts, so the one registered address never changes.
NEWS_SITEMAP = "news-sitemap.xml"


def news_sitemap_part(number: int) -> str:
    """The ``number``-th (from 1) file of a news sitemap split behind an index."""
    return f"news-sitemap-{number}.xml"


def ninjs_path(slug: str) -> str:
    """An article's ninjs item, relative to the wire folder (partners' files, never the published folder)."""
    return f"{slug}.ninjs.json"
