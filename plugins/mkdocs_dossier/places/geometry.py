"""Planar geometry of country shapes: boxes, areas, point-in-polygon, interior points,
clipping to a box and line simplification (Douglas–Peucker).

Plain functions on ``(x, y)`` points, geographic ``(lon, lat)`` or projected alike; used
by the country data (places/countries.py), the maps (maps/shapes.py) and the basemap
converter (tools/build_basemap.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]
"""A point as ``(x, y)``; for geographic data ``(lon, lat)`` in degrees."""
Ring = tuple[Point, ...]
"""A closed ring without its repeated closing point."""
Polygon = tuple[Ring, ...]
"""An outer ring followed by its holes."""
BBox = tuple[float, float, float, float]
"""``(min_x, min_y, max_x, max_y)``; geographic: ``(min_lon, min_lat, max_lon, max_lat)``."""


def ring_bbox(ring: Sequence[Point]) -> BBox:
    """Bounding box of a ring."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def bbox_intersects(a: BBox, b: BBox) -> bool:
    """True when the two boxes overlap (touching counts)."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


BoxCells = dict[tuple[int, int], list[int]]
"""A grid index of boxes: each box's number under every cell it meets."""


def file_boxes(boxes: Sequence[BBox], cell: float) -> BoxCells:
    """Each box's number filed under every square cell of side ``cell`` that it meets (a
    box on a cell's edge under both cells), to find the few of many boxes that can meet
    a small one (:func:`boxes_near`)."""
    cells: BoxCells = {}
    for number, (x0, y0, x1, y1) in enumerate(boxes):
        for i in range(math.floor(x0 / cell), math.floor(x1 / cell) + 1):
            for j in range(math.floor(y0 / cell), math.floor(y1 / cell) + 1):
                cells.setdefault((i, j), []).append(number)
    return cells


def boxes_near(cells: BoxCells, bounds: BBox, cell: float) -> set[int]:
    """The numbers filed (:func:`file_boxes`) under the cells ``bounds`` meets: every box
    that :func:`bbox_intersects` it, and maybe a few more."""
    west, south, east, north = bounds
    found: set[int] = set()
    for i in range(math.floor(west / cell), math.floor(east / cell) + 1):
        for j in range(math.floor(south / cell), math.floor(north / cell) + 1):
            found.update(cells.get((i, j), ()))
    return found


def ring_area(ring: Sequence[Point]) -> float:
    """Signed planar area (shoelace); positive for counter-clockwise rings."""
    total = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]
        total += x0 * y1 - x1 * y0
    return total / 2.0


