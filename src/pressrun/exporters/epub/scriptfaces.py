"""One design for the letters of a script: which characters a book's font subsets leave out, and why.

A reading system falls back along a CSS font stack character by character. An Urdu book was set in DejaVu
Sans's Arabic but for ہ, ے and ۔, which DejaVu Sans lacks and Noto Naskh Arabic has: two designs in one word.
When a stack's families would split a script's letters between them that way and a later family of the stack has
every one of them, the families before it are embedded without that script's characters, so the reading system
takes them all from the one family that has them all. A script one family has whole (Arabic, Persian and Hebrew
in DejaVu Sans) stays with it. The PDF follows the same rule (``exporters.pdf.fonts.FontStack.whole``), and so
does the cover (``covertype``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pressrun.exporters.epub.fonts import characters, codepoints, families_for, roles
from pressrun.theme import FontFamily, Theme


@lru_cache(maxsize=4096)
def script_name(point: int) -> str:
    """The first word of a character's Unicode name: its script for letters, marks and a script's own
    punctuation ("ARABIC LETTER HEH GOAL", "ARABIC FULL STOP" → "ARABIC"); never a script for the common ones."""
    return unicodedata.name(chr(point), "").split(" ", 1)[0]


@dataclass
class ScriptFaces:
    wholes: set[str] = field(default_factory=set)  # keys of the families a script is set in whole
    left_out: dict[str, frozenset[int]] = field(default_factory=dict)  # family key → code points its subsets lack


def whole_scripts(maps: Sequence[frozenset[int]], letters: Iterable[int]) -> dict[str, int]:
    """The scripts of ``letters`` that falling back along a stack of fonts (their code points, ``maps``, in stack
    order) one letter at a time would split between two fonts or more, each with the index of the first font that
    has every one of its letters (scripts no font has whole are left to fall back letter by letter)."""
    missing = [point for point in letters if point not in maps[0]]
    if not missing:
        return {}
    scripts = {script_name(point) for point in missing}  # only these can be split
    by_script: dict[str, set[int]] = {}
    for point in letters:
        name = script_name(point)
        if name in scripts:
            by_script.setdefault(name, set()).add(point)
    found = {}
    for name, points in by_script.items():
        if _split(maps, points):
            whole = next((n for n, have in enumerate(maps) if points <= have), None)
            if whole is not None:
                found[name] = whole
    return found


def _split(maps: Sequence[frozenset[int]], points: set[int]) -> bool:
    """Whether falling back along ``maps`` one letter at a time would take ``points`` from two fonts or more."""
    remaining, owners = set(points), 0
    for have in maps:
        taken = remaining & have
        if taken:
            owners += 1
            remaining -= taken
        if owners > 1 or not remaining:
            break
    return owners > 1


def one_design(stacks: tuple[tuple[FontFamily, ...], ...], chars: frozenset[int]) -> ScriptFaces:
    """For the book's characters ``chars`` and the stacks its CSS uses: the families to embed for a script set
    whole, and what the families before them leave out (never a script a family sets whole in another stack)."""
    found = ScriptFaces()
    if all(chars <= codepoints(stack[0].regular) for stack in stacks):
        return found  # every first family has every character: nothing to decide (nearly every book)
    letters = frozenset(c for c in chars if unicodedata.category(chr(c))[0] == "L")
    dropped: dict[str, set[str]] = {}
    kept: dict[str, set[str]] = {}
    for stack in stacks:
        for name, whole in whole_scripts([codepoints(f.regular) for f in stack], letters).items():
            found.wholes.add(stack[whole].key)
            kept.setdefault(stack[whole].key, set()).add(name)
            for family in stack[:whole]:
                dropped.setdefault(family.key, set()).add(name)
    regular = {family.key: family.regular for stack in stacks for family in stack}
    for key, names in dropped.items():
        points = _script_points(regular[key], frozenset(names - kept.get(key, set())))
        if points:
            found.left_out[key] = points
    return found


@lru_cache(maxsize=64)
def _script_points(path: Path, names: frozenset[str]) -> frozenset[int]:
    """Every code point of the font at ``path`` in the scripts ``names``: what its subsets leave out, the same
    for every book (so the subsets are made once per process, as the others are), never the book's own list."""
    return frozenset(c for c in codepoints(path) if script_name(c) in names)


def book_fonts(theme: Theme, text: str) -> tuple[tuple[FontFamily, ...], dict[str, frozenset[int]]]:
    return fonts_for(theme, roles(text), characters(text))


def fonts_for(theme: Theme, in_roles: tuple[str, ...],
              chars: frozenset[int]) -> tuple[tuple[FontFamily, ...], dict[str, frozenset[int]]]:
    """The families a book embeds (``fonts.families_for``, and each family a script is set in whole) and the
    code points each family's subsets leave out (by family key), for the book's characters ``chars`` set in the
    stacks ``in_roles``."""
    families = families_for(theme, in_roles, chars)
    design = one_design(tuple(theme.stack(role) for role in in_roles), chars)
    keys = {family.key for family in families}
    if design.wholes <= keys and not design.left_out:
        return families, {}
    keys |= design.wholes
    return tuple(f for f in theme.families.values() if f.key in keys), design.left_out
