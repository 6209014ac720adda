"""Locator maps for pages, and nearby places with distance and bearing."""

from __future__ import annotations

import bisect
import heapq
import math

from ..geodesy import geodesic_km
from ..index.ranking import CO_PLACES_LIMIT, is_small_place
from ..model import Entity
from ..pages.links import Links
from .projection import EARTH_RADIUS_KM, MapPlace, haversine_km
from .svgmap import render_map

COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def draw(
    places: list[tuple[Entity, bool]], links: Links, page_url: str, subject: Entity | str
) -> str:
    """An inline SVG map of the places that have coordinates ("" when none has).

    ``subject`` is the entity whose page the map is on (it chooses the caption, the
    scale and the highlighted country), or the caption of a map of many places ("Places
    in this article")."""
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
    marks = _local(marks)
    if isinstance(subject, str):
        return render_map(marks, caption=subject)
    return render_map(
        marks,
        caption=caption(subject, len(marks)),
        home=_home(subject, places),
        min_span_km=SMALL_PLACE_SPAN_KM if is_small_place(subject) else 100.0,
    )


SMALL_PLACE_SPAN_KM = 25.0  # a building, base or district is shown at city scale


def caption(subject: Entity, count: int) -> str:
    """What the map of `subject`'s page shows, in a sentence (`count`: places drawn)."""
    name = " ".join(subject.name.split())
    if subject.type == "place":
        if subject.country_shape:
            return f"{name} and the dossier's places in it" if count > 1 else name
        if count == 1:
            return f"Where {name} is"
        if is_small_place(subject):
            return f"{name} and its surroundings"
        return f"{name} and the dossier's places around it"
    if subject.type == "event" and subject.links.get("place"):
        return f"Where it happened: {name}"
    if count >= CO_PLACES_LIMIT:
        return f"The {count} places most often mentioned with {name}"
    return f"Places mentioned with {name}"


def _home(subject: Entity, places: list[tuple[Entity, bool]]) -> str | None:
    """ISO code of the subject's country, highlighted on its map: a place's own country,
    else the country of the first focused place (an event's place)."""
    for entity in [subject] + [p for p, focus in places if focus]:
        if entity.type != "place" or entity.country_shape:
            continue
        code = str(entity.fields.get("country") or "").strip().upper()
        if len(code) == 2:
            return code
    return None


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
    lat1, lon1, lat2, lon2 = map(math.radians, (*origin, *target))
    dlon = lon2 - lon1
    x = math.sin(dlon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    degrees = (math.degrees(math.atan2(x, y)) + 360) % 360
    return COMPASS[int((degrees + 22.5) // 45) % 8]


class Neighbours:
    """The places of one build that can be neighbours (coordinates, not a country), sorted
    by latitude once; `of` finds a place's nearest among them."""

    def __init__(self, places: list[Entity]) -> None:
        self.ranked = sorted(
            (
                (p.coordinates[0], p.coordinates[1], p.id, p)
                for p in places
                if p.coordinates is not None and not p.country_shape
            ),
            key=lambda item: (item[0], item[2]),
        )
        self.lats = [item[0] for item in self.ranked]

    def of(self, place: Entity, limit: int = 8) -> list[tuple[Entity, str]]:
        """The closest other places, as (place, "180 km W"), nearest first.

        Ranked on the spherical distance (then id), the few kept measured on the
        ellipsoid. The candidates are visited outwards in latitude from `place`: no place
        farther in latitude than the `limit`-th nearest so far can be nearer (a great
        circle is never shorter than its difference in latitude), so the search stops
        there instead of measuring every pair of places.
        """
        if place.coordinates is None or place.country_shape:
            return []  # distance to a country's label point means little
        lat0, lon0 = place.coordinates
        lats, ranked = self.lats, self.ranked
        best: list[tuple[float, str, Entity]] = []  # the `limit` nearest so far, a max-heap
        below = bisect.bisect_left(lats, lat0) - 1
        above = below + 1
        while below >= 0 or above < len(lats):
            if above >= len(lats) or (below >= 0 and lat0 - lats[below] <= lats[above] - lat0):
                index, below = below, below - 1
            else:
                index, above = above, above + 1
            if len(best) == limit:
                floor = math.radians(abs(lats[index] - lat0)) * EARTH_RADIUS_KM
                if floor > -best[0][0] * (1 + 1e-9) + 1e-9:
                    break
            lat, lon, other_id, other = ranked[index]
            if other_id == place.id:
                continue
            rough = haversine_km(lat0, lon0, lat, lon)
            item = (-rough, _Reversed(other_id), other)
            if len(best) < limit:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        result = []
        for _, _, other in sorted(best, reverse=True):
            km = geodesic_km(place.coordinates, other.coordinates)
            distance = f"{km:.0f} km" if km >= 10 else f"{km:.1f} km"
            direction = bearing(place.coordinates, other.coordinates)
            result.append((other, "same spot" if km < 0.05 else f"{distance} {direction}"))
        return result


def nearby(place: Entity, places: list[Entity], limit: int = 8) -> list[tuple[Entity, str]]:
    """The closest of `places` to `place` (see `Neighbours.of`; for many places of the same
    list, make one `Neighbours` and ask it for each)."""
    return Neighbours(places).of(place, limit)


class _Reversed(str):
    """An id that sorts backwards, so the max-heap of (-distance, id) keeps the smaller id
    of two places at the same distance."""

    def __lt__(self, other: str) -> bool:
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:
        return str.__lt__(self, other)
