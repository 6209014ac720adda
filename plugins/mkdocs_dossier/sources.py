"""Reading every source once: entries and articles, cached across `mkdocs serve` rebuilds."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .articles import ArticleSource, read_article
from .entries import load_entries
from .index import Dossier, Resolutions, build_index
from .model import Diagnostic, Entity


@dataclass
class Project:
    """Where a dossier's sources live."""

    root: Path  # the folder of mkdocs.yml; diagnostics are relative to it
    docs_dir: Path
    entries_dir: Path
    geocache: Path


@dataclass
class SourceCache:
    """Sources parsed once and reused while their files hold (size and mtime).

    Articles are cached one by one; the entries as a whole (any change under the entries
    folder reloads them all); resolved articles and context sentences as
    `index.Resolutions` says. `mkdocs serve` keeps one cache across rebuilds, so a
    rebuild after an edit parses and resolves only the edited file.
    """

    articles: dict[str, tuple[tuple[int, int], ArticleSource]] = field(default_factory=dict)
    entries: tuple[object, list[Entity], list[Diagnostic]] | None = None
    resolutions: Resolutions = field(default_factory=Resolutions)
    hits: int = 0
    misses: int = 0

    def article(
        self, abs_path: str, src_uri: str, display: str | Callable[[], str]
    ) -> ArticleSource | None:
        """The parsed page at `abs_path`; `display` (or a function giving it, called only
        when the file must be read) is its path for diagnostics."""
        try:
            stat = os.stat(abs_path)
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self.articles.get(abs_path)
        if cached is not None and cached[0] == stamp:
            self.hits += 1
            return cached[1]
        try:
            with open(abs_path, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        self.misses += 1
        source = read_article(raw, src_uri, display if isinstance(display, str) else display())
        self.articles[abs_path] = (stamp, source)
        return source

    def load_entries(self, root: Path, entries_dir: Path) -> tuple[list[Entity], list[Diagnostic]]:
        """`entries.load_entries`, reused while no file under `entries_dir` changed."""
        stamp = _entries_stamp(root, entries_dir)
        if self.entries is None or self.entries[0] != stamp:
            entities, diagnostics = load_entries(root, entries_dir)
            self.entries = (stamp, entities, diagnostics)
        else:
            self.hits += 1
        _, entities, diagnostics = self.entries
        return [_fresh_entity(entity) for entity in entities], list(diagnostics)


def _entries_stamp(root: Path, entries_dir: Path) -> object:
    """What `load_entries` reads, as paths with their mtime and size."""
    if not entries_dir.is_dir():
        return (str(root), str(entries_dir), None)
    files = []
    for path in sorted(entries_dir.rglob("*.md")):
        try:
            info = path.stat()
        except OSError:
            files.append((str(path), None))
            continue
        files.append((str(path), info.st_mtime_ns, info.st_size, stat.S_ISREG(info.st_mode)))
    return (str(root), str(entries_dir), tuple(files))


def _fresh_entity(entity: Entity) -> Entity:
    """A copy that resolution and geocoding can fill (links, body mentions, coordinates)
    without touching the cached entry."""
    return replace(entity, links={}, body_mentions=[])


def display_path(path: str | Path, root: Path) -> str:
    """`path` relative to the project root, with forward slashes."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def load_dossier(
    project: Project,
    pages: list[tuple[str, str]],
    cache: SourceCache | None = None,
    locate: bool = True,
) -> Dossier:
    """Read entries and the given pages (src_uri, absolute path), resolve, and index them."""
    cache = cache if cache is not None else SourceCache()
    entities, diagnostics = cache.load_entries(project.root, project.entries_dir)
    sources: list[ArticleSource] = []
    for src_uri, abs_path in sorted(pages):
        source = cache.article(
            abs_path, src_uri, lambda path=abs_path: display_path(path, project.root)
        )
        if source is not None:
            sources.append(source)
    dossier = build_index(entities, sources, diagnostics, cache.resolutions)
    dossier.diagnostics = sorted(
        set(dossier.diagnostics) | set(_hidden_pages(dossier, pages, project))
    )
    if locate:
        from .geo.locate import locate_places

        found: list[Diagnostic] = locate_places(dossier, project)
        dossier.diagnostics = sorted(set(dossier.diagnostics) | set(found))
    return dossier


def markdown_pages(docs_dir: Path) -> list[tuple[str, str]]:
    """Every Markdown page under docs_dir as (src_uri, absolute path), for the CLI."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(docs_dir).parts):
            continue
        pages.append((path.relative_to(docs_dir).as_posix(), str(path)))
    return pages


def _hidden_pages(
    dossier: Dossier, pages: list[tuple[str, str]], project: Project
) -> list[Diagnostic]:
    """A hand-written page where an entity's page would be generated hides that page."""
    by_uri = dict(pages)
    found = []
    for entity in dossier.entities.values():
        page = by_uri.get(entity.src_uri)
        if page is not None:
            shown = display_path(page, project.root)
            found.append(
                Diagnostic(
                    entity.source or shown,
                    1,
                    1,
                    "warning",
                    "hidden-entity-page",
                    f"{shown} hides the generated page of {entity.id}",
                )
            )
    return found
