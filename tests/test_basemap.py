"""The shipped Natural Earth basemap: data file, geometry helpers, country lookup."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs_dossier.places.countries import (
    country_by_iso2,
    decode_ints,
    decode_ring,
    encode_ints,
    encode_ring,
    find_country,
    load_countries,
)
from mkdocs_dossier.places.geometry import (
    clip_ring,
    interior_point,
    point_in_polygon,
    ring_area,
    ring_ranks,
    simplify_line,
    simplify_ring,
)

DATA = resources.files("mkdocs_dossier").joinpath("data")


def test_data_file_is_compact_and_documented() -> None:
    raw = DATA.joinpath("countries.json").read_bytes()
    assert len(raw) < 700 * 1024
    doc = json.loads(raw)
    assert "Natural Earth" in doc["about"] and "public domain" in doc["about"]
    assert doc["scale"] > 0
    source_note = DATA.joinpath("COUNTRIES-SOURCE.md").read_text("utf-8")
    assert "Natural Earth" in source_note and "world-atlas" in source_note


def test_package_data_well_under_one_megabyte() -> None:
    total = sum(p.stat().st_size for p in Path(str(DATA)).iterdir() if p.is_file())
    assert total < 900 * 1024


def test_countries_are_complete_and_sane() -> None:
    countries = load_countries()
    assert len(countries) > 200
    codes = [c.iso2 for c in countries if c.iso2]
    assert len(codes) == len(set(codes))
    assert {"IQ", "IR", "SY", "IL", "PS", "JO", "SA", "KW", "TR", "US", "GB", "RU"} <= set(codes)
    for c in countries:
        assert c.polygons, c.name
        min_lon, min_lat, max_lon, max_lat = c.bbox
        assert -180 <= min_lon <= max_lon <= 180
        assert -90 <= min_lat <= max_lat <= 90
        lat, lon = c.label_point
        assert min_lat <= lat <= max_lat and min_lon <= lon <= max_lon, c.name
        if c.iso2:
            assert len(c.iso2) == 2 and c.iso2.isupper()
            assert len(c.iso3) == 3 and c.iso3.isupper()


@pytest.mark.parametrize("iso2", ["IQ", "IR", "US", "IL", "GB", "HR", "CL", "NO", "ID"])
def test_label_point_is_inside_the_country(iso2: str) -> None:
    country = country_by_iso2(iso2)
    assert country is not None
    lat, lon = country.label_point
    assert any(point_in_polygon((lon, lat), poly) for poly in country.polygons)


def test_iraq_shape_is_where_iraq_is() -> None:
    iraq = find_country("Iraq")
    assert iraq is not None
    min_lon, min_lat, max_lon, max_lat = iraq.bbox
    assert 38.5 < min_lon < 39.2 and 47.9 < max_lon < 48.8
    assert 28.9 < min_lat < 29.3 and 37.2 < max_lat < 37.5
    baghdad = (44.40, 33.34)
    assert any(point_in_polygon(baghdad, poly) for poly in iraq.polygons)
    tehran = (51.42, 35.69)
    assert not any(point_in_polygon(tehran, poly) for poly in iraq.polygons)


@pytest.mark.parametrize(
    ("query", "iso2"),
    [
        ("Iraq", "IQ"),
        ("IQ", "IQ"),
        ("iq", "IQ"),
        ("IRQ", "IQ"),
        ("  iraq ", "IQ"),
        ("Iran", "IR"),
        ("Islamic Republic of Iran", "IR"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("the United States", "US"),
        ("U.S.", "US"),
        ("US", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("America", "US"),
        ("Syria", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Israel", "IL"),
        ("Palestine", "PS"),
        ("Kuwait", "KW"),
        ("Kosovo", "XK"),
        ("Bosnia and Herz.", "BA"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Czech Republic", "CZ"),
    ],
)
def test_find_country(query: str, iso2: str) -> None:
    country = find_country(query)
    assert country is not None, query
    assert country.iso2 == iso2


@pytest.mark.parametrize("query", ["", "   ", "Atlantis", "Baghdad", "XX", "<script>"])
def test_find_country_unknown(query: str) -> None:
    assert find_country(query) is None


def test_country_by_iso2() -> None:
    assert country_by_iso2("iq") is find_country("IRQ")
    assert country_by_iso2("IRQ") is None
    assert country_by_iso2("") is None


def test_main_bbox_is_the_largest_landmass() -> None:
    us = find_country("US")
    assert us is not None
    min_lon, min_lat, max_lon, max_lat = us.main_bbox
    assert -126 < min_lon < -123 and -68 < max_lon < -66  # the contiguous states
    assert 24 < min_lat < 26 and 48 < max_lat < 50


@given(st.lists(st.integers(min_value=-(10**7), max_value=10**7), max_size=50))
def test_varint_round_trip(values: list[int]) -> None:
    assert decode_ints(encode_ints(values)) == values


def test_ring_round_trip() -> None:
    ring = [(8880, 6668), (8900, 6670), (8890, 6700)]
    assert decode_ring(encode_ring(ring), 200) == tuple((x / 200, y / 200) for x, y in ring)


def test_clip_ring() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = clip_ring(square, (5.0, 5.0, 20.0, 20.0))
    assert sorted(clipped) == [(5.0, 5.0), (5.0, 10.0), (10.0, 5.0), (10.0, 10.0)]
    assert clip_ring(square, (20.0, 20.0, 30.0, 30.0)) == []
    assert clip_ring(square, (-1.0, -1.0, 11.0, 11.0)) == square
    assert abs(ring_area(clip_ring(square, (2.0, -5.0, 4.0, 50.0)))) == pytest.approx(20.0)


def test_interior_point_of_concave_polygon() -> None:
    # A "C": the centroid falls in the notch, outside the shape.
    c_shape = [(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10)]
    ring = [(float(x), float(y)) for x, y in c_shape]
    pt = interior_point([ring])
    assert point_in_polygon(pt, [ring])


def _distance_to_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]):
    """Distance from `p` to the line through `a` and `b` (to `a` when they coincide)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    norm = math.hypot(dx, dy)
    if norm == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs(dy * (p[0] - a[0]) - dx * (p[1] - a[1])) / norm


