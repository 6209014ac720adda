"""Where every entity and article is served, and links between them from any page."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..types import TYPE_FOLDERS


@dataclass
class Links:
    """Site-relative URLs of entities (by id), articles (by src_uri) and type indexes."""

    entities: dict[str, str] = field(default_factory=dict)
    articles: dict[str, str] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)  # type -> url
    use_directory_urls: bool = True

    @classmethod
    def for_site(cls, entity_ids: list[str], use_directory_urls: bool) -> Links:
        """URLs of generated pages as MkDocs will serve them."""
        links = cls(use_directory_urls=use_directory_urls)
        for entity_id in entity_ids:
            kind, slug = entity_id.split(":", 1)
            links.entities[entity_id] = links.url_of(f"{TYPE_FOLDERS[kind]}/{slug}.md")
        for kind, folder in TYPE_FOLDERS.items():
            links.indexes[kind] = links.url_of(f"{folder}/index.md")
        return links

    def url_of(self, src_uri: str) -> str:
        """The URL MkDocs gives a Markdown file at `src_uri`."""
        stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
        base = stem.rsplit("/", 1)[-1]
        if base in ("index", "README"):
            parent = stem[: -len(base)]
            return parent if self.use_directory_urls else parent + "index.html"
        return f"{stem}/" if self.use_directory_urls else f"{stem}.html"

    def entity(self, entity_id: str, from_url: str, anchor: str | None = None) -> str | None:
        url = self.entities.get(entity_id)
        if url is None:
            return None
        return relative_url(from_url, url + (f"#{anchor}" if anchor else ""))

    def article(self, src_uri: str, from_url: str, anchor: str | None = None) -> str | None:
        url = self.articles.get(src_uri)
        if url is None:
            return None
        return relative_url(from_url, url + (f"#{anchor}" if anchor else ""))

    def index(self, kind: str, from_url: str) -> str:
        return relative_url(from_url, self.indexes[kind])


def relative_url(from_url: str, to_url: str) -> str:
    """Link from the page served at `from_url` to `to_url` (both site-relative).

    Site URLs hold no `.` or `..` segments, so plain segment arithmetic gives what
    posixpath.relpath would, at a fraction of the cost (it runs for every link).
    """
    to_path, _, fragment = to_url.partition("#")
    from_dir = from_url if from_url.endswith("/") else from_url.rpartition("/")[0]
    rel = _relative_path(from_dir, to_path)
    return f"{rel}#{fragment}" if fragment else rel


@lru_cache(maxsize=1 << 16)
def _relative_path(from_dir: str, to_path: str) -> str:
    """`to_path` from the folder `from_dir` (a page links to the same pages many times)."""
    here = [part for part in from_dir.split("/") if part]
    there = [part for part in to_path.split("/") if part]
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:])
    if not rel:
        rel = "./"
    elif to_path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel
