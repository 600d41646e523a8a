"""World scripts in every edition (issue 14): the issue's acceptance measure, as a reusable helper and as tests.

Each folder of ``fixtures/world/`` is a small publication in one language (one article: headline, standfirst,
why-this-matters, takeaways, several paragraphs), built once per test session in every format by
:func:`world_output` — the DOCX, EPUB and web-edition tests read the same builds.

The measure (:func:`pdf_word_match`), as the issue states it: take the visible text of the article's web page
(headline, standfirst, why-this-matters, takeaways and body; not the theme's labels), split it into words —
letter pairs (consecutive character bigrams) for scripts written without spaces between words (Thai, Lao,
Khmer, Myanmar, Chinese, Japanese) — NFKC-normalise, and count how many of them ``pdftotext`` finds in the
PDF. At least 95% must be found. Besides, every font of the PDF is embedded (``pdffonts``) and ``qpdf --check``
is clean.

Details of the measure, decided once here:

* A *word* is a maximal run of letters, combining marks and digits (Unicode categories L, M, N), so an Indic
  word keeps its vowel signs and viramas, and punctuation (``،``, ``।``, ``་``, ``。``) separates words.
* Format characters (category Cf: ZWJ, ZWNJ, and the bidi controls ``pdftotext`` writes around every run of
  the other direction) are removed from both sides before comparing: they have no ink, and a direction may
  change inside a word (Urdu "75ویں").
* A word counts when the PDF's text has it as a whole word (also after joining words hyphenated at a line
  end); a letter pair counts when it occurs in the PDF's text with its white space removed (a line may break
  between any two letters of those scripts).

``python tests/test_world_scripts.py`` prints the table for every fixture.
"""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path

import pytest

if __name__ == "__main__":  # `python tests/test_world_scripts.py`: make the test helpers importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import FIXTURES, run_build  # noqa: E402

WORLD = FIXTURES / "world"
LANGUAGES = sorted(p.name for p in WORLD.iterdir() if (p / "publication.yaml").is_file())
MIN_SHARE = 0.95

# Scripts written without spaces between words: their text is measured in letter pairs.
SPACELESS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F),  # Myanmar and its extensions
    (0x1780, 0x17FF), (0x19E0, 0x19FF),  # Khmer, Khmer symbols
    (0x3005, 0x3007), (0x3040, 0x30FF), (0x31F0, 0x31FF),  # iteration marks, kana
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF),  # Han
)


# --- the shared builds ------------------------------------------------------------------


@dataclass(frozen=True)
class WorldBuild:
    out: Path  # the output folder
    failures: tuple[str, ...]  # exports that could not be produced (the build kept going)

    def one(self, pattern: str) -> Path | None:
        found = sorted(self.out.glob(pattern))
        return found[0] if found else None

    @property
    def page(self) -> Path:
        return self.out / "articles" / "udhr-75.html"

    @property
    def pdf(self) -> Path | None:
        return self.one("pdf/*.pdf")

    @property
    def docx(self) -> Path | None:
        return self.one("docx/*.docx")

    @property
    def epub(self) -> Path | None:
        return self.one("epub/*.epub")


@cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="pressrun-world-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@cache
def world_output(language: str) -> WorldBuild:
    """Fixture ``fixtures/world/<language>`` built in every format, once per process (any test module may ask).

    The build keeps going past a failed export, so that one format's failure does not hide the others.
    """
    out = _scratch() / language
    report = run_build(WORLD / language, out, keep_going=True)
    assert not report.invalid_input, [str(p) for p in report.problems]
    return WorldBuild(out, tuple(str(p) for p in report.failures))


# --- the measure ------------------------------------------------------------------------------


def _is_spaceless(char: str) -> bool:
    point = ord(char)
    return any(lo <= point <= hi for lo, hi in SPACELESS)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def normalise(text: str) -> str:
    """NFKC, without format characters (ZWJ, ZWNJ, and the bidi controls extractors put around runs)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")


def _runs(text: str) -> Iterator[str]:
    """Maximal runs of word characters, split where a spaceless script meets another."""
    for is_word, group in groupby(text, key=_is_word_char):
        if is_word:
            for _, run in groupby(group, key=_is_spaceless):
                yield "".join(run)


def tokens(text: str) -> list[str]:
    """The measured units of ``text`` (already normalised): words, and letter pairs for spaceless scripts."""
    out: list[str] = []
    for run in _runs(text):
        if _is_spaceless(run[0]) and len(run) > 1:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


@dataclass(frozen=True)
class WordMatch:
    found: int
    total: int
    missing: tuple[str, ...]  # the units not found, in reading order

    @property
    def share(self) -> float:
        return self.found / self.total if self.total else 0.0


def match(page_text: str, pdf_text: str) -> WordMatch:
    """How many of the page text's units the PDF's extracted text holds (both are normalised here)."""
    page_units = tokens(normalise(page_text))
    pdf = normalise(pdf_text)
    words = {u for u in tokens(pdf) if not _is_spaceless(u[0])}
    words |= {u for u in tokens(re.sub(r"[-\u2010\u00ad]\s*\n\s*", "", pdf)) if not _is_spaceless(u[0])}
    compact = re.sub(r"\s+", "", pdf)
    missing = [u for u in page_units if (u not in compact if _is_spaceless(u[0]) else u not in words)]
    return WordMatch(len(page_units) - len(missing), len(page_units), tuple(missing))


PAGE_PARTS = ("h1", "p.standfirst", "section.why-this-matters", "section.takeaways", "div.story")


def page_text(page: Path) -> str:
    """The visible text of the article's parts on its web page, in reading order, without the theme's labels."""
    from lxml import html

    article = html.fromstring(page.read_bytes()).find(".//article")
    chunks = []
    for selector in PAGE_PARTS:
        tag, _, css_class = selector.partition(".")
        xpath = f".//{tag}" + (f"[contains(concat(' ', @class, ' '), ' {css_class} ')]" if css_class else "")
        for element in article.xpath(xpath):
            for label in element.xpath("./h2"):  # "Why this matters", "Key takeaways": the theme's, not the author's
                label.getparent().remove(label)
            chunks.append(" ".join(element.itertext()))
    return "\n".join(chunks)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_word_match(build: WorldBuild) -> WordMatch:
    """The issue's measure for one built fixture."""
    assert build.pdf is not None, f"no PDF was written: {build.failures}"
    return match(page_text(build.page), pdf_text(build.pdf))


