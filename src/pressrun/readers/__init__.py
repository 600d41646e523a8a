"""Readers: sources in, the typed model out. The only place Markdown is parsed."""

from pressrun.readers.source import SourceSet, read_sources

__all__ = ["SourceSet", "read_sources"]
