"""Static SVG maps drawn at build time: no JavaScript, no tiles, no network.

Projection: equirectangular ("plate carrée") scaled by the cosine of the map's central
latitude, i.e. ``x = (lon - lon0) * cos(lat_c) * k`` and ``y = (lat0 - lat) * k`` with ``k``
pixels per degree of latitude. Over the extents a dossier shows (about 100 km to a few
thousand km) that keeps shapes and distances close to true at the centre, and it is linear,
so a marker lands exactly where :func:`Extent.project` says. Extents do not cross the
antimeridian.

The public entry point is :func:`render_map`; :func:`map_extent`, :class:`Extent` and
:func:`label_box` are exposed for tests and callers that need the geometry.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..places.countries import (
    BBox,
    Country,
    bbox_intersects,
    clip_ring,
    country_by_iso2,
    load_countries,
)

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0  # along a meridian

MARGIN = 0.12  # share of the width/height left free on each side of the markers
FONT_SIZE = 12.0
CHAR_WIDTH = 0.62  # average glyph advance / font size for a sans-serif font
LABEL_GAP = 3.0
LABEL_MAX_CHARS = 36
MARKER_R = 4.5
FOCUS_R = 6.5
EDGE_PAD = 2.0  # labels keep this far from the viewBox edge
CLIP_PAD = 3.0  # country shapes are clipped this far outside the viewBox
SIMPLIFY_PX = 0.5  # Douglas-Peucker tolerance for country outlines, in SVG units
MIN_FEATURE_PX = 1.5  # islands smaller than this (both ways, in SVG units) are left out

_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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
    """What a map shows: centre, scale (``k`` px per degree of latitude) and size in px."""

    center_lat: float
    center_lon: float
    k: float
    width: int
    height: int

    @property
    def cos_lat(self) -> float:
        """Cosine of the central latitude (the x scale factor), never below 0.05."""
        return max(math.cos(math.radians(self.center_lat)), 0.05)

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

    def span_km(self) -> tuple[float, float]:
        """Great-circle width (along the central parallel) and height of the extent in km."""
        min_lon, min_lat, max_lon, max_lat = self.bounds
        width = haversine_km(self.center_lat, min_lon, self.center_lat, max_lon)
        height = haversine_km(min_lat, self.center_lon, max_lat, self.center_lon)
        return (width, height)

    @property
    def km_per_px(self) -> float:
        """Kilometres per SVG unit at the centre (same on both axes)."""
        return KM_PER_DEGREE / self.k


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _valid(place: MapPlace) -> bool:
    return (
        isinstance(place.lat, (int, float))
        and isinstance(place.lon, (int, float))
        and math.isfinite(place.lat)
        and math.isfinite(place.lon)
        and -90.0 <= place.lat <= 90.0
        and -180.0 <= place.lon <= 180.0
    )


def _country_of(place: MapPlace) -> Country | None:
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
        country = _country_of(place) if place.focus else None
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
    """Canonical extent (rounded so equal maps share cache entries and output bytes)."""
    digits = 4 - int(math.floor(math.log10(k)))
    k_r = math.floor(k * 10**digits) / 10**digits  # round down: never zoom in past k
    return Extent(round(clat, 4) + 0.0, round(clon, 4) + 0.0, k_r, int(width), int(height))


# --- basemap -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def basemap_paths(extent: Extent) -> tuple[tuple[str, str], ...]:
    """``(iso2 or name, path data)`` of every country shape visible in ``extent``, clipped
    to it, in SVG units with one decimal. Cached: pages often share an extent."""
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    out: list[tuple[str, str]] = []
    for country in load_countries():
        parts = []
        # Extents near the antimeridian reach past +-180: draw the shapes one turn over too.
        for shift in (-360.0, 0.0, 360.0):
            bounds = (min_lon - shift, min_lat, max_lon - shift, max_lat)
            if bbox_intersects(country.bbox, bounds):
                parts.append(_country_path(country, extent, bounds, shift))
        d = "".join(parts)
        if d:
            out.append((country.iso2 or country.name, d))
    return tuple(out)


def _country_path(country: Country, extent: Extent, bounds: BBox, shift: float) -> str:
    """Path data of the country's polygons that meet ``bounds`` (degrees, before
    ``shift``), projected with their longitudes moved by ``shift`` and clipped."""
    box = (-CLIP_PAD, -CLIP_PAD, extent.width + CLIP_PAD, extent.height + CLIP_PAD)
    cx, cy = extent.width / 2.0, extent.height / 2.0
    sx = extent.cos_lat * extent.k
    sy = extent.k
    lon0, lat0 = extent.center_lon - shift, extent.center_lat
    parts: list[str] = []
    for polygon, pbox in zip(country.polygons, country.polygon_bboxes, strict=True):
        if not bbox_intersects(pbox, bounds):
            continue
        # Projected bbox of the polygon: skip specks, skip clipping when fully inside.
        x0, x1 = cx + (pbox[0] - lon0) * sx, cx + (pbox[2] - lon0) * sx
        y0, y1 = cy - (pbox[3] - lat0) * sy, cy - (pbox[1] - lat0) * sy
        if x1 - x0 < MIN_FEATURE_PX and y1 - y0 < MIN_FEATURE_PX:
            continue
        inside = x0 >= box[0] and y0 >= box[1] and x1 <= box[2] and y1 <= box[3]
        for ring in polygon:
            pts = [(cx + (lon - lon0) * sx, cy - (lat - lat0) * sy) for lon, lat in ring]
            if not inside:
                pts = clip_ring(pts, box)
            if len(pts) >= 3:
                parts.append(_ring_path(pts))
    return "".join(p for p in parts if p)


def _ring_path(pts: Sequence[tuple[float, float]]) -> str:
    """Relative path data in tenths of a unit, thinned to >= 0.7 unit steps and simplified
    (Douglas–Peucker, SIMPLIFY_PX)."""
    thin: list[tuple[float, float]] = []
    lx = ly = math.inf
    for x, y in pts:
        if abs(x - lx) + abs(y - ly) < 0.7:
            continue
        thin.append((x, y))
        lx, ly = x, y
    if len(thin) < 3:
        return ""
    ints = [(round(x * 10), round(y * 10)) for x, y in _simplify(thin, SIMPLIFY_PX)]
    if len(ints) < 3:
        return ""
    # Absolute "M" per ring (a relative "m" after "z" would be relative to the previous
    # ring's start), then relative line-tos in tenths, so no rounding error accumulates.
    deltas: list[int] = []
    px, py = ints[0]
    for x, y in ints[1:]:
        if x == px and y == py:
            continue
        deltas += (x - px, y - py)
        px, py = x, y
    return f"M{_numbers(ints[0])}l{_numbers(deltas)}z"


def _numbers(values: Sequence[int]) -> str:
    """Tenths as compact path numbers: "-" doubles as a separator, else a space."""
    out: list[str] = []
    for i, n in enumerate(values):
        if i and n >= 0:
            out.append(" ")
        out.append(_tenths(n))
    return "".join(out)


def _simplify(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on a closed ring (split at its first point and the farthest one)."""
    n = len(pts)
    if n < 5:
        return pts
    x0, y0 = pts[0]
    far = max(range(n), key=lambda i: (pts[i][0] - x0) ** 2 + (pts[i][1] - y0) ** 2)
    keep = [False] * (n + 1)
    keep[0] = keep[far] = keep[n] = True
    ring = [*pts, pts[0]]
    tol2 = tol * tol
    stack = [(0, far), (far, n)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = ring[a]
        dx, dy = ring[b][0] - ax, ring[b][1] - ay
        norm = dx * dx + dy * dy
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = ring[i]
            if norm == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                c = dy * (px - ax) - dx * (py - ay)
                d = c * c / norm
            if d > best:
                best, index = d, i
        if best > tol2:
            keep[index] = True
            stack.append((a, index))
            stack.append((index, b))
    return [ring[i] for i in range(n) if keep[i]]


def _tenths(n: int) -> str:
    sign = "-" if n < 0 else ""
    q, r = divmod(abs(n), 10)
    if r == 0:
        return f"{sign}{q}"
    return f"{sign}{q}.{r}" if q else f"{sign}.{r}"


# --- labels --------------------------------------------------------------------------------


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated advance width of ``text``: character count x font size x a factor."""
    units = 0.0
    for ch in text:
        units += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else CHAR_WIDTH
    return units * font_size


def label_box(x: float, y: float, anchor: str, text: str, font_size: float = FONT_SIZE) -> BBox:
    """Estimated box ``(x0, y0, x1, y1)`` of a label drawn at baseline ``(x, y)`` with
    ``text-anchor`` ``anchor`` (start, middle or end), halo included."""
    w = text_width(text, font_size)
    if anchor == "end":
        x0 = x - w
    elif anchor == "middle":
        x0 = x - w / 2.0
    else:
        x0 = x
    return (x0 - 1.5, y - 0.8 * font_size - 1.5, x0 + w + 1.5, y + 0.25 * font_size + 1.5)


def _label_candidates(
    x: float, y: float, r: float, font_size: float, centered: bool
) -> list[tuple[float, float, str]]:
    """Positions to try, best first: right, left, above, below, then the diagonals."""
    gap = r + LABEL_GAP
    mid = y + 0.3 * font_size  # baseline that centres the text vertically on y
    above = y - gap - 0.25 * font_size
    below = y + gap + 0.8 * font_size
    options = [
        (x + gap, mid, "start"),
        (x - gap, mid, "end"),
        (x, above, "middle"),
        (x, below, "middle"),
        (x + gap * 0.7, y - gap * 0.7 - 0.1 * font_size, "start"),
        (x + gap * 0.7, y + gap * 0.7 + 0.7 * font_size, "start"),
        (x - gap * 0.7, y - gap * 0.7 - 0.1 * font_size, "end"),
        (x - gap * 0.7, y + gap * 0.7 + 0.7 * font_size, "end"),
    ]
    if centered:
        options.insert(0, (x, mid, "middle"))
    return options


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_text(name: str) -> str:
    name = " ".join(_XML_INVALID.sub("", name).split())
    if len(name) > LABEL_MAX_CHARS:
        return name[: LABEL_MAX_CHARS - 1].rstrip() + "…"
    return name


# --- output helpers ------------------------------------------------------------------------


def _esc(text: str) -> str:
    """Escape for XML/HTML text and attribute values; drop characters XML forbids."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _num(v: float) -> str:
    """Stable one-decimal number formatting."""
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s in ("-0", "-0.0") else s


def _coord(v: float, digits: int = 6) -> str:
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _safe_url(url: str | None) -> str | None:
    if url is None:
        return None
    if _UNSAFE_URL.match(_XML_INVALID.sub("", url)):
        return None
    return url


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


def _scale_text(km: float) -> str:
    if km < 1:
        return f"{round(km * 1000):d} m"
    return f"{km:.0f} km"


# --- rendering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    place: MapPlace
    x: float
    y: float
    r: float
    shape: str | None  # path data when the place is drawn as its country's shape
    anchor: tuple[float, float] | None = None  # true position when moved out of a cluster


def render_map(
    places: Sequence[MapPlace],
    *,
    title: str,
    min_span_km: float = 100.0,
    width: int = 640,
    height: int = 400,
) -> str:
    """Render ``places`` as an HTML ``<figure>`` holding an inline SVG map and a
    ``<details>`` list of the places, or "" when no place has valid coordinates."""
    places = [p for p in places if _valid(p)]
    if not places:
        return ""
    width, height = int(width), int(height)
    extent = map_extent(places, min_span_km=min_span_km, width=width, height=height)
    base = basemap_paths(extent)

    # Country places take their (clipped) shape out of the basemap, as their marker.
    shapes = dict(base)
    used: set[str] = set()
    placed: list[_Placed] = []
    for place in places:
        x, y = extent.project(place.lat, place.lon)
        country = _country_of(place)
        if country is not None and country.iso2 in shapes and country.iso2 not in used:
            used.add(country.iso2)
            placed.append(_Placed(place, x, y, 0.0, shapes[country.iso2]))
        else:
            placed.append(_Placed(place, x, y, FOCUS_R if place.focus else MARKER_R, None))

    _declutter(placed, extent)
    labels = _place_labels(placed, extent, _scale_bar(extent)[1])
    digest = hashlib.sha1(
        repr((title, width, height, min_span_km, [tuple(vars(p).values()) for p in places])).encode(
            "utf-8", "surrogatepass"
        )
    ).hexdigest()[:10]
    title_id = f"dossier-map-{digest}"

    out: list[str] = ['<figure class="dossier-map-figure">']
    out.append(
        f'<svg class="dossier-map" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{title_id}">'
    )
    out.append(f'<title id="{title_id}">{_esc(title)}</title>')
    out.append(f'<rect class="dossier-map-sea" width="{width}" height="{height}" fill="#dbe6ef"/>')
    out.append(
        '<g class="dossier-map-land" fill="#f4f2ec" stroke="#9b9b9b" stroke-width=".6" '
        'stroke-linejoin="round" fill-rule="evenodd">'
    )
    for key, d in base:
        if key in used:
            continue
        out.append(f'<path class="dossier-country" data-country="{_esc(key)}" d="{d}"/>')
    out.append("</g>")

    out.append(_scale_bar(extent)[0])

    # Country shapes first (under the pins), then pins; the focus place last, on top.
    order = sorted(
        range(len(placed)), key=lambda i: (placed[i].shape is None, placed[i].place.focus, i)
    )
    out.append(
        f'<g class="dossier-map-places" font-family="sans-serif" font-size="{_num(FONT_SIZE)}">'
    )
    for i in order:
        out.append(_place_svg(placed[i], labels.get(i)))
    out.append("</g></svg>")
    out.append(_details(places))
    out.append("</figure>")
    return "".join(out)


CLUSTER_PX = 2 * MARKER_R + 2.0  # pins closer than this would hide each other
RING_PX = 16.0  # how far a crowded pin moves from its cluster's first pin


def _declutter(placed: list[_Placed], extent: Extent) -> None:
    """Spread pins that would sit on one another (Baghdad, the Green Zone and the embassy
    on a regional map) around the first of them, with a leader line to the true spot."""
    pins = sorted(
        (i for i, item in enumerate(placed) if item.shape is None),
        key=lambda i: (not placed[i].place.focus, i),
    )
    clusters: list[list[int]] = []
    for i in pins:
        item = placed[i]
        for cluster in clusters:
            head = placed[cluster[0]]
            if math.hypot(item.x - head.x, item.y - head.y) < CLUSTER_PX:
                cluster.append(i)
                break
        else:
            clusters.append([i])
    for cluster in clusters:
        if len(cluster) < 2:
            continue
        head = placed[cluster[0]]
        moved = cluster[1:]
        for k, i in enumerate(moved):
            item = placed[i]
            angle = -math.pi / 2 + 2 * math.pi * k / len(moved)
            x = head.x + RING_PX * math.cos(angle)
            y = head.y + RING_PX * math.sin(angle)
            x = min(max(x, item.r + EDGE_PAD), extent.width - item.r - EDGE_PAD)
            y = min(max(y, item.r + EDGE_PAD), extent.height - item.r - EDGE_PAD)
            placed[i] = dataclasses.replace(item, x=x, y=y, anchor=(item.x, item.y))


def _place_svg(item: _Placed, label: tuple[float, float, str, str] | None) -> str:
    place = item.place
    url = _safe_url(place.url)
    href = f' href="{_esc(url)}"' if url is not None else ""
    data = f'data-lat="{_coord(place.lat)}" data-lon="{_coord(place.lon)}"'
    title = f"<title>{_esc(place.name)}</title>"
    focus = " dossier-marker--focus" if place.focus else ""
    parts = [f'<a class="dossier-place"{href} data-entity="{_esc(place.id)}">']
    if item.shape is not None:
        parts.append(
            f'<path class="dossier-marker dossier-marker--country{focus} dossier-country '
            f'dossier-country--highlight" {data} d="{item.shape}" fill="#f6dfb5" '
            f'stroke="#8a6d3b" stroke-width=".8" stroke-linejoin="round" '
            f'fill-rule="evenodd">{title}</path>'
        )
    else:
        fill = "#c0392b" if place.focus else "#1f5f9e"
        if item.anchor is not None:
            ax, ay = item.anchor
            parts.append(
                f'<line class="dossier-leader" x1="{_num(ax)}" y1="{_num(ay)}" '
                f'x2="{_num(item.x)}" y2="{_num(item.y)}" stroke="#555" stroke-width=".8"/>'
            )
        parts.append(
            f'<circle class="dossier-marker{focus}" {data} cx="{_num(item.x)}" '
            f'cy="{_num(item.y)}" r="{_num(item.r)}" fill="{fill}" stroke="#fff" '
            f'stroke-width="1.5">{title}</circle>'
        )
    if label is not None:
        x, y, anchor, text = label
        parts.append(
            f'<text class="dossier-label{" dossier-label--focus" if place.focus else ""}" '
            f'x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" fill="#222" stroke="#fff" '
            f'stroke-width="3" stroke-linejoin="round" paint-order="stroke">{_esc(text)}</text>'
        )
    parts.append("</a>")
    return "".join(parts)


def _place_labels(
    placed: Sequence[_Placed], extent: Extent, scale_box: BBox
) -> dict[int, tuple[float, float, str, str]]:
    """Greedy label placement: focus first, then input order; a label that fits nowhere
    is dropped (its marker stays, and the place is still listed under the map)."""
    fs = FONT_SIZE
    obstacles: list[BBox] = [scale_box]
    for item in placed:
        if item.shape is None:
            r = item.r + 1.0
            obstacles.append((item.x - r, item.y - r, item.x + r, item.y + r))
    limits = (EDGE_PAD, EDGE_PAD, extent.width - EDGE_PAD, extent.height - EDGE_PAD)
    order = sorted(range(len(placed)), key=lambda i: (not placed[i].place.focus, i))
    taken: list[BBox] = []
    result: dict[int, tuple[float, float, str, str]] = {}
    for i in order:
        item = placed[i]
        text = _label_text(item.place.name)
        if not text:
            continue
        candidates = _label_candidates(item.x, item.y, item.r, fs, item.shape is not None)
        for cx, cy, anchor in candidates:
            x, y = round(cx, 1), round(cy, 1)  # as written out, so boxes are exact
            box = label_box(x, y, anchor, text, fs)
            if box[0] < limits[0] or box[1] < limits[1] or box[2] > limits[2]:
                continue
            if box[3] > limits[3]:
                continue
            if any(_overlaps(box, t) for t in taken) or any(_overlaps(box, o) for o in obstacles):
                continue
            taken.append(box)
            result[i] = (x, y, anchor, text)
            break
    return result


@functools.lru_cache(maxsize=512)
def _scale_bar(extent: Extent) -> tuple[str, BBox]:
    """SVG of the scale bar (bottom left) and the box it occupies."""
    max_px = extent.width * 0.25
    km = nice_scale_km(max_px * extent.km_per_px)
    length = km / extent.km_per_px
    x0 = 10.0
    y0 = extent.height - 10.0
    text = _scale_text(km)
    svg = (
        f'<g class="dossier-scale" font-family="sans-serif" font-size="11">'
        f'<path class="dossier-scale-bar" d="M{_num(x0)} {_num(y0 - 5)}v5h{_num(length)}v-5" '
        f'fill="none" stroke="#333" stroke-width="1.5"/>'
        f'<text class="dossier-scale-label" x="{_num(x0 + 2)}" y="{_num(y0 - 8)}" fill="#333" '
        f'stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
        f"{_esc(text)}</text></g>"
    )
    text_box = label_box(x0 + 2, y0 - 8, "start", text, 11.0)
    box = (x0 - 2, text_box[1], max(x0 + length + 2, text_box[2]), y0 + 2)
    return svg, box


def _details(places: Sequence[MapPlace]) -> str:
    items = sorted(places, key=lambda p: (unicodedata.normalize("NFKD", p.name).casefold(), p.id))
    out = [
        '<details class="dossier-map-places"><summary>Places on this map</summary><ul>',
    ]
    for p in items:
        url = _safe_url(p.url)
        name = _esc(p.name)
        label = f'<a href="{_esc(url)}">{name}</a>' if url is not None else name
        out.append(f"<li>{label} — {_coord(p.lat, 5)}, {_coord(p.lon, 5)}</li>")
    out.append("</ul></details>")
    return "".join(out)
