"""Paragraphs → the article's parts, by their styles: the DOCX is read in pressrun's reading order
(``pressrun.outline``): kicker, headline, standfirst, byline, dateline and dates, lead image with caption and
credit, why this matters, key takeaways, then the story.

The story starts at the paragraph bookmarked ``story`` (every pressrun DOCX has it). If an editor deleted that
paragraph, and the bookmark with it, the story starts at the first paragraph that cannot belong to the part
before it: a body-text paragraph after why-this-matters, anything but a takeaway after the takeaways, and
anything but a headline part, picture, caption or credit before them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pressrun import model
from pressrun.importer.inlines import build
from pressrun.importer.paragraphs import Para, Picture
from pressrun.importer.styles import Role

FRONT = ("kicker", "headline", "standfirst", "byline", "dateline", "date")
BLOCK_KINDS = ("body", "heading", "list", "list_spaced", "list_continue", "quote", "code", "separator", "figure",
               "caption", "credit")
STORY = "story"  # the bookmark pressrun puts on the story's first paragraph (exporters.docx.oxml.bookmark_name)
Warn = Callable[[int, str], None]


@dataclass
class LeadImage:
    picture: Picture
    number: int
    caption: str | None = None
    credit: str | None = None


@dataclass
class Parts:
    kicker: str | None = None
    headline: str | None = None
    standfirst: model.RichText | None = None
    byline: str | None = None  # the names as written, without the theme's "By"
    dateline: str | None = None
    dates: list[str] = field(default_factory=list)
    lead: LeadImage | None = None
    why: list[Para] | None = None  # None: no why-this-matters heading
    takeaways: list[model.RichText] | None = None  # None: no key-takeaways heading
    body: list[Para] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # the notices as shown: edited in the source, never imported
    numbers: dict[str, int] = field(default_factory=dict)  # field → the paragraph it was read from


class PartReader:
    def __init__(self, paras: list[Para], by_labels: str | tuple[str, ...], warn: Warn):
        """``by_labels``: what the byline may start with in the document's language ("By"; "Авторы" before
        several names), taken off the names."""
        self.paras, self.warn = paras, warn
        labels = (by_labels,) if isinstance(by_labels, str) else by_labels
        self.by_labels = sorted((label for label in labels if label), key=len, reverse=True)
        self.parts = Parts()
        self.zone = "front"

    def read(self) -> Parts:
        for para in self.paras:
            kind = para.role.kind if para.role else "unknown"
            if STORY in para.bookmarks:
                self.zone = "body"
            if self.zone == "front" and self.front(para, kind):
                continue
            if self.zone == "why" and self.why(para, kind):
                continue
            if self.zone == "takeaways" and self.takeaway(para, kind):
                continue
            self.zone = "body"
            self.body(para, kind)
        return self.parts

    def front(self, para: Para, kind: str) -> bool:
        if kind in ("why_heading", "takeaways_heading"):
            self.open_zone(para, kind)
            return True
        if kind in FRONT:
            self.front_text(para, kind)
            return True
        lead = self.parts.lead
        if para.pictures and lead is None and kind in ("figure", "body", "unknown"):
            self.parts.lead = LeadImage(para.pictures[0], para.number)
            self.parts.numbers["image"] = para.number
            if len(para.pictures) > 1 or para.text.strip():
                self.warn(para.number, "only the first picture of the lead image paragraph is the lead image; the rest is not imported")
            return True
        if kind in ("caption", "credit") and lead is not None:
            text = para.text.strip() or None
            if kind == "caption":
                lead.caption = text
            else:
                lead.credit = text
            return True
        return para.empty and kind not in ("separator", "code")

    def front_text(self, para: Para, kind: str) -> None:
        p = self.parts
        self.parts.numbers.setdefault({"standfirst": "summary", "date": "published", "kicker": "section"}.get(kind, kind), para.number)
        if kind == "standfirst":
            content = build(para.content)
            if p.standfirst is not None:
                self.warn(para.number, "a second standfirst paragraph joins the first: the standfirst is one paragraph")
                content = p.standfirst + (model.Text(" "),) + content
            p.standfirst = content
            return
        if kind == "date":
            p.dates.append(para.text.strip())
            return
        text = " ".join(para.text.split())
        label = next((label for label in self.by_labels if kind == "byline" and text.startswith(label + " ")), None)
        if label:
            text = text[len(label) + 1:].strip()
        old = getattr(p, kind)
        if old is not None and text:
            self.warn(para.number, f"a second {kind} paragraph joins the first")
            text = f"{old} {text}"
        setattr(p, kind, text or None)

    def open_zone(self, para: Para, kind: str) -> None:
        self.zone = "why" if kind == "why_heading" else "takeaways"
        if kind == "why_heading":
            self.parts.why = self.parts.why or []
            self.parts.numbers.setdefault("why_this_matters", para.number)
        else:
            self.parts.takeaways = self.parts.takeaways or []
            self.parts.numbers.setdefault("takeaways", para.number)

    def why(self, para: Para, kind: str) -> bool:
        if kind in ("why_heading", "takeaways_heading"):
            self.open_zone(para, kind)
            return True
        if kind == "body" and para.role is not None and para.role.pressrun and para.role == Role("body", 0, True):
            return False  # pressrun's body text: the story has begun
        assert self.parts.why is not None
        self.parts.why.append(replace(para, role=Role("body")) if kind == "why" else para)
        return True

    def takeaway(self, para: Para, kind: str) -> bool:
        if kind in ("why_heading", "takeaways_heading"):
            self.open_zone(para, kind)
            return True
        if kind != "takeaway" and not (para.list_level is not None and para.list_level.name == "pressrun-takeaways"):
            return para.empty and kind not in ("separator", "code")
        assert self.parts.takeaways is not None
        content = build(para.content)
        if content:
            self.parts.takeaways.append(content)
        return True

    def body(self, para: Para, kind: str) -> None:
        if kind == "correction":  # a dated notice after the story: not part of it
            self.parts.numbers.setdefault("corrections", para.number)
            self.parts.corrections.append(para.text.strip())
            return
        if kind not in BLOCK_KINDS and kind != "unknown":
            if not para.empty:
                self.warn(para.number, f"a paragraph in the style '{para.style}' inside the story is imported as a body paragraph")
            para = replace(para, role=Role("body"))
        self.parts.numbers.setdefault("body", para.number)
        self.parts.body.append(para)
