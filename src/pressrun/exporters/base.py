"""The exporter contract. Exporters turn the model into bytes; the build owns paths and writing."""

from __future__ import annotations

import io

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, ClassVar

from pressrun import model
from pressrun.errors import Problem
from pressrun.language import reading_language
from pressrun.theme import Theme


@dataclass(frozen=True)
class Output:
    """One file an exporter produced, relative to the output root (POSIX path): its bytes, or (``produce``) a
    function that writes them into a file as they are made and returns how many it wrote (an issue e-book of
    every article is never held whole); ``data`` is then empty, and the build calls it when it writes the file."""

    path: str
    data: bytes
    media_type: str
    article_id: str | None = None  # the article it belongs to, if any
    label: str | None = None  # set on downloadable editions ("PDF", "EPUB"…): pages link to them
    produce: Callable[[BinaryIO], int] | None = field(default=None, compare=False, repr=False)

    def content(self) -> bytes:
        """The file's bytes, made in memory if they are produced (tests, and anything that needs them whole)."""
        if self.produce is None:
            return self.data
        out = io.BytesIO()
        self.produce(out)
        return out.getvalue()

    def record(self, size: int | None = None) -> "Written":
        """What the build remembers of it; ``size``: what ``produce`` wrote (known once it is written)."""
        if size is None:
            assert self.produce is None, "a produced output's size is known once it is written"
            size = len(self.data)
        return Written(self.path, self.media_type, self.article_id, self.label, size)


@dataclass(frozen=True)
class Written:
    """What the build remembers of an output once written: everything but its bytes."""

    path: str
    media_type: str
    article_id: str | None
    label: str | None
    size: int


@dataclass
class FormatResult:
    """One format of one article as rendered (in this process, a -j worker or a cluster): outputs or problems."""

    fmt: str
    outputs: list[Output] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ArticleResult:
    article_id: str
    formats: list[FormatResult]


@dataclass(frozen=True)
class Part:
    """One independently rebuilt piece of an exporter's publication-level output (a feed, the issue…).

    The build re-exports a part only when its name, ``label`` or the articles it is made of
    (their content keys) change; otherwise it keeps the files the last build wrote for it.
    """

    name: str
    articles: Sequence[model.Teaser]  # ``ExportContext.article`` gives one whole
    label: str | None = None  # anything else the part's output depends on (e.g. the feed's section)


Fragment = tuple[str, str, Any]  # (article id, its content key when made, the value)


@dataclass
class Fragments:
    """What exporters made in earlier builds, each for one article, by keys they make from its content key
    (``ExportContext.content_keys``): a feed entry, say, is made again only when its article changed. The next
    build gets what this one made or used, and what it kept for articles still there unchanged."""

    stored: dict[str, Fragment] = field(default_factory=dict)
    made: dict[str, Fragment] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        found = self.made.get(key) or self.stored.get(key)
        return None if found is None else found[2]

    def put(self, key: str, value: Any, article_id: str, content_key: str) -> None:
        self.made[key] = (article_id, content_key, value)

    def kept(self, content_keys: dict[str, str]) -> dict[str, Fragment]:
        """For the next build: what this one made, and what was stored for articles still there unchanged."""
        still = {k: f for k, f in self.stored.items() if content_keys.get(f[0]) == f[1]}
        return still | self.made


