"""Styled spans → pressrun's inline model, in one canonical form.

A Word run has flags (bold, italic, a link, another language); Markdown nests its nodes. The nesting chosen
here is the one CommonMark gives the same text: the flag that covers the longest stretch is outermost
(``***x***`` is emphasis around strong, so on a tie italic is outside bold, and a link outside both; a language
span is inside all three, as in ``*[the treaty]{lang=fr}*``). White space at the edges of bold, italic or a
language span moves outside it (``** x**`` is not strong in Markdown, and a space is in no language), a hard
line break inside bold stays inside it, and white space at the edges of a paragraph goes, as a Markdown reader
drops it.
Both sides of every comparison (the editor's DOCX and the source's own export) are read into this form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pressrun import model
from pressrun.render.spans import Span

BREAK = "\n"
_TRIM = set("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000\u2028\u2029") | {chr(c) for c in range(0x2000, 0x200B)}


@dataclass(frozen=True)
class Atom:
    """One character (or a whole code span) with its flags."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    language: str | None = None

    @property
    def is_break(self) -> bool:
        return self.text == BREAK and not self.code


def is_trim(ch: str) -> bool:
    return ch in _TRIM or ch.isspace()


def build(spans: Sequence[Span], strip: bool = True) -> model.RichText:
    """The inline nodes for ``spans`` (``strip``: a paragraph's edges lose their white space)."""
    atoms = _atoms(spans)
    for attr in ("bold", "italic", "language"):
        atoms = _trim_edges(atoms, attr)
    atoms = _after_breaks(atoms)
    if strip:
        atoms = _strip(atoms)
    return _merge(_nest(atoms, frozenset()))


def _atoms(spans: Sequence[Span]) -> list[Atom]:
    atoms: list[Atom] = []
    for span in spans:
        if span.is_break:
            atoms.append(Atom(BREAK))
        elif span.code:
            atoms.append(Atom(span.text, code=True, href=span.href))
        else:
            atoms.extend(Atom(ch, span.bold, span.italic, False, span.href, span.language) for ch in span.text)
    # A break takes the flags both its neighbours share, so bold across a hard break stays one node.
    for i, atom in enumerate(atoms):
        if atom.is_break and 0 < i < len(atoms) - 1:
            before, after = atoms[i - 1], atoms[i + 1]
            atoms[i] = Atom(BREAK, before.bold and after.bold, before.italic and after.italic, False,
                            before.href if before.href == after.href else None,
                            before.language if before.language == after.language else None)
    return atoms


def _trim_edges(atoms: list[Atom], attr: str) -> list[Atom]:
    """White space at the start and end of each stretch of ``attr`` (of one value) loses ``attr``."""
    out = list(atoms)
    off = None if attr == "language" else False
    i = 0
    while i < len(out):
        value = getattr(out[i], attr)
        if not value:
            i += 1
            continue
        j = i
        while j < len(out) and getattr(out[j], attr) == value:
            j += 1
        start, end = i, j
        while start < end and _blank(out[start]):
            out[start] = replace(out[start], **{attr: off})
            start += 1
        while end > start and _blank(out[end - 1]):
            out[end - 1] = replace(out[end - 1], **{attr: off})
            end -= 1
        i = j
    return out


def _blank(atom: Atom) -> bool:
    return not atom.code and (atom.is_break or is_trim(atom.text))


def _after_breaks(atoms: list[Atom]) -> list[Atom]:
    """Spaces and tabs at the start of a line after a hard break are not text in Markdown."""
    out: list[Atom] = []
    for atom in atoms:
        if out and out[-1].is_break and not atom.code and atom.text in (" ", "\t"):
            continue
        out.append(atom)
    return out


def _strip(atoms: list[Atom]) -> list[Atom]:
    def loose(atom: Atom) -> bool:
        return not atom.code and atom.href is None and (atom.is_break or is_trim(atom.text))

    start, end = 0, len(atoms)
    while start < end and loose(atoms[start]):
        start += 1
    while end > start and loose(atoms[end - 1]):
        end -= 1
    return atoms[start:end]


def _nest(atoms: list[Atom], applied: frozenset[str]) -> list[model.Inline]:
    """Wrap runs of atoms in the node of the flag that covers the most of them, outermost first."""
    out: list[model.Inline] = []
    i = 0
    while i < len(atoms):
        best, best_end = None, i + 1
        for attr in ("href", "italic", "bold", "language"):  # the order breaks ties
            if attr in applied or not getattr(atoms[i], attr):
                continue
            end = i
            while end < len(atoms) and getattr(atoms[end], attr) == getattr(atoms[i], attr):
                end += 1
            if best is None or end > best_end:
                best, best_end = attr, end
        if best is None:
            out.append(_leaf(atoms[i]))
            i += 1
            continue
        inner = _merge(_nest(atoms[i:best_end], applied | {best}))
        if best == "href":
            out.append(model.Link(atoms[i].href or "", inner))
        elif best == "language":
            out.append(model.LanguageSpan(atoms[i].language or "", inner))
        else:
            out.append(model.Strong(inner) if best == "bold" else model.Emphasis(inner))
        i = best_end
    return out


def _leaf(atom: Atom) -> model.Inline:
    if atom.code:
        return model.Code(atom.text)
    return model.LineBreak() if atom.is_break else model.Text(atom.text)


def _merge(nodes: list[model.Inline]) -> model.RichText:
    """Neighbouring text, and neighbouring code, are one node."""
    out: list[model.Inline] = []
    for node in nodes:
        last = out[-1] if out else None
        if isinstance(node, model.Text) and isinstance(last, model.Text):
            out[-1] = model.Text(last.text + node.text)
        elif isinstance(node, model.Code) and isinstance(last, model.Code):
            out[-1] = model.Code(last.text + node.text)
        else:
            out.append(node)
    return tuple(out)
