"""Water on a map: major rivers (the Tigris, the Euphrates), large lakes, and the names of
seas and gulfs, from Natural Earth's 1:50m physical layers (data/physical.json, made by
tools/build_physical.py).

Rivers and lakes of an extent are projected, thinned and written as path data once per
extent (cached, as the country outlines are). Sea names are placed after the markers,
their labels and the scale bar, only where the name fits in the water around one of the
sea's label points and touches nothing already placed.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

from ..places.countries import decode_ring
from ..places.geometry import BBox, BoxCells, boxes_near, clip_ring, file_boxes, ring_bbox
from .labels import EDGE_PAD, GROW, claim, text_width
from .projection import Extent, basemap_block
from .shapes import _encoded, _numbers, on_land

DATA_FILE = "physical.json"
SEA_FONT = 11.0
SEA_LABELS_MAX = 4
LINE_HEIGHT = 1.15  # of a two-line sea name, in font sizes
RIVER_ZOOM_SLACK = 0.6  # rivers show this many web zoom levels before Natural Earth's
LAKE_ZOOM_SLACK = 1.0
LAKE_MIN_PX = 3.0  # lakes smaller than this across (both ways) are left out
PAD = 3.0  # lines and lakes are kept this far outside the viewBox


@dataclass(frozen=True)
class Sea:
    """A named sea, gulf, bay, strait or channel: rank (0 = ocean), Natural Earth's zoom
    for its label, and label points ``(lat, lon, radius in degrees)``, largest first."""

    name: str
    kind: str
    rank: int
    min_label: float
    points: tuple[tuple[float, float, float, int], ...]

    @functools.cached_property
    def bbox(self) -> BBox:
        """``(min_lon, min_lat, max_lon, max_lat)`` of the label points."""
        lats = [p[0] for p in self.points]
        lons = [p[1] for p in self.points]
        return (min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True)
class Feature:
    """A river (open lines) or a lake (rings): rank, the zoom it shows from, its parts."""

    name: str
    rank: int
    min_zoom: float
    parts: tuple[tuple[tuple[float, float], ...], ...]
    bbox: BBox
    boxes: tuple[BBox, ...]  # of each part


@dataclass(frozen=True)
class Physical:
    seas: tuple[Sea, ...]
    rivers: tuple[Feature, ...]
    lakes: tuple[Feature, ...]


@functools.lru_cache(maxsize=1)
def load_physical() -> Physical:
    """The shipped water layer, decoded (cached)."""
    text = resources.files("mkdocs_dossier").joinpath("data", DATA_FILE).read_text("utf-8")
    data = json.loads(text)
    scale = int(data["scale"])

    def features(rows: list) -> tuple[Feature, ...]:
        out = []
        for name, rank, zoom, encoded in rows:
            parts = tuple(decode_ring(e, scale) for e in encoded)
            boxes = [ring_bbox(p) for p in parts]
            box = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            out.append(Feature(str(name), int(rank), float(zoom), parts, box, tuple(boxes)))
        return tuple(out)

    seas = tuple(
        Sea(
            str(n),
            str(k),
            int(r),
            float(z),
            tuple((float(a), float(b), float(c), int(d)) for a, b, c, d in p),
        )
        for n, k, r, z, p in data["seas"]
    )
    return Physical(seas, features(data["rivers"]), features(data["lakes"]))


def web_zoom(extent: Extent) -> float:
    """The extent's scale as a web map's zoom level (256 px tiles: 256 * 2**z px around
    the equator), the unit of Natural Earth's ``min_zoom`` and ``min_label``."""
    return math.log2(max(extent.k, 1e-6) * 360.0 / 256.0)


CELL_DEG = 10.0  # the cells of the features' index, in degrees


