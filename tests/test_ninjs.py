"""ninjs 3.1 for partners (issue 21): every item pressrun writes validates against IPTC's vendored schema, with
formats really checked; the mapping carries what a partner's ingest needs."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, SOURCE, run_build
from pressrun.exporters.wire import schema

NOW = datetime.fromisoformat("2024-05-03T10:00:00+04:00")
SAMPLES = {"lifecycle": FIXTURES / "lifecycle", "kitchen-sink": FIXTURES / "kitchen-sink",
           "multilingual": FIXTURES / "multilingual", "seed": SOURCE, "l10n": FIXTURES / "l10n"}


@pytest.fixture(scope="module")
def items(tmp_path_factory) -> dict[str, dict]:
    """Every sample's items (the wire exporter alone: it needs no other format)."""
    found = {}
    for name, source in SAMPLES.items():
        base = tmp_path_factory.mktemp(f"ninjs-{name}")
        report = run_build(source, base / "output", ["ninjs"], now=NOW, wire=base / "wire", jobs=1)
        assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
        for path in sorted((base / "wire").glob("*.ninjs.json")):
            found[f"{name}/{path.name}"] = json.loads(path.read_text(encoding="utf-8"))
    return found


def test_the_vendored_schema_is_iptcs_3_1_unchanged():
    text = schema.SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(text).hexdigest() == "404f578a299bf34e76e98f2de26ad9989882ebd7abf3a4d3cf3aa689b70a8744"
    data = json.loads(text)
    assert data["$id"] == schema.SCHEMA_URI and data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    licence = (schema.SCHEMA_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in licence and "creativecommons.org/licenses/by/4.0" in licence
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(data)


def test_every_item_validates(items):
    assert {name.split("/")[0] for name in items} == set(SAMPLES) and len(items) >= 6 + 1 + 1 + 1 + 5
    for name, item in items.items():
        assert schema.problems(item) == [], name


def test_formats_are_really_checked():
    """The negative controls: a wrong enum, a `uri` that is not one, a date-time without its offset."""
    good = {"uri": "urn:uuid:6f1c2a5e-0d7b-4c1e-9a53-2b8f4e7d9c01", "pubStatus": "usable",
            "versionCreated": "2024-05-03T06:00:00+04:00"}
    assert schema.problems(good) == []
    for key, bad, fragment in (("pubStatus", "published", "is not one of"), ("uri", "not a uri", "is not a 'uri'"),
                               ("versionCreated", "2024-05-03T06:00:00", "is not a 'date-time'"),
                               ("keywords", ["x"], "Unevaluated properties are not allowed")):
        item = {**good, key: bad}
        assert any(fragment in p for p in schema.problems(item)), (key, schema.problems(item))


def test_a_copy_saying_published_fails(items):
    item = copy.deepcopy(items["lifecycle/northern-pier-reopens.ninjs.json"])
    item["pubStatus"] = "published"
    assert schema.problems(item) == ["pubStatus: 'published' is not one of ['usable', 'withheld', 'canceled']"]


def test_the_mapping_of_a_corrected_article(items):
    item = items["lifecycle/northern-pier-reopens.ninjs.json"]
    assert (item["uri"], item["version"], item["pubStatus"], item["language"]) == (
        "urn:uuid:6f1c2a5e-0d7b-4c1e-9a53-2b8f4e7d9c01", "3", "usable", "en")
    assert (item["firstCreated"], item["versionCreated"]) == ("2024-05-02T08:00:00+04:00", "2024-05-03T06:00:00+04:00")
    assert "embargoedUntil" not in item
    assert item["standard"] == {"name": "ninjs", "version": "3.1", "schema": schema.SCHEMA_URI}
    assert item["headlines"] == [{"role": "main", "contentType": "text/plain",
                                  "value": "Harbour authority reopens the northern pier after repairs"}]
    assert [d["contentType"] for d in item["descriptions"]] == ["text/plain", "application/xhtml+xml"]
    assert item["by"] == "Leyla Mammadova" and item["located"] == "BAKU"
    assert item["people"] == [{"name": "Leyla Mammadova", "rel": "reporter",
                               "uri": "https://lifecycle.example.org/desk/staff/leyla"}]
    assert item["subjects"] == [{"name": "City", "rel": "section", "literal": "City"},
                                {"name": "Harbour", "rel": "tag", "literal": "Harbour"},
                                {"name": "Infrastructure", "rel": "tag", "literal": "Infrastructure"}]
    assert item["renditions"] == [{"name": "web", "title": item["headlines"][0]["value"], "contentType": "text/html",
                                   "href": "https://lifecycle.example.org/desk/articles/northern-pier-reopens.html"}]
    assert item["copyrightNotice"] == "© 2024 The Lifecycle Desk"


def test_bodies_are_plain_text_and_well_formed_xhtml_with_the_notices(items):
    from lxml import etree

    plain, xhtml = items["lifecycle/northern-pier-reopens.ninjs.json"]["bodies"]
    assert (plain["contentType"], xhtml["contentType"]) == ("text/plain", "application/xhtml+xml")
    root = etree.fromstring(xhtml["value"].encode())
    assert root.tag == "{http://www.w3.org/1999/xhtml}div" and root.get("lang") == "en"
    assert [p.get("class") for p in root.iter("{http://www.w3.org/1999/xhtml}p") if p.get("class")] == [
        "correction", "clarification"]
    assert root.find(".//{http://www.w3.org/1999/xhtml}img") is None  # the lead image is an association
    assert "Correction · May 2, 2024: An earlier version" in plain["value"]
    assert plain["wordCount"] == xhtml["wordCount"] == len(re.findall(r"\w+(?:['’-]\w+)*", plain["value"]))
    assert plain["charCount"] == len(plain["value"])


def test_the_lead_image_is_a_picture_with_alt_caption_and_credit(items):
    (picture,) = items["lifecycle/northern-pier-reopens.ninjs.json"]["associations"]
    assert (picture["name"], picture["rel"], picture["type"]) == ("lead-image", "leadimage", "picture")
    assert {d["role"]: d["value"] for d in picture["descriptions"]} == {
        "alt": "A grey pier under a pale sky with a yellow sun.",
        "caption": "The northern pier on its first morning back in use.",
        "creditline": "Illustration / The Lifecycle Desk"}
    (rendition,) = picture["renditions"]
    assert rendition == {"name": "original", "href": "https://lifecycle.example.org/desk/media/images/harbour.jpg",
                         "contentType": "image/jpeg", "width": 480, "height": 300, "sizeInBytes": 2484}


def test_held_and_withdrawn_items_say_so(items):
    embargoed = items["lifecycle/embargoed-rate-decision.ninjs.json"]
    assert embargoed["embargoedUntil"] == "2024-05-03T09:00:00+04:00" and embargoed["version"] == "1"
    assert items["lifecycle/withheld-harbour-master.ninjs.json"]["pubStatus"] == "withheld"
    canceled = items["lifecycle/canceled-storm-warning.ninjs.json"]
    assert canceled["pubStatus"] == "canceled" and canceled["edNote"].startswith("CANCELED: ")


def test_languages_and_right_to_left_bodies(items):
    arabic = next(i for n, i in items.items() if n.startswith("l10n/") and i["language"] == "ar")
    assert 'dir="rtl"' in arabic["bodies"][1]["value"] and 'dir="rtl"' in arabic["descriptions"][1]["value"]
    japanese = next(i for n, i in items.items() if n.startswith("l10n/") and i["language"] == "ja")
    text = japanese["bodies"][0]["value"]
    assert japanese["bodies"][0]["wordCount"] > len(text.split())  # each ideograph and kana counts: no spaces


def test_odd_values_become_uris_or_are_left_out(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(FIXTURES / "minimal", source)
    (source / "odd.md").write_text(
        "---\nheadline: Odd\nsummary: S.\npublished: 2024-05-02\nid: tag:example.org,2024:Бакы\n"
        "byline:\n  - {name: Ann, url: not a url, email: ann@example.org}\n---\nBody.\n", encoding="utf-8")
    report = run_build(source, tmp_path / "out", ["ninjs"], wire=tmp_path / "wire")
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    item = json.loads((tmp_path / "wire" / "odd.ninjs.json").read_text(encoding="utf-8"))
    assert item["uri"] == "tag:example.org,2024:%D0%91%D0%B0%D0%BA%D1%8B"  # RFC 3987's IRI → URI mapping
    assert item["people"] == [{"name": "Ann", "rel": "author", "contactInfo": [{"type": "email", "value": "ann@example.org"}]}]
    assert schema.problems(item) == []


def test_an_item_that_breaks_the_schema_is_a_located_failure(tmp_path, monkeypatch):
    from pressrun.exporters.wire import item as mapping

    real = mapping.ninjs_item
    monkeypatch.setattr(mapping, "ninjs_item", lambda *args: {**real(*args), "pubStatus": "published"})
    report = run_build(FIXTURES / "minimal", tmp_path / "out", ["ninjs"], wire=tmp_path / "wire", keep_going=True)
    assert report.exit_code == 1
    (failure,) = report.failures
    assert failure.field == "ninjs" and "brief.md" in failure.path and "pubStatus" in failure.message
    assert not list((tmp_path / "wire").glob("*.ninjs.json"))


def test_items_are_written_only_to_the_wire_folder(tmp_path):
    report = run_build(FIXTURES / "minimal", tmp_path / "site", ["html", "ninjs"])
    assert report.exit_code == 0
    assert not list((tmp_path / "site").rglob("*.ninjs.json"))
    assert [Path(p).name for p in report.wire_written] == ["brief.ninjs.json"]
    assert (tmp_path / "wire" / "brief.ninjs.json").is_file() and (tmp_path / "wire" / ".pressrun-manifest.json").is_file()