POINTS = st.lists(
    st.tuples(st.integers(-500, 500), st.integers(-500, 500)).map(
        lambda p: (p[0] / 10.0, p[1] / 10.0)
    ),
    min_size=0,
    max_size=40,
)


@given(POINTS, st.sampled_from([0.0, 0.5, 2.0, 10.0]))
def test_simplified_line_keeps_its_ends_and_stays_within_tolerance(points, tol) -> None:
    kept = simplify_line(points, tol)
    if len(points) < 3 or tol <= 0:
        assert kept == points
        return
    assert kept[0] == points[0] and kept[-1] == points[-1]
    # The kept points are a subsequence; each dropped one is within tol of its chord.
    indexes = []
    start = 0
    for point in kept:
        start = points.index(point, start)
        indexes.append(start)
        start += 1
    for a, b in zip(indexes, indexes[1:], strict=False):
        for i in range(a + 1, b):
            assert _distance_to_segment(points[i], points[a], points[b]) <= tol + 1e-9


@given(POINTS, st.sampled_from([0.5, 2.0, 10.0]))
def test_simplified_ring_splits_at_its_farthest_point(points, tol) -> None:
    kept = simplify_ring(points, tol)
    if len(points) < 5:
        assert kept == points
        return
    x0, y0 = points[0]

    def from_first(i: int) -> float:  # squared, as simplify_ring compares them
        return (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2

    far = max(range(len(points)), key=from_first)
    closed = [*points, points[0]]
    # Two open lines, first point -> farthest point -> first point, joined.
    first, second = simplify_line(closed[: far + 1], tol), simplify_line(closed[far:], tol)
    assert kept == [*first, *second[1:-1]]


def test_simplify_drops_what_is_within_tolerance() -> None:
    zigzag = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 0.0), (4.0, 3.0), (5.0, 0.0)]
    assert simplify_line(zigzag, 0.5) == [(0.0, 0.0), (3.0, 0.0), (4.0, 3.0), (5.0, 0.0)]
    assert simplify_line(zigzag, 5.0) == [(0.0, 0.0), (5.0, 0.0)]
    square = [(0.0, 0.0), (5.0, 0.05), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    assert simplify_ring(square, 0.5) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]


