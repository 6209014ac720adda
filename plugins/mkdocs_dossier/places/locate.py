"""Coordinates for every place: entry, then geocache.yml, then countries, then gazetteer.

The build only reads: nothing here touches the network or writes into the sources.
"""

from __future__ import annotations

from ..diagnostics import problem
from ..files import display_path
from ..index.build import Dossier
from ..model import Diagnostic, Entity, Position
from ..read.sources import Project
from .countries import find_country
from .geocache import load_geocache


def locate_places(dossier: Dossier, project: Project) -> list[Diagnostic]:
    """Fill in coordinates of places that lack them; report those found nowhere."""
    cache, diagnostics = load_geocache(
        project.geocache, display_path(project.geocache, project.root)
    )
    for entity in dossier.of_type("place"):
        locate(entity, cache)
        if entity.coordinates is None:
            path, pos = where_defined(entity, dossier)
            diagnostics.append(
                problem(
                    "missing-coordinates",
                    path,
                    pos,
                    f'place "{entity.name}" has no coordinates: add `coordinates: [lat, lon]`, '
                    "or run `dossier geocode`; it is drawn on no map",
                )
            )
    return diagnostics


def locate(entity: Entity, cache: dict) -> None:
    """Set `entity.coordinates` (and `country_shape`) from the first source that knows it."""
    kind = entity.fields.get("kind")
    country = None
    if kind == "country" or kind is None:
        country = find_country(entity.name) or next(
            (c for c in map(find_country, entity.aliases) if c is not None), None
        )
        if (
            kind is None
            and country is not None
            and entity.fields.get("country")
            not in (
                None,
                country.iso2,
            )
        ):
            country = None
    if country is not None:
        entity.country_shape = country.iso2
    if entity.coordinates is not None:
        return
    cached = cache.get(entity.slug)
    if cached is not None:
        entity.coordinates = tuple(cached.coordinates)  # type: ignore[assignment]
        entity.coordinates_source = "geocache"
        return
    if country is not None:
        entity.coordinates = tuple(country.label_point)  # type: ignore[assignment]
        entity.coordinates_source = "country"
        return
    from . import gazetteer  # loaded only when a place still lacks coordinates

    hit = gazetteer.lookup(entity.name, entity.fields.get("country"), entity.aliases)
    if hit is not None:
        entity.coordinates = (hit.lat, hit.lon)
        entity.coordinates_source = "gazetteer"


def where_defined(entity: Entity, dossier: Dossier) -> tuple[str, Position]:
    """The entry file and line that define an entity; for a stub, its first mention."""
    if entity.source:
        return entity.source, entity.field_positions.get("geocode", Position(1, 1))
    for article, mention in dossier.mentions.get(entity.id, []):
        return article.path, mention.target.position
    if entity.first_named is not None:
        return entity.first_named
    return "", Position(1, 1)
