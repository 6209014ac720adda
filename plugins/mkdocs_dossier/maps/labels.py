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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..places.geometry import BBox
from .projection import Extent, MapPlace, basemap_block
from .shapes import land_at

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
CLUSTER_PX = 2 * NUMBER_R + 2.0  # pins closer than this would hide each other, numbered
RING_PX = 20.0  # how far a crowded pin moves from its cluster's first pin


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
            x = min(max(x, item.r + EDGE_PAD), extent.width - item.r - EDGE_PAD)
            y = min(max(y, item.r + EDGE_PAD), extent.height - item.r - EDGE_PAD)
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


def _label_text(name: str) -> str:
    name = " ".join(XML_INVALID.sub("", name).split())
    if len(name) > LABEL_MAX_CHARS:
        return name[: LABEL_MAX_CHARS - 1].rstrip() + "…"
    return name


def place_labels(
    placed: Sequence[Placed], extent: Extent, obstacles: Sequence[BBox]
) -> tuple[dict[int, tuple[float, float, str, str]], dict[int, int]]:
    """Names for the places: ``(labels, numbers)``. Greedy placement, the subject first,
    then input order; a place whose name fits nowhere gets a number instead (drawn on
    its marker, and listed in the map's key), numbered top to bottom, left to right.

    A numbered marker is larger than a plain one, so placement runs again around it
    until no further name has to give way."""
    numbered: set[int] = set()
    labels: dict[int, tuple[float, float, str, str]] = {}
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
) -> dict[int, tuple[float, float, str, str]]:
    """One greedy pass of :func:`place_labels`, the ``numbered`` places left out."""
    fs = FONT_SIZE
    boxes: list[BBox] = list(obstacles)
    for i, item in enumerate(placed):
        if item.shape is None or i in numbered:
            boxes.append(_disc(item, NUMBER_R if i in numbered else item.r))
    limits = (EDGE_PAD, EDGE_PAD, extent.width - EDGE_PAD, extent.height - EDGE_PAD)
    order = sorted(range(len(placed)), key=lambda i: (not placed[i].place.focus, i))
    taken: list[BBox] = []
    result: dict[int, tuple[float, float, str, str]] = {}
    for i in order:
        item = placed[i]
        text = _label_text(item.place.name)
        if not text or i in numbered:
            continue
        candidates = _label_candidates(item.x, item.y, item.r, fs, item.shape is not None)
        for cx, cy, anchor in candidates:
            x, y = round(cx, 1), round(cy, 1)  # as written out, so boxes are exact
            box = label_box(x, y, anchor, text, fs)
            if box[0] < limits[0] or box[1] < limits[1] or box[2] > limits[2]:
                continue
            if box[3] > limits[3]:
                continue
            if collides(box, taken) or collides(box, boxes):
                continue
            taken.append(box)
            result[i] = (x, y, anchor, text)
            break
    return result


#: Where a country's badge may move, tried in this order: sideways, up, down, diagonals,
#: then the directions between them.
BADGE_DIRECTIONS = tuple(
    math.radians(d) for d in (0, 180, -90, 90, -45, 45, -135, 135, -22.5, 22.5, -157.5, 157.5)
)


def move_badges(
    placed: list[Placed],
    labels: dict[int, tuple[float, float, str, str]],
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
    r = NUMBER_R + 1.0
    block, dx, dy = basemap_block(extent)
    label_taken = [label_box(x, y, anchor, text) for x, y, anchor, text in labels.values()]
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
    labels: dict[int, tuple[float, float, str, str]],
    numbers: dict[int, int] | None = None,
) -> list[BBox]:
    """The boxes the placed labels, the pins and the numbered countries' badges occupy
    (for what is placed after them)."""
    boxes = [label_box(x, y, anchor, text) for x, y, anchor, text in labels.values()]
    for i, item in enumerate(placed):
        if item.shape is None or (numbers and i in numbers):
            boxes.append(_disc(item, max(item.r, NUMBER_R)))
    return boxes


def _disc(item: Placed, r: float) -> BBox:
    """The box a marker of radius ``r`` at the item's position keeps free (1 unit more)."""
    r += 1.0
    return (item.x - r, item.y - r, item.x + r, item.y + r)