def _visible(layer: str, bounds: BBox, zoom: float) -> list[Feature]:
    """The features of ``layer`` ("rivers" or "lakes") shown from ``zoom`` (web zoom)
    whose box meets ``bounds``, in their order: read from the cells of the index that
    ``bounds`` covers."""
    west, south, east, north = bounds
    features: tuple[Feature, ...] = getattr(load_physical(), layer)
    out = []
    for n in sorted(boxes_near(_cells(layer), bounds, CELL_DEG)):
        f = features[n]
        x0, y0, x1, y1 = f.bbox
        if f.min_zoom <= zoom and x0 <= east and x1 >= west and y0 <= north and y1 >= south:
            out.append(f)
    return out


@functools.lru_cache(maxsize=2)
def _cells(layer: str) -> BoxCells:
    """Each feature's number filed in every cell of CELL_DEG its box meets."""
    return file_boxes([f.bbox for f in getattr(load_physical(), layer)], CELL_DEG)


@functools.lru_cache(maxsize=2048)
def water_paths(extent: Extent) -> tuple[str, str, str]:
    """``(major rivers, other rivers, lakes)`` path data for ``extent`` ("" when none):
    rivers of rank 3 and under are the major ones, drawn a little wider."""
    zoom = web_zoom(extent)
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    pad_deg = PAD / extent.k / extent.cos_lat
    bounds = (min_lon - pad_deg, min_lat - pad_deg, max_lon + pad_deg, max_lat + pad_deg)
    box = (-PAD, -PAD, extent.width + PAD, extent.height + PAD)
    major: list[str] = []
    minor: list[str] = []
    for river in _visible("rivers", bounds, zoom + RIVER_ZOOM_SLACK):
        for line, part_box in zip(river.parts, river.boxes, strict=True):
            if _meets(part_box, bounds):
                for run in _runs(_projected(extent, line, part_box), box):
                    (major if river.rank <= 3 else minor).append(_line(run))
    lakes: list[str] = []
    for lake in _visible("lakes", bounds, zoom + LAKE_ZOOM_SLACK):
        b = lake.bbox
        if (b[2] - b[0]) * extent.cos_lat * extent.k < LAKE_MIN_PX and (
            b[3] - b[1]
        ) * extent.k < LAKE_MIN_PX:
            continue
        for ring, part_box in zip(lake.parts, lake.boxes, strict=True):
            if not _meets(part_box, bounds):
                continue
            pts = _projected(extent, ring, part_box)
            if not _within(part_box, bounds):
                pts = clip_ring(pts, box)
            if len(pts) >= 3:
                lakes.append(_encoded(_thin(pts), 0.0, 0.0))
    return ("".join(major), "".join(minor), "".join(lakes))


