"""The basemap of an extent: country outlines simplified for its zoom, projected, clipped
to the map and thinned, written as compact SVG path data. Cached per extent: pages often
share one.

The country data itself is places/countries.py; the geometry, places/geometry.py.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from ..places.countries import Country, load_countries
from ..places.geometry import (
    BBox,
    BoxCells,
    Polygon,
    bbox_intersects,
    boxes_near,
    clip_ring,
    file_boxes,
    ring_bbox,
    ring_ranks,
)
from .projection import ZOOM_STEP, Extent, basemap_block

CLIP_PAD = 3.0  # country shapes are clipped this far outside the viewBox
SIMPLIFY_PX = 0.5  # Douglas-Peucker tolerance for country outlines, in SVG units
DATA_TOLERANCE_DEG = 0.01  # the shipped outlines are simplified this much already
MIN_FEATURE_PX = 1.5  # islands smaller than this (both ways, in SVG units) are left out


@functools.lru_cache(maxsize=2048)
def basemap_paths(extent: Extent) -> tuple[tuple[str, str], ...]:
    """``(iso2 or name, path data)`` of every country shape visible in ``extent``, clipped
    to it, in SVG units with one decimal. Cached: pages often share an extent.

    The outlines come from the extent's basemap block (projected and simplified once,
    :func:`_block_rings`), moved into place and clipped: no per-map reprojection."""
    block, dx, dy = basemap_block(extent)
    # Moved by whole tenths (at most 0.05 units off): a ring wholly inside the map then
    # keeps the line-tos the block wrote for it, and only its start is new.
    dx10, dy10 = round(dx * 10), round(dy * 10)
    box = (
        dx - CLIP_PAD,
        dy - CLIP_PAD,
        dx + extent.width + CLIP_PAD,
        dy + extent.height + CLIP_PAD,
    )
    out: list[tuple[str, str]] = []
    for key, rings in _block_rings(block):
        parts = []
        for ring in rings:
            x0, y0, x1, y1 = bounds = ring.box
            if x1 < box[0] or x0 > box[2] or y1 < box[1] or y0 > box[3]:
                continue
            if x0 >= box[0] and y0 >= box[1] and x1 <= box[2] and y1 <= box[3]:
                (sx, sy), lines = ring.text()
                if lines:
                    parts.append(f"M{_numbers((sx - dx10, sy - dy10))}{lines}")
                continue
            clipped = clip_ring(ring.pts, box, bounds)
            if len(clipped) >= 3:
                ints = [(round(x * 10) - dx10, round(y * 10) - dy10) for x, y in clipped]
                parts.append(_path(ints))
        d = "".join(parts)
        if d:
            out.append((key, d))
    return tuple(out)


class BlockRing:
    """A block's ring: its points and its box, in the block's units, and (made when a
    map first shows the ring whole, as most rings of a block are only ever clipped) its
    path text."""

    __slots__ = ("pts", "box", "_text")

    def __init__(self, pts: tuple[tuple[float, float], ...], box: BBox) -> None:
        self.pts, self.box = pts, box
        self._text: tuple[tuple[int, int], str] | None = None

    def text(self) -> tuple[tuple[int, int], str]:
        """The ring's first point in tenths, and the rest of its path data from there
        ("l...z"; "" when the ring collapses at a tenth)."""
        if self._text is None:
            ints = [(round(x * 10), round(y * 10)) for x, y in self.pts]
            path = _path(ints)
            self._text = (ints[0], path[path.index("l") :] if path else "")
        return self._text


Rings = tuple[BlockRing, ...]


@functools.lru_cache(maxsize=512)
def _block_rings(block: Extent) -> tuple[tuple[str, Rings], ...]:
    """Every country's rings in ``block``: simplified for its zoom level, projected,
    clipped to it and thinned, each with its box, in the block's SVG units."""
    min_lon, min_lat, max_lon, max_lat = block.bounds
    # Blocks near the antimeridian reach past +-180: take the shapes one turn over too.
    shifts = [0.0] + [-360.0] * (min_lon < -180.0) + [360.0] * (max_lon > 180.0)
    countries = load_countries()
    near: set[int] = set()
    for shift in shifts:
        bounds = (min_lon - shift, min_lat, max_lon - shift, max_lat)
        near.update(boxes_near(_country_cells(), bounds, CELL_DEG))
    out: list[tuple[str, Rings]] = []
    for number in sorted(near):
        country = countries[number]
        rings: list[tuple[tuple[tuple[float, float], ...], BBox]] = []
        for shift in shifts:
            bounds = (min_lon - shift, min_lat, max_lon - shift, max_lat)
            if bbox_intersects(country.bbox, bounds):
                rings.extend(_country_rings(country, block, bounds, shift))
        if rings:
            out.append((country.iso2 or country.name, tuple(BlockRing(*r) for r in rings)))
    return tuple(out)


CELL_DEG = 10.0  # cells of the index of country and polygon boxes, in degrees


@functools.lru_cache(maxsize=1)
def _country_cells() -> BoxCells:
    """The countries (by their place in :func:`load_countries`), filed by their boxes."""
    return file_boxes([country.bbox for country in load_countries()], CELL_DEG)


