"""``pressrun serve``: a live preview. Builds into a preview folder of its own for the server's address, serves
it over HTTP, rebuilds on save and reloads open pages.

The modules, each one job:

* ``session`` — the command: claim the folder, bind, first build, serve, watch, stop on Ctrl-C
* ``folder`` — the preview folder (never a build's output), its lock and the media types the build recorded
* ``http`` — the server: files, index pages, media types, ETag/304, byte ranges, HEAD, no way out of the folder
* ``files`` — resolving a request path inside the folder, media types, ranges, validators
* ``watch`` — watchfiles over source/ and styles/, bursts grouped, editors' temporary files ignored
* ``rebuild`` — one incremental build, its terminal line and problems, the state pages see
* ``state`` — what the last build left (its generation, its problems), shared by the builder and the server
* ``reload`` — the listening script, put into served HTML only, and the event stream it listens to
* ``errorpage`` — the page shown instead of stale content while the sources are invalid
"""

from pressrun.serve.session import ServeOptions, serve

__all__ = ["ServeOptions", "serve"]
