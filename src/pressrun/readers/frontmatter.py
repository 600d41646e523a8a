"""Split a source file into YAML front matter and body, keeping key line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pressrun.errors import Diagnostics


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: many times faster


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps dates and times as strings: we parse them ourselves, with time zones."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]  # top-level key (and list item, "corrections[1].date") -> line in the file (1-based)
    body: str
    body_line: int  # line of the file where the body starts (1-based)

    def line(self, key: str) -> int | None:
        return self.lines.get(key.split(".")[0])


def load_yaml_mapping(text: str, path: Path, diag: Diagnostics, first_line: int = 1) -> tuple[dict, dict[str, int]] | None:
    """Parse a YAML mapping; returns the data and the line of each top-level key."""
    loader = _Loader(text)
    try:  # one parse: the node tree gives each key's line, then becomes the data
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        diag.error(path, f"malformed YAML: {problem}; check indentation, colons and quotes", "front matter", line)
        return None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        diag.error(path, "front matter must be a mapping of 'key: value' lines", "front matter", first_line)
        return None
    lines: dict[str, int] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            lines[str(key.value)] = first_line + key.start_mark.line
            lines.update(_item_lines(str(key.value), value, first_line))
    return data, lines


def _item_lines(key: str, node: yaml.Node, first_line: int) -> dict[str, int]:
    """``key[1]``, ``key[1].date``…: the line of each item of a list, and of each key of an item that is a mapping
    (1-based, as editors count), so a problem inside a list (a correction's date) is reported where it is."""
    found: dict[str, int] = {}
    if not isinstance(node, yaml.SequenceNode):
        return found
    for index, item in enumerate(node.value, start=1):
        found[f"{key}[{index}]"] = first_line + item.start_mark.line
        if isinstance(item, yaml.MappingNode):
            found.update({f"{key}[{index}].{k.value}": first_line + k.start_mark.line
                          for k, _ in item.value if isinstance(k, yaml.ScalarNode)})
    return found


def split_front_matter(text: str, path: Path, diag: Diagnostics) -> FrontMatter | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        diag.error(path, "no front matter: the file must start with a '---' line, then YAML, then '---'", "front matter", 1)
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            break
    else:
        diag.error(path, "front matter is not closed: add a '---' line after the YAML", "front matter", 1)
        return None
    parsed = load_yaml_mapping("\n".join(lines[1:index]), path, diag, first_line=2)
    if parsed is None:
        return None
    data, key_lines = parsed
    return FrontMatter(data, key_lines, "\n".join(lines[index + 1 :]), body_line=index + 2)
