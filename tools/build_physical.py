#!/usr/bin/env python3
"""Convert Natural Earth physical layers (GeoJSON) into the maps' water layer.

One-off converter; its output ``plugins/mkdocs_dossier/data/physical.json`` is committed
(see ``PHYSICAL-SOURCE.md`` beside it). Input: the 1:50m GeoJSON files of the CC0
repackaging ``martynafford/natural-earth-geojson``::

    R=natural-earth-geojson  # a clone of github.com/martynafford/natural-earth-geojson
    python tools/build_physical.py $R/50m/physical

Three layers:

- **seas**: the names of seas, gulfs, bays, straits and channels of
  ``ne_50m_geography_marine_polys`` with their rank, each with a few label points inside the
  water (poles of inaccessibility of the polygon and of its cells on two grids, with the
  radius of the largest circle of water around each), so a map picks one in its frame where
  the name fits in the water, never a bounding-box centre that may fall on land;
- **rivers**: the lines of ``ne_50m_rivers_lake_centerlines`` (rank and the zoom from
  which Natural Earth shows them), simplified (Douglas-Peucker) and quantized like the
  country outlines;
- **lakes**: the polygons of ``ne_50m_lakes`` down to rank LAKE_MAX_RANK.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
from pathlib import Path
from typing import Any

from mkdocs_dossier.places.countries import encode_ring
from mkdocs_dossier.places.geometry import (
    clip_ring,
    geo_area,
    point_in_ring,
    ring_area,
    ring_bbox,
    simplify_line,
    simplify_ring,
)

SCALE = 100  # coordinates are stored as round(degrees * SCALE): 0.01 degree steps (~1.1 km)
TOLERANCE = 0.02  # Douglas-Peucker tolerance in degrees (~2.2 km)
SEA_KINDS = {"ocean", "sea", "gulf", "bay", "strait", "channel", "sound"}
SEA_MAX_RANK = 6
RIVER_MAX_RANK = 6
LAKE_MAX_RANK = 5
LAKE_MIN_AREA = 0.02  # square degrees; smaller lakes are left out
LABEL_POINTS = 12  # label points kept per sea at most
ELONGATION = 1.6  # a piece of water this many times longer than wide gets a slanted name
MAX_ANGLE = 70  # degrees: names are never steeper
MIN_RADIUS = 0.1  # degrees of latitude: a label point needs this much water around it
SOURCE = "Natural Earth 1:50m physical vectors via martynafford/natural-earth-geojson (CC0)"

ABOUT = (
    "Seas, rivers and lakes: Natural Earth (naturalearthdata.com), public domain, 1:50m "
    "physical vectors, via the GeoJSON repackaging martynafford/natural-earth-geojson (CC0). "
    "Converted by tools/build_physical.py; see PHYSICAL-SOURCE.md."
)
ENCODING = (
    "seas: [name, kind, rank, min_label, [[lat, lon, radius, angle], ...]]: label points inside "
    "the water, largest radius (degrees of latitude, x scaled by cos(lat)) first, with the "
    "direction of the water there (degrees counter-clockwise from east, 0: none). rivers: [name, "
    "rank, min_zoom, [line, ...]]; lakes: [name, rank, min_zoom, [ring, ...]]. A line or "
    "ring is one string: the integers x0, y0, x1-x0, y1-y0, ... (x = round(lon * scale), "
    "y = round(lat * scale)) in the Encoded Polyline Algorithm's zig-zag 5-bit varint "
    "scheme, as in countries.json."
)


def _features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _polygons(geometry: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    coords = geometry["coordinates"]
    polys = [coords] if geometry["type"] == "Polygon" else coords
    return [[[(float(x), float(y)) for x, y in ring[:-1]] for ring in poly] for poly in polys]


def _lines(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    coords = geometry["coordinates"]
    lines = [coords] if geometry["type"] == "LineString" else coords
    return [[(float(x), float(y)) for x, y in line] for line in lines]


def _quantized(pts: list[tuple[float, float]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lon, lat in pts:
        q = (round(lon * SCALE), round(lat * SCALE))
        if not out or out[-1] != q:
            out.append(q)
    return out


# --- label points: pole of inaccessibility (after Mapbox's polylabel) ---------------------


def _distance_to_edges(x: float, y: float, rings: list[list[tuple[float, float]]]) -> float:
    """Signed distance from (x, y) to the polygon's edges: positive inside."""
    inside = False
    best = math.inf
    for ring in rings:
        n = len(ring)
        for i in range(n):
            ax, ay = ring[i]
            bx, by = ring[i - 1]
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            dx, dy = bx - ax, by - ay
            t = 0.0
            if dx or dy:
                t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            ex, ey = ax + t * dx - x, ay + t * dy - y
            best = min(best, ex * ex + ey * ey)
    d = math.sqrt(best)
    return d if inside else -d


