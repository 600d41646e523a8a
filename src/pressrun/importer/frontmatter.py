"""Front matter edited in place: only the lines of the keys that change are rewritten.

ruamel.yaml (round-trip mode) finds where each key, list item and nested key is, and writes a new value in the
style of the old one (a folded ``>-`` summary stays folded, a quoted headline quoted); everything else —
other keys, comments, blank lines, key order, quoting — keeps its bytes. A comment at the end of a key's line
stays on it. Each value written is read back with pressrun's own YAML reading and must come back equal
(else it is written double-quoted, which always does).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, SingleQuotedScalarString

from pressrun.readers.frontmatter import _Loader

DELETE = object()  # a value that removes the key
ARTICLE_ORDER = ("headline", "summary", "byline", "published", "updated", "language", "slug", "id", "section", "tags",
                 "dateline", "canonical_url", "rights", "image", "why_this_matters", "takeaways")
IMAGE_ORDER = ("src", "alt", "caption", "credit")
FOLD_WIDTH = 100


@dataclass
class _Edit:
    start: int
    end: int
    lines: list[str]


def _yaml(width: int = 4096, sequence_indent: tuple[int, int] = (4, 2)) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.allow_duplicate_keys = True  # as pressrun's reader allows them (the last one wins)
    y.width = width
    y.allow_unicode = True
    y.indent(mapping=2, sequence=sequence_indent[0], offset=sequence_indent[1])
    return y


def _styled(value: Any, old: Any) -> Any:
    """A new string in the old one's scalar style (multi-line text as a literal block)."""
    if not isinstance(value, str):
        return value
    if "\n" in value:  # Markdown paragraphs, lists, hard breaks: a literal block keeps every line as it is
        return LiteralScalarString(value)
    if isinstance(old, (FoldedScalarString, LiteralScalarString)):
        return _folded(value)
    if isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    return value


def _folded(text: str, width: int = FOLD_WIDTH - 2) -> FoldedScalarString:
    """A folded scalar wrapped at single spaces, no line longer than ``width`` where a space allows."""
    folded = FoldedScalarString(text)
    positions, start, last = [], 0, None
    for i, ch in enumerate(text):
        if ch != " " or text[i - 1: i] == " " or text[i + 1: i + 2] in (" ", ""):
            continue
        if i - start > width and last is not None:
            positions.append(last)
            start = last + 1
        last = i
    if len(text) - start > width and last is not None and last >= start:
        positions.append(last)
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


def _plain(value: Any) -> Any:
    """ruamel's types as plain Python values, to compare with what pressrun's reader loads."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def dump(key: str, value: Any, old: Any = None, sequence_indent: tuple[int, int] = (4, 2)) -> list[str]:
    """``key: value`` as YAML lines, in the old value's style when it reads back the same."""
    for candidate in (_styled(value, old), _quoted(value)):  # folded text is folded by its own fold_pos
        out = io.StringIO()
        _yaml(4096, sequence_indent).dump({key: candidate}, out)
        text = out.getvalue().rstrip("\n")
        if _reads_back(text + "\n", key, value):
            return text.split("\n")
    raise ValueError(f"cannot write {key!r} as YAML")  # unreachable: double quotes hold any string


def _quoted(value: Any) -> Any:
    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    if isinstance(value, dict):
        return {k: _quoted(v) for k, v in value.items()}
    return value


def _reads_back(text: str, key: str, value: Any) -> bool:
    try:
        loaded = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get(key) == _plain(value)


