"""Articles remembered between builds, so an unchanged source is not parsed again.

Reading an article (YAML, CommonMark, checking every image by decoding it)
costs milliseconds; a no-op rebuild of 1,000 articles would spend seconds
re-reading what it read last time. The memo maps a key to the article as read
(its teaser and the article packed by ``shelf.pack``) with its warnings. The key covers the source's bytes and its name as
shown in messages, publication.yaml and pressrun's own code; an entry is used
only if every image it refers to still has the size and modification time it
had. Only articles read without errors are remembered: a broken source is read
(and reported) again every time.

The memo lives in the output folder (``.pressrun-cache/``); deleting it only
costs time. It is written with the build's atomic writer, so a killed build
leaves the old memo or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pressrun import model
from pressrun.digest import code_fingerprint
from pressrun.errors import Problem
from pressrun.stored import load_salted

MEMO = ".pressrun-cache/sources.pickle"
SCHEMA = 3  # 3: ((teaser, problems, image stats) pickled, packed article); 2 pickled the packed bytes inside


def _stats(article: model.Teaser) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(i.path), *_stat(i.path)) for i in article.images())


def _stat(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


@dataclass
class SourceMemo:
    salt: str  # publication.yaml and pressrun's code: a change to either forgets everything
    # key -> ((teaser, problems, image stats) pickled, the packed article): the packed bytes kept as they are, the
    # very object the build renders from (not a second copy inside a pickle)
    entries: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    changed: bool = False
    keys: dict[str, str] = field(default_factory=dict)  # article id -> its key in this build

    @classmethod
    def load(cls, out_dir: Path, publication_file: bytes, trust: bool = True) -> "SourceMemo":
        """The stored memo (``trust=False``: start empty, as ``--force`` asks)."""
        salt = hashlib.sha256(f"{SCHEMA}|{code_fingerprint()}|".encode() + publication_file).hexdigest()
        memo = cls(salt)
        if not trust:
            memo.changed = True
            return memo
        memo.entries = load_salted(out_dir / MEMO, salt)  # none yet, unreadable or stale: read everything
        return memo

    def key(self, shown: Path, data: bytes) -> str:
        return hashlib.sha256(f"{self.salt}|{shown}|".encode() + data).hexdigest()

    def recall(self, key: str) -> tuple[model.Teaser, bytes, list[Problem]] | None:
        """The teaser, the packed article and the warnings remembered under ``key``, if its images are unchanged."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        facts, packed = entry
        teaser, problems, stats = pickle.loads(facts)
        if stats != _stats(teaser):
            return None  # an image was replaced, touched or removed: read the source again
        self.used.add(key)
        self.keys[teaser.id] = key
        return teaser, packed, problems

    def remember(self, key: str, teaser: model.Teaser, packed: bytes, problems: list[Problem]) -> None:
        facts = pickle.dumps((teaser, problems, _stats(teaser)), protocol=pickle.HIGHEST_PROTOCOL)
        self.entries[key] = (facts, packed)
        self.used.add(key)
        self.keys[teaser.id] = key
        self.changed = True

    def forget(self, article_ids: set[str]) -> None:
        """Keep these articles out of the stored memo: it lives in the output folder, and an embargoed or withdrawn
        article must leave no trace there (they are read again next time, which costs milliseconds)."""
        for article_id in article_ids:
            key = self.keys.pop(article_id, None)
            if key is not None:
                self.used.discard(key)
                self.entries.pop(key, None)
                self.changed = True

    @property
    def unchanged(self) -> bool:
        """Nothing to store: the stored memo holds exactly what this build used."""
        return not self.changed and self.used == set(self.entries)

    def write_to(self, handle: BinaryIO) -> None:
        """The memo to store (only what this build used), pickled into ``handle``."""
        kept = {k: self.entries[k] for k in sorted(self.used)}
        pickle.dump((self.salt, kept), handle, protocol=pickle.HIGHEST_PROTOCOL)
