"""Ranking queries over the index: who is often mentioned with whom, which places a map
shows. Pages and `serve --dirty` change detection both ask them, so they live here."""

from __future__ import annotations

import heapq

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


def map_places(
    entity: Entity, dossier: Dossier, neighbours: list[Entity] | None = None
) -> list[tuple[Entity, bool]]:
    """Places for an entity's locator map: itself and its neighbours, its event place, or
    the places co-mentioned with it."""
    places: list[tuple[Entity, bool]] = []
    if entity.type == "place":
        places.append((entity, True))
        places.extend((other, False) for other in (neighbours or [])[:MAP_NEIGHBOURS])
    for place_id in entity.links.get("place", []):
        places.append((dossier.entities[place_id], True))
    if entity.type != "place":
        counts = dossier.co_mentions.get(entity.id, {})
        ranked = sorted(
            (i for i in counts if i.startswith("place:")), key=lambda i: (-counts[i], i)
        )
        for place_id in ranked[:CO_PLACES_LIMIT]:
            if all(p.id != place_id for p, _ in places):
                places.append((dossier.entities[place_id], False))
    return places
