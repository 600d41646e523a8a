"""The DOCX exporter (python-docx plus its oxml layer), styled by a reference document.

Modules: ``styles`` (the style catalogue), ``reference`` (builds the default
reference.docx), ``template`` (loads and caches the reference), ``oxml``
(hyperlinks, numbering, fields, alt text, language), ``writer`` (the article),
``package`` (reproducible ZIP). Only this module and ``exporter`` load at
``pressrun`` start-up; python-docx is imported when an article is exported.
"""

from pressrun.exporters.docx.exporter import DocxExporter

__all__ = ["DocxExporter"]
