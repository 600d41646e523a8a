"""The web edition: one semantic HTML5 page per article plus an index, newest first.

Speed (issue 19): templates are compiled once per exporter and never checked against their files again
(Jinja's default stats the file on every ``get_template``; they are package data).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pressrun import __version__, model, site
from pressrun.exporters.base import Exporter, Output
from pressrun.labels import Labels
from pressrun.language import autonym, direction, primary_language, reading_language, script_of
from pressrun.render import wording
from pressrun.render.plain import plain
from pressrun.render.xhtml import UrlPolicy, XhtmlArticle, XhtmlRenderer
from pressrun.site import PUBLICATION_FEEDS

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class FeedLink:
    path: str
    type: str
    title: str
    label: str
    hreflang: str | None = None  # a language's feed; the publication's feeds are in every language


@dataclass(frozen=True)
class FeedGroup:
    """Feeds listed together in a footer or a language's section. ``name`` says whose they are ("All languages",
    "Русский") in a multilingual publication; a one-language publication's one group needs no name."""

    links: tuple[FeedLink, ...]
    name: str | None = None


@dataclass(frozen=True)
class LanguageSection:
    """One language of a multilingual publication on its index page: a link in the nav, a section of teasers."""

    tag: str
    name: str  # the language's name in itself
    dir: str | None  # only when it differs from the page's
    entries: list[dict[str, Any]]
    feeds: FeedGroup | None

    @property
    def anchor(self) -> str:
        return site.language_section(self.tag)