def geo_area(ring: Sequence[Point]) -> float:
    """Approximate unsigned area of a ``(lon, lat)`` ring in square degrees of latitude."""
    if len(ring) < 3:
        return 0.0
    mid = (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2.0
    return abs(ring_area(ring)) * math.cos(math.radians(mid))


def ring_centroid(ring: Sequence[Point]) -> Point:
    """Planar centroid of a ring (vertex mean for degenerate rings)."""
    a = 0.0
    cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i]
        x1, y1 = ring[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        return (sum(p[0] for p in ring) / n, sum(p[1] for p in ring) / n)
    return (cx / (3.0 * a), cy / (3.0 * a))


def point_in_ring(pt: Point, ring: Sequence[Point]) -> bool:
    """Even-odd point-in-polygon test."""
    x, y = pt
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(pt: Point, polygon: Sequence[Sequence[Point]]) -> bool:
    """True when ``pt`` is inside the outer ring and outside every hole."""
    if not polygon or not point_in_ring(pt, polygon[0]):
        return False
    return not any(point_in_ring(pt, hole) for hole in polygon[1:])


def interior_point(polygon: Sequence[Sequence[Point]]) -> Point:
    """A point inside the polygon: its centroid if inside, else the middle of the widest
    horizontal run through the centroid's latitude (or the vertex mean as a last resort)."""
    outer = polygon[0]
    c = ring_centroid(outer)
    if point_in_polygon(c, polygon):
        return c
    lo, hi = ring_bbox(outer)[1], ring_bbox(outer)[3]
    for y in (c[1], (lo + hi) / 2.0, lo + (hi - lo) / 3.0, lo + 2.0 * (hi - lo) / 3.0):
        xs: list[float] = []
        for ring in polygon:
            n = len(ring)
            for i in range(n):
                x0, y0 = ring[i]
                x1, y1 = ring[(i + 1) % n]
                if (y0 > y) != (y1 > y):
                    xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
        xs.sort()
        runs = [(xs[i + 1] - xs[i], (xs[i] + xs[i + 1]) / 2.0) for i in range(0, len(xs) - 1, 2)]
        if runs:
            width, mid = max(runs)
            if width > 0:
                return (mid, y)
    return c


def label_point(polygons: Sequence[Sequence[Sequence[Point]]]) -> tuple[float, float]:
    """``(lat, lon)`` of an interior point of the largest polygon."""
    largest = max(polygons, key=lambda p: geo_area(p[0]))
    lon, lat = interior_point(largest)
    return (lat, lon)


def clip_ring(ring: Sequence[Point], box: BBox, bounds: BBox | None = None) -> list[Point]:
    """Clip a closed ring to an axis-aligned box (Sutherland–Hodgman).

    Works on any planar coordinates (use projected ones). The result may contain
    degenerate edges along the box border; callers draw it with a fill, so that is harmless.
    ``bounds`` (a box around the ring, when the caller knows one) skips the passes for the
    sides the ring lies within: each would give back its input unchanged.
    """
    xmin, ymin, xmax, ymax = box
    sides = ((0, xmin, True), (0, xmax, False), (1, ymin, True), (1, ymax, False))
    if bounds is not None:
        crossed = (bounds[0] < xmin, bounds[2] > xmax, bounds[1] < ymin, bounds[3] > ymax)
        sides = tuple(side for side, cross in zip(sides, crossed, strict=True) if cross)
    pts: list[Point] = _outside_runs_collapsed(ring, box)
    for axis, limit, low in sides:
        if not pts:
            break
        pts = _clip_x(pts, limit, low) if axis == 0 else _clip_y(pts, limit, low)
    return pts


def _clip_x(pts: list[Point], x: float, low: bool) -> list[Point]:
    """One pass of :func:`clip_ring`: keep the side of the line at ``x`` that is above it
    (``low``) or below it, with a point where each edge crosses it."""
    out: list[Point] = []
    px, py = pts[-1]
    pin = px >= x if low else px <= x
    for cur in pts:
        cx, cy = cur
        cin = cx >= x if low else cx <= x
        if cin is not pin:
            out.append((x, py + (x - px) / (cx - px) * (cy - py)))
        if cin:
            out.append(cur)
        px, py, pin = cx, cy, cin
    return out


def _clip_y(pts: list[Point], y: float, low: bool) -> list[Point]:
    """:func:`_clip_x` for a horizontal line at ``y``."""
    out: list[Point] = []
    px, py = pts[-1]
    pin = py >= y if low else py <= y
    for cur in pts:
        cx, cy = cur
        cin = cy >= y if low else cy <= y
        if cin is not pin:
            out.append((px + (y - py) / (cy - py) * (cx - px), y))
        if cin:
            out.append(cur)
        px, py, pin = cx, cy, cin
    return out


def _outside_runs_collapsed(ring: Sequence[Point], box: BBox) -> list[Point]:
    """The ring without the points that clipping would discard anyway: a point is left out
    when it, the last point kept and the next point all lie beyond the same side of the
    box (a half-plane is convex, so the shortcut stays beyond it too). Clipping a country
    to a city-sized box then handles a few points instead of its whole outline."""
    xmin, ymin, xmax, ymax = box
    codes = [(x < xmin) | (x > xmax) << 1 | (y < ymin) << 2 | (y > ymax) << 3 for x, y in ring]
    n = len(ring)
    if n < 3:
        return list(ring)
    out = [ring[0]]
    run = codes[0]  # the sides shared by the last kept point and every point left out since
    for i in range(1, n):
        shared = run & codes[i] & codes[(i + 1) % n]
        if shared and i < n - 1:
            run = run & codes[i]
            continue
        out.append(ring[i])
        run = codes[i]
    return out


# --- line simplification ----------------------------------------------------------------


def simplify_line(pts: Sequence[Point], tol: float) -> list[Point]:
    """Douglas–Peucker: the points of an open line that keep it within `tol` of where it
    was, both ends always kept (a `tol` of 0 or less keeps every point)."""
    if len(pts) < 3 or tol <= 0:
        return list(pts)
    ranks = [0.0] * len(pts)
    ranks[0] = ranks[-1] = math.inf
    _douglas_peucker(pts, 0, len(pts) - 1, tol * tol, ranks)
    return [p for p, r in zip(pts, ranks, strict=True) if r > tol * tol]


def simplify_ring(pts: Sequence[Point], tol: float) -> list[Point]:
    """Douglas–Peucker on a closed ring (given without its closing point), cut in two
    lines at its first point and the point farthest from it; rings under 5 points stay."""
    return [p for p, r in zip(pts, ring_ranks(pts, tol), strict=True) if r > tol * tol]


def ring_ranks(pts: Sequence[Point], floor: float) -> list[float]:
    """For each point of a ring, the squared tolerance below which :func:`simplify_ring`
    keeps it (``inf``: always kept): one pass serves every tolerance from ``floor`` up,
    as ``[p for p, r in zip(pts, ranks) if r > tol * tol]``."""
    n = len(pts)
    if n < 5:
        return [math.inf] * n
    x0, y0 = pts[0]
    far = max(range(n), key=lambda i: (pts[i][0] - x0) ** 2 + (pts[i][1] - y0) ** 2)
    ring = [*pts, pts[0]]
    ranks = [0.0] * (n + 1)
    ranks[0] = ranks[far] = ranks[n] = math.inf
    _douglas_peucker(ring, 0, far, floor * floor, ranks)
    _douglas_peucker(ring, far, n, floor * floor, ranks)
    return ranks[:n]


def _douglas_peucker(
    pts: Sequence[Point], first: int, last: int, floor2: float, ranks: list[float]
) -> None:
    """Rank the points between `first` and `last`: the farthest from the chord, while
    farther than sqrt(`floor2`), gets its squared distance (capped by its span's own
    rank, since a span is only split when its ends are kept), then each half the same
    way. Douglas–Peucker at any tolerance t >= sqrt(`floor2`) keeps exactly the points
    ranked above t². Squared distances throughout; without recursion."""
    stack = [(first, last, math.inf)]
    while stack:
        a, b, cap = stack.pop()
        if b - a < 2:
            continue
        ax, ay = pts[a]
        dx, dy = pts[b][0] - ax, pts[b][1] - ay
        norm = dx * dx + dy * dy
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if norm == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                c = dy * (px - ax) - dx * (py - ay)
                d = c * c / norm
            if d > best:
                best, index = d, i
        if best > floor2:
            rank = ranks[index] = min(best, cap)
            stack.append((a, index, rank))
            stack.append((index, b, rank))
