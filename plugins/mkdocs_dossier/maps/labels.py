"""Placing pins and their labels on a map so that they do not hide one another.

Pins closer than a marker's width spread around the first of them (with a leader line
back to the true spot); labels take the first free position around their pin, focus
first, and a place whose label fits nowhere is numbered instead (with a key under the
map). Text widths are estimates: no font is measured at build time.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..places.geometry import BBox
from .projection import Extent, MapPlace, basemap_block
from .shapes import land_at

#: In a narrow container (a phone) the stylesheet draws text and markers this much larger
#: (a CSS transform about each one's anchor). Everything is placed at that size, so one
#: drawing fits at every width: the sizes below are the ones written, and the boxes that
#: placement keeps apart are GROW times as large.
GROW = 2.0

FONT_SIZE = 12.0
CHAR_WIDTH = 0.62  # average glyph advance / font size for a sans-serif font
LABEL_GAP = 3.0
LABEL_MAX_CHARS = 36
MARKER_R = 4.5
FOCUS_R = 6.5
EDGE_PAD = 2.0  # labels keep this far from the viewBox edge

#: Characters XML forbids: left out of labels (and of everything the SVG writes).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Placed:
    """A place as drawn: where its pin (or country shape) is, and how big."""

    place: MapPlace
    x: float
    y: float
    r: float
    shape: str | None  # path data when the place is drawn as its country's shape
    anchor: tuple[float, float] | None = None  # true position when moved out of a cluster


NUMBER_R = 8.0  # radius of a numbered marker (a place whose name found no room)
NUMBER_FONT = 11.0
CLUSTER_PX = (2 * NUMBER_R + 2.0) * GROW  # pins closer than this would hide each other
RING_PX = 20.0 * GROW  # how far a crowded pin moves from its cluster's first pin


class Label(NamedTuple):
    """A placed name: written at ``(x, y)`` (baseline) with ``anchor``, at FONT_SIZE;
    ``side`` is where it sits from its pin (e, w, n, s, ne, se, nw, sw, or c, centred),
    which the stylesheet grows it from; ``box`` is what it covers grown (halo included)."""

    x: float
    y: float
    anchor: str
    text: str
    side: str
    box: BBox


def declutter(placed: list[Placed], extent: Extent) -> None:
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
            r = max(item.r, NUMBER_R) * GROW  # as large as it may grow, numbered
            x = min(max(x, r + EDGE_PAD), extent.width - r - EDGE_PAD)
            y = min(max(y, r + EDGE_PAD), extent.height - r - EDGE_PAD)
            placed[i] = dataclasses.replace(item, x=x, y=y, anchor=(item.x, item.y))


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated advance width of ``text``: character count x font size x a factor."""
    return _width_units(text) * font_size


@functools.lru_cache(maxsize=65536)
def _width_units(text: str) -> float:
    """The advance of ``text`` in font sizes (wide East Asian characters count 1)."""
    units = 0.0
    for ch in text:
        units += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else CHAR_WIDTH
    return units


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


#: Where a label may sit around its pin, best first: its side (the class the stylesheet
#: grows it by), how far from the pin its attachment point is (in gaps, x and y), the
#: text's anchor and which edge of the text touches that point. "c", centred on the
#: point, is tried first for a country's shape, never for a pin.
SIDES: tuple[tuple[str, float, float, str, str], ...] = (
    ("c", 0.0, 0.0, "middle", "centre"),
    ("e", 1.0, 0.0, "start", "centre"),
    ("w", -1.0, 0.0, "end", "centre"),
    ("n", 0.0, -1.0, "middle", "bottom"),
    ("s", 0.0, 1.0, "middle", "top"),
    ("ne", 0.7, -0.5, "start", "bottom"),
    ("se", 0.7, 0.5, "start", "top"),
    ("nw", -0.7, -0.5, "end", "bottom"),
    ("sw", -0.7, 0.5, "end", "top"),
)


