"""Country shapes and names shipped with the package (Natural Earth, public domain).

The data file ``data/countries.json`` is produced by ``tools/build_basemap.py``. Each ring is
stored as a compact string (the Encoded Polyline Algorithm's varint scheme applied to integer
deltas of ``lon * scale`` and ``lat * scale``) and decoded lazily, only for countries a map
actually shows. This module is plain Python: it must not import mkdocs.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from ..names import ascii_fold
from .geometry import BBox, Point, Polygon, Ring, geo_area, ring_bbox

DATA_FILE = "countries.json"

# Common names, abbreviations and former names -> ISO 3166-1 alpha-2, as normalize_name
# gives them (apostrophes go: `people's` is `peoples`). Official and short names, ISO
# codes and Natural Earth's names come from the data file itself.
COMMON_NAMES: dict[str, str] = {
    "america": "US",
    "united states": "US",
    "united states of america": "US",
    "us": "US",
    "usa": "US",
    "us of a": "US",
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "iran": "IR",
    "islamic republic of iran": "IR",
    "iran islamic republic of": "IR",
    "persia": "IR",
    "iraq": "IQ",
    "republic of iraq": "IQ",
    "syria": "SY",
    "syrian arab republic": "SY",
    "russia": "RU",
    "russian federation": "RU",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea republic of": "KR",
    "korea south": "KR",
    "north korea": "KP",
    "dprk": "KP",
    "democratic peoples republic of korea": "KP",
    "korea democratic peoples republic of": "KP",
    "korea north": "KP",
    "viet nam": "VN",
    "lao pdr": "LA",
    "lao peoples democratic republic": "LA",
    "czech republic": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "republic of turkiye": "TR",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "congo kinshasa": "CD",
    "democratic republic of congo": "CD",
    "congo brazzaville": "CG",
    "republic of congo": "CG",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "east timor": "TL",
    "cape verde": "CV",
    "holland": "NL",
    "vatican city": "VA",
    "holy see": "VA",
    "palestine": "PS",
    "state of palestine": "PS",
    "palestinian territories": "PS",
    "occupied palestinian territory": "PS",
    "uae": "AE",
    "emirates": "AE",
    "ksa": "SA",
    "kingdom of saudi arabia": "SA",
    "prc": "CN",
    "peoples republic of china": "CN",
    "bolivia plurinational state of": "BO",
    "venezuela bolivarian republic of": "VE",
    "tanzania united republic of": "TZ",
    "united republic of tanzania": "TZ",
    "moldova republic of": "MD",
    "republic of moldova": "MD",
    "micronesia federated states of": "FM",
    "brunei darussalam": "BN",
    "syrian arab rep": "SY",
    "kosova": "XK",
}


@dataclass(frozen=True)
class Country:
    """One country (or territory) of the basemap.

    ``polygons`` is decoded on first access: a tuple of polygons, each a tuple of rings
    (outer ring first), each a tuple of ``(lon, lat)`` points. ``label_point`` is
    ``(lat, lon)`` inside the largest polygon and serves as the country's coordinates.
    Territories without an ISO code (disputed areas) have ``iso2 == ""``.
    """

    iso2: str
    iso3: str
    name: str
    bbox: BBox
    label_point: tuple[float, float]
    aliases: tuple[str, ...] = ()
    encoded: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)
    scale: int = field(default=200, repr=False, compare=False)

    @functools.cached_property
    def polygons(self) -> tuple[Polygon, ...]:
        """The decoded polygons, ``(lon, lat)`` in degrees."""
        return tuple(
            tuple(decode_ring(ring, self.scale) for ring in polygon) for polygon in self.encoded
        )

    @functools.cached_property
    def polygon_bboxes(self) -> tuple[BBox, ...]:
        """Bounding box of each polygon (of its outer ring), same order as ``polygons``."""
        return tuple(ring_bbox(polygon[0]) for polygon in self.polygons)

    @functools.cached_property
    def main_bbox(self) -> BBox:
        """Bounding box of the largest polygon (e.g. the contiguous United States)."""
        polygons = self.polygons
        if not polygons:
            return self.bbox
        largest = max(range(len(polygons)), key=lambda i: geo_area(polygons[i][0]))
        return self.polygon_bboxes[largest]


# --- encoding ----------------------------------------------------------------------------


def encode_ints(values: Iterable[int]) -> str:
    """Encode integers with the Encoded Polyline Algorithm's zig-zag + 5-bit varint scheme."""
    out: list[str] = []
    for value in values:
        v = ~(value << 1) if value < 0 else value << 1
        while v >= 0x20:
            out.append(chr((0x20 | (v & 0x1F)) + 63))
            v >>= 5
        out.append(chr(v + 63))
    return "".join(out)


