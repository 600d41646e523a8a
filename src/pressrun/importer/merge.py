"""A changed block field (the body, why-this-matters): new Markdown that keeps every unchanged block's text.

The source's export and the editor's DOCX are both read into blocks and aligned (difflib, as ``diff`` aligns
lines). A run of the source's blocks that comes back unchanged keeps its Markdown exactly as written —
wrapping, ``*`` or ``_``, reference links, comments in the white space — and only the blocks the editor
changed, added or removed are written anew. Source blocks that the DOCX shows as one (two quotes side by side)
are kept or rewritten together.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from pressrun import model
from pressrun.importer.blocks import BlockReader, Warn
from pressrun.importer.chunks import Chunk
from pressrun.importer.mdblocks import BlockWriter
from pressrun.importer.paragraphs import Para


@dataclass
class _Unit:
    blocks: list[int]  # the baseline's top-level blocks
    first: int  # the source chunks [first, last] they come from
    last: int


def read_blocks(paras: list[Para], warn: Warn) -> list[model.Block]:
    return BlockReader(paras, warn).read().blocks


def units(base_paras: list[Para], owners: list[int], chunk_count: int) -> tuple[list[model.Block], list[_Unit]]:
    """The baseline's blocks, grouped so that no source chunk is split between groups."""
    built = BlockReader(base_paras, lambda n, m: None).read()
    found: list[_Unit] = []
    for index, (start, end) in enumerate(built.ranges):
        chunks = [owners[p] for p in range(start, end)]
        first, last = min(chunks), max(chunks)
        if found and first <= found[-1].last:
            found[-1].blocks.append(index)
            found[-1].last = max(found[-1].last, last)
        else:
            found.append(_Unit([index], first, last))
    # chunks that made no paragraph (nothing to show) stay with the unit before them
    for unit, following in zip(found, found[1:]):
        unit.last = following.first - 1
    if found:
        found[0].first, found[-1].last = 0, max(found[-1].last, chunk_count - 1)
    return built.blocks, found


def merge(text: str, chunks: list[Chunk], base_paras: list[Para], owners: list[int], edited: list[model.Block],
          writer: BlockWriter, force: bool = False) -> str:
    """The field's new Markdown: ``text`` with its changed blocks rewritten (``force``: every block)."""
    if not chunks or force:
        return writer.text(tuple(edited))
    base, groups = units(base_paras, owners, len(chunks))
    pairs = {}
    for tag, i1, i2, j1, _ in SequenceMatcher(None, base, edited, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.update({i1 + k: j1 + k for k in range(i2 - i1)})
    kept: dict[int, _Unit] = {}  # first edited block of a unit kept whole → the unit
    for unit in groups:
        targets = [pairs.get(b) for b in unit.blocks]
        if None not in targets and targets == list(range(targets[0], targets[0] + len(targets))):
            kept[targets[0]] = unit
    lines = text.split("\n")
    return _assemble(lines, chunks, edited, kept, writer)


def _assemble(lines: list[str], chunks: list[Chunk], edited: list[model.Block], kept: dict[int, _Unit],
              writer: BlockWriter) -> str:
    pieces: list[tuple[str, object]] = []  # ("keep", unit) or ("new", [blocks])
    j = 0
    while j < len(edited):
        if j in kept:
            pieces.append(("keep", kept[j]))
            j += len(kept[j].blocks)
        else:
            if not pieces or pieces[-1][0] != "new":
                pieces.append(("new", []))
            pieces[-1][1].append(edited[j])  # type: ignore[union-attr]
            j += 1
    out = lines[: chunks[0].start]
    emitted: set[int] = set()
    for n, (kind, what) in enumerate(pieces):
        if kind == "keep":
            unit = what
            assert isinstance(unit, _Unit)
            out.extend(lines[chunks[unit.first].start: _end(chunks, unit.last, lines)])
            emitted.update(range(unit.first, unit.last + 1))
            after = pieces[n + 1] if n + 1 < len(pieces) else None
            adjacent = after is not None and after[0] == "keep" and after[1].first == unit.last + 1  # type: ignore[union-attr]
            out.extend(_gap(lines, chunks, unit.last, verbatim=adjacent))
        else:
            before = _mark(pieces, n - 1, chunks, last=True)
            following = _mark(pieces, n + 1, chunks, last=False)
            out.extend(writer.text(tuple(what), before, following).split("\n"))  # type: ignore[arg-type]
            out.append("")
    out.extend(_orphans(lines, chunks, emitted))
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def _end(chunks: list[Chunk], index: int, lines: list[str]) -> int:
    return chunks[index].end if index < len(chunks) else len(lines)


def _gap(lines: list[str], chunks: list[Chunk], index: int, verbatim: bool) -> list[str]:
    """The lines between chunk ``index`` and the next: as written between kept neighbours, else one blank line
    (plus any reference definitions in them)."""
    start = chunks[index].end
    end = chunks[index + 1].start if index + 1 < len(chunks) else len(lines)
    gap = lines[start:end]
    if verbatim:
        return gap
    kept = [line for line in gap if line.strip()]
    return ["", *kept, ""] if kept else [""]


def _orphans(lines: list[str], chunks: list[Chunk], emitted: set[int]) -> list[str]:
    """Reference definitions between chunks that were not kept: links elsewhere may still use them."""
    found: list[str] = []
    for index in range(len(chunks)):
        if index in emitted:
            continue
        end = chunks[index + 1].start if index + 1 < len(chunks) else len(lines)
        found.extend(line for line in lines[chunks[index].end:end] if line.strip())
    return ["", *found] if found else []


def _mark(pieces: list, n: int, chunks: list[Chunk], last: bool):
    if n < 0 or n >= len(pieces) or pieces[n][0] != "keep":
        return None
    unit = pieces[n][1]
    return chunks[unit.last if last else unit.first].mark