def baseline(y: float, edge: str, font_size: float) -> float:
    """The baseline that puts a line of text's centre, bottom or top (``edge``) at ``y``."""
    if edge == "bottom":
        return y - 0.25 * font_size
    if edge == "top":
        return y + 0.8 * font_size
    return y + 0.3 * font_size


def _label_candidates(x: float, y: float, r: float, text: str, centered: bool) -> Iterator[Label]:
    """The label's positions to try, best first (:data:`SIDES`, the centred one only
    when ``centered``): each written at FONT_SIZE, with its box grown (GROW) from
    the same attachment point, clear of the grown pin of radius ``r`` (as drawn)."""
    gap = r * GROW + LABEL_GAP
    grown = FONT_SIZE * GROW
    for side, ox, oy, anchor, edge in SIDES if centered else SIDES[1:]:
        ax, ay = round(x + ox * gap, 1), round(y + oy * gap, 1)  # as written out
        box = label_box(ax, baseline(ay, edge, grown), anchor, text, grown)
        yield Label(ax, round(baseline(ay, edge, FONT_SIZE), 1), anchor, text, side, box)


def overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def collides(box: BBox, others: Iterable[BBox]) -> bool:
    """True when ``box`` overlaps any of ``others`` (:func:`overlaps`, inlined: label
    placement asks this for every candidate position)."""
    x0, y0, x1, y1 = box
    for a0, b0, a1, b1 in others:  # noqa: SIM110 (a loop, not any(): no generator)
        if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
            return True
    return False


def claim(box: BBox, wide_only: bool, taken: list[BBox], written: list[BBox]) -> bool:
    """Place a country's or sea's name whose box is ``box`` if nothing is there: nothing
    in ``taken`` (the map's things grown), or, for a name that fits only at its written
    size (``wide_only``, shown in wide containers, where nothing grows), nothing in
    ``written`` (the map's things at their written size). Both gain the box placed."""
    if collides(box, written if wide_only else taken):
        return False
    if not wide_only:
        taken.append(box)
    written.append(box)
    return True


def _label_text(name: str) -> str:
    name = " ".join(XML_INVALID.sub("", name).split())
    if len(name) > LABEL_MAX_CHARS:
        return name[: LABEL_MAX_CHARS - 1].rstrip() + "…"
    return name


def place_labels(
    placed: Sequence[Placed], extent: Extent, obstacles: Sequence[BBox]
) -> tuple[dict[int, Label], dict[int, int]]:
    """Names for the places: ``(labels, numbers)``. Greedy placement, the subject first,
    then input order; a place whose name fits nowhere gets a number instead (drawn on
    its marker, and listed in the map's key), numbered top to bottom, left to right.
    Sizes are grown ones (GROW): what fits then fits at every width.

    A numbered marker is larger than a plain one, so placement runs again around it
    until no further name has to give way."""
    numbered: set[int] = set()
    labels: dict[int, Label] = {}
    for _ in range(4):
        labels = _place_names(placed, extent, obstacles, numbered)
        missing = {
            i
            for i, item in enumerate(placed)
            if i not in labels and i not in numbered and _label_text(item.place.name)
        }
        if not missing:
            break
        numbered |= missing
    return labels, _numbered(placed, numbered)


def _numbered(placed: Sequence[Placed], numbered: Iterable[int]) -> dict[int, int]:
    """Numbers for the ``numbered`` places, top to bottom, then left to right."""
    order = sorted(numbered, key=lambda i: (round(placed[i].y), placed[i].x, i))
    return {i: n for n, i in enumerate(order, start=1)}


