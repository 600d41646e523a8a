"""Accessibility, checked with the tools publishers use (issue 12).

* DAISY Ace on the EPUBs: 0 critical and 0 serious violations.
* axe-core (WCAG 2.0–2.2 A/AA rules) in Debian's Chromium, driven by Playwright, on the web pages at a desktop and
  a phone width: 0 critical and 0 serious violations; and a code block that scrolls sideways can be reached,
  seen and scrolled with the keyboard.

The tools come from ``.ci/install-checkers`` (Ace and axe-core into ``.tools/``, Chromium from Debian); a test
skips, saying which is missing, only when one of them is absent. Ace runs once per book, all books at once; one
browser serves the whole module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_build
from pressrun.exporters.epub.accessibility import contrast

NODE_MODULES = ROOT / ".tools" / "node_modules"
ACE = NODE_MODULES / ".bin" / "ace-cli"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("PRESSRUN_CHROMIUM", "/usr/bin/chromium"))
INSTALL = "run .ci/install-checkers"

BLOCKING = ("critical", "serious")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# An article whose code cannot fit a phone or a desktop column: the case axe's scrollable-region-focusable is about.
WIDE_CODE = """---
headline: How we counted the votes
summary: The commands behind our results map, so that anyone can check the figures.
byline: Data Desk
published: 2024-05-03T10:00:00Z
language: en
slug: wide-code
---
We downloaded the commission's results with one command:

```sh
curl --silent --fail "https://data.example.org/api/v2/elections/2024/results?region=all&format=csv&fields=district,turnout,registered,valid,invalid" --output results-2024.csv
```

Then summed them per district:

```python
totals = results.groupby("district")[["registered", "valid", "invalid"]].sum().assign(turnout=lambda t: (t.valid + t.invalid) / t.registered)
```

Both files are on our data page.
"""


def only(paths: list[Path]) -> Path:
    assert len(paths) == 1, paths
    return paths[0]


@pytest.fixture(scope="module")
def wide_code_site(tmp_path_factory) -> Path:
    """The kitchen sink plus an article with lines of code wider than any screen (web edition and EPUB)."""
    source = tmp_path_factory.mktemp("a11y-src") / "gazette"
    shutil.copytree(FIXTURES / "kitchen-sink", source)
    (source / "wide-code.md").write_text(WIDE_CODE, encoding="utf-8")
    out = tmp_path_factory.mktemp("a11y-wide")
    report = run_build(source, out, ["epub", "html"])
    assert report.exit_code == 0, [str(p) for p in report.problems + report.failures]
    return out


@pytest.fixture(scope="module")
def sites(built_samples, wide_code_site) -> dict[str, Path]:
    return {**{name: built_samples[name] for name in ("seed", "kitchen-sink", "multilingual")}, "wide-code": wide_code_site}


# --- DAISY Ace on the EPUBs ----------------------------------------------------------------------------------


ACE_BOOKS = ("seed", "kitchen-sink", "multilingual", "collection", "wide-code")


def _books(sites: dict[str, Path]) -> dict[str, Path]:
    return {
        "seed": only(sorted((sites["seed"] / "epub").glob("*.epub"))),
        "kitchen-sink": only(sorted((sites["kitchen-sink"] / "epub").glob("*.epub"))),
        "multilingual": only(sorted((sites["multilingual"] / "epub").glob("*.epub"))),
        "collection": only(sorted((sites["seed"] / "epub" / "issue").glob("*.epub"))),  # the issue e-book
        "wide-code": sites["wide-code"] / "epub" / "wide-code.epub",
    }


@pytest.fixture(scope="module")
def ace_reports(sites, tmp_path_factory) -> dict[str, dict]:
    return run_ace(_books(sites), tmp_path_factory.mktemp("ace"))


def run_ace(books: dict[str, Path], work: Path) -> dict[str, dict]:
    """Ace's report.json for each book, by name; the Ace processes (one Chromium each) run at the same time."""
    if not ACE.exists():
        pytest.skip(f"DAISY Ace is not installed at {ACE} ({INSTALL})")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Ace needs it; {INSTALL})")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    running = {}
    for name, book in books.items():
        outdir = work / name
        command = [str(ACE), "--silent", "--force", "--outdir", str(outdir), str(book)]
        running[name] = (subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT), outdir)
    reports = {}
    for name, (proc, outdir) in running.items():
        output = proc.communicate(timeout=600)[0].decode(errors="replace")
        report = outdir / "report.json"
        assert proc.returncode == 0 and report.exists(), f"Ace failed on {name} (exit {proc.returncode}):\n{output}"
        reports[name] = json.loads(report.read_text(encoding="utf-8"))
    return reports


