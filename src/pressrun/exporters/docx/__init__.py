"""The DOCX exporter (python-docx plus its oxml layer), styled by a reference document.

Modules, leaves first (each imports only those above it; nothing imports ``reference``):

* ``styles``: the style catalogue (style ids and names, list names); no imports.
* ``defaults``: the theme's default styles, numbering and settings as WordprocessingML.
* ``oxml``: what python-docx has no API for (hyperlinks, numbering, fields, bookmarks, alt text, language).
* ``furniture``: header and footer, with PAGE/NUMPAGES fields.
* ``scripts``: the world's scripts — each script's family in Word's font slots (``w:cs``, ``w:eastAsia``),
  named in the styles where a slot allows it, right-to-left and complex-script runs marked (issue 14).
* ``package``: core properties and the reproducible ZIP (``exporters.ziparchive``, shared with EPUB).
* ``template``: loads the reference once per process, completing it from ``defaults``.
* ``writer``: the article, one visit per part of ``pressrun.outline`` and per body block; then the scripts,
  the direction of a right-to-left article and the language.
* ``reference``: the tool that builds ``styles/reference.docx`` from the leaves
  (``python -m pressrun.exporters.docx.reference styles/``).

Only this module and ``exporter`` load at ``pressrun`` start-up; python-docx is
imported when an article is exported.
"""

from pressrun.exporters.docx.exporter import DocxExporter

__all__ = ["DocxExporter"]
