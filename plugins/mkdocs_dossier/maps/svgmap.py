"""Static SVG maps drawn at build time: no JavaScript, no tiles, no network.

:func:`render_map` writes the map: the extent and projection come from maps/projection.py,
the country outlines from maps/shapes.py, pin and label positions from maps/labels.py.
The colours written here are fallbacks: assets/dossier-map.css overrides them with the
theme's (light and slate), so a map read without that stylesheet (a feed, a raw file)
still looks right.
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Sequence

from ..places.geometry import BBox
from . import context
from .labels import (
    FOCUS_R,
    FONT_SIZE,
    GROW,
    MARKER_R,
    NUMBER_FONT,
    NUMBER_R,
    XML_INVALID,
    Label,
    Placed,
    declutter,
    label_box,
    label_boxes,
    move_badges,
    place_labels,
)
from .projection import Extent, MapPlace, country_of, map_extent, nice_scale_km, valid
from .shapes import basemap_paths
from .water import LINE_HEIGHT, SEA_FONT, sea_labels, water_paths

# Fallback colours, written as presentation attributes; assets/dossier-map.css replaces
# each with the theme's (the CSS variable named in the comment).
SEA = "#dbe6ef"  # --dossier-map-sea
LAND = "#f4f2ec"  # --dossier-map-land
BORDER = "#9b9b9b"  # --dossier-map-border
HIGHLIGHT = "#f6dfb5"  # --dossier-map-highlight
HIGHLIGHT_BORDER = "#8a6d3b"  # --dossier-map-highlight-border
MARKER = "#1f5f9e"  # --dossier-map-marker
FOCUS = "#c0392b"  # --dossier-map-focus
TEXT = "#222"  # --dossier-map-text
HALO = "#fff"  # --dossier-map-halo
LEADER = "#555"
SCALE = "#333"

HOME = "#fbf1dd"  # --dossier-map-home: the subject's country
COUNTRY_TEXT = "#595959"  # --dossier-map-country-text
RIVER = "#7ea6c8"  # --dossier-map-river
SEA_TEXT = "#33628c"  # --dossier-map-sea-text

CREDIT = "Boundaries, country names, seas, rivers and lakes: Natural Earth (public domain)."

#: The map's size in SVG units. The stylesheet shows it at most this wide, and in a
#: narrow container (a phone) grows its text and markers (labels.GROW) so that they stay
#: legible while the map shrinks; everything is placed at the grown size.
WIDTH, HEIGHT = 640, 400
INSET_SIZE = (120, 90)
SCALE_FONT = 11.0
#: The class of a country or sea name that fits only at its written size: the stylesheet
#: hides it where it would grow.
WIDE_ONLY = " dossier-map-wide-only"

_UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)


def render_map(
    places: Sequence[MapPlace],
    *,
    caption: str,
    home: str | None = None,
    min_span_km: float = 100.0,
) -> str:
    """Render ``places`` as an HTML ``<figure>``: the ``caption``, the map (inline SVG,
    with a key when some places are numbered), the data credit and a ``<details>`` list
    of the places; "" when no place has valid coordinates. ``home`` (ISO code) is the
    subject's country, drawn highlighted."""
    places = [p for p in places if valid(p)]
    if not places:
        return ""
    return "".join(
        (
            '<figure class="dossier-map-figure">',
            f'<figcaption class="dossier-map-caption">{_esc(caption)}</figcaption>',
            _map(places, caption, home, min_span_km),
            f'<p class="dossier-map-credit">{_esc(CREDIT)}</p>',
            _details(places),
            "</figure>",
        )
    )