class FrontMatterEditor:
    """The YAML between the ``---`` lines, with edits that touch only the lines of what changes."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.data: CommentedMap = _yaml().load(text) or CommentedMap()
        self.edits: list[_Edit] = []

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str) -> Any:
        return self.data.get(key)

    # --- where things are ------------------------------------------------------------------------------
    def _span(self, mapping: CommentedMap, key: str, limit: int) -> tuple[int, int]:
        """The lines of ``key`` in ``mapping``: from its line to the next key's (or ``limit``), less the blank
        lines and comment lines at the end, which belong to what follows."""
        start = mapping.lc.key(key)[0]
        keys = list(mapping)
        position = keys.index(key)
        end = mapping.lc.key(keys[position + 1])[0] if position + 1 < len(keys) else limit
        indent = mapping.lc.key(key)[1]
        while end > start + 1 and (not self.lines[end - 1].strip() or _comment_at(self.lines[end - 1], indent)):
            end -= 1
        return start, end

    def _line_comment(self, start: int) -> str:
        """A comment at the end of a key's own line (``headline: …   # required``)."""
        line = self.lines[start]
        header = re.match(r"^\s*[^#'\"]*?:\s*[|>][-+0-9]*(\s+#.*)$", line)  # a block scalar's header line
        if header:
            return header.group(1).rstrip()
        try:
            tokens = list(yaml.scan(line))
        except yaml.YAMLError:
            return ""
        ends = (yaml.ScalarToken, yaml.ValueToken, yaml.KeyToken, yaml.BlockEntryToken, yaml.FlowSequenceEndToken,
                yaml.FlowMappingEndToken, yaml.AnchorToken, yaml.AliasToken, yaml.TagToken)
        last = max((t.end_mark.column for t in tokens if isinstance(t, ends)), default=len(line))
        rest = line[last:]
        return rest.rstrip() if rest.strip().startswith("#") else ""

    # --- edits ------------------------------------------------------------------------------------------
    def set(self, key: str, value: Any) -> None:
        """Replace, add (in pressrun's field order) or remove (``DELETE``) a top-level key."""
        if key in self.data:
            start, end = self._span(self.data, key, len(self.lines))
            if value is DELETE:
                self.edits.append(_Edit(start, end, []))
                return
            lines = dump(key, value, self.data[key], self._sequence_indent(self.data.get(key)))
            lines[0] += self._line_comment(start)
            self.edits.append(_Edit(start, end, lines))
        elif value is not DELETE:
            at = self._insertion_point(self.data, key, ARTICLE_ORDER, len(self.lines))
            self.edits.append(_Edit(at, at, dump(key, value)))

    def set_list(self, key: str, items: list[tuple[int | None, Any]]) -> None:
        """A block list where kept items (by their old index) keep their lines and new ones are written."""
        old = self.data.get(key)
        if not isinstance(old, CommentedSeq) or old.fa.flow_style() or not old or not items:
            self.set(key, [value for _, value in items] if items else DELETE)
            return
        start, end = self._span(self.data, key, len(self.lines))
        item_lines = [old.lc.item(i)[0] for i in range(len(old))]
        bounds = [*item_lines[1:], end]
        dash = self.lines[item_lines[0]].index("-") if "-" in self.lines[item_lines[0]] else 2
        out = self.lines[start:item_lines[0]]
        for index, value in items:
            if index is not None:
                out.extend(self.lines[item_lines[index]:bounds[index]])
            else:
                out.extend(" " * dash + line for line in dump("x", [value], sequence_indent=(2, 0))[1:])
        self.edits.append(_Edit(start, end, out))

    def set_nested(self, key: str, sub: str, value: Any, order: tuple[str, ...] = IMAGE_ORDER) -> None:
        """A key of a nested block mapping (``image.alt``); a flow mapping is written again whole."""
        mapping = self.data.get(key)
        if not isinstance(mapping, CommentedMap) or mapping.fa.flow_style():
            whole = dict(mapping) if isinstance(mapping, dict) else {}
            if value is DELETE:
                whole.pop(sub, None)
            else:
                whole[sub] = value
            self.set(key, whole)
            return
        _, limit = self._span(self.data, key, len(self.lines))
        indent = mapping.lc.key(next(iter(mapping)))[1]
        if sub in mapping:
            start, end = self._span(mapping, sub, limit)
            lines = [] if value is DELETE else [" " * indent + line for line in dump(sub, value, mapping[sub])]
            if lines:
                lines[0] += self._line_comment(start)
            self.edits.append(_Edit(start, end, lines))
        elif value is not DELETE:
            at = self._insertion_point(mapping, sub, order, limit)
            self.edits.append(_Edit(at, at, [" " * indent + line for line in dump(sub, value)]))

    def _insertion_point(self, mapping: CommentedMap, key: str, order: tuple[str, ...], limit: int) -> int:
        rank = order.index(key) if key in order else len(order)
        before = [k for k in mapping if k in order and order.index(k) < rank]
        if before:
            return self._span(mapping, before[-1], limit)[1]
        return mapping.lc.key(next(iter(mapping)))[0] if mapping else 0

    def _sequence_indent(self, value: Any) -> tuple[int, int]:
        if isinstance(value, CommentedSeq) and value and not value.fa.flow_style():
            line = self.lines[value.lc.item(0)[0]]
            dash = len(line) - len(line.lstrip())
            return (dash + 2, dash)
        return (4, 2)

    def text(self) -> str:
        lines = list(self.lines)
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            lines[edit.start:edit.end] = edit.lines
        return "\n".join(lines)


def _comment_at(line: str, indent: int) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("#") and len(line) - len(stripped) <= indent
