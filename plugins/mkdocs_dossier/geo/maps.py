"""Locator maps for pages, and nearby places with distance and bearing."""

from __future__ import annotations

from geopy.distance import geodesic

from ..links import Links
from ..model import Entity
from .svgmap import MapPlace, haversine_km, render_map

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
    return render_map(_local(marks), title=title) if marks else ""


FAR_COUNTRY_KM = 2500.0


def _local(marks: list[MapPlace]) -> list[MapPlace]:
    """Drop far-away countries that would turn a local map into a world map.

    A country named alongside cities (the United States beside Baghdad) stays in the
    map's list only when it is the page's own place or lies near the other markers.
    """
    points = [m for m in marks if m.country is None]
    if not points:
        return marks

    def near(mark: MapPlace) -> bool:
        return min(haversine_km(mark.lat, mark.lon, p.lat, p.lon) for p in points) <= FAR_COUNTRY_KM

    return [m for m in marks if m.country is None or m.focus or near(m)]


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
        rough = haversine_km(*place.coordinates, *other.coordinates)
        found.append((rough, other.id, other))
    # Rank on the cheap spherical distance, then measure the few kept on the ellipsoid.
    found.sort(key=lambda item: (item[0], item[1]))
    result = []
    for _, _, other in found[:limit]:
        km = geodesic(place.coordinates, other.coordinates).km
        distance = f"{km:.0f} km" if km >= 10 else f"{km:.1f} km"
        if km < 0.05:
            result.append((other, "same spot"))
        else:
            result.append((other, f"{distance} {bearing(place.coordinates, other.coordinates)}"))
    return result
