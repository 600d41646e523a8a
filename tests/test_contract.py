"""Contract: every registered exporter handles the kitchen-sink article; every renderer knows every node."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import pressrun
from conftest import FIXTURES, articles_of, run_build
from pressrun import registry
from pressrun.render.dispatch import NodeVisitor, PartWriter


def _visitor_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(pressrun.__path__, "pressrun."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, NodeVisitor) and cls not in (NodeVisitor, PartWriter) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_renderer_handles_every_node_type():
    classes = _visitor_classes()
    assert {"PlainText", "XhtmlRenderer"} <= {c.__name__ for c in classes}
    for cls in classes:
        from pressrun import model

        inline_names = {t.__name__ for t in model.INLINE_TYPES}
        if getattr(cls, "INLINE_ONLY", False):
            missing = [n for n in cls.missing_visits() if n in inline_names]
        elif getattr(cls, "BLOCK_ONLY", False):
            missing = [n for n in cls.missing_visits() if n not in inline_names]
        else:
            missing = cls.missing_visits()
        assert not missing, f"{cls.__module__}.{cls.__name__} lacks visit_ for {missing}"


# The writers of whole articles: each renders every part of the outline (issue 13).
PART_WRITERS = {"XhtmlArticle", "ArticleLayout", "ArticleWriter", "NavigationEntries", "TextFields"}  # web+EPUB+feeds, PDF, DOCX, tables of contents, checks


def test_every_article_writer_visits_every_part_type():
    writers = [cls for cls in _visitor_classes() if issubclass(cls, PartWriter)]
    assert {c.__name__ for c in writers} >= PART_WRITERS, "an article writer no longer walks the outline"
    for cls in writers:
        assert not cls.missing_part_visits(), f"{cls.__module__}.{cls.__name__} lacks visit_ for {cls.missing_part_visits()}"


def test_a_writer_missing_one_part_visit_is_caught():
    from pressrun import outline

    complete = {f"visit_{t.__name__}": (lambda self, part: None) for t in outline.PART_TYPES}
    del complete["visit_Topics"]
    lacking = type("Lacking", (PartWriter,), complete)
    assert lacking.missing_part_visits() == ["Topics"]


@pytest.mark.parametrize("name", sorted(registry.available()))
def test_every_registered_exporter_publishes_the_kitchen_sink(name, tmp_path):
    out, wire = tmp_path / "out", tmp_path / "wire"  # a wire exporter (ninjs) writes into the wire folder
    report = run_build(FIXTURES / "kitchen-sink", out, [name], wire=wire)
    assert report.exit_code == 0, [str(p) for p in report.failures + report.problems]
    _, (article,) = articles_of(FIXTURES / "kitchen-sink")
    produced = [out / p for p in report.written if not p.startswith("media/")] + [wire / p for p in report.wire_written]
    assert produced, f"{name} wrote nothing"
    for path in produced:
        assert path.stat().st_size > 0
