"""`dossier import`: articles from the web or saved pages, as Markdown with front matter.

extract.py turns one page into an ImportedArticle (trafilatura does the reading, we tidy
its Markdown); fetch.py asks the web politely; run.py expands the sources (files,
folders, feeds, URLs), skips what the dossier already has and writes the new files.
None of it knows MkDocs. The libraries come with the optional extra
`mkdocs-dossier[import]`, so the plugin itself stays light.
"""

from __future__ import annotations

import importlib

#: The import extra's modules (pyproject.toml, `import`), by import name.
REQUIRED_MODULES = ("trafilatura", "feedparser", "requests")

#: What to tell an editor who lacks them.
INSTALL_HINT = "pip install 'mkdocs-dossier[import]'"


def missing_modules() -> list[str]:
    """The extra's modules that cannot be imported here (absent, or broken by a missing
    dependency of their own, as trafilatura is by lxml without its html_clean part)."""
    missing = []
    for name in REQUIRED_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing
