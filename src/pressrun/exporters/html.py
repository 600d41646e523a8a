"""The web edition: one semantic HTML5 page per article plus an index, newest first."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pressrun import __version__, model, site
from pressrun.exporters.base import Exporter, Output
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
        )
        return env

    def _feeds(self, root: str) -> list[FeedLink]:
        # Feeds are written after the pages (they need every article), so link them when the feed exporter runs.
        if "feed" not in self.ctx.formats:
            return []
        title = self.ctx.publication.title
        return [FeedLink(p, t, f"{title} ({label})", label) for p, t, label in PUBLICATION_FEEDS]

    def _common(self, root: str, lang: str) -> dict[str, Any]:
        pub = self.ctx.publication
        return {
            "publication": pub,
            "labels": self.ctx.theme.labels_for(lang),
            "root": root,
            "version": __version__,
            "feeds": self._feeds(root),
            "lang": lang,
            "rtl": wording.is_rtl(lang),
        }

    def export_article(self, article: model.Article) -> list[Output]:
        pub = self.ctx.publication
        urls = UrlPolicy(image_src=lambda image: "../" + image.output_path)
        labels = self.ctx.theme.labels_for(article.language)
        parts = XhtmlArticle(labels, urls, code_label=labels.code_example).render(article)
        canonical = article.canonical_url
        description = plain(article.summary)
        page = self._templates.get_template("article.html.j2").render(
            **self._common("../", article.language),
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
            json_ld=_json_ld(article, pub, canonical),
        )
        return [Output(article.page_path, page.encode("utf-8"), HTML, article.id)]

    def export_publication(self, articles: Sequence[model.Article]) -> list[Output]:
        pub = self.ctx.publication
        renderer = XhtmlRenderer(UrlPolicy(image_src=lambda image: image.output_path))
        entries = [
            {
                "article": a,
                "summary": renderer.inlines(a.summary),
                "byline": wording.byline_text(a.byline, a.language),
                "iso": wording.iso(a.published),
                "date": wording.format_date(a.published, a.language),
            }
            for a in articles
        ]
        index = self._templates.get_template("index.html.j2").render(
            **self._common("", pub.language),
            title=pub.title,
            description=pub.description,
            canonical=pub.base_url,
            rights=pub.rights,
            entries=entries,
            downloads=[w for w in self.ctx.written if w.article_id is None and w.label],
        )
        css = self.ctx.theme.css.read_bytes()
        return [
            Output(site.INDEX_PAGE, index.encode("utf-8"), HTML),
            Output("css/site.css", css, "text/css"),
        ]


def _json_ld(article: model.Article, pub: model.Publication, canonical: str) -> Any:
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
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)