@functools.lru_cache(maxsize=512)
def _polygon_cells(country: Country) -> BoxCells:
    """The country's polygons, filed by their boxes (Indonesia has hundreds)."""
    return file_boxes(country.polygon_bboxes, CELL_DEG)


BAND = 8.0  # height of the bands of the land index, in SVG units

Edge = tuple[float, float, float, float, int]


@functools.lru_cache(maxsize=512)
def _land_index(block: Extent) -> tuple[tuple[str, ...], list[list[Edge]]]:
    """The block's country keys, and the edges of their rings filed by horizontal band
    (an edge in every band it spans, with its country's number; band ``b`` at index
    ``b + 1``, as the rings reach CLIP_PAD above the block): a point-in-land test then
    reads the few edges of one band instead of every point of every ring."""
    keys: list[str] = []
    bands: list[list[Edge]] = [[] for _ in range(int((block.height + CLIP_PAD) // BAND) + 2)]
    for n, (key, rings) in enumerate(_block_rings(block)):
        keys.append(key)
        for ring in rings:
            pts = ring.pts
            ax, ay = pts[-1]
            for bx, by in pts:
                if ay != by:
                    if ay < by:
                        first, last = int(ay // BAND), int(by // BAND)
                    else:
                        first, last = int(by // BAND), int(ay // BAND)
                    edge = (ax, ay, bx, by, n)
                    if first == last:
                        bands[first + 1].append(edge)
                    else:
                        for band in range(first + 1, last + 2):
                            bands[band].append(edge)
                ax, ay = bx, by
    return tuple(keys), bands


def land_at(block: Extent, x: float, y: float) -> set[str]:
    """Keys (ISO codes) of the countries whose drawn land holds the point ``(x, y)`` of
    ``block`` (even-odd rule per country, so holes and enclaves count right)."""
    keys = _land_index(block)[0]
    odd = _odd(block, x, y)
    return {keys[n] for n in range(odd.bit_length()) if odd >> n & 1}


def on_land(block: Extent, x: float, y: float) -> bool:
    """True when some country's drawn land holds the point (:func:`land_at` not empty)."""
    return _odd(block, x, y) != 0


def _odd(block: Extent, x: float, y: float) -> int:
    """Bit n set: the point is inside the rings of the block's country n an odd number
    of times (:func:`_land_index`)."""
    bands = _land_index(block)[1]
    band = int(y // BAND) + 1
    if not 0 <= band < len(bands):
        return 0
    odd = 0
    for ax, ay, bx, by, n in bands[band]:
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            odd ^= 1 << n
    return odd


def _country_rings(
    country: Country, extent: Extent, bounds: BBox, shift: float
) -> list[tuple[tuple[tuple[float, float], ...], BBox]]:
    """The country's rings that meet ``bounds`` (degrees, before ``shift``), projected
    with their longitudes moved by ``shift``, clipped and thinned."""
    box = (-CLIP_PAD, -CLIP_PAD, extent.width + CLIP_PAD, extent.height + CLIP_PAD)
    cx, cy = extent.width / 2.0, extent.height / 2.0
    sx = extent.cos_lat * extent.k
    sy = extent.k
    lon0, lat0 = extent.center_lon - shift, extent.center_lat
    # The clip box in degrees, a hair larger: a piece of outline wholly beyond one of its
    # sides is then certainly beyond that side of the projected box too.
    limits = (
        lon0 + (box[0] - cx) / sx - EDGE_EPS,
        lat0 - (box[3] - cy) / sy - EDGE_EPS,
        lon0 + (box[2] - cx) / sx + EDGE_EPS,
        lat0 - (box[1] - cy) / sy + EDGE_EPS,
    )
    out = []
    level = _level(extent.k)
    boxes = country.polygon_bboxes
    for index in sorted(boxes_near(_polygon_cells(country), bounds, CELL_DEG)):
        pbox = boxes[index]
        if not bbox_intersects(pbox, bounds):
            continue
        polygon = _simplified(country, index, level)
        if not polygon:
            continue
        # Projected bbox of the polygon: skip specks, skip clipping when fully inside.
        x0, x1 = cx + (pbox[0] - lon0) * sx, cx + (pbox[2] - lon0) * sx
        y0, y1 = cy - (pbox[3] - lat0) * sy, cy - (pbox[1] - lat0) * sy
        if x1 - x0 < MIN_FEATURE_PX and y1 - y0 < MIN_FEATURE_PX:
            continue
        inside = x0 >= box[0] and y0 >= box[1] and x1 <= box[2] and y1 <= box[3]
        for number, ring in enumerate(polygon):
            if not inside:
                ring = _near_part(_pieces(country, index, level)[number], limits)
            pts = [(cx + (lon - lon0) * sx, cy - (lat - lat0) * sy) for lon, lat in ring]
            if not inside:
                pts = clip_ring(pts, box, (x0, y0, x1, y1))
            thin = _thinned(pts)
            if len(thin) >= 3:
                out.append((thin, ring_bbox(thin)))
    return out


EDGE_EPS = 1e-7  # degrees
PIECE = 16  # points per piece of a ring, for skipping what lies beyond the clip box

Pieces = tuple[tuple[tuple[tuple[float, float], ...], BBox], ...]


@functools.lru_cache(maxsize=16384)
def _pieces(country: Country, index: int, level: int) -> tuple[Pieces, ...]:
    """Each ring of the simplified polygon (:func:`_simplified`) cut into runs of PIECE
    points, each with its box in degrees."""
    out = []
    for ring in _simplified(country, index, level):
        runs = [ring[i : i + PIECE] for i in range(0, len(ring), PIECE)]
        out.append(tuple((run, ring_bbox(run)) for run in runs))
    return tuple(out)


def _near_part(pieces: Pieces, limits: BBox) -> list[tuple[float, float]]:
    """A ring with each piece that lies wholly beyond one side of ``limits`` (degrees)
    cut down to its first and last point: clipping to the box gives the same result (the
    edges that enter and leave the box are kept), from a few points instead of every
    point of a country's outline."""
    west, south, east, north = limits
    out: list[tuple[float, float]] = []
    for run, (x0, y0, x1, y1) in pieces:
        if x1 < west or x0 > east or y1 < south or y0 > north:
            out.append(run[0])
            if len(run) > 1:
                out.append(run[-1])
        else:
            out.extend(run)
    return out


def _level(k: float) -> int:
    """The zoom ladder's level at or just below ``k`` px per degree."""
    return math.floor(math.log(k) / math.log(ZOOM_STEP) + 1e-9)


@functools.lru_cache(maxsize=16384)
def _simplified(country: Country, index: int, level: int) -> Polygon:
    """The country's polygon number ``index`` simplified once for a zoom level of the
    ladder (Douglas-Peucker at SIMPLIFY_PX of that zoom, in degrees), so a block projects
    and clips a few points instead of every point of the data. Rings that collapse are
    left out; a polygon whose outer ring collapses is empty."""
    polygon = country.polygons[index]
    tol = SIMPLIFY_PX / ZOOM_STEP ** (level + 1)  # the finer end of the level
    if tol < DATA_TOLERANCE_DEG:  # zoomed in past the data's own simplification
        return polygon
    tol2 = tol * tol
    rings = [
        tuple(p for p, r in zip(ring, ranks, strict=True) if r > tol2)
        for ring, ranks in zip(polygon, _ranks(country, index), strict=True)
    ]
    return tuple(r for r in rings if len(r) >= 3) if len(rings[0]) >= 3 else ()


@functools.lru_cache(maxsize=4096)
def _ranks(country: Country, index: int) -> tuple[list[float], ...]:
    """Douglas-Peucker ranks of the polygon's rings (:func:`ring_ranks`): one pass serves
    the simplification at every zoom level."""
    return tuple(ring_ranks(ring, DATA_TOLERANCE_DEG) for ring in country.polygons[index])


def _thinned(pts: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """A projected ring thinned to >= 0.7 unit steps; () when fewer than 3 points remain.
    (The outline is already simplified for the zoom level, :func:`_simplified`.)"""
    thin: list[tuple[float, float]] = []
    lx = ly = math.inf
    for x, y in pts:
        if abs(x - lx) + abs(y - ly) < 0.7:
            continue
        thin.append((x, y))
        lx, ly = x, y
    return tuple(thin) if len(thin) >= 3 else ()


def _encoded(pts: Sequence[tuple[float, float]], dx: float, dy: float) -> str:
    """Path data of a ring moved by ``(-dx, -dy)`` (see :func:`_path`)."""
    return _path([(round((x - dx) * 10), round((y - dy) * 10)) for x, y in pts])


def _path(ints: Sequence[tuple[int, int]]) -> str:
    """Path data of a ring of points in tenths: an absolute "M" per ring (a relative "m"
    after "z" would be relative to the previous ring's start), then relative line-tos, so
    no rounding error accumulates; "" for a ring that collapses."""
    deltas: list[int] = []
    px, py = ints[0]
    for x, y in ints[1:]:
        if x == px and y == py:
            continue
        deltas += (x - px, y - py)
        px, py = x, y
    if len(deltas) < 4:
        return ""
    return f"M{_numbers(ints[0])}l{_numbers(deltas)}z"


def _numbers(values: Sequence[int]) -> str:
    """Tenths as compact path numbers: "-" doubles as a separator, else a space."""
    return " ".join([_TENTHS[n] for n in values]).replace(" -", "-")


class _TenthsTable(dict):
    """``_tenths`` of each integer, computed once per process (paths repeat the small
    deltas of outlines over and over)."""

    def __missing__(self, n: int) -> str:
        text = self[n] = _tenths(n)
        return text


_TENTHS = _TenthsTable()


def _tenths(n: int) -> str:
    sign = "-" if n < 0 else ""
    q, r = divmod(abs(n), 10)
    if r == 0:
        return f"{sign}{q}"
    return f"{sign}{q}.{r}" if q else f"{sign}.{r}"
