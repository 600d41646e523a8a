"""`pressrun verify` and `build --verify`: a good build is clean; each hand-corrupted output is named, exit 1."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT, SOURCE
from pressrun.verify.pdf import check_file as check_pdf

SLUG = "russian-peacekeepers-leave-karabakh"  # the seed article in source/
SUMMARY = re.compile(  # groups: HTML, PDF, DOCX, EPUB and feed files checked; the folder; the verdict
    r"^pressrun verify: checked (\d+) HTML, (\d+) PDF, (\d+) DOCX, (\d+) EPUB, (\d+) feed, 1 manifest in (.+): (.+)$",
    re.MULTILINE,
)
JAVA = shutil.which("java") is not None

PLUGIN = '''
from pressrun.exporters.base import Exporter, Output


class BrokenLinkExporter(Exporter):
    name = "brokenlink"
    description = "A page with a link to a file nobody wrote (test plugin)."
    order = 30

    def export_article(self, article):
        page = '<!DOCTYPE html><html lang="en"><title>x</title><p><a href="nowhere.html">x</a></p></html>'
        return [Output(f"broken/{article.slug}.html", page.encode(), "text/html", article.id)]
'''


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressrun", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=600, env={**os.environ, **(env or {})})


def no_java_line(out: Path) -> str:
    return (f"{out.as_posix()}: epubcheck: skipped: EPUBCheck of 2 EPUB file(s): Java is not installed "
            "(EPUBCheck needs a Java runtime, e.g. apt-get install default-jre-headless)")


def problem_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [l for l in result.stderr.splitlines() if l and not l.startswith("pressrun")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One full build of the real source/ with --verify; the other tests read or copy its output folder."""
    out = tmp_path_factory.mktemp("verify") / "output"
    return run_cli("build", "--source", str(SOURCE), "--out", str(out), "--verify"), out


@pytest.fixture(scope="module")
def good(built) -> Path:
    result, out = built
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def damaged(good: Path, tmp_path: Path) -> Path:
    """A private copy of the good output folder, to damage."""
    copy = tmp_path / "output"
    shutil.copytree(good, copy)
    return copy


# --- a good build ---------------------------------------------------------------------


def test_build_verify_passes_on_good_sources(built):
    result, out = built
    assert result.returncode == 0, result.stderr
    summary = SUMMARY.search(result.stderr)
    assert summary, result.stderr
    assert summary[6] == out.as_posix()
    assert summary[7] == ("0 problems" if JAVA else "0 problems (1 check(s) skipped, see above)"), result.stderr
    if not JAVA:  # everything else passed; with CI=true this skip fails the run (conftest)
        pytest.skip("Java is not installed: the EPUBs were not checked by EPUBCheck")


def test_verify_on_a_full_build_is_clean(good):
    result = run_cli("verify", "--out", str(good))
    assert result.returncode == 0, result.stderr
    summary = SUMMARY.search(result.stderr)
    assert summary, result.stderr
    html, pdf, docx, epub, feeds = map(int, summary.groups()[:5])
    # Every file of the build was checked: the index and the article page, one of each document, the
    # article's book and the issue, and the publication's feeds plus a section's and the tags'.
    assert (html, pdf, docx, epub) == (2, 1, 1, 2)
    assert feeds == len(list((good / "feeds").rglob("*.*"))) >= 3
    assert problem_lines(result) == ([] if JAVA else [no_java_line(good)]), result.stderr  # a skip is said
    if not JAVA:
        pytest.skip("Java is not installed: the EPUBs were not checked by EPUBCheck")
    assert summary[7] == "0 problems", result.stderr


def test_format_limits_the_checks(good):
    result = run_cli("verify", "--out", str(good), "--format", "pdf,html")
    assert result.returncode == 0, result.stderr
    assert re.search(r"pressrun verify: checked 2 HTML, 1 PDF in .*: 0 problems$", result.stderr, re.MULTILINE), result.stderr


def test_without_java_epubcheck_is_a_reported_skip_not_a_failure(good):
    result = run_cli("verify", "--out", str(good), "--format", "epub", env={"PATH": ""})  # no `java` on PATH
    assert result.returncode == 0, result.stderr
    assert problem_lines(result) == [no_java_line(good)]
    assert "0 problems (1 check(s) skipped, see above)" in result.stderr


# --- hand-corrupted outputs -------------------------------------------------------------


def assert_named(result: subprocess.CompletedProcess, out: Path, rel: str, check: str, *words: str) -> str:
    """Exit 1, and a problem line for ``out/rel`` from ``check`` that says ``words``; returns that line."""
    assert result.returncode == 1, result.stderr
    lines = [l for l in problem_lines(result) if l.startswith(f"{out.as_posix()}/{rel}") and f": {check}: " in l]
    assert lines, result.stderr
    assert all(word in lines[0] for word in words), lines[0]
    assert re.search(r": [1-9]\d* problem\(s\) in \d+ file\(s\)", result.stderr), result.stderr
    return lines[0]


