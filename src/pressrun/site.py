"""Where publication-wide files live in the output folder, shared by the exporters that write and link them.

The feed exporter writes these feeds; the web edition advertises them for autodiscovery.
"""

from __future__ import annotations

# (path in the output folder, media type, label)
RSS_FEED = ("feeds/rss.xml", "application/rss+xml", "RSS")
ATOM_FEED = ("feeds/atom.xml", "application/atom+xml", "Atom")
JSON_FEED = ("feeds/feed.json", "application/feed+json", "JSON Feed")
PUBLICATION_FEEDS = (RSS_FEED, ATOM_FEED, JSON_FEED)
