"""pressrun: one structured article, many publication formats."""

__version__ = "0.1.0"