def _map(places: list[MapPlace], caption: str, home: str | None, min_span_km: float) -> str:
    """The map's SVG and, when some places are numbered, its key."""
    width, height = WIDTH, HEIGHT
    extent = map_extent(places, min_span_km=min_span_km, width=width, height=height)
    base = basemap_paths(extent)

    # Country places take their (clipped) shape out of the basemap, as their marker.
    shapes = dict(base)
    used: dict[int, str] = {}  # a place drawn as its country's shape -> the shape's key
    placed: list[Placed] = []
    for place in places:
        x, y = extent.project(place.lat, place.lon)
        country = country_of(place)
        if country is not None and country.iso2 in shapes and country.iso2 not in used.values():
            used[len(placed)] = country.iso2
            placed.append(Placed(place, x, y, 0.0, shapes[country.iso2]))
        else:
            placed.append(Placed(place, x, y, FOCUS_R if place.focus else MARKER_R, None))
    declutter(placed, extent)

    scale_svg, scale_box, scale_written = _scale_bar(extent)
    obstacles = [scale_box]
    written = [scale_written]  # the same things at their written size
    inset = ""
    iw, ih = INSET_SIZE
    small = context.inset_extent(extent, iw, ih)
    if small is not None:
        pins = label_boxes(placed, {})
        ix, iy = context.inset_corner(extent, small, [*pins, scale_box])
        if not math.isnan(ix):
            inset = context.inset_svg(extent, small, ix, iy, BORDER)
            obstacles.append((ix - 3.0, iy - 3.0, ix + iw + 3.0, iy + ih + 3.0))
            written.append(obstacles[-1])
    labels, numbers = place_labels(placed, extent, obstacles)
    numbers = move_badges(placed, labels, numbers, extent, obstacles)
    taken = [*obstacles, *label_boxes(placed, labels, numbers)]
    written += label_boxes(placed, labels, numbers, written=True)
    names = context.country_labels(extent, [key for key, _ in base], taken, written, home)
    seas = sea_labels(extent, taken, written)
    major, minor, lakes = water_paths(extent)

    out: list[str] = ['<div class="dossier-map-layout">']
    out.append(
        f'<svg class="dossier-map" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-label="Map: {_esc(caption)}">'
    )
    # A country that is a place is drawn twice from one shape: its fill in the basemap,
    # under the rivers, and its link (in the places, on top) as the outline over a
    # transparent, clickable fill. The shape is written once, in <defs>, without
    # presentation attributes, so that each <use> gives (and CSS sets) its own.
    ids = {key: _shape_id(key, shapes[key]) for key in used.values()}
    out.append(f'<rect class="dossier-map-sea" width="{width}" height="{height}" fill="{SEA}"/>')
    if ids:
        out.append("<defs>")
        out.extend(f'<path id="{ids[key]}" d="{shapes[key]}"/>' for key in sorted(ids))
        out.append("</defs>")
    out.append(
        f'<g class="dossier-map-land" fill="{LAND}" stroke="{BORDER}" stroke-width=".6" '
        'stroke-linejoin="round" fill-rule="evenodd">'
    )
    for key, d in base:
        if key in ids:
            out.append(
                f'<use class="dossier-country dossier-country--place" fill="{HIGHLIGHT}" '
                f'href="#{ids[key]}"/>'
            )
            continue
        if key == home:
            out.append(
                f'<path class="dossier-country dossier-country--home" data-country="{_esc(key)}" '
                f'fill="{HOME}" d="{d}"/>'
            )
        else:
            out.append(f'<path class="dossier-country" data-country="{_esc(key)}" d="{d}"/>')
    out.append("</g>")
    out.append(_water_svg(major, minor, lakes))
    if seas:
        out.append(
            f'<g class="dossier-map-seas" font-family="sans-serif" font-size="{_num(SEA_FONT)}" '
            f'font-style="italic" text-anchor="middle" fill="{SEA_TEXT}" aria-hidden="true">'
        )
        for x, y, text, angle, wide_only in seas:
            # Centred on (x, y): the baseline of the first line sits below the centre. A
            # slanted name turns in a group, so that the stylesheet's growing (a CSS
            # transform of the text) does not replace its turn.
            top = y + 0.35 * SEA_FONT - text.count("\n") * LINE_HEIGHT * SEA_FONT / 2.0
            name = (
                f'<text class="dossier-sea-name{WIDE_ONLY if wide_only else ""}" '
                f'x="{_num(x)}" y="{_num(top)}" '
                f'stroke="{SEA}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
                f"{_sea_lines(x, text)}</text>"
            )
            if angle:
                name = f'<g transform="rotate({-angle} {_num(x)} {_num(y)})">{name}</g>'
            out.append(name)
        out.append("</g>")
    if names:
        out.append(
            f'<g class="dossier-map-countries" font-family="sans-serif" '
            f'font-size="{_num(context.COUNTRY_FONT)}" font-style="italic" text-anchor="middle" '
            f'fill="{COUNTRY_TEXT}" aria-hidden="true">'
        )
        for x, y, text, wide_only in names:
            out.append(
                f'<text class="dossier-country-name{WIDE_ONLY if wide_only else ""}" '
                f'x="{_num(x)}" y="{_num(y)}" '
                f'stroke="{LAND}" stroke-width="3" stroke-linejoin="round" '
                f'paint-order="stroke">{_esc(text)}</text>'
            )
        out.append("</g>")
    out.append(scale_svg)
    out.append(inset)

    # Country shapes first (under the pins), then pins; the focus place last, on top.
    order = sorted(
        range(len(placed)), key=lambda i: (placed[i].shape is None, placed[i].place.focus, i)
    )
    out.append(
        f'<g class="dossier-map-places" font-family="sans-serif" font-size="{_num(FONT_SIZE)}">'
    )
    for i in order:
        shape_id = ids[used[i]] if i in used else None
        out.append(_place_svg(placed[i], labels.get(i), numbers.get(i), shape_id))
    out.append("</g></svg>")
    if numbers:
        out.append(_key(placed, numbers))
    out.append("</div>")
    return "".join(out)