def pole(rings: list[list[tuple[float, float]]], precision: float) -> tuple[float, float, float]:
    """``(x, y, radius)``: the point inside the polygon farthest from its edges (to within
    ``precision``), found by subdividing cells, best bound first."""
    x0, y0, x1, y1 = ring_bbox(rings[0])
    size = min(x1 - x0, y1 - y0)
    if size <= 0:
        return (x0, y0, 0.0)
    h = size / 2.0
    heap: list[tuple[float, float, float, float, float]] = []

    def push(cx: float, cy: float, half: float) -> None:
        d = _distance_to_edges(cx, cy, rings)
        heapq.heappush(heap, (-(d + half * math.sqrt(2)), d, cx, cy, half))

    x = x0
    while x < x1:
        y = y0
        while y < y1:
            push(x + h, y + h, h)
            y += size
        x += size
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    d = _distance_to_edges(cx, cy, rings)
    best = (cx, cy, d)
    while heap:
        bound, d, cx, cy, half = heapq.heappop(heap)
        if d > best[2]:
            best = (cx, cy, d)
        if -bound - best[2] <= precision:
            continue
        half /= 2.0
        for sx in (-1, 1):
            for sy in (-1, 1):
                push(cx + sx * half, cy + sy * half, half)
    return best


def label_points(polys: list[list[list[tuple[float, float]]]]) -> list[list[float]]:
    """Label points of a sea: the pole of its largest polygon and of that polygon's cells
    on grids of a third and a sixth of its longer side, so that a map showing only a
    part of the sea still finds a point in it; largest radius first, points closer than
    their radius to a better one dropped, radii under MIN_RADIUS too. In a plane where x
    is scaled by the cosine of the polygon's mean latitude: radii are in degrees of
    latitude."""
    main = max(polys, key=lambda p: geo_area(p[0]))
    lat0 = sum(lat for _, lat in main[0]) / len(main[0])
    c = max(math.cos(math.radians(lat0)), 0.05)
    plane = [[(lon * c, lat) for lon, lat in ring] for ring in main]
    x0, y0, x1, y1 = ring_bbox(plane[0])
    pieces: list[list[list[tuple[float, float]]]] = [plane]
    longer = max(x1 - x0, y1 - y0)
    for cells in (3, 6):
        size = longer / cells
        gx = x0
        while gx < x1:
            gy = y0
            while gy < y1:
                box = (gx, gy, gx + size, gy + size)
                outer = clip_ring(plane[0], box)
                if len(outer) >= 3 and abs(ring_area(outer)) > (size * size) / 20:
                    holes = [h for h in (clip_ring(r, box) for r in plane[1:]) if len(h) >= 3]
                    pieces.append([outer, *holes])
                gy += size
            gx += size
    precision = max(longer / 300.0, 0.01)
    found = []
    for piece in pieces:
        x, y, r = pole(piece, precision)
        if r > 0 and point_in_ring((x, y), plane[0]):
            r = min(r, _distance_to_edges(x, y, plane))
            if r >= MIN_RADIUS:
                found.append((r, x, y, _axis(piece[0])))
    found.sort(reverse=True)
    kept: list[tuple[float, float, float, float]] = []
    for r, x, y, angle in found:
        if all(math.hypot(x - kx, y - ky) >= kr for kr, kx, ky, _ in kept):
            kept.append((r, x, y, angle))
        if len(kept) >= LABEL_POINTS:
            break
    return [[round(y, 3), round(x / c, 3), round(r, 3), angle] for r, x, y, angle in kept]


