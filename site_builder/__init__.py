"""site-builder: a static website generator for annotated reading."""

__version__ = "0.1.0"
