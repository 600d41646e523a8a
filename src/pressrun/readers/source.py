"""Read a whole source folder: the publication and every article, all problems at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pressrun import model
from pressrun.errors import Diagnostics
from pressrun.readers.article import MAX_SOURCE_BYTES, read_article
from pressrun.readers.memo import SourceMemo
from pressrun.readers.publication import _shown, read_publication


@dataclass
class SourceSet:
    publication: model.Publication | None
    articles: list[model.Article] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def read_sources(source_dir: Path, memo: SourceMemo | None = None, base_url: str | None = None) -> SourceSet:
    """Every article of ``source_dir``; with a ``memo``, unchanged sources come from the last build's reading.
    ``base_url`` replaces publication.yaml's (every URL, and the ids derived from it, follow it)."""
    diag = Diagnostics()
    publication = read_publication(source_dir, diag, base_url)
    result = SourceSet(publication, diagnostics=diag)
    if publication is None:
        return result
    root = source_dir.resolve()
    by_slug: dict[str, model.Article] = {}
    by_id: dict[str, model.Article] = {}
    for path in sorted(source_dir.glob("*.md")):
        shown = _shown(path)
        if not path.resolve().is_relative_to(root):
            diag.error(shown, "is a link to a file outside the source folder; copy the file in instead", "file")
            continue
        if not path.is_file():
            continue
        article = _read(path, shown, publication, diag, memo)
        if article is None:
            continue
        if article.slug in by_slug:
            diag.error(shown, f"slug '{article.slug}' is already used by {by_slug[article.slug].source_path}; set a different 'slug'", "slug", 1)
            continue
        if article.id in by_id:
            diag.error(shown, f"id '{article.id}' is already used by {by_id[article.id].source_path}", "id", 1)
            continue
        by_slug[article.slug] = by_id[article.id] = article
        result.articles.append(article)
    # Newest first, then slug: a stable order for indexes, feeds and collections.
    result.articles.sort(key=lambda a: (-a.published.timestamp(), a.slug))
    return result


def _read(path: Path, shown: Path, publication: model.Publication, diag: Diagnostics, memo: SourceMemo | None) -> model.Article | None:
    if memo is None or path.stat().st_size > MAX_SOURCE_BYTES:
        return read_article(path, shown, publication, diag)
    data = path.read_bytes()
    key = memo.key(shown, data)
    remembered = memo.recall(key)
    if remembered is not None:
        diag.extend(remembered[1])  # its warnings, as if read again
        return remembered[0]
    own = Diagnostics()
    article = read_article(path, shown, publication, own, data)
    diag.extend(own.problems)
    if article is not None and not own.errors:
        memo.remember(key, article, own.problems)
    return article
