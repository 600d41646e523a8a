"""What the client sends to Dask workers, and how paths cross between them.

Workers share no filesystem with the client, so nothing they are sent names a client file. Before a
model leaves the client every path in it is replaced by a placeholder under one of three roots:

- ``pressrun-cluster:source/<file>``: the article's source file and the publication folder. Exporters
  only print these in located problems; a worker never opens them.
- ``pressrun-cluster:images/<n>/<name>``: the article's images, whose bytes travel with the task. The
  worker writes them into a temporary folder of its own (keeping the file name, which the DOCX records)
  and points the model there.
- ``pressrun-cluster:styles/<relative path>``: the theme's files (fonts, CSS, reference DOCX, theme.yaml),
  sent once per build to every worker and written once per worker process.

Problems come back with placeholders, and the client turns them into its own paths, so a failure reads
exactly as in a local build.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pressrun import model
from pressrun.theme import Theme

SOURCE = Path("pressrun-cluster:source")
IMAGES = Path("pressrun-cluster:images")
STYLES = Path("pressrun-cluster:styles")


@dataclass(frozen=True)
class BuildPayload:
    """What every task of one build shares: sent once to each worker (by a worker plugin), not per task."""

    token: str  # this build's id: a worker process builds its exporters once per build
    identity: tuple[str, str]  # the client's pressrun version and code fingerprint
    publication: model.Publication  # source_dir → SOURCE
    theme: Theme  # every path under STYLES
    theme_files: Mapping[str, bytes]  # every file of the styles folder, by relative POSIX path
    formats: tuple[str, ...]
    classes: tuple[type, ...]  # the article exporters, in run order
    renderer: type  # pressrun.parallel.ArticleRenderer (passed in: the cluster does not import it)
    keep_going: bool
    timeout: float | None
    languages: tuple[str, ...] = ()  # ExportContext.languages: the publication's, decided by the client


@dataclass(frozen=True)
class ArticleTask:
    index: int  # the article's place in the build's list
    pickled: bytes  # the Article, source_path under SOURCE and image paths under IMAGES (pickled here,
    # once: the scheduler passes the bytes on without unpickling thousands of model nodes)
    images: Mapping[str, bytes]  # placeholder path → the image's bytes

    def article(self) -> model.Article:
        return pickle.loads(self.pickled)


# Nodes that hold no path: the walk does not go into them (a body's inline text is most of an article).
_NO_PATHS = (str, int, float, bool, type(None), datetime, *model.INLINE_TYPES, model.Paragraph, model.Heading,
             model.CodeBlock, model.ThematicBreak, model.Author)


def map_paths(node: Any, place: Callable[[Path], Path]) -> Any:
    """``node`` (a model or theme dataclass, a tuple, a dict) with every Path in it replaced by ``place(path)``.

    Unchanged subtrees are returned as they are, so only the nodes on the way to a path are copied.
    """
    if isinstance(node, _NO_PATHS):
        return node
    if isinstance(node, Path):
        return place(node)
    if isinstance(node, tuple):
        items = tuple(map_paths(item, place) for item in node)
        return node if all(a is b for a, b in zip(items, node)) else items
    if isinstance(node, dict):
        mapped = {key: map_paths(value, place) for key, value in node.items()}
        return node if all(mapped[k] is v for k, v in node.items()) else mapped
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            new = map_paths(value, place)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node


def article_task(index: int, article: model.Article) -> ArticleTask:
    """The article with placeholders for its paths, and its images' bytes (read now, on the client)."""
    placed: dict[Path, Path] = {article.source_path: SOURCE / article.source_path.name}
    for image in article.images():
        placed.setdefault(image.path, IMAGES / str(len(placed) - 1) / image.path.name)
    images = {p.as_posix(): path.read_bytes() for path, p in placed.items() if p.is_relative_to(IMAGES)}
    return ArticleTask(index, pickle.dumps(map_paths(article, placed.__getitem__), pickle.HIGHEST_PROTOCOL), images)


def client_names(article: model.Article, publication: model.Publication, theme: Theme) -> dict[str, str]:
    """Placeholder → the client's own path, to turn a worker's problems back into a local build's."""
    names = {str(SOURCE / article.source_path.name): str(article.source_path), str(SOURCE): str(publication.source_dir),
             str(STYLES): str(theme.root)}
    for n, image in enumerate(dict.fromkeys(i.path for i in article.images())):
        names[str(IMAGES / str(n) / image.name)] = str(image)
    return names


def theme_placeholders(theme: Theme) -> tuple[Theme, dict[str, bytes]]:
    """The theme with its paths under STYLES, and the bytes of every file of its folder.

    A ValueError names a theme file outside the styles folder (a worker could not be sent it).
    """
    root = theme.root.resolve()

    def place(path: Path) -> Path:
        try:
            return STYLES / path.resolve().relative_to(root)
        except ValueError:
            raise ValueError(f"{path} is outside the styles folder {theme.root}") from None

    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return map_paths(theme, place), files


def rename_in_problems(result: Any, names: Mapping[str, str]) -> Any:
    """Replace each name's key by its value in the paths and messages of ``result``'s problems (in place)."""
    if not names:
        return result
    # One pass, a longer name first (a file's before its folder's); a replacement is never looked at again.
    pattern = re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))

    def rename(text: str) -> str:
        return pattern.sub(lambda m: names[m.group(0)], text)

    for fmt in result.formats:
        fmt.problems = [dataclasses.replace(p, path=rename(p.path), message=rename(p.message)) for p in fmt.problems]
    return result
