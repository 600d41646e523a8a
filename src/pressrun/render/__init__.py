"""Rendering shared by several formats: dispatch, plain text, wording, XHTML."""
