"""The DOCX style catalogue: every semantic part of an article and the style id that carries its look.

The exporter names styles by *id* only (never by display name, which a
localised Word translates). The look itself lives in ``styles/reference.docx``;
``reference.py`` builds pressrun's default one from the theme.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StyleSpec:
    id: str
    name: str  # display name; built-in Word names are lower-case ("heading 2") so Word localises them
    kind: str  # "paragraph" or "character"


# Paragraph styles, in reading order.
KICKER = "Kicker"
HEADLINE = "Title"
STANDFIRST = "Standfirst"
BYLINE = "Byline"
DATELINE = "Dateline"
DATE = "Date"
FIGURE = "Figure"
CAPTION = "Caption"
CREDIT = "ImageCredit"
WHY_HEADING = "WhyThisMattersHeading"
WHY_BODY = "WhyThisMatters"
TAKEAWAYS_HEADING = "KeyTakeawaysHeading"
TAKEAWAY = "KeyTakeaway"
BODY = "BodyText"
HEADINGS = {2: "Heading2", 3: "Heading3", 4: "Heading4"}
LIST_ITEM = "ListParagraph"  # an item of a tight list: items close together, as in the source
LIST_ITEM_SPACED = "ListParagraphSpaced"  # an item of a loose list: items spaced like body paragraphs
LIST_CONTINUE = ("ListContinue", "ListContinue2", "ListContinue3")  # by nesting depth, deeper ones share the last
QUOTE = "Quote"
CODE = "Code"
SEPARATOR = "Separator"
CORRECTION = "Correction"  # a dated correction or clarification notice, after the story
HEADER = "Header"
FOOTER = "Footer"

# Character styles.
HYPERLINK = "Hyperlink"
STRONG = "Strong"
EMPHASIS = "Emphasis"
STRONG_EMPHASIS = "StrongEmphasis"
INLINE_CODE = "InlineCode"

CATALOGUE: tuple[StyleSpec, ...] = (
    StyleSpec("Normal", "Normal", "paragraph"),
    StyleSpec(KICKER, "Kicker", "paragraph"),
    StyleSpec(HEADLINE, "Title", "paragraph"),
    StyleSpec(STANDFIRST, "Standfirst", "paragraph"),
    StyleSpec(BYLINE, "Byline", "paragraph"),
    StyleSpec(DATELINE, "Dateline", "paragraph"),
    StyleSpec(DATE, "Date", "paragraph"),
    StyleSpec(FIGURE, "Figure", "paragraph"),
    StyleSpec(CAPTION, "caption", "paragraph"),
    StyleSpec(CREDIT, "Image Credit", "paragraph"),
    StyleSpec(WHY_HEADING, "Why This Matters Heading", "paragraph"),
    StyleSpec(WHY_BODY, "Why This Matters", "paragraph"),
    StyleSpec(TAKEAWAYS_HEADING, "Key Takeaways Heading", "paragraph"),
    StyleSpec(TAKEAWAY, "Key Takeaway", "paragraph"),
    StyleSpec(BODY, "Body Text", "paragraph"),
    StyleSpec(HEADINGS[2], "heading 2", "paragraph"),
    StyleSpec(HEADINGS[3], "heading 3", "paragraph"),
    StyleSpec(HEADINGS[4], "heading 4", "paragraph"),
    StyleSpec(LIST_ITEM, "List Paragraph", "paragraph"),
    StyleSpec(LIST_ITEM_SPACED, "List Paragraph Spaced", "paragraph"),
    StyleSpec(LIST_CONTINUE[0], "List Continue", "paragraph"),
    StyleSpec(LIST_CONTINUE[1], "List Continue 2", "paragraph"),
    StyleSpec(LIST_CONTINUE[2], "List Continue 3", "paragraph"),
    StyleSpec(QUOTE, "Quote", "paragraph"),
    StyleSpec(CODE, "Code", "paragraph"),
    StyleSpec(SEPARATOR, "Separator", "paragraph"),
    StyleSpec(CORRECTION, "Correction", "paragraph"),
    StyleSpec(HEADER, "header", "paragraph"),
    StyleSpec(FOOTER, "footer", "paragraph"),
    StyleSpec("DefaultParagraphFont", "Default Paragraph Font", "character"),
    StyleSpec(HYPERLINK, "Hyperlink", "character"),
    StyleSpec(STRONG, "Strong", "character"),
    StyleSpec(EMPHASIS, "Emphasis", "character"),
    StyleSpec(STRONG_EMPHASIS, "Strong Emphasis", "character"),
    StyleSpec(INLINE_CODE, "Inline Code", "character"),
)

# The sides of a paragraph border (w:pBdr) in the schema's sequence (CT_PBdr): Word may call a file
# with them in another order unreadable.
PBDR_ORDER = ("top", "left", "bottom", "right", "between", "bar")

# Numbering definitions are found by their ``w:name``, so a replaced reference may renumber them.
BULLETS = "pressrun-bullets"
NUMBERS = "pressrun-numbers"
TAKEAWAY_BULLETS = "pressrun-takeaways"


# The font stack (``theme.stack``) each style's text is set from: the display stack for headings, furniture and
# captions, the code stack for code, the body stack for everything else (and for styles not listed, e.g. a
# user's own). The script layer (``scripts``) picks each script's family from the style's stack.
ROLES_IN_USE = ("body", "display", "code")
_DISPLAY = {KICKER, HEADLINE, BYLINE, DATELINE, DATE, CAPTION, CREDIT, WHY_HEADING, TAKEAWAYS_HEADING, HEADER, FOOTER,
            *HEADINGS.values()}
_CODE = {CODE, INLINE_CODE}


def role(style_id: str | None) -> str:
    return "display" if style_id in _DISPLAY else "code" if style_id in _CODE else "body"


def char_style(bold: bool, italic: bool, code: bool) -> str | None:
    """The character style for a span's flags (links are handled by the caller)."""
    if code:
        return INLINE_CODE
    if bold and italic:
        return STRONG_EMPHASIS
    return STRONG if bold else EMPHASIS if italic else None