def test_a_truncated_pdf(damaged):
    pdf = damaged / "pdf" / f"{SLUG}.pdf"
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])
    result = run_cli("verify", "--out", str(damaged), "--format", "pdf")
    assert_named(result, damaged, f"pdf/{SLUG}.pdf", "opens", "pypdf cannot read it")


def test_a_docx_with_a_removed_part(damaged):
    path = damaged / "docx" / f"{SLUG}.docx"
    rewrite_zip(path, drop="word/styles.xml")
    result = run_cli("verify", "--out", str(damaged), "--format", "docx")
    line = assert_named(result, damaged, f"docx/{SLUG}.docx", "parts", "word/styles.xml is missing from the package")
    assert "word/_rels/document.xml.rels" in line and "[Content_Types].xml" in line  # who names the part


def test_a_docx_that_breaks_the_schema(damaged):
    path = damaged / "docx" / f"{SLUG}.docx"
    rewrite_zip(path, edit=("word/document.xml", lambda xml: xml.replace(b"<w:body>", b"<w:body><w:bogus/>", 1)))
    result = run_cli("verify", "--out", str(damaged), "--format", "docx")
    assert_named(result, damaged, f"docx/{SLUG}.docx", "schema", "word/document.xml:", "bogus")


def test_an_unusable_schema_folder_is_a_usage_error(good, tmp_path):
    result = run_cli("verify", "--out", str(good), "--format", "docx", "--schemas", str(tmp_path))  # empty folder
    assert result.returncode == 2, result.stderr
    assert str(tmp_path) in result.stderr


@pytest.mark.skipif(not JAVA, reason="Java is not installed (EPUBCheck needs it)")
def test_an_epub_missing_a_manifest_item(damaged):
    path = damaged / "epub" / f"{SLUG}.epub"
    with zipfile.ZipFile(path) as book:
        opf_name = etree.fromstring(book.read("META-INF/container.xml")).find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(book.read(opf_name))
    stylesheet = next(i.get("href") for i in opf.iter("{*}item") if i.get("media-type") == "text/css")
    removed = f"{opf_name.rsplit('/', 1)[0]}/{stylesheet}"
    rewrite_zip(path, drop=removed)
    result = run_cli("verify", "--out", str(damaged), "--format", "epub")
    assert_named(result, damaged, f"epub/{SLUG}.epub", "epubcheck", "ERROR RSC-001", removed)


@pytest.mark.parametrize("feed", ["feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json"])
def test_a_feed_with_a_relative_url(damaged, feed):
    path = damaged / feed
    absolute = "https://news.example.org/caucasus/articles/"
    text = path.read_text(encoding="utf-8")
    assert absolute in text
    text = text.replace(absolute, "../articles/", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("verify", "--out", str(damaged), "--format", "feed")
    line = assert_named(result, damaged, feed, "url", f"'../articles/{SLUG}.html' is not an absolute URL")
    number = int(line.split(":")[1])  # the line of the file where the relative URL is
    assert "../articles/" in text.splitlines()[number - 1]
    assert len(problem_lines(result)) == 1, result.stderr  # one problem, one line (not the schema too)


def test_a_feed_that_is_not_well_formed(damaged):
    path = damaged / "feeds" / "atom.xml"
    path.write_bytes(path.read_bytes()[:-40])
    result = run_cli("verify", "--out", str(damaged), "--format", "feed")
    assert_named(result, damaged, "feeds/atom.xml:", "parse", "feedparser")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('href="css/site.css"', 'href="css/missing.css"', ["link", "css/missing.css does not exist in the output folder"]),
        ('href="css/site.css"', 'href="../../outside.css"', ["link", "leads outside the output folder"]),
        ("<body", "</b><body", ["parse", "html5lib (strict)", "Unexpected end tag (b)"]),
    ],
    ids=["missing-file", "escape", "parse-error"],
)
def test_an_html_page_with_a_problem(damaged, old, new, words):
    page = damaged / "index.html"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("verify", "--out", str(damaged), "--format", "html")
    line = assert_named(result, damaged, "index.html:", words[0], *words[1:])
    number = int(line.split(":")[1])
    assert new in text.replace(old, new, 1).splitlines()[number - 1]


def test_a_manifest_size_mismatch(damaged):
    css = damaged / "css" / "site.css"
    size = css.stat().st_size
    css.write_bytes(css.read_bytes() + b"/* edited by hand */\n")
    result = run_cli("verify", "--out", str(damaged), "--format", "manifest")
    assert_named(result, damaged, "css/site.css", "manifest", f"{size + 21} bytes", f"records {size}")


def test_a_file_listed_in_the_manifest_but_missing(damaged):
    (damaged / "pdf" / f"{SLUG}.pdf").unlink()
    result = run_cli("verify", "--out", str(damaged), "--format", "manifest")
    assert_named(result, damaged, f"pdf/{SLUG}.pdf", "manifest", "listed in .pressrun-manifest.json:", "but missing")