def unembedded_fonts(pdf: Path) -> list[str]:
    """``pdffonts`` lines of the fonts that are not embedded."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    header = lines[0]
    emb = header.index(" emb ") + 1
    return [line for line in lines[2:] if line[emb:emb + 3] != "yes"]


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (poppler-utils / qpdf)")


# --- the measure itself ----------------------------------------------------------------------


def test_words_keep_their_marks_and_punctuation_separates_them():
    assert tokens(normalise("सभी मनुष्यों को, गौरव।")) == ["सभी", "मनुष्यों", "को", "गौरव"]
    assert tokens(normalise("يولد جميع الناس (UN) 1948،")) == ["يولد", "جميع", "الناس", "UN", "1948"]
    assert tokens(normalise("བོད་སྐད་")) == ["བོད", "སྐད"]  # the tsheg separates syllables


def test_spaceless_scripts_are_measured_in_letter_pairs():
    assert tokens(normalise("人人生而自由")) == ["人人", "人生", "生而", "而自", "自由"]
    assert tokens(normalise("ข่าวโลก 75 ปี")) == ["ข่", "่า", "าว", "วโ", "โล", "ลก", "75", "ปี"]
    assert tokens(normalise("PDF形式で")) == ["PDF", "形式", "式で"]  # the Latin word stays a word


def test_format_characters_and_compatibility_forms_are_normalised_away():
    assert normalise("می\u200cآیند") == "میآیند"
    assert normalise("\ufef7\ufe8e") == "لأا"  # Arabic presentation forms → letters
    assert normalise("ﬁnal ＵＮ") == "final UN"
    assert tokens(normalise("\u202b\u202a75\u202cویں\u202c")) == ["75ویں"]  # pdftotext's embeddings: not letters


def test_the_measure_finds_a_faithful_copy_and_rejects_a_reversed_one():
    text = "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق"
    assert match(text, text).share == 1.0
    assert match(text, text[::-1]).share == 0.0  # letters in visual order: not one word survives
    wrapped = "人人生而自\n由，在尊严和权利上一律平等。"
    assert match("人人生而自由，在尊严和权利上一律平等。", wrapped).share == 1.0  # a line may break anywhere
    assert match("reconstruction work", "recon-\nstruction work").share == 1.0


def test_every_issue_script_has_a_fixture():
    wanted = {"ar", "fa", "ur", "he", "hi", "bn", "ta", "th", "km", "my", "am", "zh-Hans", "ja", "ko", "en"}
    assert wanted <= set(LANGUAGES)
    assert len(LANGUAGES) >= 16


# --- acceptance 1 of issue 14, per fixture ------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_format_is_published(language):
    build = world_output(language)
    assert not build.failures, build.failures
    for path in (build.page, build.pdf, build.docx, build.epub):
        assert path is not None and path.is_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_text_holds_the_words_of_the_web_page(language):
    _need("pdftotext")
    result = pdf_word_match(world_output(language))
    assert result.total > 100, "the measure found almost no text on the page"
    assert result.share >= MIN_SHARE, (
        f"{language}: {result.found} of {result.total} words ({result.share:.1%}) in the PDF's text; "
        f"missing, e.g.: {list(result.missing[:12])}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdf_embeds_every_font(language):
    _need("pdffonts")
    build = world_output(language)
    assert build.pdf is not None, build.failures
    assert unembedded_fonts(build.pdf) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_qpdf_check_is_clean(language):
    _need("qpdf")
    build = world_output(language)
    assert build.pdf is not None, build.failures
    check = subprocess.run(["qpdf", "--check", str(build.pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, check.stdout + check.stderr


def main() -> int:
    """Print the measure for every fixture (what the issue asks to report)."""
    print("| fixture | words found | of | share |\n| --- | --- | --- | --- |")
    for language in LANGUAGES:
        build = world_output(language)
        if build.pdf is None:
            print(f"| {language} | no PDF: {'; '.join(build.failures)} | | |")
            continue
        result = pdf_word_match(build)
        print(f"| {language} | {result.found} | {result.total} | {result.share:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
