"""mkdocs-dossier: annotated news articles become a linked static dossier."""

__version__ = "0.1.0"
