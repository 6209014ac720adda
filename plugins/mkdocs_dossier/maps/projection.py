"""Where things go on a map: the extent a map shows, its projection, its scale.

Projection: equirectangular ("plate carrée") scaled by the cosine of the map's central
latitude, i.e. ``x = (lon - lon0) * cos(lat_c) * k`` and ``y = (lat0 - lat) * k`` with ``k``
pixels per degree of latitude. Over the extents a dossier shows (about 100 km to a few
thousand km) that keeps shapes and distances close to true at the centre, and it is linear,
so a marker lands exactly where :func:`Extent.project` says. Extents do not cross the
antimeridian. Extents snap to a ladder of zooms and a grid of centres, so that pages
about neighbouring places share one (and its clipped basemap, maps/shapes.py).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..geodesy import EARTH_RADIUS_KM, haversine_km
from ..places.countries import Country, country_by_iso2
from ..places.geometry import BBox

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0  # along a meridian

MARGIN = 0.12  # share of the width/height left free on each side of the markers


@dataclass(frozen=True)
class MapPlace:
    """A place to draw. ``url`` is already relative to the page (None: no link)."""

    id: str
    name: str
    url: str | None
    lat: float
    lon: float
    country: str | None = None  # ISO2 when the place IS a country: its shape is highlighted
    focus: bool = False  # the page's own place: drawn emphasised


@dataclass(frozen=True)
class Extent:
    """What a map shows: centre, scale (``k`` px per degree of latitude) and size in px.

    ``scale_lat`` is the latitude whose cosine scales x (the centre's when None): maps
    take their basemap block's (see :func:`basemap_block`), so that the block's outlines
    only need moving, not reprojecting, to fit them."""

    center_lat: float
    center_lon: float
    k: float
    width: int
    height: int
    scale_lat: float | None = None

    @functools.cached_property
    def cos_lat(self) -> float:
        """Cosine of the scale latitude (the x scale factor), never below 0.05."""
        lat = self.center_lat if self.scale_lat is None else self.scale_lat
        return max(math.cos(math.radians(lat)), 0.05)

    @property
    def bounds(self) -> BBox:
        """``(min_lon, min_lat, max_lon, max_lat)`` of the viewBox."""
        half_lon = self.width / 2.0 / (self.k * self.cos_lat)
        half_lat = self.height / 2.0 / self.k
        return (
            self.center_lon - half_lon,
            self.center_lat - half_lat,
            self.center_lon + half_lon,
            self.center_lat + half_lat,
        )

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """SVG ``(x, y)`` of a point (its longitude taken in the turn nearest the centre)."""
        lon = lon + 360.0 * round((self.center_lon - lon) / 360.0)
        x = self.width / 2.0 + (lon - self.center_lon) * self.cos_lat * self.k
        y = self.height / 2.0 - (lat - self.center_lat) * self.k
        return (x, y)

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """``(lat, lon)`` of the SVG point ``(x, y)`` (inverse of :meth:`project`)."""
        lon = self.center_lon + (x - self.width / 2.0) / (self.cos_lat * self.k)
        lat = self.center_lat - (y - self.height / 2.0) / self.k
        return (lat, lon)

    def span_km(self) -> tuple[float, float]:
        """Great-circle width (along the central parallel) and height of the extent in km."""
        return _span_km(self)

    @property
    def km_per_px(self) -> float:
        """Kilometres per SVG unit at the centre (same on both axes)."""
        return KM_PER_DEGREE / self.k


@functools.lru_cache(maxsize=4096)
def _span_km(extent: Extent) -> tuple[float, float]:
    """:meth:`Extent.span_km`, cached: the maps of a build share a few extents."""
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    width = haversine_km(extent.center_lat, min_lon, extent.center_lat, max_lon)
    height = haversine_km(min_lat, extent.center_lon, max_lat, extent.center_lon)
    return (width, height)


def valid(place: MapPlace) -> bool:
    """True when the place has finite coordinates within the globe's ranges."""
    return (
        isinstance(place.lat, (int, float))
        and isinstance(place.lon, (int, float))
        and math.isfinite(place.lat)
        and math.isfinite(place.lon)
        and -90.0 <= place.lat <= 90.0
        and -180.0 <= place.lon <= 180.0
    )


def country_of(place: MapPlace) -> Country | None:
    """The country whose shape the place is drawn as, if it is one and has a shape."""
    if not place.country:
        return None
    country = country_by_iso2(place.country)
    return country if country is not None and country.polygons else None


def map_extent(
    places: Sequence[MapPlace],
    *,
    min_span_km: float = 100.0,
    width: int = 640,
    height: int = 400,
    margin: float = MARGIN,
) -> Extent:
    """The extent that fits every place with ``margin`` free on each side, matches the
    ``width``/``height`` aspect ratio and is at least ``min_span_km`` across both ways.

    A focused country place also fits its main landmass (e.g. the contiguous United States).
    """
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    for place in places:
        country = country_of(place) if place.focus else None
        if country is not None:
            b = country.main_bbox
            if b[2] - b[0] <= 180.0:
                lons += [b[0], b[2]]
                lats += [b[1], b[3]]
    if not lats:
        raise ValueError("map_extent needs at least one place")
    lons = _unwrap(lons)
    clat = (min(lats) + max(lats)) / 2.0
    clon = (min(lons) + max(lons)) / 2.0
    if clon >= 180.0:
        lons = [lon - 360.0 for lon in lons]
        clon -= 360.0
    cos_lat = max(math.cos(math.radians(clat)), 0.05)
    span_x = (max(lons) - min(lons)) * cos_lat  # in degrees of latitude
    span_y = max(lats) - min(lats)
    free = 1.0 - 2.0 * margin
    k = math.inf
    if span_x > 0:
        k = min(k, width * free / span_x)
    if span_y > 0:
        k = min(k, height * free / span_y)
    k_fit = k
    # Never show less than min_span_km across the shorter side...
    if min_span_km > 0:
        k = min(k, min(width, height) * KM_PER_DEGREE / min_span_km)
    if not math.isfinite(k):
        k = min(width, height) * KM_PER_DEGREE / 100.0
    # ...nor, for that, more than the world.
    k_world = min(max(height / 180.0, width / (360.0 * cos_lat)), k_fit)
    k = max(k, k_world)
    if k > k_world * ZOOM_STEP and -180.0 < clon < 180.0:
        clat, clon, k = _snap(lats, lons, clat, clon, k, width, height, margin)
    extent = _rounded(clat, clon, k, width, height)
    for _ in range(4):  # the great-circle width is a bit shorter than the parallel's length
        shortest = min(extent.span_km())
        if min_span_km <= 0 or shortest >= min_span_km:
            break
        k = max(extent.k * shortest / min_span_km * 0.999, k_world)
        if k >= extent.k:
            break
        extent = _rounded(clat, clon, k, width, height)
    return extent


ZOOM_STEP = 2**0.25  # zoom levels a map may take, each about 19% wider than the next
GRID = 12  # a map's centre sits on a grid of 1/GRID of its height


def _snap(
    lats: list[float],
    lons: list[float],
    clat: float,
    clon: float,
    k: float,
    width: int,
    height: int,
    margin: float,
) -> tuple[float, float, float]:
    """Centre and scale moved onto a fixed ladder of zooms and a grid of centres, zooming
    out until every point still fits inside the margins.

    Pages about neighbouring places then share one extent, and with it the clipped
    basemap (the costly part of a map), instead of each computing its own.
    """
    level = math.floor(math.log(k) / math.log(ZOOM_STEP))
    while True:
        k_s = ZOOM_STEP**level
        step = height / k_s / GRID  # degrees of latitude
        s_lat = max(-89.0, min(89.0, round(clat / step) * step))
        cos_lat = max(math.cos(math.radians(s_lat)), 0.05)
        s_lon = round(clon / (step / cos_lat)) * (step / cos_lat)
        half_lat = height * (0.5 - margin) / k_s
        half_lon = width * (0.5 - margin) / (k_s * cos_lat)
        if all(abs(lat - s_lat) <= half_lat for lat in lats) and all(
            abs(lon - s_lon) <= half_lon for lon in lons
        ):
            return s_lat, s_lon, k_s
        level -= 1


def _unwrap(lons: list[float]) -> list[float]:
    """Longitudes shifted by 360 degrees where that makes their span smaller, so that
    places on both sides of the antimeridian (Fiji, Samoa) get a compact extent."""
    if max(lons) - min(lons) <= 180.0:
        return lons
    shifted = [lon + 360.0 if lon < 0 else lon for lon in lons]
    return shifted if max(shifted) - min(shifted) < max(lons) - min(lons) else lons


def _rounded(clat: float, clon: float, k: float, width: int, height: int) -> Extent:
    """Canonical extent (rounded so equal maps share cache entries and output bytes),
    scaled on the latitude of its basemap block."""
    digits = 4 - int(math.floor(math.log10(k)))
    k_r = math.floor(k * 10**digits) / 10**digits  # round down: never zoom in past k
    lat, lon = round(clat, 4) + 0.0, round(clon, 4) + 0.0
    return Extent(lat, lon, k_r, int(width), int(height), _block_lat(lat, k_r, int(height)))


BLOCK_STEP = 0.5  # basemap blocks sit on a grid of half a map's size
BLOCK_SIZE = 1.5  # and are this many times its size (plus a pad): a map always fits in one


def _block_lat(lat: float, k: float, height: int) -> float:
    step = height * BLOCK_STEP / k
    return max(-89.0, min(89.0, round(lat / step) * step))


def basemap_block(extent: Extent) -> tuple[Extent, float, float]:
    """The block of basemap that holds ``extent`` and where the extent sits in it:
    ``(block, dx, dy)`` with ``extent``'s ``(x, y) == block's (x - dx, y - dy)``.

    Blocks are on a grid of half a map at each scale, so the many extents of one build
    (each a little different) share a few blocks, and the outlines are projected and
    simplified once per block instead of once per map."""
    lat = extent.scale_lat if extent.scale_lat is not None else extent.center_lat
    cos_lat = max(math.cos(math.radians(lat)), 0.05)
    step_lon = extent.width * BLOCK_STEP / (extent.k * cos_lat)
    lon = round(extent.center_lon / step_lon) * step_lon
    width = int(extent.width * BLOCK_SIZE) + 8
    height = int(extent.height * BLOCK_SIZE) + 8
    block = Extent(lat, lon, extent.k, width, height)
    dx = (width - extent.width) / 2.0 + (extent.center_lon - lon) * cos_lat * extent.k
    dy = (height - extent.height) / 2.0 - (extent.center_lat - lat) * extent.k
    return block, dx, dy


def nice_scale_km(max_km: float) -> float:
    """The largest 1, 2 or 5 x 10^n km not longer than ``max_km``."""
    if max_km <= 0:
        return 0.0
    exp = math.floor(math.log10(max_km))
    best = 10.0**exp
    for m in (2.0, 5.0, 10.0):
        if m * 10.0**exp <= max_km * (1 + 1e-9):
            best = m * 10.0**exp
    return best