def _axis(ring: list[tuple[float, float]]) -> int:
    """The direction of an elongated piece of water, in whole degrees counter-clockwise
    from east (within +-MAX_ANGLE), from the principal axis of its outline's vertices;
    0 when the piece is not clearly longer one way (axes' ratio under ELONGATION)."""
    n = len(ring)
    mx = sum(x for x, _ in ring) / n
    my = sum(y for _, y in ring) / n
    sxx = sum((x - mx) ** 2 for x, _ in ring) / n
    syy = sum((y - my) ** 2 for _, y in ring) / n
    sxy = sum((x - mx) * (y - my) for x, y in ring) / n
    spread = math.hypot(sxx - syy, 2 * sxy)
    major, minor = (sxx + syy + spread) / 2, (sxx + syy - spread) / 2
    if minor <= 0 or math.sqrt(major / minor) < ELONGATION:
        return 0
    angle = math.degrees(0.5 * math.atan2(2 * sxy, sxx - syy))
    if angle > 90:
        angle -= 180
    if angle < -90:
        angle += 180
    return round(max(-MAX_ANGLE, min(MAX_ANGLE, angle)))


# --- layers -----------------------------------------------------------------------------


def seas(path: Path) -> list[list[Any]]:
    """Named seas, gulfs, bays, straits and channels, by rank then name; the features of
    one name (the Mediterranean comes in two) merged."""
    groups: dict[str, dict[str, Any]] = {}
    for feature in _features(path):
        p = feature["properties"]
        kind = str(p.get("featurecla") or "")
        name = " ".join(str(p.get("name") or "").split())
        rank = int(p.get("scalerank") or 0)
        if kind not in SEA_KINDS or not name or rank > SEA_MAX_RANK:
            continue
        if name.isupper():
            name = name.title()
        g = groups.setdefault(name, {"kind": kind, "rank": rank, "label": 99.0, "polys": []})
        g["rank"] = min(g["rank"], rank)
        g["label"] = min(g["label"], float(p.get("min_label") or rank))
        g["polys"].extend(_polygons(feature["geometry"]))
    out = []
    for name, g in groups.items():
        points = label_points(g["polys"])
        if points:
            out.append([name, g["kind"], g["rank"], g["label"], points])
    out.sort(key=lambda s: (s[2], s[0]))
    return out


def rivers(path: Path) -> list[list[Any]]:
    """River and lake-centre lines, simplified and quantized, merged per (name, rank)."""
    groups: dict[tuple[str, int, float], list[str]] = {}
    for feature in _features(path):
        p = feature["properties"]
        rank = int(p.get("scalerank") or 0)
        if rank > RIVER_MAX_RANK or feature.get("geometry") is None:
            continue
        name = " ".join(str(p.get("name_en") or p.get("name") or "").split())
        key = (name, rank, float(p.get("min_zoom") or rank))
        for line in _lines(feature["geometry"]):
            q = _quantized(simplify_line(line, TOLERANCE))
            if len(q) >= 2:
                groups.setdefault(key, []).append(encode_ring(q))
    return [[n, r, z, lines] for (n, r, z), lines in sorted(groups.items())]


def lakes(path: Path) -> list[list[Any]]:
    """Lake polygons down to LAKE_MAX_RANK and LAKE_MIN_AREA, simplified and quantized."""
    out = []
    for feature in _features(path):
        p = feature["properties"]
        rank = int(p.get("scalerank") or 0)
        if rank > LAKE_MAX_RANK or feature.get("geometry") is None:
            continue
        rings = []
        for poly in _polygons(feature["geometry"]):
            if geo_area(poly[0]) < LAKE_MIN_AREA:
                continue
            q = _quantized(simplify_ring(poly[0], TOLERANCE))
            if len(q) >= 3:
                rings.append(encode_ring(q))
        if rings:
            name = " ".join(str(p.get("name") or "").split())
            out.append([name, rank, float(p.get("min_zoom") or rank), rings])
    out.sort(key=lambda lake: (lake[1], lake[0], lake[3]))
    return out


def build(folder: Path) -> dict[str, Any]:
    return {
        "about": ABOUT,
        "source": SOURCE,
        "encoding": ENCODING,
        "scale": SCALE,
        "seas": seas(folder / "ne_50m_geography_marine_polys.json"),
        "rivers": rivers(folder / "ne_50m_rivers_lake_centerlines.json"),
        "lakes": lakes(folder / "ne_50m_lakes.json"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the 50m/physical folder of the GeoJSON")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent.parent
        / "plugins/mkdocs_dossier/data/physical.json",
    )
    args = parser.parse_args(argv)
    data = build(args.folder)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    counts = ", ".join(f"{len(data[k])} {k}" for k in ("seas", "rivers", "lakes"))
    print(f"{args.output}: {len(text.encode('utf-8')) + 1} bytes, {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
