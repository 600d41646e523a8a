"""The editorial lifecycle (issue 21): embargoes, withdrawal and corrections, one build clock.

The fixture ``lifecycle`` holds a corrected article (two notices), one under embargo until 2024-05-03 09:00
(+04:00), one withheld, one canceled, an ordinary one and a Russian one with a clarification. The module builds
it four times: before the embargo, then again after it into the same folder (incremental), then after it into a
fresh folder (the same bytes), and a copy whose ordinary article is then withheld (incremental).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, STYLES, run_build
from pressrun import clock
from pressrun.errors import PressrunError
from pressrun.readers import read_sources

SOURCE = FIXTURES / "lifecycle"
BEFORE = datetime.fromisoformat("2024-05-03T08:00:00+04:00")  # an hour before the embargo
AFTER = datetime.fromisoformat("2024-05-03T10:00:00+04:00")
EMBARGOED = ("embargoed-rate-decision", "Central bank to cut its key rate by half a point",
             "urn:uuid:0e5c7d2a-91b4-4f3e-8c6a-7d2e1f0a4b93")
WITHHELD = ("withheld-harbour-master", "Ministry names a new harbour master pending confirmation",
            "urn:uuid:3a9d8f71-52c0-4b6e-a1d4-9e0f2c7b8a55")
CANCELED = ("canceled-storm-warning", "Storm warning issued for the coast on Saturday",
            "urn:uuid:c4b2e6f0-7a13-4d58-9e21-5f8a0b3c6d17")
MARKET = ("fish-market-moves", "Fish market moves to the old customs house")
CORRECTED = "northern-pier-reopens"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def texts(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, and every member of a ZIP (DOCX, EPUB) decompressed: what could give an article away."""
    found = {}
    for name, data in tree(folder).items():
        found[name] = data
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                found.update({f"{name}!{m}": archive.read(m) for m in archive.namelist()})
    return found


def traces(folder: Path, needles: tuple[str, ...]) -> list[str]:
    """Where any of ``needles`` (a slug, headline, id) shows: file names and contents, PDFs as text too."""
    from pypdf import PdfReader

    found = [name for name in tree(folder) if any(n in name for n in needles)]
    for name, data in texts(folder).items():
        text = data.decode("utf-8", "replace")
        if name.endswith(".pdf"):
            text += "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        found += [f"{name}: {n}" for n in needles if n in text]
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("lifecycle")
    inc, fresh = base / "inc", base / "fresh"
    before = run_build(SOURCE, inc / "output", now=BEFORE, wire=inc / "wire", jobs=1)
    before_tree, before_wire = tree(inc / "output"), tree(inc / "wire")
    after = run_build(SOURCE, inc / "output", now=AFTER, wire=inc / "wire", jobs=1)
    again = run_build(SOURCE, fresh / "output", now=AFTER, wire=fresh / "wire", jobs=1)
    for report in (before, after, again):
        assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return {"before": before, "before_tree": before_tree, "before_wire": before_wire, "after": after,
            "again": again, "inc": inc, "fresh": fresh}


# --- embargo ------------------------------------------------------------------------------------------------


