"""The engine's entry point: sources -> index -> places, one call for the plugin and
the `dossier` commands alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import problem
from .files import display_path
from .index.build import Dossier, Resolutions, build_index
from .index.sitepages import SiteFiles
from .model import Diagnostic, Position
from .places.locate import locate_places
from .read.articles import ArticleSource
from .read.sources import Project, SourceCache


@dataclass
class BuildCache:
    """What a `mkdocs serve` session keeps between rebuilds: parsed sources, and resolved
    articles with their context sentences (as `index.Resolutions` says)."""

    sources: SourceCache = field(default_factory=SourceCache)
    resolutions: Resolutions = field(default_factory=Resolutions)


def load_dossier(
    project: Project,
    pages: list[tuple[str, str]],
    cache: BuildCache | None = None,
    locate: bool = True,
    files: list[str] | None = None,
) -> Dossier:
    """Read entries and the given pages (src_uri, absolute path), resolve, and index them."""
    cache = cache if cache is not None else BuildCache()
    entities, diagnostics = cache.sources.load_entries(project.root, project.entries_dir)
    sources: list[ArticleSource] = []
    for src_uri, abs_path in sorted(pages):
        source = cache.sources.article(
            abs_path, src_uri, lambda path=abs_path: display_path(path, project.root)
        )
        if source is not None:
            sources.append(source)
    found_files = SiteFiles(files) if files is not None else None
    dossier = build_index(entities, sources, diagnostics, cache.resolutions, found_files)
    dossier.diagnostics = sorted(
        set(dossier.diagnostics) | set(_hidden_pages(dossier, pages, project))
    )
    if locate:
        found: list[Diagnostic] = locate_places(dossier, project)
        dossier.diagnostics = sorted(set(dossier.diagnostics) | set(found))
    return dossier


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
                problem(
                    "hidden-entity-page",
                    entity.source or shown,
                    Position(1, 1),
                    f"{shown} hides the generated page of {entity.id}",
                )
            )
    return found
