"""Deterministic synthetic articles for the benchmark: ``generate(folder, n)``.

Every article is a realistic 600–900 word story (links, emphasis, strong, inline code,
a bullet and a numbered list, 2–3 ``##`` headings, why-this-matters, 3–6 takeaways) in
one of six scripts; every third article has a lead image. The same (n, seed) always
gives the same bytes, so runs and machines compare. ``languages`` picks other pools
(``bench.words.WORLD_POOLS``: Arabic, Hebrew, Hindi, Bengali, Tamil, Chinese, Japanese,
Korean) for the per-script PDF rows; the default six are unchanged.
"""

from __future__ import annotations

import argparse
import io
import random
from datetime import date, timedelta
from pathlib import Path

from bench.words import BYLINES, FULL_STOP, POOLS, SECTIONS, SPACELESS, TAGS, WORLD_POOLS

LANGUAGES = list(POOLS)
IMAGE_COUNT = 4  # a handful of small JPEGs, made once and shared by every third article
PUBLICATION = """\
title: The Benchmark Desk
base_url: https://bench.example.org/news/
language: en
description: Synthetic articles for pressrun's benchmark.
timezone: UTC
rights: © 2024 The Benchmark Desk
"""


def _cap(word: str, lang: str) -> str:
    # Georgian has no capitals in running text (str.upper() would give Mtavruli).
    return word if lang == "ka" else word[:1].upper() + word[1:]


class _Writer:
    """Random text in one language; counts the words it emits so a body lands in 600–900."""

    def __init__(self, rng: random.Random, lang: str):
        self.rng, self.lang, self.words = rng, lang, 0
        self.pool = POOLS.get(lang) or WORLD_POOLS[lang]
        self.sep = "" if lang in SPACELESS else " "  # Chinese and Japanese: no spaces between words
        self.stop = FULL_STOP.get(lang, ".")

    def plain(self, n: int) -> list[str]:
        self.words += n
        return [self.rng.choice(self.pool) for _ in range(n)]

    def _sentence_words(self, lo: int = 8, hi: int = 20) -> list[str]:
        words = self.plain(self.rng.randint(lo, hi))
        return [_cap(words[0], self.lang)] + words[1:]

    def sentence(self, lo: int = 8, hi: int = 20) -> str:
        return self.sep.join(self._sentence_words(lo, hi)) + self.stop

    def inline_sentence(self) -> str:
        """A sentence with one inline construct spliced in (link, emphasis, strong or code)."""
        words = self._sentence_words()
        kind = self.rng.choice(("link", "em", "strong", "code"))
        i = self.rng.randrange(1, len(words))
        span = self.sep.join(words[i : i + 2])
        if kind == "link":
            marked = f"[{span}](https://example.org/{self.lang}/{self.rng.randrange(10**6)})"
        elif kind == "em":
            marked = f"*{span}*"
        elif kind == "strong":
            marked = f"**{span}**"
        else:
            marked = f"`{words[i]}-{self.rng.randrange(100)}`"
        return self.sep.join(words[:i] + [marked] + words[i + 2 :]) + self.stop

    def paragraph(self) -> str:
        return self.sep.join(
            self.inline_sentence() if self.rng.random() < 0.5 else self.sentence()
            for _ in range(self.rng.randint(3, 5))
        )


def _body(rng: random.Random, w: _Writer, target: int) -> str:
    headings = rng.randint(2, 3)
    blocks = [w.paragraph(), w.paragraph()]
    blocks.append("\n".join(f"- {w.sentence(4, 10)}" for _ in range(rng.randint(3, 5))))
    for h in range(headings):
        blocks.append("## " + w.sentence(3, 6).rstrip(w.stop))
        blocks.append(w.paragraph())
        if h == 0:
            blocks.append("\n".join(f"{k}. {w.sentence(4, 10)}" for k in range(1, rng.randint(4, 6))))
        # fill this section towards its share of the target
        while w.words < target * (h + 1) // headings:
            blocks.append(w.paragraph())
    return "\n\n".join(blocks) + "\n"


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def article(i: int, seed: int = 8, languages: tuple[str, ...] | None = None) -> str:
    """The Markdown source (front matter + body) of article ``i`` (in ``languages``, by default the six)."""
    rng = random.Random(f"{seed}:{i}")
    languages = languages or tuple(LANGUAGES)
    lang = languages[i % len(languages)]
    w = _Writer(rng, lang)
    # The budget covers the front matter's prose too; the body alone is 600–900 words.
    body = _body(rng, w, rng.randint(600, 880))
    headline = w.sentence(6, 12).rstrip(w.stop)
    front = [
        f"headline: {_yaml_str(headline)}",
        f"summary: {_yaml_str(w.sentence(15, 25))}",
        f"byline: {_yaml_str(BYLINES[i % len(BYLINES)])}",
        f"published: {date(2024, 1, 1) + timedelta(days=i % 366)}",
        f"language: {lang}",
        f"section: {SECTIONS[rng.randrange(len(SECTIONS))]}",
        f"tags: [{', '.join(rng.sample(TAGS, rng.randint(2, 4)))}]",
    ]
    if i % 3 == 0:
        front += [
            "image:",
            f"  src: images/lead-{i % IMAGE_COUNT}.jpg",
            f"  alt: {_yaml_str(w.sentence(6, 10))}",
            f"  caption: {_yaml_str(w.sentence(5, 9))}",
            "  credit: Bench Photo / Example Agency",
        ]
    front.append(f"why_this_matters: {_yaml_str(w.paragraph())}")
    front.append("takeaways:")
    front += [f"  - {_yaml_str(w.sentence(6, 14))}" for _ in range(rng.randint(3, 6))]
    return "---\n" + "\n".join(front) + "\n---\n" + body


def _jpeg(k: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 400), (40 + 50 * k, 90, 160 - 30 * k))
    draw = ImageDraw.Draw(img)
    for x in range(0, 640, 40):
        draw.line([(x, 0), (640 - x, 400)], fill=(230, 220, 200), width=3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def generate(folder: Path, n: int, seed: int = 8, languages: tuple[str, ...] | None = None) -> list[Path]:
    """Write publication.yaml, images/ and ``n`` articles into ``folder``; return the article files."""
    (folder / "images").mkdir(parents=True, exist_ok=True)
    (folder / "publication.yaml").write_text(PUBLICATION, encoding="utf-8")
    for k in range(min(IMAGE_COUNT, n)):
        (folder / "images" / f"lead-{k}.jpg").write_bytes(_jpeg(k))
    paths = []
    for i in range(n):
        path = folder / f"story-{i:05d}.md"
        path.write_text(article(i, seed, languages), encoding="utf-8")
        paths.append(path)
    return paths


def body_words(source: str) -> int:
    return len(source.split("\n---\n", 1)[1].split())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="write N synthetic articles")
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(f"{len(generate(args.folder, args.n, args.seed))} articles in {args.folder}")