def test_an_unlisted_file_but_not_the_cache(damaged):
    (damaged / "stray.html").write_text("left behind")
    (damaged / ".pressrun-cache" / "anything").write_text("the cache is local, and not checked")
    result = run_cli("verify", "--out", str(damaged), "--format", "manifest")
    assert_named(result, damaged, "stray.html", "manifest", "not listed in .pressrun-manifest.json")
    assert len(problem_lines(result)) == 1, result.stderr


def test_a_missing_manifest(damaged):
    (damaged / ".pressrun-manifest.json").unlink()
    result = run_cli("verify", "--out", str(damaged), "--format", "manifest")
    assert_named(result, damaged, ".pressrun-manifest.json", "manifest", "missing")


# --- the PDF checks beyond "it opens" (in-process: a PDF made here by reportlab) -------------------


def make_pdf(text: str = "Hello", title: str | None = "A title", lang: str | None = "en") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1, lang=lang)
    if title:
        page.setTitle(title)
    page.setFont("Helvetica", 12)  # one of the standard 14: never embedded by reportlab
    if text:
        page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_an_unembedded_font_is_named_with_its_page():
    findings = check_pdf("pdf/x.pdf", make_pdf())
    assert [(f.check, f.message) for f in findings] == [("fonts", "page 1: font Helvetica (Type1) is not embedded")]


def test_a_pdf_without_text_title_or_language():
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    findings = check_pdf("pdf/x.pdf", buffer.getvalue())
    assert [(f.check, f.message) for f in findings] == [
        ("text", "page 1: no extractable text (an image of text, or fonts without a Unicode map)"),
        ("metadata", "no document Title in the Info dictionary"),
        ("metadata", "no /Lang in the document catalog (screen readers need the language)"),
    ]


def test_a_placeholder_title_is_not_a_title():
    findings = check_pdf("pdf/x.pdf", make_pdf(title=None))  # reportlab then writes "untitled"
    assert [f.message for f in findings if f.check == "metadata"] == ["the document Title is a placeholder ('untitled')"]


def test_the_built_pdf_passes_the_same_checks(good):
    assert check_pdf("pdf/x.pdf", (good / "pdf" / f"{SLUG}.pdf").read_bytes()) == []


# --- build --verify and usage errors -----------------------------------------------------------


@pytest.fixture
def plugin_path(tmp_path: Path) -> Path:
    """A separately installed distribution whose exporter writes a page with a broken local link."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "pressrun_broken_plugin.py").write_text(PLUGIN)
    info = site / "pressrun_broken_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pressrun-broken-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pressrun.exporters]\nbrokenlink = pressrun_broken_plugin:BrokenLinkExporter\n")
    return site


def test_build_verify_fails_the_build_when_a_check_fails(plugin_path, tmp_path):
    out = tmp_path / "out"
    args = ("build", "--source", str(FIXTURES / "minimal"), "--out", str(out), "--format", "html,brokenlink")
    without = run_cli(*args, env={"PYTHONPATH": str(plugin_path)})
    assert without.returncode == 0, without.stderr  # the build itself sees nothing wrong
    result = run_cli(*args, "--verify", env={"PYTHONPATH": str(plugin_path)})
    line = assert_named(result, out, "broken/brief.html:1", "link", "'nowhere.html'", "broken/nowhere.html does not exist")
    assert "pressrun verify: checked 3 HTML, 1 manifest in" in result.stderr  # only what this build made
    assert line in problem_lines(run_cli("verify", "--out", str(out)))  # the same lines as `pressrun verify`


def test_build_verify_does_not_verify_a_build_that_wrote_nothing(tmp_path):
    result = run_cli("build", "--source", str(FIXTURES / "broken"), "--out", str(tmp_path / "out"), "--verify")
    assert result.returncode == 2
    assert "pressrun verify" not in result.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verify", "--out", "{tmp}/nowhere"], "output folder not found"),
        (["verify", "--out", "{tmp}", "--format", "pdf,odt"], "unknown format(s): odt; available: html, pdf, docx"),
        (["verify", "--out", "{tmp}", "--schemas", "{tmp}/no-schemas"], "schema folder not found"),
        (["verify", "--no-such-option"], "unrecognized arguments"),
    ],
    ids=["missing-folder", "unknown-format", "missing-schemas", "bad-option"],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# --- helpers ----------------------------------------------------------------------------------


def rewrite_zip(path: Path, drop: str | None = None, edit: tuple | None = None) -> None:
    """Rewrite a ZIP package without the member ``drop``, or with ``edit = (member, bytes -> bytes)`` applied."""
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    assert drop is None or drop in [info.filename for info, _ in members]
    with zipfile.ZipFile(path, "w") as new:
        for info, data in members:
            if info.filename == drop:
                continue
            if edit and info.filename == edit[0]:
                changed = edit[1](data)
                assert changed != data
                data = changed
            new.writestr(info, data)
