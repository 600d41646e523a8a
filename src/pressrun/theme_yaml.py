"""The theme file read with the line of every key and value, so each problem can be located."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LocatedYaml:
    data: Any
    key_lines: dict[str, int] = field(default_factory=dict)  # "sizes.body" -> line of the key
    value_lines: dict[str, int] = field(default_factory=dict)  # "sizes.body" -> line of its value

    def line(self, dotted: str, *, of_key: bool = False) -> int | None:
        """The line of a value (or of its key), falling back to the nearest enclosing key."""
        lines = self.key_lines if of_key else self.value_lines
        while dotted:
            if dotted in lines:
                return lines[dotted]
            if dotted in self.key_lines:
                return self.key_lines[dotted]
            dotted = dotted.rpartition(".")[0]
        return None


def load_located(text: str) -> LocatedYaml:
    """Parse YAML once: the node tree gives every line, then becomes the data. Raises yaml.YAMLError."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    located = LocatedYaml(data)
    if node is not None:
        _collect(node, "", located)
    return located


def _collect(node: yaml.Node, prefix: str, located: LocatedYaml) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            dotted = f"{prefix}.{key.value}" if prefix else str(key.value)
            located.key_lines[dotted] = key.start_mark.line + 1
            located.value_lines[dotted] = value.start_mark.line + 1
            _collect(value, dotted, located)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            dotted = f"{prefix}.{index}"
            located.value_lines[dotted] = item.start_mark.line + 1
            _collect(item, dotted, located)