def _sea_lines(x: float, text: str) -> str:
    """A sea's name: its first line as text, a second (after "\n") as a tspan below."""
    first, _, second = text.partition("\n")
    if not second:
        return _esc(first)
    dy = _num(SEA_FONT * LINE_HEIGHT)
    return f'{_esc(first)}<tspan x="{_num(x)}" dy="{dy}">{_esc(second)}</tspan>'


def _water_svg(major: str, minor: str, lakes: str) -> str:
    """Rivers (thin lines, the major ones wider), then lakes over the lines Natural Earth
    draws through them; decorative."""
    if not (major or minor or lakes):
        return ""
    out = ['<g class="dossier-map-water" aria-hidden="true">']
    for d, width in ((minor, ".7"), (major, "1.1")):
        if d:
            out.append(
                f'<path class="dossier-river" d="{d}" fill="none" stroke="{RIVER}" '
                f'stroke-width="{width}" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    if lakes:
        out.append(
            f'<path class="dossier-lake" d="{lakes}" fill="{SEA}" stroke="{RIVER}" '
            'stroke-width=".5" stroke-linejoin="round"/>'
        )
    out.append("</g>")
    return "".join(out)


def _key(placed: Sequence[Placed], numbers: dict[int, int]) -> str:
    """The key of the numbered markers, in their numbers' order."""
    out = ['<ol class="dossier-map-key">']
    for i, n in sorted(numbers.items(), key=lambda item: item[1]):
        out.append(
            f'<li><span class="dossier-map-key-number" aria-hidden="true">{n}</span> '
            f"{_esc(_name(placed[i].place.name))}</li>"
        )
    out.append("</ol>")
    return "".join(out)


def _place_svg(
    item: Placed,
    label: Label | None,
    number: int | None,
    shape_id: str | None = None,
) -> str:
    """A place: a link (its one accessible name the ``<title>``) around its marker and its
    label, or its numbered marker. A country's marker is its shape, ``shape_id`` (the
    path in the map's ``<defs>``). Marker, number and label carry the classes the
    stylesheet grows them by in a narrow container, each about its own anchor."""
    place = item.place
    head, data = _place_head(place)
    focus = " dossier-marker--focus" if place.focus else ""
    parts = [head]
    if item.shape is not None:
        parts.append(
            f'<use class="dossier-marker dossier-marker--country{focus} dossier-country '
            f'dossier-country--highlight" {data} href="#{shape_id}" fill="transparent" '
            f'stroke="{HIGHLIGHT_BORDER}" stroke-width=".8" stroke-linejoin="round" '
            f'fill-rule="evenodd"/>'
        )
        data = ""  # the numbered badge of a country needs no second copy
    if item.shape is None or number is not None:
        fill = FOCUS if place.focus else MARKER
        if item.anchor is not None:
            ax, ay = item.anchor
            parts.append(
                f'<line class="dossier-leader" x1="{_num(ax)}" y1="{_num(ay)}" '
                f'x2="{_num(item.x)}" y2="{_num(item.y)}" stroke="{LEADER}" stroke-width=".8"/>'
            )
        r = NUMBER_R if number is not None else item.r
        numbered = " dossier-marker--numbered" if number is not None else ""
        parts.append(
            f'<circle class="dossier-marker{focus}{numbered}" {data} cx="{_num(item.x)}" '
            f'cy="{_num(item.y)}" r="{_num(r)}" fill="{fill}" stroke="{HALO}" '
            f'stroke-width="1.5"/>'
        )
    if number is not None:
        parts.append(
            f'<text class="dossier-marker-number" x="{_num(item.x)}" '
            f'y="{_num(item.y + NUMBER_FONT * 0.36)}" text-anchor="middle" '
            f'font-size="{_num(NUMBER_FONT)}" font-weight="700" fill="{HALO}">{number}</text>'
        )
    if label is not None:
        focused = " dossier-label--focus" if place.focus else ""
        parts.append(
            f'<text class="dossier-label dossier-label--{label.side}{focused}" '
            f'x="{_num(label.x)}" y="{_num(label.y)}" text-anchor="{label.anchor}" '
            f'fill="{TEXT}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round" '
            f'paint-order="stroke">{_esc(label.text)}</text>'
        )
    parts.append("</a>")
    return "".join(parts)


def _shape_id(key: str, d: str) -> str:
    """The id of a country's shape in a map's ``<defs>``: one per country and outline,
    so that two maps on one page never take each other's shape."""
    digest = hashlib.blake2s(d.encode(), digest_size=5).hexdigest()
    return f"dossier-shape-{_esc(key)}-{digest}"


@functools.lru_cache(maxsize=1024)
def _place_head(place: MapPlace) -> tuple[str, str]:
    """The start of a place's link (with its ``<title>``) and its marker's data
    attributes: the same in every map that links the place the same way."""
    url = _safe_url(place.url)
    href = f' href="{_esc(url)}"' if url is not None else ""
    return (
        f'<a class="dossier-place"{href} data-entity="{_esc(place.id)}">'
        f"<title>{_esc(_name(place.name))}</title>",
        f'data-lat="{_coord(place.lat)}" data-lon="{_coord(place.lon)}"',
    )


@functools.lru_cache(maxsize=512)
def _scale_bar(extent: Extent) -> tuple[str, BBox, BBox]:
    """SVG of the scale bar (bottom left), and the box it occupies with its text grown
    and as written."""
    max_px = extent.width * 0.25
    km = nice_scale_km(max_px * extent.km_per_px)
    length = km / extent.km_per_px
    x0 = 10.0
    y0 = extent.height - 10.0
    text = _scale_text(km)
    bottom = y0 - 8.0 + 0.25 * SCALE_FONT  # the text grows up and right from here
    svg = (
        f'<g class="dossier-scale" font-family="sans-serif" font-size="{_num(SCALE_FONT)}">'
        f'<path class="dossier-scale-bar" d="M{_num(x0)} {_num(y0 - 5)}v5h{_num(length)}v-5" '
        f'fill="none" stroke="{SCALE}" stroke-width="1.5"/>'
        f'<text class="dossier-scale-label" x="{_num(x0 + 2)}" y="{_num(y0 - 8)}" fill="{SCALE}" '
        f'stroke="{HALO}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
        f"{_esc(text)}</text></g>"
    )
    boxes = []
    for font in (SCALE_FONT * GROW, SCALE_FONT):
        text_box = label_box(x0 + 2, bottom - 0.25 * font, "start", text, font)
        boxes.append((x0 - 2, text_box[1], max(x0 + length + 2, text_box[2]), y0 + 2))
    return svg, boxes[0], boxes[1]


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


# --- output helpers ------------------------------------------------------------------------


def _name(text: str) -> str:
    """A place's name on one line (its whitespace runs made single spaces)."""
    return " ".join(str(text).split())


@functools.lru_cache(maxsize=8192)
def _esc(text: str) -> str:
    """Escape for XML/HTML text and attribute values; drop characters XML forbids
    (cached: maps repeat country codes, names and links)."""
    text = str(text)
    if not (text.isascii() and text.isprintable()):  # the common case needs no regex
        text = XML_INVALID.sub("", text)
    return html.escape(text, quote=True)


def _num(v: float) -> str:
    """Stable one-decimal number formatting."""
    s = f"{v:.1f}"
    if s[-1] == "0":  # "x.0": written without its decimal, and never as "-0"
        s = s[:-2]
        return "0" if s == "-0" else s
    return s


def _coord(v: float, digits: int = 6) -> str:
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _safe_url(url: str | None) -> str | None:
    if url is None:
        return None
    if _UNSAFE_URL.match(XML_INVALID.sub("", url)):
        return None
    return url


def _scale_text(km: float) -> str:
    if km < 1:
        return f"{round(km * 1000):d} m"
    return f"{km:.0f} km"
