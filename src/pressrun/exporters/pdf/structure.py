"""The structure tree of the tagged PDF (PDF/UA-1): what each piece of the page is, in reading order.

The layout makes the elements as it visits the article's parts, so the tree's order is the outline's
(``Document`` → ``H1``, ``P``, ``Sect``, ``L``/``LI``/``Lbl``/``LBody``, ``Figure``…). Inline elements (a link,
a phrase in another language) are made with the paragraph's markup and find their parent when they are
drawn. Content is added as it is drawn (``tagging``): a marked-content sequence on a page (MCID) or a link
annotation (OBJR). At save, ``write`` turns the tree into PDF objects: the elements (an element that got no
content is left out), the parent tree, and the entries pages and annotations need. Every name and number
comes from the tree's order: the same article gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject, PDFObjectReference


class Element:
    """One structure element: its role (a standard PDF 1.7 type), its attributes, and its kids in reading order.

    A kid is an ``Element``, a marked-content reference ``(page, mcid)`` (pages from 0), or an annotation
    (``Annotation``)."""

    __slots__ = ("role", "parent", "kids", "lang", "alt", "actual_text", "attributes")

    def __init__(self, role: str, parent: Element | None, lang: str | None = None, alt: str | None = None,
                 actual_text: str | None = None, attributes: str | None = None):
        self.role, self.parent = role, parent
        self.kids: list[Element | tuple[int, int] | Annotation] = []
        self.lang, self.alt, self.actual_text = lang, alt, actual_text
        self.attributes = attributes  # a PDF dictionary, as written: "<< /O /List /ListNumbering /Disc >>"

    def __repr__(self) -> str:
        return f"Element({self.role}, {len(self.kids)} kids)"

    def add(self, role: str, **kwargs: Any) -> Element:
        """A new element, the last of this one's kids."""
        kid = Element(role, self, **kwargs)
        self.kids.append(kid)
        return kid

    def adopt(self, kid: Element) -> None:
        """Make an element made on its own (an inline one) this one's next kid."""
        kid.parent = self
        self.kids.append(kid)


class Annotation:
    """A link annotation as an element's kid: reportlab's name for it and the page (from 0) it is on."""

    __slots__ = ("name", "page")

    def __init__(self, name: str, page: int):
        self.name, self.page = name, page


class StructTree:
    """The document's tree: ``root`` is the ``Document`` element; ``inline`` the inline elements, by number
    (markers in the paragraphs' markup name them)."""

    def __init__(self, language: str):
        self.root = Element("Document", None, lang=language)
        self.language = language
        self.inline: list[Element] = []

    def inline_element(self, role: str, lang: str | None = None, alt: str | None = None) -> int:
        """A new inline element, not yet in the tree (its paragraph adopts it when it is drawn); its number."""
        self.inline.append(Element(role, None, lang=lang, alt=alt))
        return len(self.inline) - 1


class _Written(PDFObject):
    """A PDF object whose bytes are known: the structure is written once its objects have their numbers."""

    __RefOnly__ = 1

    def __init__(self) -> None:
        self.data = b""

    def format(self, document: Any) -> bytes:
        return self.data


def _string(text: str) -> bytes:
    """A PDF text string: literal when it is printable ASCII, else UTF-16BE with its byte order mark."""
    if text.isascii() and text.isprintable():
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _content_pages(element: Element, found: dict[int, int | None]) -> bool:
    """Fill ``found`` with id(element) → its first page (None: its content is all in its kids) for every element
    under ``element`` that has content; whether ``element`` has."""
    first, has = None, False
    for kid in element.kids:
        if isinstance(kid, Element):
            has = _content_pages(kid, found) or has
        else:
            has = True
            if first is None:
                first = kid.page if isinstance(kid, Annotation) else kid[0]
    if has:
        found[id(element)] = first
    return has


