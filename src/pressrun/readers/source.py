"""Read a whole source folder: the publication and every article, all problems at once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pressrun import model
from pressrun.errors import Diagnostics, Problem, Severity
from pressrun.memory import few_collections_while_reading
from pressrun.readers.article import MAX_SOURCE_BYTES, read_article
from pressrun.readers.memo import SourceMemo
from pressrun.readers.publication import _shown, read_publication
from pressrun.readers.shelf import pack, unpack


@dataclass
class SourceSet:
    """The publication and its valid articles as teasers (newest first); ``article`` gives one whole."""

    publication: model.Publication | None
    articles: list[model.Teaser] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    packed: dict[str, bytes] = field(default_factory=dict)  # article id -> the article packed (readers.shelf)

    def article(self, teaser: model.Teaser) -> model.Article:
        """The whole article behind one of ``articles``, unpacked anew each time (nothing is kept)."""
        return teaser if isinstance(teaser, model.Article) else unpack(self.packed[teaser.id])


# Reading costs ~2-3 ms an article: below this many articles to read, starting worker processes costs more.
PARALLEL_MIN = 64


def read_sources(source_dir: Path, memo: SourceMemo | None = None, base_url: str | None = None,
                 jobs: int = 1) -> SourceSet:
    """Every article of ``source_dir``; with a ``memo``, unchanged sources come from the last build's reading.
    ``base_url`` replaces publication.yaml's (every URL, and the ids derived from it, follow it). With ``jobs`` > 1
    the articles to read are parsed in that many processes; the result, problems included, is the same."""
    diag = Diagnostics()
    publication = read_publication(source_dir, diag, base_url)
    result = SourceSet(publication, diagnostics=diag)
    if publication is None:
        return result
    files = _article_files(source_dir, diag)
    with few_collections_while_reading():  # forked readers inherit it
        read = _read_all(files, publication, memo, jobs)
    by_slug: dict[str, model.Teaser] = {}
    by_id: dict[str, model.Teaser] = {}
    for path, shown in files:
        article, packed, problems = read[path]
        diag.extend(problems)
        if article is None or packed is None:
            continue
        if article.slug in by_slug:
            diag.error(shown, f"slug '{article.slug}' is already used by {by_slug[article.slug].source_path}; set a different 'slug'", "slug", 1)
            continue
        if article.id in by_id:
            diag.error(shown, f"id '{article.id}' is already used by {by_id[article.id].source_path}", "id", 1)
            continue
        by_slug[article.slug] = by_id[article.id] = article
        result.articles.append(article)
        result.packed[article.id] = packed
    # Newest first, then slug: a stable order for indexes, feeds and collections.
    result.articles.sort(key=lambda a: (-a.published.timestamp(), a.slug))
    return result


def _article_files(source_dir: Path, diag: Diagnostics) -> list[tuple[Path, Path]]:
    """(path, path as shown) of every article file, in name order; links out of the folder are refused."""
    root = source_dir.resolve()
    shown_folder = _shown(source_dir)  # a file listed in it is shown beside it; a link, where it leads
    files = []
    with os.scandir(source_dir) as entries:  # the entries' types come with the listing: no stat for most
        found = sorted((e.name, e) for e in entries if e.name.endswith(".md"))
    for name, entry in found:
        path = source_dir / name
        shown = _shown(path) if entry.is_symlink() else shown_folder / name
        # Only a link can lead out of the folder: a plain file listed in it is in it.
        if entry.is_symlink() and not path.resolve().is_relative_to(root):
            diag.error(shown, "is a link to a file outside the source folder; copy the file in instead", "file")
        elif entry.is_file():
            files.append((path, shown))
    return files


Reading = tuple[model.Teaser | None, bytes | None, list[Problem]]  # the teaser, the article packed, its problems


def _read_all(files: list[tuple[Path, Path]], publication: model.Publication, memo: SourceMemo | None,
              jobs: int) -> dict[Path, Reading]:
    """Each file's article (or None) and its problems: from the memo when unchanged, else parsed (in parallel
    when there are enough to parse), then remembered."""
    read: dict[Path, Reading] = {}
    todo: list[tuple[Path, Path, bytes | None, str | None]] = []
    for path, shown in files:
        if memo is None or path.stat().st_size > MAX_SOURCE_BYTES:
            todo.append((path, shown, None, None))
            continue
        data = path.read_bytes()
        key = memo.key(shown, data)
        remembered = memo.recall(key)
        if remembered is not None:
            teaser, packed, problems = remembered
            read[path] = (teaser, packed, list(problems))  # its warnings, as if read again
        else:
            todo.append((path, shown, data, key))
    jobs = min(jobs, len(todo) // (PARALLEL_MIN // 2)) if len(todo) >= PARALLEL_MIN else 1
    parsed = _parse_in_pool(todo, publication, jobs) if jobs > 1 else [_parse(t, publication) for t in todo]
    for (path, _, _, key), (teaser, packed, problems) in zip(todo, parsed):
        read[path] = (teaser, packed, problems)
        if memo is not None and key is not None and teaser is not None and packed is not None \
                and not any(p.severity is Severity.ERROR for p in problems):
            memo.remember(key, teaser, packed, problems)
    return read


def _parse(item: tuple[Path, Path, bytes | None, str | None], publication: model.Publication) -> Reading:
    """One source read, and packed at once: the whole article is not kept (a worker sends back only bytes)."""
    path, shown, data, _ = item
    own = Diagnostics()
    article = read_article(path, shown, publication, own, data) if data is not None else read_article(path, shown, publication, own)
    if article is None:
        return None, None, own.problems
    return article.teaser(), pack(article), own.problems


def _parse_in_pool(todo: list, publication: model.Publication, jobs: int) -> list[Reading]:
    """Parse in ``jobs`` forked processes (the parent has nothing else running yet), results in ``todo``'s order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(partial(_parse, publication=publication), todo, chunksize=max(1, len(todo) // (4 * jobs))))