class HtmlExporter(Exporter):
    name = "html"
    description = "Web edition: an HTML5 page per article and an index page, with the site CSS."
    order = 30  # last: pages link to the PDF, DOCX, EPUB and feeds written before them

    @cached_property
    def _templates(self) -> Any:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

        env = Environment(
            loader=PackageLoader("pressrun", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=False,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        return env

    @cached_property
    def _article_template(self) -> Any:
        return self._templates.get_template("article.html.j2")

    @cached_property
    def _languages(self) -> tuple[str, ...]:
        """The publication's languages when there are several (empty otherwise), the publication's first."""
        return self.ctx.languages

    def _all_feeds(self, labels: Labels) -> FeedGroup | None:
        # Feeds are written after the pages (they need every article), so link them when the feed exporter runs.
        if "feed" not in self.ctx.formats:
            return None
        title = self.ctx.publication.title
        links = tuple(FeedLink(p, t, f"{title} ({label})", label) for p, t, label in PUBLICATION_FEEDS)
        return FeedGroup(links, labels.all_languages if self._languages else None)

    def _language_feeds(self, language: str) -> FeedGroup | None:
        if "feed" not in self.ctx.formats or language not in self._languages:
            return None
        title = wording.language_title(self.ctx.publication.title, language)
        files = zip(site.language_feeds(language), PUBLICATION_FEEDS)
        links = tuple(FeedLink(path, t, f"{title} ({label})", label, language) for path, (_, t, label) in files)
        return FeedGroup(links, autonym(language))

    def _common(self, root: str, lang: str, footer: Sequence[FeedGroup | None], more: Sequence[FeedGroup | None] = ()
                ) -> dict[str, Any]:
        """What every page has. ``footer``: the feeds its footer lists; they and ``more`` are advertised in its head."""
        groups = [g for g in footer if g]
        return {
            "publication": self.ctx.publication,
            "labels": self.ctx.theme.labels_for(lang),
            "root": root,
            "version": __version__,
            "feeds": groups,
            "alternates": [link for group in (*groups, *(g for g in more if g)) for link in group.links],
            "lang": lang,
            "rtl": wording.is_rtl(lang),
            "masthead": _other_language(self.ctx.publication.language, lang),
        }

    def export_article(self, article: model.Article) -> list[Output]:
        pub = self.ctx.publication
        urls = UrlPolicy(image_src=lambda image: "../" + image.output_path)
        labels = self.ctx.theme.labels_for(article.language)
        parts = XhtmlArticle(labels, urls, code_label=labels.code_example).render(article)
        canonical = article.canonical_url
        description = plain(article.summary)
        # In a multilingual publication a reader of the article's language is offered its own feeds first.
        feeds = (self._language_feeds(reading_language(article.language)), self._all_feeds(labels))
        page = self._article_template.render(
            **self._common("../", article.language, feeds),
            article=article,
            parts=parts,
            title=f"{article.headline} — {pub.title}",
            description=description,
            canonical=canonical,
            downloads=self.ctx.downloads(article),
            image_url=pub.url(article.image.output_path) if article.image else None,
            published=wording.iso(article.published),
            modified=wording.iso(article.modified),
            og_locale=article.language.replace("-", "_"),
            json_ld=_json_ld(article, pub, canonical, labels),
        )
        return [Output(article.page_path, page.encode("utf-8"), HTML, article.id)]

    def export_publication(self, articles: Sequence[model.Teaser]) -> list[Output]:
        pub = self.ctx.publication
        entries = [_teaser(a) for a in articles]
        sections = [self._section(tag, entries) for tag in self._languages]
        index = self._templates.get_template("index.html.j2").render(
            **self._common("", pub.language, [self._all_feeds(self.ctx.theme.labels_for(pub.language))],
                           [s.feeds for s in sections]),
            title=pub.title,
            description=pub.description,
            canonical=pub.base_url,
            rights=pub.rights,
            entries=entries,
            languages=sections,
            downloads=[w for w in self.ctx.written if w.article_id is None and w.label],
        )
        css = self.ctx.theme.css.read_bytes()
        return [
            Output(site.INDEX_PAGE, index.encode("utf-8"), HTML),
            Output("css/site.css", css, "text/css"),
        ]

    def _section(self, language: str, entries: list[dict[str, Any]]) -> LanguageSection:
        """A language's part of the index: its teasers (newest first, as ``entries`` are) and its feeds."""
        page = direction(self.ctx.publication.language)
        own = direction(language)
        return LanguageSection(language, autonym(language), own if own != page else None,
                               [e for e in entries if reading_language(e["article"].language) == language], self._language_feeds(language))


def _teaser(article: model.Teaser) -> dict[str, Any]:
    """An article on the index: everything but the headline in its own language's words and direction."""
    renderer = XhtmlRenderer(UrlPolicy(image_src=lambda image: image.output_path), rtl=wording.is_rtl(article.language))
    return {
        "article": article,
        "summary": renderer.inlines(article.summary),
        "byline": wording.byline_text(article.byline, article.language),
        "iso": wording.iso(article.published),
        "date": wording.format_date(article.published, article.language),
    }


def _other_language(text: str, around: str) -> dict[str, str | None] | None:
    """``lang`` and ``dir`` (None: the same) for text in language ``text`` on a page in ``around`` when it is
    another language (WCAG 3.1.2), such as the publication's title on an article page; None when it is not."""
    if primary_language(text) == primary_language(around) and script_of(text) == script_of(around):
        return None
    return {"lang": text, "dir": direction(text) if direction(text) != direction(around) else None}


def _json_ld(article: model.Article, pub: model.Publication, canonical: str, labels: Labels) -> Any:
    """schema.org NewsArticle, safe inside <script> (no '<', '>' or '&' left unescaped)."""
    from markupsafe import Markup

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": article.id,
        "mainEntityOfPage": canonical,
        "url": pub.url(article.page_path),
        "headline": article.headline,
        "description": plain(article.summary),
        "inLanguage": article.language,
        "datePublished": wording.iso(article.published),
        "dateModified": wording.iso(article.modified),
        "author": [
            {k: v for k, v in {"@type": "Person", "name": a.name, "url": a.url, "jobTitle": a.role}.items() if v}
            for a in article.byline
        ],
        "publisher": {"@type": "Organization", "name": pub.title, "url": pub.base_url},
    }
    if article.section:
        data["articleSection"] = article.section
    if article.tags:
        data["keywords"] = list(article.tags)
    if article.image:
        data["image"] = {
            "@type": "ImageObject",
            "url": pub.url(article.image.output_path),
            "width": article.image.width,
            "height": article.image.height,
            "description": article.image.alt,
            **({"caption": article.image.caption} if article.image.caption else {}),
            **({"creditText": article.image.credit} if article.image.credit else {}),
        }
    if article.rights:
        data["copyrightNotice"] = article.rights
    if article.corrections:
        # schema.org's `correction` and `CorrectionComment` are pending terms (The Trust Project's): one per notice.
        data["correction"] = [
            {"@type": "CorrectionComment", "text": f"{getattr(labels, c.kind)}{labels.colon}{plain(c.text)}",
             "datePublished": wording.iso(c.date)}
            for c in article.corrections
        ]
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)
