"""Exporters: one module per format, registered through the ``pressrun.exporters`` entry points."""
