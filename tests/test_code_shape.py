"""The shape of the code (issue 13): short functions, so each step can be read and changed on its own."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

MAX_LINES = 60
# A longer function must say why in its docstring, with these words.
REASON = "Longer than 60 lines because"


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_no_function_is_longer_than_sixty_lines_without_a_reason():
    long = []
    for path in sorted((ROOT / "src" / "pressrun").rglob("*.py")):
        for node in _functions(path):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_LINES and REASON not in (ast.get_docstring(node) or ""):
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, "split these functions, or give the reason in the docstring:\n" + "\n".join(long)
