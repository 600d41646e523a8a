"""Refactoring guard: the same sources give byte-identical outputs (issue 13).

Digests of every output of the seed, kitchen-sink, multilingual and minimal fixtures, recorded before the
outline refactor. A change of bytes that is meant must update ``fixtures/golden-digests.json`` in the same
commit and say why; any other change is a regression. The manifest (it hashes pressrun's own code) and the
reading cache (this machine's) are not outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from conftest import FIXTURES

GOLDEN = FIXTURES / "golden-digests.json"
NOT_OUTPUTS = (".pressrun-manifest.json", ".pressrun-cache/")


def digests(out: Path) -> dict[str, str]:
    return {
        rel: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not (rel := path.relative_to(out).as_posix()).startswith(NOT_OUTPUTS)
    }


def test_outputs_are_byte_identical_to_the_recorded_digests(built_samples):
    found = {name: digests(out) for name, out in sorted(built_samples.items())}
    if os.environ.get("PRESSRUN_RECORD_GOLDEN"):  # deliberate: PRESSRUN_RECORD_GOLDEN=1 pytest tests/test_golden.py
        GOLDEN.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        pytest.skip("recorded new digests")
    recorded = json.loads(GOLDEN.read_text())
    assert sorted(found) == sorted(recorded)
    for sample in recorded:
        assert sorted(found[sample]) == sorted(recorded[sample]), f"{sample}: different files"
        changed = [path for path in recorded[sample] if found[sample][path] != recorded[sample][path]]
        assert not changed, f"{sample}: bytes changed in {changed}"
