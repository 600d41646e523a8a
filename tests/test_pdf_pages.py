"""Page breaks a compositor would accept (issue 20): no stranded heading or label, no page emptied by a keep rule.

Positions are read back from the PDFs (test_pdf_tagged's content-stream walk: each text operator's baseline and
the MCID it belongs to), and the structure tree says which MCIDs are headings (``H1``–``H6``; the labels of the
boxed parts are ``H2`` too) and which are paragraphs. Besides the seed and the kitchen sink, generated stories
put a heading on every line of the foot of a page in turn.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, SOURCE, STYLES
from pressrun.exporters.pdf.document import MM, PAGE_SIZES
from pressrun.theme import load_theme
from test_pdf_tagged import TEXT_OPERATORS, parent_tree, render, role, walk_content

THEME = load_theme(STYLES)
BOTTOM = THEME.page.margin_bottom_mm * MM
TOP = PAGE_SIZES[THEME.page.size][1] - THEME.page.margin_top_mm * MM
LINE = THEME.sizes.body * THEME.sizes.leading  # one line of the story
FILLER = ("The ministry said the work on the northern pass was two weeks behind schedule after the autumn floods "
          "washed away three culverts and part of the retaining wall above the river, and that crews would work "
          "in shifts through the winter to make up the time.")


def lines_by_role(path: Path) -> dict[str, list[tuple[int, float, int]]]:
    """For each role, (page, baseline, element id) of every line of text its elements show (artifacts left out)."""
    found: dict[str, set[tuple[int, float, int]]] = defaultdict(set)
    with pikepdf.open(path) as pdf:
        parents = parent_tree(pdf)
        owners = {n: parents[int(page.StructParents)] for n, page in enumerate(pdf.pages)}
        for page, op, _, artifact, mcid, y in walk_content(pdf):
            if op in TEXT_OPERATORS and not artifact:
                element = owners[page][mcid]
                found[role(element)].add((page, round(y, 1), element.objgen[0]))
        pages = len(pdf.pages)
    return {r: sorted(v) for r, v in found.items()} | {"pages": [(pages, 0.0, 0)]}


def stranded_headings(path: Path) -> list[str]:
    """Headings whose baseline is within two lines of the page's bottom margin."""
    lines = lines_by_role(path)
    return [f"{r} on page {page + 1} at {y:.0f}pt" for r, found in lines.items() if r[:1] == "H" and r[1:].isdigit()
            for page, y, _ in found if y - BOTTOM < 2 * LINE]


def emptied_pages(path: Path) -> list[str]:
    """Pages, but the last, whose lowest line of text is more than a quarter of the frame above its foot."""
    lines = lines_by_role(path)
    pages = lines.pop("pages")[0][0]
    lowest = {}
    for found in lines.values():
        for page, y, _ in found:
            lowest[page] = min(lowest.get(page, TOP), y)
    return [f"page {p + 1}: last line at {y:.0f}pt" for p, y in lowest.items() if p < pages - 1
            and y - BOTTOM > (TOP - BOTTOM) / 4]


def lone_lines(path: Path) -> list[str]:
    """Paragraphs split across pages with a single line on either side (an orphan or a widow)."""
    per_page: dict[tuple[int, int], set[float]] = defaultdict(set)
    for page, y, element in lines_by_role(path).get("P", []):
        per_page[(element, page)].add(y)
    pages_of: dict[int, list[int]] = defaultdict(list)
    for element, page in per_page:
        pages_of[element].append(page)
    return [f"paragraph {e} on page {p + 1}" for e, ps in pages_of.items() if len(ps) > 1 for p in ps
            if len(per_page[(e, p)]) < 2]


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    found = {}
    for name, source in {"seed": SOURCE, "kitchen-sink": FIXTURES / "kitchen-sink"}.items():
        found[name] = folder / f"{name}.pdf"
        found[name].write_bytes(render(source))
    return found


def story(tmp: Path, fillers: int, after: str) -> Path:
    """An article of ``fillers`` paragraphs, then a heading and ``after``, and the same again (its PDF)."""
    source = tmp / f"src-{fillers}"
    shutil.copytree(FIXTURES / "minimal", source)
    for old in source.glob("*.md"):
        old.unlink()
    words = [f"{FILLER[: 60 + 37 * (i % 5)]}." for i in range(fillers)]
    body = "\n\n".join([*words, "## A heading near the foot of the page", after, *words, "### Another heading", after])
    (source / "story.md").write_text(f"---\nheadline: Page breaks\nsummary: Where headings fall.\n"
                                     f"published: 2024-01-18\n---\n{body}\n", encoding="utf-8")
    pdf = tmp / f"story-{fillers}.pdf"
    pdf.write_bytes(render(source))
    return pdf


# --- the samples ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed", "kitchen-sink"])
def test_no_heading_sits_within_two_lines_of_the_foot_of_a_page(samples, name):
    assert lines_by_role(samples[name]).get("H2"), "the structure gives the headings away"
    assert stranded_headings(samples[name]) == []


@pytest.mark.parametrize("name", ["seed", "kitchen-sink"])
def test_no_page_is_left_a_quarter_empty(samples, name):
    assert lines_by_role(samples[name])["pages"][0][0] == 2
    assert emptied_pages(samples[name]) == []


# --- generated stories: a heading on each line of the foot of a page in turn ----------------------------------------


@pytest.mark.parametrize("after", [
    FILLER * 4,  # a long paragraph: the heading stays with its first lines, the rest goes over
    "- " + FILLER + "\n- " + FILLER,  # a list: the heading stays with its first item's first lines
    "> " + FILLER * 2,  # a block quote (its indent does not cut the heading from it)
])
def test_a_heading_stays_with_the_first_lines_of_what_follows(tmp_path, after):
    for fillers in range(9, 17):
        pdf = story(tmp_path, fillers, after)
        assert stranded_headings(pdf) == [], fillers
        assert emptied_pages(pdf) == [], fillers
        assert lone_lines(pdf) == [], fillers


def test_the_generated_stories_do_put_headings_at_the_foot_of_a_page(tmp_path):
    """The stories above are worth their time: some of them would strand a heading with nothing after it."""
    tops = set()
    for fillers in range(9, 17):
        lines = lines_by_role(story(tmp_path, fillers, FILLER * 4))
        first_on_page = {page: max(y for p, y, _ in lines["P"] if p == page) for page, _, _ in lines["H2"]}
        tops.update(page for page, y, _ in lines["H2"] if page and y > first_on_page[page])  # heading opens a page
        assert any(page == 0 for page, _, _ in lines["H2"]) or tops
    assert tops, "no generated story moved a heading to the top of a page"
