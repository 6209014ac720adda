"""What helps a reader get their bearings on a map: country names inside their shapes, and
an inset locator showing where a small map sits in its region.

Both are placed after the markers and the scale bar, around what is already drawn, and
both leave the map unchanged when there is no room for them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from ..places.countries import Country, country_by_iso2
from ..places.geometry import BBox
from .labels import EDGE_PAD, GROW, claim, collides, text_width
from .projection import KM_PER_DEGREE, Extent, basemap_block
from .shapes import basemap_paths, land_at

COUNTRY_FONT = 11.0
COUNTRY_LABELS_MAX = 8
INSET_BELOW_KM = 1500.0  # a map narrower than this gets an inset locator
INSET_SPAN_KM = 3600.0  # what the inset shows across
INSET_GRID_DEG = 5.0  # inset centres snap to this grid, so insets share one basemap


def country_labels(
    extent: Extent,
    drawn: Sequence[str],
    taken: list[BBox],
    written: list[BBox],
    first: str | None = None,
) -> list[tuple[float, float, str, bool]]:
    """``(x, y, name, wide_only)`` baselines of the names of the countries in ``drawn``
    (ISO codes) whose name fits inside their visible shape without touching anything;
    ``first`` (the subject's country) is tried first, then the larger countries.

    A name fits grown (labels.GROW) where it can, clear of the grown boxes in ``taken``;
    else it may fit at its written size (``wide_only``: shown in wide containers only,
    where nothing grows), clear of the boxes of ``written``, the map's things at their
    written size. Both lists gain what is placed."""
    out: list[tuple[float, float, str, bool]] = []
    for name, spots in _name_spots(extent, tuple(drawn), first):
        if len(out) >= COUNTRY_LABELS_MAX:
            break
        for box, x, y, wide_only in spots:
            if claim(box, wide_only, taken, written):
                out.append((x, y, name, wide_only))
                break
    return out


@functools.lru_cache(maxsize=4096)
def _name_spots(
    extent: Extent, drawn: tuple[str, ...], first: str | None
) -> tuple[tuple[str, tuple[tuple[BBox, float, float, bool], ...]], ...]:
    """For each country of ``drawn`` in the order they are tried, its name and where it
    may go: ``(box, x, y, wide_only)`` (``y`` the baseline) of each anchor whose box lies
    in the frame and inside the country, grown, then at the name's written size
    (``wide_only``; where the grown name fits, the written one, inside it, needs no test
    of its own). Cached: what is left per map is the test against its labels."""
    countries = [c for c in map(_country, drawn) if c is not None]
    countries.sort(key=lambda c: (c.iso2 != first, -_visible_area(c, extent), c.iso2))
    block, dx, dy = basemap_block(extent)
    out = []
    for country in countries:
        grown, written = [], []
        for which, (x, y) in enumerate(_anchors(country, block)):
            x, y = x - dx, y - dy
            box, small = _name_box(x, y, country.name), _name_box(x, y, country.name, 1.0)
            at = (round(x, 1), round(y + 0.35 * COUNTRY_FONT, 1))  # centre, baseline
            if _fits(box, extent, []) and _name_inside(country.iso2, block, which, GROW):
                grown.append((box, *at, False))
                written.append((small, *at, True))
            elif _fits(small, extent, []) and _name_inside(country.iso2, block, which, 1.0):
                written.append((small, *at, True))
        if written:
            out.append((country.name, tuple(grown + written)))
    return tuple(out)


def _country(iso2: str) -> Country | None:
    country = country_by_iso2(iso2) if len(iso2) == 2 else None
    return country if country is not None and country.polygons else None


def _visible_area(country: Country, extent: Extent) -> float:
    """Area of the country's bounding box inside the extent, in square degrees."""
    a, b = country.main_bbox, extent.bounds
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def _anchors(country: Country, extent: Extent) -> list[tuple[float, float]]:
    """Where to try the name, centred: the country's label point, then the middle of the
    part of its main landmass that ``extent`` (a map's basemap block) shows."""
    lat, lon = country.label_point
    a, b = country.main_bbox, extent.bounds
    mid_lon = (max(a[0], b[0]) + min(a[2], b[2])) / 2.0
    mid_lat = (max(a[1], b[1]) + min(a[3], b[3])) / 2.0
    return [extent.project(lat, lon), extent.project(mid_lat, mid_lon)]


def _name_box(x: float, y: float, text: str, grow: float = GROW) -> BBox:
    """The box a country's name centred on ``(x, y)`` covers, its text ``grow`` times
    its written size."""
    w = text_width(text, COUNTRY_FONT * grow) / 2.0 + 2.0
    h = COUNTRY_FONT * grow * 0.6 + 1.5
    return (x - w, y - h, x + w, y + h)


def _fits(box: BBox, extent: Extent, taken: list[BBox]) -> bool:
    if box[0] < EDGE_PAD or box[1] < EDGE_PAD:
        return False
    if box[2] > extent.width - EDGE_PAD or box[3] > extent.height - EDGE_PAD:
        return False
    return not collides(box, taken)


@functools.lru_cache(maxsize=8192)
def _name_inside(iso2: str, block: Extent, which: int, grow: float) -> bool:
    """True when the country's name (``grow`` times its size), centred on its anchor
    number ``which`` in the basemap ``block``, lies inside the country (cached: many maps
    share a block, and the test is the costly part)."""
    country = _country(iso2)
    if country is None:
        return False
    x, y = _anchors(country, block)[which]
    return _inside(_name_box(x, y, country.name, grow), country, block)


def _inside(box: BBox, country: Country, block: Extent) -> bool:
    """True when the box's corners and edge middles (in ``block``'s units) all lie on the
    country's land as the block draws it."""
    xs = (box[0], (box[0] + box[2]) / 2.0, box[2])
    ys = (box[1], (box[1] + box[3]) / 2.0, box[3])
    return all(country.iso2 in land_at(block, x, y) for x in xs for y in ys)


# --- inset locator ---------------------------------------------------------------------


def inset_extent(extent: Extent, width: int, height: int) -> Extent | None:
    """The inset's own extent (INSET_SPAN_KM across, centre on a coarse grid), or None when
    the map is wide enough to need none."""
    if max(extent.span_km()) >= INSET_BELOW_KM:
        return None
    lat = round(extent.center_lat / INSET_GRID_DEG) * INSET_GRID_DEG
    lon = round(extent.center_lon / INSET_GRID_DEG) * INSET_GRID_DEG
    k = width * KM_PER_DEGREE / INSET_SPAN_KM
    return Extent(float(lat), float(lon), k, width, height)


INSET_STROKE = 0.4  # width of the inset's borders


def inset_svg(extent: Extent, inset: Extent, x: float, y: float, stroke: str) -> str:
    """The inset drawn at ``(x, y)`` of the map: the region's countries and a box (at
    least 6 px) around what the main map shows. Decorative, so hidden from screen
    readers: the caption and the place list say where the map is."""
    x0, y0, x1, y1 = _main_box(extent, inset)
    paths = _inset_land(inset)
    return (
        f'<svg class="dossier-map-inset" x="{x:g}" y="{y:g}" width="{inset.width}" '
        f'height="{inset.height}" viewBox="0 0 {inset.width} {inset.height}" aria-hidden="true">'
        f'<rect class="dossier-map-sea" width="{inset.width}" height="{inset.height}" '
        f'fill="#dbe6ef" stroke="{stroke}" stroke-width="1"/>'
        f'<g class="dossier-map-land" fill="#f4f2ec" stroke="#9b9b9b" '
        f'stroke-width="{f"{INSET_STROKE:.3g}".removeprefix("0")}" fill-rule="evenodd">'
        f"{paths}</g>"
        f'<rect class="dossier-map-inset-frame" x="{x0:.1f}" y="{y0:.1f}" '
        f'width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" fill="none" stroke="#c0392b" '
        f'stroke-width="1.5"/>'
        f'<rect class="dossier-map-inset-border" width="{inset.width}" height="{inset.height}" '
        f'fill="none" stroke="{stroke}" stroke-width="1"/></svg>'
    )


@functools.lru_cache(maxsize=256)
def _inset_land(inset: Extent) -> str:
    """The inset's land, as paths."""
    return "".join(f'<path d="{d}"/>' for _, d in basemap_paths(inset))


def _main_box(extent: Extent, inset: Extent) -> BBox:
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    x0, y0 = inset.project(max_lat, min_lon)
    x1, y1 = inset.project(min_lat, max_lon)
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    w, h = max(x1 - x0, 6.0), max(y1 - y0, 6.0)
    return (cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)


def inset_corner(extent: Extent, inset: Extent, occupied: Sequence[BBox]) -> tuple[float, float]:
    """Top-left point of the first free corner for the inset (top right, top left, bottom
    right), or (nan, nan) when every corner holds something."""
    pad = 6.0
    corners = (
        (extent.width - inset.width - pad, pad),
        (pad, pad),
        (extent.width - inset.width - pad, extent.height - inset.height - pad),
    )
    for x, y in corners:
        box = (x - 4.0, y - 4.0, x + inset.width + 4.0, y + inset.height + 4.0)
        if not collides(box, occupied):
            return (x, y)
    return (math.nan, math.nan)
