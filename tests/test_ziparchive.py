"""The one reproducible ZIP writer behind DOCX and EPUB (issue 13): one rule for timestamps and entry order."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from conftest import FIXTURES, articles_of, run_build
from pressrun.exporters import ziparchive
from pressrun.exporters.ziparchive import Layout, entry_time, rewrite, write_archive

ENTRIES = {"b.xml": b"<b/>", "mimetype": b"application/epub+zip", "lead.xml": b"<lead/>", "a/pic.png": b"\x89PNG" * 50}


def _infos(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.infolist()


def test_mimetype_first_and_stored_then_the_lead_then_by_name():
    data = write_archive(ENTRIES, datetime(2024, 4, 28, 9, 0, tzinfo=timezone.utc), Layout(lead=("lead.xml",)))
    infos = _infos(data)
    assert [i.filename for i in infos] == ["mimetype", "lead.xml", "a/pic.png", "b.xml"]
    assert infos[0].compress_type == zipfile.ZIP_STORED and infos[0].extra == b""
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"  # readable at a fixed offset
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos[1:])
    assert {(i.create_system, i.external_attr) for i in infos} == {(3, 0o644 << 16)}


def test_every_entry_carries_the_documents_moment_in_utc_never_the_clock():
    baku = datetime(2024, 4, 27, 10, 0, 1, tzinfo=ZoneInfo("Asia/Baku"))
    infos = _infos(write_archive(ENTRIES, baku, Layout()))
    assert {i.date_time for i in infos} == {(2024, 4, 27, 6, 0, 0)}  # UTC, at ZIP's two-second resolution
    assert entry_time(datetime(2024, 1, 1)) == (2024, 1, 1, 0, 0, 0)  # naive: already UTC
    assert entry_time(datetime(1970, 1, 1, tzinfo=timezone.utc)) == (1980, 1, 1, 0, 0, 0)
    assert entry_time(datetime(2200, 1, 1, tzinfo=timezone.utc)) == (2107, 12, 31, 23, 59, 58)


def test_the_same_entries_give_the_same_bytes_whatever_order_and_times_they_came_in():
    moment = datetime(2024, 5, 1, tzinfo=timezone.utc)
    layout = Layout(lead=("lead.xml",), compresslevel=9, media_compresslevel=1)
    first = io.BytesIO()
    with zipfile.ZipFile(first, "w") as z:
        for name, data in ENTRIES.items():
            z.writestr(zipfile.ZipInfo(name, (2031, 3, 3, 3, 3, 4)), data)
    second = io.BytesIO()
    with zipfile.ZipFile(second, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in reversed(ENTRIES.items()):
            z.writestr(name, data)  # stamped with the clock
    assert rewrite(first.getvalue(), moment, layout) == rewrite(second.getvalue(), moment, layout)
    assert rewrite(first.getvalue(), moment, layout) == write_archive(ENTRIES, moment, layout)
    assert rewrite(first.getvalue(), moment + timedelta(days=1), layout) != write_archive(ENTRIES, moment, layout)


def test_compression_is_a_formats_setting_media_apart():
    layout = Layout(compresslevel=9, media_compresslevel=1)
    assert (layout.level("word/document.xml"), layout.level("media/photo.JPG"), layout.level("fonts/a.ttf")) == (9, 1, 1)


def test_docx_and_epub_of_one_article_share_the_rule(tmp_path):
    """The multilingual article was last changed at 10:00 in Baku (UTC+4): both packages say 06:00."""
    report = run_build(FIXTURES / "multilingual", tmp_path, ["docx", "epub"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    _, (article,) = articles_of(FIXTURES / "multilingual")
    expected = entry_time(article.modified)
    assert expected[3] == 6
    docx = _infos((tmp_path / "docx" / f"{article.slug}.docx").read_bytes())
    epub = _infos((tmp_path / "epub" / f"{article.slug}.epub").read_bytes())
    assert {i.date_time for i in docx + epub} == {expected}
    assert [i.filename for i in docx[:2]] == ["[Content_Types].xml", "_rels/.rels"]
    assert [i.filename for i in epub[:2]] == ["mimetype", "META-INF/container.xml"]
    for infos in (docx, epub):
        rest = [i.filename for i in infos[2:]]
        assert rest == sorted(rest)
    assert ziparchive.MIMETYPE not in [i.filename for i in docx]