def test_before_the_embargo_no_public_file_names_the_article(builds, tmp_path):
    snapshot = tmp_path / "before"
    for name, data in builds["before_tree"].items():
        (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
        (snapshot / name).write_bytes(data)
    assert traces(snapshot, EMBARGOED) == []
    assert {"index.html", "news-sitemap.xml", "feeds/rss.xml", f"articles/{CORRECTED}.html"} <= set(builds["before_tree"])
    assert "embargoed.md: held until 2024-05-03T09:00:00+04:00" in "\n".join(builds["before"].held)


def test_before_the_embargo_the_wire_carries_it_with_embargoed_until(builds):
    item = json.loads(builds["before_wire"][f"{EMBARGOED[0]}.ninjs.json"])
    assert item["embargoedUntil"] == "2024-05-03T09:00:00+04:00"
    assert (item["uri"], item["pubStatus"], item["headlines"][0]["value"]) == (EMBARGOED[2], "usable", EMBARGOED[1])


def test_after_the_embargo_the_article_is_everywhere(builds):
    out = builds["inc"] / "output"
    slug, headline, _ = EMBARGOED
    for path in (f"articles/{slug}.html", f"pdf/{slug}.pdf", f"docx/{slug}.docx", f"epub/{slug}.epub"):
        assert (out / path).is_file(), path
    for feed in ("feeds/rss.xml", "feeds/atom.xml", "feeds/feed.json", "feeds/section/economy.rss.xml",
                 "feeds/tag/banking.atom.xml", "feeds/lang/en.json", "index.html", "news-sitemap.xml"):
        assert headline in (out / feed).read_text(encoding="utf-8"), feed
    issue = next((out / "epub" / "issue").glob("*.epub"))
    with zipfile.ZipFile(issue) as book:
        assert any(headline in book.read(m).decode("utf-8", "replace") for m in book.namelist() if m.endswith(".xhtml"))


def test_an_incremental_build_notices_the_clock_passing_the_embargo(builds):
    assert builds["after"].rendered == [EMBARGOED[0]]  # the others are unchanged; their feeds and index are rebuilt
    assert "embargoed.md" not in "\n".join(builds["after"].held)


def test_two_builds_with_the_same_clock_are_byte_identical(builds):
    inc, fresh = builds["inc"], builds["fresh"]
    assert tree(inc / "output") == tree(fresh / "output")
    assert tree(inc / "wire") == tree(fresh / "wire")


def test_going_back_before_the_embargo_removes_what_was_published(builds, tmp_path):
    out, wire = tmp_path / "output", tmp_path / "wire"
    assert run_build(SOURCE, out, now=AFTER, wire=wire, jobs=1, formats=["html", "feed", "sitemap", "ninjs"]).exit_code == 0
    report = run_build(SOURCE, out, now=BEFORE, wire=wire, jobs=1, formats=["html", "feed", "sitemap", "ninjs"])
    assert f"articles/{EMBARGOED[0]}.html" in report.removed
    assert traces(out, EMBARGOED) == []
    assert (wire / f"{EMBARGOED[0]}.ninjs.json").is_file()


# --- withdrawal -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("article", [WITHHELD, CANCELED], ids=["withheld", "canceled"])
def test_withdrawn_articles_are_in_no_public_output_but_on_the_wire(builds, article):
    assert traces(builds["inc"] / "output", article) == []
    item = json.loads((builds["inc"] / "wire" / f"{article[0]}.ninjs.json").read_text(encoding="utf-8"))
    status = "withheld" if article is WITHHELD else "canceled"
    assert item["pubStatus"] == status and item["edNote"].startswith(status.upper())
    assert any(h.endswith(f"{status}.md: {status}") for h in builds["after"].held), builds["after"].held


def test_withholding_a_published_article_removes_it_on_an_incremental_rebuild(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    out, wire = tmp_path / "output", tmp_path / "wire"
    assert run_build(source, out, now=AFTER, wire=wire, jobs=1).exit_code == 0
    assert (out / f"articles/{MARKET[0]}.html").is_file() and traces(out, MARKET)
    story = source / "market.md"
    story.write_text(story.read_text(encoding="utf-8").replace("slug: fish", "status: withheld\nslug: fish"), encoding="utf-8")
    report = run_build(source, out, now=AFTER, wire=wire, jobs=1)
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    assert traces(out, MARKET) == []
    assert {f"articles/{MARKET[0]}.html", f"pdf/{MARKET[0]}.pdf", f"docx/{MARKET[0]}.docx"} <= set(report.removed)
    assert json.loads((wire / f"{MARKET[0]}.ninjs.json").read_text(encoding="utf-8"))["pubStatus"] == "withheld"
    manifest = json.loads((out / ".pressrun-manifest.json").read_text(encoding="utf-8"))
    assert not [k for k in manifest["articles"] if MARKET[0] in json.dumps(manifest["articles"][k])]


# --- corrections ------------------------------------------------------------------------------------------------


NOTICES = [("Correction", "May 2, 2024", "it was closed for six."), ("Clarification", "May 3, 2024", "not the city.")]


def _notices_in(text: str) -> list[tuple[str, str]]:
    return [(label, date) for label, date, end in NOTICES if re.search(rf"{label}\s*·\s*{date}:.*?{re.escape(end)}", text, re.S)]


def test_two_dated_notices_in_the_web_page_pdf_docx_and_epub(builds):
    from docx import Document
    from pypdf import PdfReader

    out = builds["inc"] / "output"
    page = (out / f"articles/{CORRECTED}.html").read_text(encoding="utf-8")
    assert _notices_in(re.sub(r"<[^>]+>", "", page)) == [(label, date) for label, date, _ in NOTICES]
    pdf = " ".join(p.extract_text() for p in PdfReader(out / f"pdf/{CORRECTED}.pdf").pages)
    assert _notices_in(" ".join(pdf.split())) == [(label, date) for label, date, _ in NOTICES]
    doc = Document(str(out / f"docx/{CORRECTED}.docx"))
    notices = [p.text for p in doc.paragraphs if p.style.style_id == "Correction"]
    assert len(notices) == 2 and _notices_in("\n".join(notices)) == [(label, date) for label, date, _ in NOTICES]
    with zipfile.ZipFile(out / f"epub/{CORRECTED}.epub") as book:
        xhtml = "".join(book.read(m).decode() for m in book.namelist() if m.endswith(f"{CORRECTED}.xhtml"))
    assert xhtml.count('class="correction"') + xhtml.count('class="clarification"') == 2
    assert _notices_in(re.sub(r"<[^>]+>", "", xhtml)) == [(label, date) for label, date, _ in NOTICES]


def test_json_ld_has_a_correction_comment_per_notice_and_a_later_date_modified(builds):
    page = (builds["inc"] / "output" / f"articles/{CORRECTED}.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    comments = data["correction"]
    assert [c["@type"] for c in comments] == ["CorrectionComment", "CorrectionComment"]
    assert [c["datePublished"] for c in comments] == ["2024-05-02T15:00:00+04:00", "2024-05-03T05:30:00+04:00"]
    assert comments[0]["text"].startswith("Correction: An earlier version")
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(comments[-1]["datePublished"])


def test_feeds_carry_the_notices_and_an_update_not_before_the_newest(builds):
    import feedparser

    out = builds["inc"] / "output"
    atom = feedparser.parse((out / "feeds/atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.id == "urn:uuid:6f1c2a5e-0d7b-4c1e-9a53-2b8f4e7d9c01")
    assert datetime.fromisoformat(entry.updated) >= datetime.fromisoformat("2024-05-03T05:30:00+04:00")
    assert len(_notices_in(re.sub(r"<[^>]+>", "", entry.content[0].value))) == 2
    item = next(i for i in json.loads((out / "feeds/feed.json").read_text())["items"] if i["id"].startswith("urn:uuid:6f1c"))
    assert item["date_modified"] == "2024-05-03T06:00:00+04:00" and 'class="clarification"' in item["content_html"]


def test_a_notice_speaks_the_articles_language(builds):
    html = (builds["inc"] / "output" / "articles/ferry-resumes-ru.html").read_text(encoding="utf-8")
    assert "Уточнение · 2 мая 2024 г.: Рейсы по выходным" in " ".join(re.sub(r"<[^>]+>", "", html).split())  # CLDR: "2024\xa0г."
    # No `updated` in the source: the visible update is the clarification's, as is dateModified.
    assert re.search(r'<span class="updated">[^<]+<time datetime="2024-05-02T18:30:00\+04:00">', html)
    assert '"dateModified": "2024-05-02T18:30:00+04:00"' in html


def test_the_wire_item_of_a_twice_corrected_article_is_version_3(builds):
    item = json.loads((builds["inc"] / "wire" / f"{CORRECTED}.ninjs.json").read_text(encoding="utf-8"))
    assert item["version"] == "3" and item["versionCreated"] == "2024-05-03T06:00:00+04:00"
    assert item["edNote"].splitlines() == [
        "CORRECTION (2024-05-02T15:00:00+04:00): An earlier version said the pier was closed for four weeks; it was closed for six.",
        "CLARIFICATION (2024-05-03T05:30:00+04:00): The repairs were paid for by the port fund, not the city."]


# --- located errors ---------------------------------------------------------------------------------------------

GOOD = """---
headline: A story
summary: S.
byline: Ann
published: 2024-05-02T10:00:00+04:00
{extra}---
Body.
"""


def _problems(tmp_path: Path, extra: str) -> list[str]:
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    shutil.copy(SOURCE / "publication.yaml", source / "publication.yaml")
    (source / "story.md").write_text(GOOD.format(extra=extra), encoding="utf-8")
    return [str(p) for p in read_sources(source).diagnostics.problems]


@pytest.mark.parametrize("extra, expected", [
    ("embargo: 2024-05-02T11:00:00+04:00\n",
     "story.md:5: published: 2024-05-02T10:00:00+04:00 is before the embargo (2024-05-02T11:00:00+04:00)"),
    ("embargo: 2024-05-02\n", "story.md:6: embargo: '2024-05-02' needs a time and a UTC offset"),
    ("embargo: 2024-05-02T09:00:00\n", "story.md:6: embargo: '2024-05-02T09:00:00' needs a time and a UTC offset"),
    ("status: killed\n", "story.md:6: status: unknown status 'killed'; use one of: usable, withheld, canceled"),
    ("status: cancelled\n", "story.md:6: status: unknown status 'cancelled'; did you mean 'canceled'?"),
    ("updated: 2024-05-02T12:00:00+04:00\ncorrections:\n  - date: 2024-05-02T13:00:00+04:00\n    type: correction\n    text: T.\n",
     "story.md:6: updated: 2024-05-02T12:00:00+04:00 is before the newest correction (2024-05-02T13:00:00+04:00, corrections[1])"),
    ("corrections:\n  - date: 2024-05-01T09:00:00+04:00\n    type: correction\n    text: T.\n",
     "story.md:7: corrections[1].date: 2024-05-01T09:00:00+04:00 is before published (2024-05-02T10:00:00+04:00)"),
    ("corrections:\n  - date: 2024-05-03\n    type: retraction\n    text: T.\n",
     "story.md:8: corrections[1].type: unknown type 'retraction'; did you mean 'correction'? use one of: correction, clarification"),
    ("corrections:\n  - date: 2024-05-03\n    text: T.\n",
     "story.md:7: corrections[1].type: required: a correction has a date, a type"),
    ("corrections:\n  - date: 2024-05-03\n    type: correction\n    text: T.\n  - date: 2024-05-04\n    type: Clarify\n    text: U.\n",
     "story.md:11: corrections[2].type: unknown type 'Clarify'; did you mean 'clarification'?"),
    ("corrections: Fixed a typo.\n", "story.md:6: corrections: must be a list of {date, type, text} mappings"),
])
def test_lifecycle_mistakes_are_located_errors(tmp_path, extra, expected):
    problems = _problems(tmp_path, extra)
    assert any(expected in p for p in problems), problems


def test_a_valid_lifecycle_reads_into_the_model(tmp_path):
    source = tmp_path / "src"
    _problems(tmp_path, "embargo: 2024-05-02T06:00:00Z\nstatus: Withheld\ncorrections:\n"
                        "  - {date: 2024-05-04, type: clarification, text: '*Two*.'}\n"
                        "  - {date: 2024-05-03T10:00:00+04:00, type: correction, text: One.}\n")
    (article,) = read_sources(source).articles
    assert article.embargo == datetime.fromisoformat("2024-05-02T06:00:00+00:00") and article.status == "withheld"
    assert [c.kind for c in article.corrections] == ["correction", "clarification"]  # oldest first
    assert article.modified == datetime.fromisoformat("2024-05-04T00:00:00+04:00")  # the newest notice (Asia/Baku)


# --- the build clock ----------------------------------------------------------------------------------------------


def test_the_clock_is_now_then_source_date_epoch_then_the_machine():
    assert clock.now(AFTER, {"SOURCE_DATE_EPOCH": "0"}) == AFTER
    assert clock.now(None, {"SOURCE_DATE_EPOCH": "1714716000"}) == datetime.fromisoformat("2024-05-03T06:00:00+00:00")
    assert clock.now(None, {}).tzinfo is not None
    with pytest.raises(PressrunError, match="SOURCE_DATE_EPOCH"):
        clock.now(None, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_source_date_epoch_holds_an_embargo_and_dates_a_draft(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BEFORE.timestamp())))
    report = run_build(SOURCE, tmp_path / "out", formats=["html"], wire=tmp_path / "wire")
    assert any("held until" in h for h in report.held)
    source = tmp_path / "src"
    shutil.copytree(SOURCE, source)
    from pressrun.scaffold import new_article

    text = new_article("A draft", source).read_text(encoding="utf-8")
    assert "published: 2024-05-03 " in text and "# embargo:" in text and "# corrections:" in text


def test_no_module_reads_the_clock_but_pressrun_clock():
    offenders = []
    for path in (ROOT / "src" / "pressrun").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "clock.py" and re.search(r"datetime\.now\(|date\.today\(|time\.time\(\)|utcnow\(", text):
            offenders.append(path.name)
    assert offenders == []


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressrun", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_command_line_takes_now_and_wire_and_reports_held_articles(tmp_path):
    done = _cli("build", "--source", str(SOURCE), "--styles", str(STYLES), "--out", str(tmp_path / "site"),
                "--format", "html,ninjs", "--now", "2024-05-03T08:00:00+04:00", "-j", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "held: " in done.stderr and "held until 2024-05-03T09:00:00+04:00" in done.stderr
    assert "3 held" in done.stderr and "6 to the wire folder" in done.stderr
    assert (tmp_path / "wire" / f"{EMBARGOED[0]}.ninjs.json").is_file()  # beside --out by default
    bad = _cli("build", "--source", str(SOURCE), "--now", "2024-05-03", cwd=tmp_path)
    assert bad.returncode == 2 and "needs a time and a UTC offset" in bad.stderr
    inside = _cli("build", "--source", str(SOURCE), "--styles", str(STYLES), "--out", str(tmp_path / "site"),
                  "--wire", str(tmp_path / "site" / "wire"), cwd=tmp_path)
    assert inside.returncode == 2 and "the wire folder must be outside the output folder" in inside.stderr


def test_the_preview_never_writes_the_wire():
    from pressrun.serve.session import _formats

    assert "ninjs" not in _formats(None) and "ninjs" not in _formats(["ninjs", "pdf"])


def test_an_editors_docx_brings_no_notice_into_the_story(builds, tmp_path):
    """The notices are paragraphs of their own style: an import leaves them out of the body; an edited one is a
    warning that they are edited in the source."""
    from docx import Document

    from pressrun.importer.command import ImportOptions, import_docx

    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    docx = builds["inc"] / "output" / f"docx/{CORRECTED}.docx"
    assert import_docx(ImportOptions(docx, source, STYLES)).diff == ""
    edited = Document(str(docx))
    notice = next(p for p in edited.paragraphs if p.style.style_id == "Correction")
    notice.runs[-1].text += " And more."
    edited.save(str(tmp_path / "edited.docx"))
    report = import_docx(ImportOptions(tmp_path / "edited.docx", source, STYLES))
    assert report.diff == ""
    assert any("the correction notices are not imported" in p.message for p in report.problems)


def test_a_forced_build_also_removes_a_withdrawn_articles_outputs(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    out = tmp_path / "output"
    assert run_build(source, out, ["html", "feed"], now=AFTER).exit_code == 0
    story = source / "market.md"
    story.write_text(story.read_text(encoding="utf-8").replace("slug: fish", "status: canceled\nslug: fish"), encoding="utf-8")
    report = run_build(source, out, ["html", "feed"], now=AFTER, incremental=False)  # --force
    assert f"articles/{MARKET[0]}.html" in report.removed and traces(out, MARKET) == []
