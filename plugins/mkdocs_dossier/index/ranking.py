"""Ranking queries over the index: who is often mentioned with whom, which places a map
shows. Pages and `serve --dirty` change detection both ask them, so they live here."""

from __future__ import annotations

import heapq
import math

from ..geodesy import haversine_km
from ..model import Entity
from .build import Dossier

RELATED_LIMIT = 12
CO_PLACES_LIMIT = 12
MAP_NEIGHBOURS = 5


def related_entities(entity: Entity, dossier: Dossier) -> list[tuple[Entity, int]]:
    """'Often mentioned with': the entities sharing the most articles with `entity`."""
    counts = dossier.co_mentions.get(entity.id, {})
    top = heapq.nsmallest(RELATED_LIMIT, counts.items(), key=lambda item: (-item[1], item[0]))
    return [(dossier.entities[i], n) for i, n in top]


SMALL_PLACE_KINDS = frozenset(
    {
        "building",
        "base",
        "district",
        "site",
        "compound",
        "neighbourhood",
        "neighborhood",
        "airport",
        "facility",
        "zone",
        "camp",
        "street",
        "square",
    }
)
"""Place kinds drawn at city scale: a building, a base, a district."""
CONTEXT_KM = 250.0  # how far a small place looks for the city that gives it context
NEAR_KM = 40.0  # a small place's neighbours within this distance are drawn too
AROUND_KM = 600.0  # a city's map shows the dossier's places within this distance
COUNTRY_PLACES_LIMIT = 12  # a country's map shows at most this many of its places


def map_places(
    entity: Entity, dossier: Dossier, neighbours: list[Entity] | None = None
) -> list[tuple[Entity, bool]]:
    """Places for an entity's locator map, as (place, is the subject) pairs.

    A building, base or district: itself, its neighbours within NEAR_KM and the nearest
    city within CONTEXT_KM. A country: itself and the dossier's places in it, the most
    mentioned first. Another place: itself and its neighbours within AROUND_KM. An event:
    its place (else the places mentioned with it). A person or organization: the places
    most often mentioned with them, at most CO_PLACES_LIMIT.
    """
    if entity.type == "place":
        return [(entity, True)] + [(p, False) for p in _around(entity, dossier, neighbours or [])]
    places = [(dossier.entities[i], True) for i in entity.links.get("place", [])]
    if entity.type == "event" and places:
        return places
    counts = dossier.co_mentions.get(entity.id, {})
    ranked = sorted((i for i in counts if i.startswith("place:")), key=lambda i: (-counts[i], i))
    for place_id in ranked:
        if len(places) >= CO_PLACES_LIMIT:
            break
        if all(p.id != place_id for p, _ in places):
            places.append((dossier.entities[place_id], False))
    return places


def is_small_place(entity: Entity) -> bool:
    """True for a place drawn at city scale (its `kind` is a building, base, district...)."""
    return str(entity.fields.get("kind") or "").casefold() in SMALL_PLACE_KINDS


def _around(place: Entity, dossier: Dossier, neighbours: list[Entity]) -> list[Entity]:
    """The other places a place's map shows (see map_places)."""
    if place.country_shape:
        inside = [
            p
            for p in dossier.of_type("place")
            if p is not place
            and p.coordinates is not None
            and not p.country_shape
            and str(p.fields.get("country") or "").upper() == place.country_shape
        ]
        inside.sort(key=lambda p: (-len(dossier.mentions.get(p.id, [])), p.id))
        return inside[:COUNTRY_PLACES_LIMIT]
    if place.coordinates is None:
        return []
    here = place.coordinates
    near = [p for p in neighbours if p.coordinates is not None and not p.country_shape]
    if not is_small_place(place):
        return [p for p in near if _km(here, p.coordinates) <= AROUND_KM][:MAP_NEIGHBOURS]
    chosen = [p for p in near if _km(here, p.coordinates) <= NEAR_KM][:MAP_NEIGHBOURS]
    if not any(not is_small_place(p) for p in chosen):
        city = next((p for p in near if not is_small_place(p)), None)
        if city is not None and _km(here, city.coordinates) <= CONTEXT_KM:
            chosen.append(city)
    return chosen


def _km(a: tuple[float, float], b: tuple[float, float] | None) -> float:
    """Great-circle distance in km (inf when `b` has no coordinates)."""
    if b is None:
        return math.inf
    return haversine_km(a[0], a[1], b[0], b[1])
