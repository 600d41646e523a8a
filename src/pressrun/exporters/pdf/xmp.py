"""The XMP metadata packet: the same facts as the Info dictionary, in the form archives and PDF/A expect, and the
PDF/UA-1 identification (``pdfuaid:part``) of a tagged document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class DocumentFacts:
    title: str
    authors: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    language: str
    created: datetime
    modified: datetime
    creator_tool: str
    producer: str
    identifier: str  # the article id: a stable document id, never random
    rights: str | None = None


def pdf_date(moment: datetime) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'`` from an aware datetime."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{mins:02d}'"


def _alt(value: str, lang: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="{escape(lang)}">{escape(value)}</rdf:li></rdf:Alt>'


def xmp_packet(facts: DocumentFacts) -> str:
    authors = "".join(f"<rdf:li>{escape(a)}</rdf:li>" for a in facts.authors)
    subjects = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in facts.keywords)
    rights = f"<dc:rights>{_alt(facts.rights, 'x-default')}</dc:rights>" if facts.rights else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        "<pdfuaid:part>1</pdfuaid:part>\n"
        "<dc:format>application/pdf</dc:format>\n"
        f"<dc:title>{_alt(facts.title, 'x-default')}</dc:title>\n"
        f"<dc:creator><rdf:Seq>{authors}</rdf:Seq></dc:creator>\n"
        f"<dc:description>{_alt(facts.subject, 'x-default')}</dc:description>\n"
        f"<dc:subject><rdf:Bag>{subjects}</rdf:Bag></dc:subject>\n"
        f"<dc:language><rdf:Bag><rdf:li>{escape(facts.language)}</rdf:li></rdf:Bag></dc:language>\n"
        f"<dc:identifier>{escape(facts.identifier)}</dc:identifier>\n{rights}"
        f"<xmp:CreateDate>{facts.created.isoformat()}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{facts.modified.isoformat()}</xmp:ModifyDate>\n"
        f"<xmp:MetadataDate>{facts.modified.isoformat()}</xmp:MetadataDate>\n"
        f"<xmp:CreatorTool>{escape(facts.creator_tool)}</xmp:CreatorTool>\n"
        f"<pdf:Producer>{escape(facts.producer)}</pdf:Producer>\n"
        f"<pdf:Keywords>{escape(', '.join(facts.keywords))}</pdf:Keywords>\n"
        f"<xmpMM:DocumentID>{escape(facts.identifier)}</xmpMM:DocumentID>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
