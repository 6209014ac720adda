"""Pages of the site by the names wiki links give them: `[[Page]]`, `[[folder/Page]]`.

Obsidian, Foam and Quartz link notes by file name, path or title. A `[[...]]` that names
no entity but names a page this way becomes a plain link to that page.
"""

from __future__ import annotations

import posixpath

from ..model import Article
from ..names import name_key


class SitePages:
    """The articles of one build, found by file name, path (without `.md`) or title."""

    def __init__(self, articles: list[Article]):
        self.by_key: dict[str, list[str]] = {}
        for article in articles:
            stem = article.src_uri[: -len(".md")] if article.src_uri.endswith(".md") else ""
            names = {stem, posixpath.basename(stem), article.title}
            for name in names:
                key = name_key(name) if name else ""
                if key and article.src_uri not in self.by_key.setdefault(key, []):
                    self.by_key[key].append(article.src_uri)
        for uris in self.by_key.values():
            uris.sort(key=lambda uri: (uri.count("/"), len(uri), uri))

    def fingerprint(self) -> frozenset[tuple[str, tuple[str, ...]]]:
        """Changes whenever a name would find a different page."""
        return frozenset((key, tuple(uris)) for key, uris in self.by_key.items())

    def find(self, name: str, here: str) -> str | None:
        """The src_uri of the page `name` names, seen from the page `here`: a page in the
        same folder first, then the one nearest the top."""
        for candidate in (name, posixpath.basename(name.rstrip("/"))):
            uris = self.by_key.get(name_key(candidate))
            if uris:
                folder = posixpath.dirname(here)
                near = [uri for uri in uris if posixpath.dirname(uri) == folder]
                return (near or uris)[0]
        return None


class SiteFiles:
    """The other files of docs_dir (images), found by path or by file name, as
    `![[image.png]]` names them."""

    def __init__(self, uris: list[str]):
        self.uris = frozenset(uris)
        self.by_name: dict[str, list[str]] = {}
        for uri in sorted(uris, key=lambda uri: (uri.count("/"), uri)):
            self.by_name.setdefault(posixpath.basename(uri).casefold(), []).append(uri)

    def fingerprint(self) -> frozenset[str]:
        return self.uris

    def find(self, name: str, here: str) -> str | None:
        """The file `name` names from the page `here`: a path relative to the page or to
        docs_dir, else the file of that name nearest the page's folder, then the top."""
        name = name.strip().lstrip("/")
        folder = posixpath.dirname(here)
        for candidate in (posixpath.normpath(posixpath.join(folder, name)), name):
            if candidate in self.uris:
                return candidate
        found = self.by_name.get(posixpath.basename(name).casefold())
        if not found:
            return None
        near = [uri for uri in found if posixpath.dirname(uri) == folder]
        return (near or found)[0]