def decode_ints(text: str) -> list[int]:
    """Inverse of :func:`encode_ints`."""
    values: list[int] = []
    shift = 0
    acc = 0
    for ch in text:
        b = ord(ch) - 63
        acc |= (b & 0x1F) << shift
        if b >= 0x20:
            shift += 5
            continue
        values.append(~(acc >> 1) if acc & 1 else acc >> 1)
        acc = 0
        shift = 0
    return values


def encode_ring(ring: Sequence[tuple[int, int]]) -> str:
    """Encode a ring of integer ``(x, y)`` points: first point absolute, then deltas."""
    flat: list[int] = []
    px = py = 0
    for x, y in ring:
        flat.append(x - px)
        flat.append(y - py)
        px, py = x, y
    return encode_ints(flat)


def decode_ring(text: str, scale: int) -> Ring:
    """Decode a ring written by :func:`encode_ring` into ``(lon, lat)`` degrees."""
    values = decode_ints(text)
    points: list[Point] = []
    x = y = 0
    for i in range(0, len(values) - 1, 2):
        x += values[i]
        y += values[i + 1]
        points.append((x / scale, y / scale))
    return tuple(points)


# --- loading and lookup --------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def load_countries() -> list[Country]:
    """All countries of the shipped basemap, sorted by ISO code then name (cached)."""
    text = resources.files("mkdocs_dossier").joinpath("data", DATA_FILE).read_text("utf-8")
    data = json.loads(text)
    scale = int(data["scale"])
    countries = [
        Country(
            iso2=c["iso2"],
            iso3=c["iso3"],
            name=c["name"],
            bbox=tuple(c["bbox"]),  # type: ignore[arg-type]
            label_point=(float(c["label"][0]), float(c["label"][1])),
            aliases=tuple(c.get("aliases", ())),
            encoded=tuple(tuple(polygon) for polygon in c["polygons"]),
            scale=scale,
        )
        for c in data["countries"]
    ]
    return countries


def normalize_name(text: str) -> str:
    """Lookup key of a country name: names.ascii_fold, case folded, with the words kept
    apart by single spaces (`U.S.` -> `us`, `Bosnia & Herzegovina` -> `bosnia and
    herzegovina`, a leading `the` dropped)."""
    text = ascii_fold(text).casefold()
    text = text.replace("&", " and ").replace(".", "")
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ").strip()
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, Country]:
    by_iso2 = {c.iso2: c for c in load_countries() if c.iso2}
    index: dict[str, Country] = {}
    for alias, iso2 in COMMON_NAMES.items():
        if iso2 in by_iso2:
            index[normalize_name(alias)] = by_iso2[iso2]
    for c in by_iso2.values():
        for key in (c.name, *c.aliases):
            index.setdefault(normalize_name(key), c)
    for c in by_iso2.values():  # codes win over names
        index[c.iso2.casefold()] = c
        if c.iso3:
            index[c.iso3.casefold()] = c
    return index


def find_country(query: str) -> Country | None:
    """Find a country by ISO alpha-2, alpha-3, name or common name ("USA", "U.S.", "Iran")."""
    if not query or not query.strip():
        return None
    return _index().get(normalize_name(query))


def country_by_iso2(iso2: str) -> Country | None:
    """The country with this ISO alpha-2 code (case-insensitive), if any."""
    code = (iso2 or "").strip().casefold()
    if len(code) != 2:
        return None
    return _index().get(code)
