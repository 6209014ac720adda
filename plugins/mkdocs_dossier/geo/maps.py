"""Locator maps for pages, and nearby places with distance and bearing."""

from __future__ import annotations

from geopy.distance import geodesic

from ..links import Links
from ..model import Entity
from .svgmap import MapPlace, render_map

COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def draw(places: list[tuple[Entity, bool]], links: Links, page_url: str, title: str) -> str:
    """An inline SVG map of the places that have coordinates ("" when none has)."""
    marks = [
        MapPlace(
            id=entity.id,
            name=entity.name,
            url=links.entity(entity.id, page_url),
            lat=entity.coordinates[0],
            lon=entity.coordinates[1],
            country=entity.country_shape,
            focus=focus,
        )
        for entity, focus in places
        if entity.coordinates is not None
    ]
    if not marks:
        return ""
    return render_map(marks, title=title)


def bearing(origin: tuple[float, float], target: tuple[float, float]) -> str:
    """Compass point from `origin` to `target` (8 points)."""
    import math

    lat1, lon1, lat2, lon2 = map(math.radians, (*origin, *target))
    dlon = lon2 - lon1
    x = math.sin(dlon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    degrees = (math.degrees(math.atan2(x, y)) + 360) % 360
    return COMPASS[int((degrees + 22.5) // 45) % 8]


def nearby(place: Entity, places: list[Entity], limit: int = 8) -> list[tuple[Entity, str]]:
    """The closest other places, as (place, "180 km W"), nearest first."""
    if place.coordinates is None:
        return []
    found = []
    for other in places:
        if other.id == place.id or other.coordinates is None:
            continue
        if other.country_shape or place.country_shape:
            continue  # distance to a country's label point means little
        km = geodesic(place.coordinates, other.coordinates).km
        found.append((km, other.id, other))
    found.sort(key=lambda item: (item[0], item[1]))
    result = []
    for km, _, other in found[:limit]:
        distance = f"{km:.0f} km" if km >= 10 else f"{km:.1f} km"
        if km < 0.05:
            result.append((other, "same spot"))
        else:
            result.append((other, f"{distance} {bearing(place.coordinates, other.coordinates)}"))
    return result