def ace_violations(report: dict) -> list[tuple[str, str, str, str]]:
    """(impact, rule, document, description) of every failed check in an Ace report."""
    found = []
    for document in report["assertions"]:
        for check in document.get("assertions", []):
            test, result = check["earl:test"], check["earl:result"]
            found.append((test["earl:impact"], test["dct:title"], document["earl:testSubject"]["url"],
                          result.get("dct:description", "").strip()))
    return found


@pytest.mark.parametrize("name", ACE_BOOKS)
def test_ace_finds_no_critical_or_serious_violation(ace_reports, name):
    report = ace_reports[name]
    checked = {document["earl:testSubject"]["url"] for document in report["assertions"]}
    # Ace looked at the package and at the article (a report on nothing would pass too).
    assert any(url.endswith(".opf") for url in checked), checked
    assert any(re.search(r"article-[^/]+\.xhtml$", url) for url in checked), checked
    blocking = [v for v in ace_violations(report) if v[0] in BLOCKING]
    assert not blocking, "\n".join(f"{impact} {rule} in {where}: {what}" for impact, rule, where, what in blocking)


# --- axe-core in Chromium on the web pages ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Debian Chromium for the module (never a browser that Playwright would download)."""
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed at {AXE_JS} ({INSTALL})")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} ({INSTALL})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[test]')")
    args = ["--disable-smooth-scrolling"]  # a key press scrolls at once
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield chromium
        chromium.close()


def page_path(sites: dict[str, Path], site: str, kind: str) -> Path:
    if kind == "index":
        return sites[site] / "index.html"
    if site == "wide-code":
        return sites[site] / "articles" / "wide-code.html"
    return only(sorted((sites[site] / "articles").glob("*.html")))


@pytest.fixture
def open_page(browser) -> Iterator:
    """open_page(path, viewport) → a Playwright page showing the file (file://: pages link local CSS and images)."""
    contexts = []

    def open_(path: Path, viewport: str):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        page = context.new_page()
        page.goto(path.as_uri())
        return page

    yield open_
    for context in contexts:
        context.close()


def run_axe(page) -> dict:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("site,kind", [
    ("seed", "article"), ("seed", "index"), ("kitchen-sink", "article"), ("kitchen-sink", "index"),
    ("multilingual", "article"), ("multilingual", "index"), ("wide-code", "article"),
])
def test_axe_finds_no_critical_or_serious_violation(open_page, sites, site, kind, viewport):
    results = run_axe(open_page(page_path(sites, site, kind), viewport))
    assert len(results["passes"]) >= 10, results["passes"]  # axe ran its rules on a real page
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in blocking
    )


def _rgb_hex(css: str) -> str:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_wide_code_is_reached_seen_and_scrolled_with_the_keyboard(open_page, sites, viewport):
    page = open_page(page_path(sites, "wide-code", "article"), viewport)
    blocks = page.locator("pre")
    assert blocks.count() == 2
    assert page.evaluate("() => [...document.querySelectorAll('pre')].every(p => p.scrollWidth > p.clientWidth)"), \
        "the fixture's code should be wider than the column"
    # Screen readers announce a named region when focus enters it.
    names = [page.get_by_role("region", name=f"Code example {n} ({lang})", exact=True) for n, lang in ((1, "sh"), (2, "python"))]
    assert [n.count() for n in names] == [1, 1]

    # Tab from the top of the page reaches the first code block (bounded: every link on the page, then some).
    stops = page.evaluate("() => document.querySelectorAll('a[href], [tabindex]').length") + 2
    for _ in range(stops):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "PRE":
            break
    assert page.evaluate("() => document.activeElement === document.querySelector('pre')"), "Tab never reached the code"

    # Focus is visible: a solid outline at least 2 px wide, with 3:1 contrast on the page (WCAG 1.4.11, 2.4.7).
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 2, style
    assert contrast(_rgb_hex(style[2]), "#ffffff") >= 3, style

    # …and the arrow keys scroll it.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")


def test_code_in_the_ebook_wraps_instead_of_scrolling(open_page, sites, tmp_path):
    """The e-book's code blocks wrap (epub.css), so nothing scrolls sideways and they need no tab stop."""
    with zipfile.ZipFile(sites["wide-code"] / "epub" / "wide-code.epub") as book:
        book.extractall(tmp_path)
    document = tmp_path / "EPUB" / "article-wide-code.xhtml"
    assert document.read_text(encoding="utf-8").count("<pre>") == 2  # no tabindex, role or name
    page = open_page(document, "phone")
    widths = page.evaluate("() => [...document.querySelectorAll('pre')].map(p => [p.scrollWidth, p.clientWidth])")
    assert len(widths) == 2 and all(scroll <= client for scroll, client in widths), widths
