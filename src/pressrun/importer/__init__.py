"""``pressrun import``: an edited DOCX back into the article's source, field by field (issue 16).

The DOCX that pressrun writes names every part of the article by a paragraph style, so the way back is exact.
An orchestration module, beside ``build``: it reads DOCX files itself (zipfile + lxml), and uses the readers
(to parse the source as a build does) and the DOCX exporter (to see the source as the editor saw it).

Reading a DOCX, leaves first:

* ``package``: the file as an OPC package (a ZIP of XML parts), refusing what is not a Word document.
* ``locate``: "paragraph N", as every message names a place in the document.
* ``styles``, ``numbering``, ``fields``: what a style, a list level and a Word field mean.
* ``revisions``, ``comments``: tracked changes (listed, accepted or rejected) and comments (listed).
* ``paragraphs``: the body as paragraphs of styled spans (runs merged, direct formatting judged).
* ``languages``: which text a run marks as a phrase in another language (``w:lang``), read as language and script.
* ``document``: one DOCX read: package, changes, comments, paragraphs.
* ``inlines``, ``blocks``: spans and paragraphs as pressrun's model (``pressrun.model``), in one canonical form.
* ``parts``: paragraphs mapped to the article's fields by their styles.
* ``snapshot``: what the DOCX shows of each field, comparable across documents.

Writing the source:

* ``markdown``, ``mdblocks``: model → CommonMark that pressrun's reader reads back as the same model.
* ``chunks``, ``merge``: a changed block field rewritten block by block, unchanged blocks kept as written.
* ``frontmatter``: YAML edited in place (ruamel.yaml): untouched keys keep their text, comments and order.
* ``sourcefile``, ``files``, ``images``: the source file's parts, atomic writes, pictures as image files.
* ``baseline``: the current source as the DOCX shows it (its own export, read back by the same reader).
* ``session``: one article: which fields changed, and its source with only those rewritten.
* ``command``: the import as a straight line of steps; ``new``: ``--new``; ``console``: the terminal.
"""
