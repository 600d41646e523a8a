"""Where each feed lives. The web edition links to these paths for autodiscovery.

Section and tag feeds are named by ``slugify(name)``. Two cases need care:
a name that slugifies to nothing (Кавказ, Կովկաս) and two different names
with the same slug (C++ and C, Testing and testing). Both get a suffix
derived from the name alone, so a feed's address never depends on the order
articles were read in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from pressrun import model
from pressrun.text import slugify

from pressrun.site import ATOM_FEED, JSON_FEED, RSS_FEED, section_feeds

RSS, ATOM, JSON = RSS_FEED[0], ATOM_FEED[0], JSON_FEED[0]


def _name_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Each distinct name → a slug no other name in ``names`` has."""
    distinct = sorted(set(names))
    by_slug: dict[str, list[str]] = {}
    for name in distinct:
        by_slug.setdefault(slugify(name), []).append(name)
    result: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            if slug and len(group) == 1:
                result[name] = slug
            else:  # empty or shared: disambiguate by the name itself
                result[name] = f"{slug}-{_name_hash(name)}" if slug else _name_hash(name)
    # A hashed slug could, in theory, equal a real one: number any such clash.
    seen: set[str] = set()
    for name in distinct:
        slug, n = result[name], 2
        while result[name] in seen:
            result[name] = f"{slug}-{n}"
            n += 1
        seen.add(result[name])
    return result


def sections(articles: Sequence[model.Teaser]) -> dict[str, str]:
    """Section name → slug, over every article of the build."""
    return unique_slugs(a.section for a in articles if a.section)


def tags(articles: Sequence[model.Teaser]) -> dict[str, str]:
    """Tag name → slug, over every article of the build."""
    return unique_slugs(t for a in articles for t in a.tags)


def section_feed_paths(article: model.Article, articles: Sequence[model.Teaser]) -> tuple[str, str] | None:
    """The (RSS, Atom) paths of ``article``'s section feed, for autodiscovery links; None without a section."""
    if not article.section:
        return None
    return section_feeds(sections(articles)[article.section])