def _reference_dp(points: list, tol: float) -> list:
    """Douglas-Peucker written plainly (recursive, one tolerance), for comparison."""
    if len(points) < 3:
        return list(points)
    (ax, ay), (bx, by) = points[0], points[-1]
    best, index = -1.0, -1
    for i in range(1, len(points) - 1):
        px, py = points[i]
        norm = (bx - ax) ** 2 + (by - ay) ** 2
        if norm == 0:
            d = (px - ax) ** 2 + (py - ay) ** 2
        else:
            d = ((by - ay) * (px - ax) - (bx - ax) * (py - ay)) ** 2 / norm
        if d > best:
            best, index = d, i
    if best <= tol * tol:
        return [points[0], points[-1]]
    return _reference_dp(points[: index + 1], tol)[:-1] + _reference_dp(points[index:], tol)


@given(POINTS, st.sampled_from([0.2, 0.5, 2.0, 10.0]))
def test_ring_ranks_give_douglas_peucker_at_every_tolerance(points, floor) -> None:
    """One ranking pass answers every tolerance from its floor up, exactly as running
    Douglas-Peucker at that tolerance (the basemap simplifies each zoom level this way)."""
    ranks = ring_ranks(points, floor)
    for tol in (floor, floor * 1.7, floor * 4, floor * 30):
        kept = [p for p, r in zip(points, ranks, strict=True) if r > tol * tol]
        assert kept == simplify_ring(points, tol)
        if len(points) >= 5:
            x0, y0 = points[0]
            far = max(
                range(len(points)),
                key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2,
            )
            closed = [*points, points[0]]
            first, second = _reference_dp(closed[: far + 1], tol), _reference_dp(closed[far:], tol)
            assert kept == first + second[1:-1]


RING = st.lists(
    st.tuples(st.integers(-300, 300), st.integers(-300, 300)).map(
        lambda p: (p[0] / 10.0, p[1] / 10.0)
    ),
    min_size=3,
    max_size=120,
)
BOX = st.tuples(st.integers(-300, 250), st.integers(-300, 250), st.integers(1, 300)).map(
    lambda b: (b[0] / 10.0, b[1] / 10.0, (b[0] + b[2]) / 10.0, (b[1] + b[2] * 0.7) / 10.0)
)


@given(RING, BOX, st.sampled_from([1, 2, 5, 16]))
def test_pieces_beyond_the_box_clip_to_the_same_ring(ring, box, piece) -> None:
    """The basemap cuts an outline into pieces and keeps only the ends of a piece that
    lies wholly beyond one side of the clip box: clipping gives the same points."""
    from mkdocs_dossier.maps.shapes import _near_part
    from mkdocs_dossier.places.geometry import ring_bbox

    runs = [tuple(ring[i : i + piece]) for i in range(0, len(ring), piece)]
    pieces = tuple((run, ring_bbox(run)) for run in runs)
    reduced = _near_part(pieces, box)
    assert len(reduced) <= len(ring)
    assert clip_ring(reduced, box) == clip_ring(ring, box)