def _place_names(
    placed: Sequence[Placed], extent: Extent, obstacles: Sequence[BBox], numbered: set[int]
) -> dict[int, Label]:
    """One greedy pass of :func:`place_labels`, the ``numbered`` places left out."""
    boxes: list[BBox] = list(obstacles)
    for i, item in enumerate(placed):
        if item.shape is None or i in numbered:
            boxes.append(_disc(item, NUMBER_R if i in numbered else item.r))
    x_min, y_min = EDGE_PAD, EDGE_PAD
    x_max, y_max = extent.width - EDGE_PAD, extent.height - EDGE_PAD
    order = sorted(range(len(placed)), key=lambda i: (not placed[i].place.focus, i))
    taken: list[BBox] = []
    result: dict[int, Label] = {}
    for i in order:
        item = placed[i]
        text = _label_text(item.place.name)
        if not text or i in numbered:
            continue
        for label in _label_candidates(item.x, item.y, item.r, text, item.shape is not None):
            box = label.box
            if box[0] < x_min or box[1] < y_min or box[2] > x_max or box[3] > y_max:
                continue
            if collides(box, taken) or collides(box, boxes):
                continue
            taken.append(box)
            result[i] = label
            break
    return result


#: Where a country's badge may move, tried in this order: sideways, up, down, diagonals,
#: then the directions between them.
BADGE_DIRECTIONS = tuple(
    math.radians(d) for d in (0, 180, -90, 90, -45, 45, -135, 135, -22.5, 22.5, -157.5, 157.5)
)


def move_badges(
    placed: list[Placed],
    labels: dict[int, Label],
    numbers: dict[int, int],
    extent: Extent,
    obstacles: Sequence[BBox],
) -> dict[int, int]:
    """A numbered country's badge sits on the country's label point; where it would
    cover another marker (Iraq's on Baghdad), it moves to the first free spot around that
    point (nearest ring first, within the country where it can), clear of markers,
    labels and ``obstacles``; it stays put when no spot is free. Returns the numbers
    given again top to bottom, left to right, as :func:`place_labels` gives them."""
    badges = [i for i in sorted(numbers, key=numbers.__getitem__) if placed[i].shape is not None]
    if not badges:  # most maps: no country is numbered
        return numbers
    r = (NUMBER_R + 1.0) * GROW
    block, dx, dy = basemap_block(extent)
    label_taken = [label.box for label in labels.values()]
    for i in badges:
        item = placed[i]
        taken = [*obstacles, *label_taken]
        for j, other in enumerate(placed):
            if j != i and (other.shape is None or j in numbers):
                taken.append(_disc(other, NUMBER_R if j in numbers else other.r))
        if not collides(_disc(item, NUMBER_R), taken):
            continue
        spots = [
            (item.x + step * math.cos(a), item.y + step * math.sin(a))
            for step in (2 * r, 3 * r, 4 * r, 5 * r, 6 * r)
            for a in BADGE_DIRECTIONS
        ]
        free = [
            (x, y)
            for x, y in spots
            if r + EDGE_PAD <= x <= extent.width - r - EDGE_PAD
            and r + EDGE_PAD <= y <= extent.height - r - EDGE_PAD
            and not collides((x - r, y - r, x + r, y + r), taken)
        ]
        if free:
            key = item.place.country
            inside = (p for p in free if key and key in land_at(block, p[0] + dx, p[1] + dy))
            x, y = next(inside, free[0])
            placed[i] = dataclasses.replace(item, x=round(x, 1), y=round(y, 1))
    return _numbered(placed, numbers)


def label_boxes(
    placed: Sequence[Placed],
    labels: dict[int, Label],
    numbers: dict[int, int] | None = None,
    *,
    written: bool = False,
) -> list[BBox]:
    """The boxes the placed labels, the pins and the numbered countries' badges occupy,
    grown, or (``written``) at their written size (for what is placed after them)."""
    if written:
        boxes = [label_box(lb.x, lb.y, lb.anchor, lb.text) for lb in labels.values()]
    else:
        boxes = [label.box for label in labels.values()]
    grow = 1.0 if written else GROW
    for i, item in enumerate(placed):
        if item.shape is None or (numbers and i in numbers):
            boxes.append(_disc(item, max(item.r, NUMBER_R), grow))
    return boxes


def _disc(item: Placed, r: float, grow: float = GROW) -> BBox:
    """The box a marker of radius ``r`` (as drawn) at the item's position keeps free,
    grown (``grow``), and 1 unit more."""
    r = r * grow + 1.0
    return (item.x - r, item.y - r, item.x + r, item.y + r)