@dataclass
class ExportContext:
    """What every exporter may know: publication, theme, all articles, and what has been written so far."""

    publication: model.Publication
    theme: Theme
    articles: Sequence[model.Teaser]  # every valid article, newest first, as teasers (``article`` gives one whole)
    formats: tuple[str, ...] = ()  # the exporters taking part in this build
    written: list[Written] = field(default_factory=list)  # what the build wrote or kept so far (only appended to)
    # The outputs of the article being rendered, format by format (ArticleRenderer): its page links them.
    pending: list[Written] = field(default_factory=list)
    # A multilingual publication's languages (``publication_languages``), decided once by the build: an article's
    # page links its language's feeds, so a worker that sees one article must be told them.
    languages: tuple[str, ...] = ()
    now: datetime | None = None  # the build clock (``pressrun.clock``): the news sitemap's window is counted from it
    # The whole article behind a teaser (the build unpacks it from what it read; readers.shelf). Articles given
    # whole, as tests do, need none.
    load: Callable[[model.Teaser], model.Article] | None = field(default=None, repr=False, compare=False)
    # ``written`` by article id, brought up to date as it grows (a scan per page made a build quadratic in N).
    _by_article: dict[str | None, list[Written]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: int = field(default=0, init=False, repr=False, compare=False)
    # Each article's content key (cache.article_key: its source, images and the build's salt), once the build has
    # planned it; with ``fragments``, what publication-level exports reuse across builds.
    content_keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    fragments: Fragments = field(default_factory=Fragments, repr=False, compare=False)

    def article(self, teaser: model.Teaser) -> model.Article:
        """The whole article behind a teaser, loaded anew (keep it no longer than needed: memory stays flat)."""
        if isinstance(teaser, model.Article):
            return teaser
        assert self.load is not None, "a build that passes teasers passes their loader"
        return self.load(teaser)

    def downloads(self, article: model.Teaser) -> list[Written]:
        """Downloadable editions of this article that this build wrote (or kept, unchanged, from the last one)."""
        if self._indexed > len(self.written):  # not the build's way, but then index anew
            self._by_article.clear()
            self._indexed = 0
        for record in self.written[self._indexed:]:
            self._by_article.setdefault(record.article_id, []).append(record)
        self._indexed = len(self.written)
        mine = self._by_article.get(article.id, []) + [o for o in self.pending if o.article_id == article.id]
        return [o for o in mine if o.label]

    def written_paths(self) -> set[str]:
        return {o.path for o in self.written}


def publication_languages(articles: Sequence[model.Teaser], first: str) -> tuple[str, ...]:
    """The languages of a multilingual publication's articles: ``first`` (the publication's) leading when it is
    one of them, then by tag. Empty when every article is in one language: such a publication stays as it was,
    with no language feeds, sections or links."""
    found = {reading_language(article.language) for article in articles}
    if len(found) < 2:
        return ()
    return tuple(sorted(found, key=lambda tag: (tag != first, tag)))


class Exporter:
    """Base class for exporters.

    ``order`` decides when an exporter runs: documents first (they link to
    nothing), then feeds and pages that link to the documents already written.
    Heavy imports belong inside the module's functions or ``__init__``, not at
    import time of ``pressrun``.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    order: ClassVar[int] = 10
    # A wire exporter writes for partners, never the public: it gets every article (embargoed, withheld and
    # canceled ones too, so recipients can hold or recall them) and its outputs go into the wire folder.
    wire: ClassVar[bool] = False
    # Its article export reads nothing the other exporters made (``ctx.pending``, ``ctx.written``) and changes
    # nothing they read (``ctx.fragments``): with -j 2 or more, one article alone may be exported in a forked
    # process beside the others (parallel.py).
    apart: ClassVar[bool] = False

    def __init__(self, ctx: ExportContext):
        self.ctx = ctx

    def export_article(self, article: model.Article) -> list[Output]:
        """Outputs for one article (may be empty)."""
        return []

    def export_publication(self, articles: Sequence[model.Teaser]) -> list[Output]:
        """Outputs built from all articles at once: indexes, feeds, collections. They come as teasers: an
        output that needs an article's text asks ``self.ctx.article`` for it."""
        return []

    def publication_parts(self, articles: Sequence[model.Teaser]) -> list[Part]:
        """How the publication-level export splits into parts the build caches separately.

        The default is one part made of every article (any change rebuilds it); exporters with
        many outputs that each depend on a few articles (feeds) override this and ``export_part``.
        """
        return [Part("all", articles)]

    def export_part(self, part: Part) -> list[Output]:
        return self.export_publication(part.articles)
