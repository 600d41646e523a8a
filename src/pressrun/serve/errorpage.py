"""The page every request gets while the sources are invalid: the located problems, not stale content."""

from __future__ import annotations

from html import escape

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>pressrun serve: {title}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; }}
h1 {{ font-size: 1.4rem; color: #a40000; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin: .4rem 0; }}
code {{ font: 14px/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<ol class="problems">
{items}
</ol>
<p>Fix the file and save it: this page reloads by itself after the next build.</p>
</main>
</body>
</html>
"""


def error_page(problems: tuple[str, ...]) -> bytes:
    """HTML listing ``problems`` (``file:line: field: message``), one item each."""
    count = len(problems)
    title = f"{count} problem{'s' if count != 1 else ''} stopped the build" if count else "the build stopped"
    items = "\n".join(f"<li><code>{escape(p)}</code></li>" for p in problems)
    return _PAGE.format(title=escape(title), items=items).encode()