class _Numbers:
    """Object numbers as references: elements', pages' and annotations' (all registered before they are written)."""

    def __init__(self, document: Any, refs: dict[str, PDFObjectReference]):
        self.numbers = document.idToObjectNumberAndVersion
        self.refs = refs
        self.elements: dict[int, bytes] = {}

    def page(self, page: int) -> bytes:
        return b"%d %d R" % self.numbers[f"Page{page + 1}"]

    def annotation(self, name: str) -> bytes:
        return b"%d %d R" % self.numbers[self.refs[name].name]


def _element_bytes(element: Element, parent: bytes, page: int | None, ref: _Numbers) -> bytes:
    out = [b"<< /Type /StructElem /S /" + element.role.encode("ascii") + b" /P " + parent]
    if page is not None:
        out.append(b"/Pg " + ref.page(page))
    for key, value in ((b"/Lang ", element.lang), (b"/Alt ", element.alt), (b"/ActualText ", element.actual_text)):
        if value is not None:
            out.append(key + _string(value))
    if element.attributes:
        out.append(b"/A " + element.attributes.encode("ascii"))
    kids = []
    for kid in element.kids:
        if isinstance(kid, Element):
            if id(kid) in ref.elements:
                kids.append(ref.elements[id(kid)])
        elif isinstance(kid, Annotation):
            kids.append(b"<< /Type /OBJR /Obj " + ref.annotation(kid.name) + b" /Pg " + ref.page(kid.page) + b" >>")
        elif kid[0] == page:
            kids.append(b"%d" % kid[1])
        else:
            kids.append(b"<< /Type /MCR /Pg " + ref.page(kid[0]) + b" /MCID %d >>" % kid[1])
    # One kid stands alone (pdfua's heading rule cannot read an array of kids, and it is shorter).
    out.append(b"/K " + (kids[0] if len(kids) == 1 else b"[" + b" ".join(kids) + b"]") + b" >>")
    return b" ".join(out)


def write(tree: StructTree, pages: list[dict[int, Element]], annotations: list[tuple[str, Element]],
          refs: dict[str, PDFObjectReference], document: Any) -> PDFObject:
    """The ``StructTreeRoot`` for the catalog. ``pages[i]`` maps each MCID of page i to its element; page i's
    ``StructParents`` is i, and the j-th of ``annotations`` (reportlab's name, its ``Link``) has ``StructParent``
    len(pages) + j. ``refs`` gives each annotation's reference. Objects are numbered in the tree's order."""
    first_page: dict[int, int | None] = {}
    _content_pages(tree.root, first_page)
    numbers = _Numbers(document, refs)
    root, objects = _Written(), {}
    root_ref = document.Reference(root)
    for element in _walk(tree.root, first_page):
        objects[id(element)] = made = _Written()
        numbers.elements[id(element)] = document.Reference(made).format(document)
    for element in _walk(tree.root, first_page):
        parent = numbers.elements[id(element.parent)] if element.parent is not None else root_ref.format(document)
        objects[id(element)].data = _element_bytes(element, parent, first_page[id(element)], numbers)
    nums = [b"%d [%s]" % (n, b" ".join(numbers.elements[id(marked[m])] if m in marked else b"null"
                                      for m in range(max(marked, default=-1) + 1))) for n, marked in enumerate(pages)]
    nums += [b"%d %s" % (len(pages) + j, numbers.elements[id(owner)]) for j, (_, owner) in enumerate(annotations)]
    parent_tree = _Written()
    parent_tree.data = b"<< /Nums [" + b"\n".join(nums) + b"] >>"
    root.data = (b"<< /Type /StructTreeRoot /K " + numbers.elements[id(tree.root)] + b" /ParentTree "
                 + document.Reference(parent_tree).format(document)
                 + b" /ParentTreeNextKey %d >>" % (len(pages) + len(annotations)))
    return root


def _walk(element: Element, keep: dict[int, int | None]) -> list[Element]:
    """``element`` and the elements under it that have content, depth first."""
    found = [element]
    for kid in element.kids:
        if isinstance(kid, Element) and id(kid) in keep:
            found.extend(_walk(kid, keep))
    return found