def _meets(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and a[2] >= b[0] and a[1] <= b[3] and a[3] >= b[1]


def _within(a: BBox, b: BBox) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def _projected(
    extent: Extent, pts: tuple[tuple[float, float], ...], box: BBox
) -> list[tuple[float, float]]:
    """``(lon, lat)`` points projected into ``extent`` (as :meth:`Extent.project`, the
    part taken in the turn of longitude nearest the map's centre)."""
    lon0 = extent.center_lon - 360.0 * round((extent.center_lon - (box[0] + box[2]) / 2) / 360.0)
    sx, k = extent.cos_lat * extent.k, extent.k
    cx = extent.width / 2.0 - lon0 * sx
    cy = extent.height / 2.0 + extent.center_lat * k
    return [(cx + lon * sx, cy - lat * k) for lon, lat in pts]


def _thin(pts: list[tuple[float, float]], step: float = 0.7) -> list[tuple[float, float]]:
    """The points at least ``step`` apart (Manhattan), first and last kept."""
    if len(pts) < 3:
        return pts
    out = [pts[0]]
    lx, ly = pts[0]
    for x, y in pts[1:-1]:
        if abs(x - lx) + abs(y - ly) >= step:
            out.append((x, y))
            lx, ly = x, y
    out.append(pts[-1])
    return out


def _runs(pts: list[tuple[float, float]], box: BBox) -> list[list[tuple[float, float]]]:
    """The parts of a line that meet ``box``: each run of points inside with its
    neighbours outside (so the line reaches the edge; the SVG viewport clips the rest)."""
    inside = [box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in pts]
    runs: list[list[tuple[float, float]]] = []
    i, n = 0, len(pts)
    while i < n:
        if not inside[i]:
            # A segment can cross the box with both ends outside: keep it if its box meets.
            if i + 1 < n and not inside[i + 1] and _segment_meets(pts[i], pts[i + 1], box):
                runs.append([pts[i], pts[i + 1]])
            i += 1
            continue
        start = max(i - 1, 0)
        while i < n and inside[i]:
            i += 1
        end = min(i, n - 1)
        runs.append(_thin(pts[start : end + 1]))
    return [r for r in runs if len(r) >= 2]


def _segment_meets(a: tuple[float, float], b: tuple[float, float], box: BBox) -> bool:
    return not (
        max(a[0], b[0]) < box[0]
        or min(a[0], b[0]) > box[2]
        or max(a[1], b[1]) < box[1]
        or min(a[1], b[1]) > box[3]
    )


def _line(pts: list[tuple[float, float]]) -> str:
    """Path data of an open line: absolute "M", then relative line-tos in tenths."""
    ints = [(round(x * 10), round(y * 10)) for x, y in pts]
    deltas: list[int] = []
    px, py = ints[0]
    for x, y in ints[1:]:
        if x != px or y != py:
            deltas += (x - px, y - py)
            px, py = x, y
    if not deltas:
        return ""
    return f"M{_numbers(ints[0])}l{_numbers(deltas)}"


# --- sea names ----------------------------------------------------------------------------


SeaLabel = tuple[float, float, str, int, bool]


def sea_labels(extent: Extent, taken: list[BBox], written: list[BBox]) -> list[SeaLabel]:
    """``(x, y, name, angle, wide_only)``: centres of the names of the seas and gulfs that
    fit in the water around one of their label points inside the map, touching nothing;
    larger seas first, at most SEA_LABELS_MAX. ``angle`` (degrees counter-clockwise)
    slants a name along a narrow gulf; a two-line name has "\n" between its lines.

    A name fits grown (labels.GROW) where it can, clear of the grown boxes in ``taken``;
    else it may fit at its written size (``wide_only``: shown in wide containers only),
    clear of ``written``, the map's things at their written size. Both lists gain what
    is placed."""
    out: list[SeaLabel] = []
    for x, y, name, angle, wide_only in _sea_candidates(extent):
        if len(out) >= SEA_LABELS_MAX:
            break
        if any(text.replace("\n", " ") == name.replace("\n", " ") for _, _, text, *_ in out):
            continue
        if claim(sea_box(x, y, name, angle, 1.0 if wide_only else GROW), wide_only, taken, written):
            out.append((round(x, 1), round(y, 1), name, angle, wide_only))
    return out


@functools.lru_cache(maxsize=2048)
def _sea_candidates(extent: Extent) -> tuple[SeaLabel, ...]:
    """Where each sea's name may go in ``extent``, in the order they are tried (rank, then
    the label point's radius, grown before written): around each label point in the
    frame, the first of a few positions (level and centred or shifted, then slanted
    along the water) where the whole name lies in the frame and on water (no sample
    point of it on the land of the map's basemap block), grown, then at its written size
    (``wide_only``: where the grown name fits, at the same place, which holds it)."""
    zoom = web_zoom(extent)
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    seas = [
        sea
        for sea in load_physical().seas
        if sea.min_label <= zoom + 1.5
        and sea.bbox[0] <= max_lon
        and sea.bbox[2] >= min_lon
        and sea.bbox[1] <= max_lat
        and sea.bbox[3] >= min_lat
    ]
    out: list[tuple[int, float, int, bool, SeaLabel]] = []
    for number, sea in enumerate(seas):
        grown = _fit(extent, sea, GROW)
        found = grown or _fit(extent, sea, 1.0)
        if found is None:
            continue
        radius, (x, y, text, angle) = found
        if grown:
            out.append((sea.rank, -radius, number, False, (x, y, text, angle, False)))
        out.append((sea.rank, -radius, number, True, (x, y, text, angle, True)))
    out.sort()
    return tuple(label for *_, label in out)


def _wordings(name: str) -> list[str]:
    """The name on one line, then (two words or more) on two lines split near its
    middle ("\n" between them): a narrow gulf holds the shorter lines."""
    words = name.split()
    if len(words) < 2:
        return [name]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2))
    return [name, " ".join(words[:cut]) + "\n" + " ".join(words[cut:])]