def test_water_index_finds_what_a_full_scan_finds() -> None:
    from mkdocs_dossier.maps.water import _visible, load_physical

    physical = load_physical()
    frames = [(44.0, 33.0, 44.8, 33.6), (30.0, 20.0, 60.0, 45.0), (-180, -90, 180, 90)]
    frames += [(-75.5, 38.0, -76.0 + 3, 40.0), (170.0, -20.0, 185.0, -10.0)]
    for layer in ("rivers", "lakes"):
        features = getattr(physical, layer)
        for west, south, east, north in frames:
            for zoom in (2.0, 5.5, 9.0):
                full = [
                    f
                    for f in features
                    if f.min_zoom <= zoom
                    and f.bbox[0] <= east
                    and f.bbox[2] >= west
                    and f.bbox[1] <= north
                    and f.bbox[3] >= south
                ]
                assert _visible(layer, (west, south, east, north), zoom) == full
    assert _visible("rivers", (43.0, 32.0, 46.0, 35.0), 9.0)  # the Tigris and Euphrates


@given(RING, BOX)
def test_clipping_with_the_rings_box_skips_only_passes_that_change_nothing(ring, box) -> None:
    from mkdocs_dossier.places.geometry import ring_bbox

    assert clip_ring(ring, box, ring_bbox(ring)) == clip_ring(ring, box)


BOXES = st.lists(
    st.tuples(
        st.integers(-200, 200), st.integers(-100, 100), st.integers(0, 80), st.integers(0, 40)
    ),
    max_size=40,
).map(lambda bs: [(x / 1.0, y / 1.0, x + w / 1.0, y + h / 1.0) for x, y, w, h in bs])


@given(BOXES, BOXES, st.sampled_from([1.0, 7.5, 10.0]))
def test_the_box_grid_finds_every_box_a_full_scan_finds(boxes, queries, cell) -> None:
    from mkdocs_dossier.places.geometry import bbox_intersects, boxes_near, file_boxes

    cells = file_boxes(boxes, cell)
    for query in queries:
        meeting = {n for n, box in enumerate(boxes) if bbox_intersects(box, query)}
        assert meeting <= boxes_near(cells, query, cell)


def _blocks():
    from mkdocs_dossier.maps.projection import MapPlace, basemap_block, map_extent

    spots = [(33.31, 44.37, 400), (36.19, 44.01, 320), (-17.7, 178.1, 320)]  # Fiji: antimeridian
    spots += [(0.0, 117.0, 640), (60.0, 100.0, 640)]  # Indonesia's islands; Russia
    for lat, lon, width in spots:
        place = MapPlace("place:x", "X", None, lat, lon)
        for span in (25.0, 100.0, 1500.0):
            yield basemap_block(map_extent([place], min_span_km=span, width=width))[0]


def test_a_blocks_rings_are_those_a_full_scan_finds(monkeypatch) -> None:
    """The country and polygon grids leave out only what cannot meet the block: its
    rings are those found by testing every country and every polygon."""
    from mkdocs_dossier.maps import shapes

    def rings(block):
        return [
            (key, [r.pts for r in found]) for key, found in shapes._block_rings.__wrapped__(block)
        ]

    blocks = list(_blocks())
    indexed = [rings(block) for block in blocks]
    monkeypatch.setattr(
        shapes, "boxes_near", lambda cells, bounds, cell: {n for ns in cells.values() for n in ns}
    )
    assert [rings(block) for block in blocks] == indexed
    assert all(indexed)


def test_the_land_index_answers_as_every_ring_does() -> None:
    """Point in land through the banded index, against the even-odd rule over every
    edge of every ring of the block (points outside the block included)."""
    from mkdocs_dossier.maps import shapes

    for block in list(_blocks())[:6]:
        rings = shapes._block_rings(block)
        for i in range(-2, 23):
            for j in range(-2, 23):
                x, y = block.width * i / 20.0 + 0.37, block.height * j / 20.0 + 0.21
                inside = set()
                for key, country_rings in rings:
                    odd = False
                    for ring in country_rings:
                        ax, ay = ring.pts[-1]
                        for bx, by in ring.pts:
                            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                                odd = not odd
                            ax, ay = bx, by
                    if odd:
                        inside.add(key)
                assert shapes.land_at(block, x, y) == inside
                assert shapes.on_land(block, x, y) == bool(inside)
