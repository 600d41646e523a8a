"""Package metadata for an article's book and for the collection ("issue") book."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pressrun import model
from pressrun.exporters.epub.book import BookInfo, Creator
from pressrun.render.plain import plain

# Free-text roles from bylines → MARC relator codes, which reading systems understand.
MARC_ROLES = {
    "author": "aut", "writer": "aut", "reporter": "aut", "correspondent": "aut", "columnist": "aut",
    "editor": "edt", "photographer": "pht", "photos": "pht", "illustrator": "ill", "translator": "trl",
    "contributor": "ctb", "compiler": "com", "producer": "pro", "researcher": "res",
}


def creator(author: model.Author) -> Creator:
    """A byline entry as dc:creator: no role means the author; an unknown role stays as written."""
    if not author.role:
        return Creator(author.name, "aut", True)
    code = MARC_ROLES.get(author.role.strip().lower())
    return Creator(author.name, code, True) if code else Creator(author.name, author.role.strip(), False)


def article_info(article: model.Article, publication: model.Publication) -> BookInfo:
    return BookInfo(
        identifier=article.id,
        title=article.headline,
        languages=(article.language,),
        creators=tuple(creator(a) for a in article.byline),
        published=article.published,
        modified=article.modified,
        description=plain(article.summary),
        subjects=article.tags,
        publisher=publication.title,
        rights=article.rights,
    )


def collection_id(publication: model.Publication) -> str:
    """Stable for a publication: derived from its base URL, never from its contents."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, publication.base_url + '#epub-collection')}"


def collection_info(articles: Sequence[model.Teaser], publication: model.Publication) -> BookInfo:
    """The issue: its articles newest first; people, tags and languages merged in that order."""
    languages = dict.fromkeys([publication.language, *(a.language for a in articles)])
    people = publication.authors or tuple(dict.fromkeys(p for a in articles for p in a.byline))
    names: dict[str, Creator] = {}
    for person in people:
        names.setdefault(person.name, creator(person))
    return BookInfo(
        identifier=collection_id(publication),
        title=publication.title,
        languages=tuple(languages),
        creators=tuple(names.values()),
        published=max(a.published for a in articles),
        modified=max(a.modified for a in articles),
        description=publication.description,
        subjects=tuple(dict.fromkeys(t for a in articles for t in a.tags)),
        publisher=publication.title,
        rights=publication.rights,
    )