Fit = tuple[float, tuple[float, float, str, int]]  # radius, (x, y, text, angle)


def _fit(extent: Extent, sea: Sea, grow: float) -> Fit | None:
    """:func:`_position` of the sea's name on one line, else on two."""
    for text in _wordings(sea.name):
        found = _position(extent, sea, text, grow)
        if found is not None:
            return found
    return None


def _position(extent: Extent, sea: Sea, text: str, grow: float) -> Fit | None:
    """``(radius, (x, y, text, angle))``: the first place near the sea's label points
    (largest first) where ``text``, ``grow`` times its size, lies wholly in the frame
    and on water; None when none fits."""
    half_w, half_h = _half_size(text, grow)
    for lat, lon, radius, angle in sea.points:
        if radius * extent.k < SEA_FONT * grow * 0.6 + 1.5:
            continue
        px, py = extent.project(lat, lon)
        if not (0 <= px <= extent.width and 0 <= py <= extent.height):
            continue
        tries = [(px + sx * half_w, py + sy * half_h, 0) for sx, sy in SHIFTS]
        if angle:
            c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            tries += [(px + t * half_w * c, py - t * half_w * s, angle) for t in (0.0, 0.5, -0.5)]
        for x, y, a in tries:
            box = sea_box(x, y, text, a, grow)
            if box[0] < EDGE_PAD or box[2] > extent.width - EDGE_PAD:
                continue
            if box[1] < EDGE_PAD or box[3] > extent.height - EDGE_PAD:
                continue
            if not _on_land(x, y, half_w, half_h, a, extent):
                return (radius, (x, y, text, a))
    return None


#: Offsets of a level name from its label point, in half-widths and half-heights.
SHIFTS = (
    (0.0, 0.0),
    (0.8, 0.0),
    (-0.8, 0.0),
    (0.0, -1.0),
    (0.0, 1.0),
    (0.8, -1.0),
    (-0.8, 1.0),
    (-0.8, -1.0),
    (0.8, 1.0),
)


def _on_land(x: float, y: float, half_w: float, half_h: float, angle: int, extent: Extent) -> bool:
    """True when a sample point of the name centred on ``(x, y)`` (corners, edge middles,
    thirds of the long edges, centre; turned by ``angle``) lies on the land of the
    extent's basemap block."""
    block, dx, dy = basemap_block(extent)
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    for u in (-half_w, -half_w / 3.0, 0.0, half_w / 3.0, half_w):
        for v in (-half_h, 0.0, half_h):
            if on_land(block, x + dx + u * c + v * s, y + dy - u * s + v * c):
                return True
    return False


def _half_size(text: str, grow: float = GROW) -> tuple[float, float]:
    lines = text.split("\n")
    font = SEA_FONT * grow
    half_w = max(text_width(line, font) for line in lines) / 2.0 + 2.0
    half_h = font * (0.6 + 0.6 * (len(lines) - 1) * LINE_HEIGHT) + 1.5
    return half_w, half_h


def sea_box(x: float, y: float, text: str, angle: int = 0, grow: float = GROW) -> BBox:
    """The box around a sea's name (lines split at "\n") centred on ``(x, y)`` and turned
    by ``angle`` degrees, halo included, its text ``grow`` times its written size."""
    half_w, half_h = _half_size(text, grow)
    if angle:
        c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        half_w, half_h = half_w * c + half_h * s, half_w * s + half_h * c
    return (x - half_w, y - half_h, x + half_w, y + half_h)
