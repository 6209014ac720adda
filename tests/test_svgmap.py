"""Build-time SVG maps: projection, extent, labels, basemap, escaping, size, determinism."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from importlib import resources
from itertools import combinations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs_dossier.maps.labels import FONT_SIZE, GROW, SIDES, baseline, label_box, overlaps
from mkdocs_dossier.maps.projection import (
    GRID,
    MARGIN,
    ZOOM_STEP,
    MapPlace,
    basemap_block,
    haversine_km,
    map_extent,
    nice_scale_km,
)
from mkdocs_dossier.maps.shapes import basemap_paths, land_at
from mkdocs_dossier.maps.svgmap import render_map
from mkdocs_dossier.maps.water import LINE_HEIGHT, SEA_FONT, load_physical, sea_box
from mkdocs_dossier.places.countries import country_by_iso2, find_country

SVG = "{http://www.w3.org/2000/svg}"

MIDDLE_EAST = [
    MapPlace("place:baghdad", "Baghdad", "../places/baghdad.html", 33.34, 44.40, focus=True),
    MapPlace("place:erbil", "Erbil", "../places/erbil.html", 36.19, 44.01),
    MapPlace("place:al-asad", "Al Asad Air Base", "../places/al-asad.html", 33.79, 42.44),
    MapPlace("place:basra", "Basra", "../places/basra.html", 30.51, 47.78),
    MapPlace("place:tel-aviv", "Tel Aviv", "../places/tel-aviv.html", 32.08, 34.78),
    MapPlace("place:tehran", "Tehran", None, 35.69, 51.42),
]


def parse(html: str) -> ET.Element:
    """Parse the figure as XML (it must be well-formed) and return the root."""
    return ET.fromstring(html)


def svg_of(root: ET.Element) -> ET.Element:
    svg = root.find(f"div/{SVG}svg")
    assert svg is not None
    return svg


def view_box(svg: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in svg.get("viewBox", "").split())
    return x, y, w, h


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def markers(svg: ET.Element) -> list[ET.Element]:
    return [el for el in svg.iter() if "dossier-marker" in classes(el)]


def labels(svg: ET.Element) -> list[ET.Element]:
    return [el for el in svg.iter(f"{SVG}text") if "dossier-label" in classes(el)]


EDGES = {side: edge for side, *_, edge in SIDES}
LABEL_SIDES = {f"dossier-label--{side}" for side in EDGES}


def label_boxes_of(el: ET.Element) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A label's box as written, and as the stylesheet grows it in a narrow container
    (GROW times larger, about the point its side class names)."""
    x, y = float(el.get("x", "nan")), float(el.get("y", "nan"))
    anchor, text = el.get("text-anchor", "start"), el.text or ""
    (side,) = [c.removeprefix("dossier-label--") for c in classes(el) & LABEL_SIDES]
    edge = EDGES[side]
    # The point the label grows from, on the tenth it was placed at: the grown box is then
    # the very one placement kept clear (boxes that only touch do not overlap).
    attach = round(y - baseline(0.0, edge, FONT_SIZE), 1)
    grown = FONT_SIZE * GROW
    return (
        label_box(x, y, anchor, text, FONT_SIZE),
        label_box(x, baseline(attach, edge, grown), anchor, text, grown),
    )


def boxes(svg: ET.Element) -> list[tuple[float, ...]]:
    """The labels' boxes, grown (what placement kept apart)."""
    return [label_boxes_of(el)[1] for el in labels(svg)]


def test_a_grown_label_holds_its_written_self() -> None:
    """Written at its size, a label lies within its grown box: what is kept clear at a
    phone's size is clear at a desktop's."""
    svg = svg_of(parse(render_map(MIDDLE_EAST, caption="t")))
    sides: set[str] = set()
    for el in labels(svg):
        (x0, y0, x1, y1), grown = label_boxes_of(el)
        sides |= classes(el) & LABEL_SIDES
        assert grown[0] <= x0 + 0.01 and x1 <= grown[2] + 0.01, el.text
        assert grown[1] <= y0 + 0.01 and y1 <= grown[3] + 0.01, el.text
    assert sides


def assert_layout_ok(svg: ET.Element) -> None:
    """Every marker and label inside the viewBox, grown; no two labels overlap."""
    _, _, w, h = view_box(svg)
    for c in svg.iter(f"{SVG}circle"):
        cx, cy = float(c.get("cx", "nan")), float(c.get("cy", "nan"))
        r = float(c.get("r", "0")) * GROW
        assert r <= cx <= w - r and r <= cy <= h - r, (cx, cy)
    label_boxes = boxes(svg)
    for x0, y0, x1, y1 in label_boxes:
        assert x0 >= 0 and x1 <= w and y0 >= 0 and y1 <= h, (x0, y0, x1, y1)
    for a, b in combinations(label_boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_no_place_no_map() -> None:
    assert render_map([], caption="Nothing") == ""
    bad = [MapPlace("place:x", "X", None, float("nan"), 10.0), MapPlace("p:y", "Y", None, 95, 0)]
    assert render_map(bad, caption="Nothing") == ""


def test_structure() -> None:
    html = render_map(MIDDLE_EAST, caption="Places in the story")
    root = parse(html)
    assert root.tag == "figure" and root.get("class") == "dossier-map-figure"
    svg = svg_of(root)
    caption = root.find("figcaption")
    assert caption is not None and caption.text == "Places in the story"
    layouts = root.findall("div")
    assert [d.get("class") for d in layouts] == ["dossier-map-layout"]  # one drawing
    for layout in layouts:
        svg = layout.find(f"{SVG}svg")
        assert svg is not None and svg.get("role") == "group"  # never "img" around links
        assert svg.get("aria-label") == "Map: Places in the story"
    credit = root.find("p")
    assert credit is not None and "Natural Earth" in (credit.text or "")
    details = root.find("details")
    assert details is not None and details.get("class") == "dossier-map-places"
    summary = details.find("summary")
    assert summary is not None and summary.text == "Places on this map"
    items = details.findall("ul/li")
    assert len(items) == len(MIDDLE_EAST)
    baghdad = next(li for li in items if "".join(li.itertext()).startswith("Baghdad"))
    assert "".join(baghdad.itertext()) == "Baghdad — 33.34, 44.4"
    assert "<script" not in html.lower() and " style=" not in html


def test_every_place_is_a_link_around_a_marker() -> None:
    svg = svg_of(parse(render_map(MIDDLE_EAST, caption="t")))
    links = {a.get("data-entity"): a for a in svg.iter(f"{SVG}a")}
    assert set(links) == {p.id for p in MIDDLE_EAST}
    for place in MIDDLE_EAST:
        a = links[place.id]
        if place.url is None:
            assert "href" not in a.attrib
        else:
            assert a.get("href") == place.url
        (marker,) = [el for el in a if "dossier-marker" in classes(el)]
        assert marker.tag == f"{SVG}circle"
        assert float(marker.get("data-lat", "nan")) == place.lat
        assert float(marker.get("data-lon", "nan")) == place.lon
        title = a.find(f"{SVG}title")  # the link's one accessible name
        assert title is not None and title.text == place.name
        assert ("dossier-marker--focus" in classes(marker)) == place.focus
        label = [el for el in a if "dossier-label" in classes(el)]
        assert [el.text for el in label] == [place.name]


def test_marker_lands_where_the_projection_says() -> None:
    places = MIDDLE_EAST
    extent = map_extent(places, min_span_km=100.0, width=640, height=400)
    svg = svg_of(parse(render_map(places, caption="t")))
    for circle in svg.iter(f"{SVG}circle"):
        lat, lon = float(circle.get("data-lat", "nan")), float(circle.get("data-lon", "nan"))
        x, y = extent.project(lat, lon)
        assert float(circle.get("cx", "nan")) == pytest.approx(x, abs=0.051)
        assert float(circle.get("cy", "nan")) == pytest.approx(y, abs=0.051)


def test_crowded_pins_are_spread_with_a_leader_to_the_true_spot() -> None:
    places = [
        MapPlace("place:baghdad", "Baghdad", None, 33.3152, 44.3661, focus=True),
        MapPlace("place:green-zone", "Green Zone", None, 33.3050, 44.3880),
        MapPlace("place:embassy", "Embassy", None, 33.2986, 44.3953),
        MapPlace("place:basra", "Basra", None, 30.5085, 47.7804),
    ]
    extent = map_extent(places, min_span_km=100.0, width=640, height=400)
    svg = svg_of(parse(render_map(places, caption="t")))
    circles = {c.get("data-lat"): c for c in svg.iter(f"{SVG}circle")}
    points = [(float(c.get("cx", "nan")), float(c.get("cy", "nan"))) for c in circles.values()]
    for i, (x1, y1) in enumerate(points):
        for x2, y2 in points[i + 1 :]:
            assert math.hypot(x1 - x2, y1 - y2) >= 2 * 4.5, "pins still stacked"
    leaders = list(svg.iter(f"{SVG}line"))
    assert len(leaders) == 2
    for line in leaders:
        x1, y1 = float(line.get("x1", "nan")), float(line.get("y1", "nan"))
        assert any(
            (x1, y1) == pytest.approx(extent.project(p.lat, p.lon), abs=0.051) for p in places
        )
    # The projection itself: centre in the middle, north up, east right, cos(lat) scaling.
    cx, cy = extent.project(extent.center_lat, extent.center_lon)
    assert (cx, cy) == pytest.approx((320.0, 200.0))
    x1, y1 = extent.project(extent.center_lat + 1.0, extent.center_lon + 1.0)
    assert y1 < cy and x1 > cx
    assert (x1 - cx) / (cy - y1) == pytest.approx(extent.cos_lat)


def test_extent_fits_markers_with_margin_and_matches_aspect() -> None:
    extent = map_extent(MIDDLE_EAST, width=640, height=400)
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    for p in MIDDLE_EAST:
        x, y = extent.project(p.lat, p.lon)
        assert 640 * MARGIN * 0.95 <= x <= 640 * (1 - MARGIN * 0.95)
        assert 400 * MARGIN * 0.95 <= y <= 400 * (1 - MARGIN * 0.95)
    ratio = (max_lon - min_lon) * extent.cos_lat / (max_lat - min_lat)
    assert ratio == pytest.approx(640 / 400)


@pytest.mark.parametrize(("width", "height"), [(640, 400), (400, 640), (300, 300)])
@pytest.mark.parametrize("lat", [0.0, 33.34, 60.0, -45.0])
def test_extent_is_at_least_min_span_for_one_place(lat: float, width: int, height: int) -> None:
    place = MapPlace("place:p", "P", None, lat, 44.4)
    extent = map_extent([place], min_span_km=100.0, width=width, height=height)
    w_km, h_km = extent.span_km()
    assert min(w_km, h_km) >= 100.0
    # and not much more: zooms come on a ladder of steps of ZOOM_STEP
    assert min(w_km, h_km) < 100.0 * ZOOM_STEP + 1.0
    # near the centre: centres sit on a grid of 1/GRID of the map's height
    x, y = extent.project(lat, 44.4)
    assert abs(x - width / 2) <= height / GRID and abs(y - height / 2) <= height / GRID


def test_min_span_parameter() -> None:
    places = [MapPlace("place:a", "A", None, 33.30, 44.38), MapPlace("p:b", "B", None, 33.31, 44.4)]
    w_km, h_km = map_extent(places, min_span_km=300.0).span_km()
    assert min(w_km, h_km) >= 300.0
    html = render_map(places, caption="t", min_span_km=300.0)
    assert "dossier-map" in html


def test_country_place_is_drawn_as_highlighted_shape() -> None:
    places = [
        MapPlace("place:iraq", "Iraq", "iraq.html", 33.04, 43.745, country="IQ", focus=True),
        MapPlace("place:baghdad", "Baghdad", "baghdad.html", 33.34, 44.40),
    ]
    root = parse(render_map(places, caption="Iraq"))
    svg = svg_of(root)
    highlighted = [el for el in svg.iter() if "dossier-country--highlight" in classes(el)]
    assert len(highlighted) == 1
    (shape,) = highlighted
    assert "dossier-marker" in classes(shape)
    # The shape is written once, in <defs>, with no paint of its own: the marker (an
    # outline over a transparent fill) and the fill in the basemap both use it.
    defined = {el.get("id"): el for el in svg.iter(f"{SVG}path") if el.get("id")}
    assert shape.tag == f"{SVG}use" and shape.get("href", "").startswith("#")
    path = defined[shape.get("href")[1:]]
    assert path.get("d") and path.get("fill") is None and path in list(svg.find(f"{SVG}defs"))
    fills = [el for el in svg.iter(f"{SVG}use") if "dossier-country--place" in classes(el)]
    assert [el.get("href") for el in fills] == [shape.get("href")]
    assert [el for el in svg.iter(f"{SVG}path") if el.get("d") == path.get("d")] == [path]
    assert shape.get("data-lat") == "33.04" and shape.get("data-lon") == "43.745"
    links = {a.get("data-entity"): a for a in svg.iter(f"{SVG}a")}
    assert shape in list(links["place:iraq"])
    # No pin for the country; the basemap does not draw Iraq a second time.
    assert [c.get("data-lat") for c in svg.iter(f"{SVG}circle")] == ["33.34"]
    basemap_codes = [el.get("data-country") for el in svg.iter() if el.get("data-country")]
    assert "IQ" not in basemap_codes and "IR" in basemap_codes and "SY" in basemap_codes
    # A focused country's extent shows the whole country.
    extent = map_extent(places)
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    assert min_lon < 38.8 and max_lon > 48.6 and min_lat < 29.1 and max_lat > 37.4


def test_unknown_country_code_falls_back_to_a_pin() -> None:
    place = MapPlace("place:x", "Nowhere", None, 10.0, 10.0, country="ZZ")
    svg = svg_of(parse(render_map([place], caption="t")))
    assert len(list(svg.iter(f"{SVG}circle"))) == 1


def path_rings(d: str) -> list[list[tuple[float, float]]]:
    """Vertices of each subpath of path data using M/m, L/l and Z/z (SVG semantics)."""
    tokens = re.findall(r"[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)", d)
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    cmd = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in "MmLlZz":
            cmd = tok
            i += 1
            if tok in "Zz":
                x, y = start
                continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        if cmd in "Mm":
            x, y = (x + dx, y + dy) if cmd == "m" else (dx, dy)
            start = (x, y)
            rings.append([(x, y)])
            cmd = "l" if cmd == "m" else "L"  # implicit line-tos follow a move-to
        else:
            x, y = (x + dx, y + dy) if cmd == "l" else (dx, dy)
            rings[-1].append((x, y))
    return rings


def test_basemap_is_clipped_and_compact() -> None:
    extent = map_extent(MIDDLE_EAST)
    paths = basemap_paths(extent)
    codes = [code for code, _ in paths]
    assert {"IQ", "IR", "SY", "JO", "SA", "KW", "IL", "TR"} <= set(codes)
    assert "US" not in codes and "FR" not in codes
    for _, d in paths:
        assert re.fullmatch(r"(M[0-9.\- ]+l[0-9.\- ]+z)+", d), d[:80]
        for ring in path_rings(d):
            assert len(ring) >= 3
            for x, y in ring:
                assert -3.2 <= x <= 643.2 and -3.2 <= y <= 403.2, (x, y)


def test_islands_are_drawn_where_they_are() -> None:
    # Bahrain and Qatar have several rings each: every ring must sit near the country.
    places = [MapPlace("place:manama", "Manama", None, 26.23, 50.59)]
    extent = map_extent(places, min_span_km=400)
    for code, d in basemap_paths(extent):
        country = find_country(code)
        if country is None:
            continue
        min_lon, min_lat, max_lon, max_lat = country.bbox
        x0, y0 = extent.project(max_lat, min_lon)
        x1, y1 = extent.project(min_lat, max_lon)
        for ring in path_rings(d):
            for x, y in ring:
                assert x0 - 4 <= x <= x1 + 4 and y0 - 4 <= y <= y1 + 4, (code, x, y)


def test_world_map_has_no_antimeridian_streaks() -> None:
    places = [
        MapPlace("place:dc", "Washington", None, 38.9, -77.04),
        MapPlace("place:baghdad", "Baghdad", None, 33.34, 44.40),
    ]
    extent = map_extent(places)
    for code, d in basemap_paths(extent):
        for ring in path_rings(d):
            for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
                on_border = min(abs(ya - 200), abs(yb - 200)) > 201  # clipped at top/bottom
                assert on_border or abs(xb - xa) < 200, (code, xa, ya, xb, yb)


def test_middle_east_map_under_60_kb_and_its_geometry_cached() -> None:
    html = render_map(MIDDLE_EAST, caption="Middle East")
    assert len(html.encode("utf-8")) < 60 * 1024
    assert_layout_ok(svg_of(parse(html)))
    assert len(labels(svg_of(parse(html)))) == len(MIDDLE_EAST)
    # The same extent again clips no coastline: its basemap comes from the cache.
    misses = basemap_paths.cache_info().misses
    for _ in range(10):
        assert render_map(MIDDLE_EAST, caption="Middle East") == html
    assert basemap_paths.cache_info().misses == misses


def test_hostile_names_are_escaped() -> None:
    evil = "<script>alert('x')</script> & \"quoted\" ]]> <!-- --> \x00\x1b"
    places = [
        MapPlace('place:"><svg onload=alert(1)>', evil, 'a.html?x="y"&z=<w>', 33.3, 44.4),
        MapPlace("place:js", "JS link", "javascript:alert(1)", 33.5, 44.6),
        MapPlace("place:ok", "Ok", None, 33.2, 44.1),
    ]
    html = render_map(places, caption=evil)
    root = parse(html)  # well-formed XML
    all_tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert all_tags <= {
        "figure", "figcaption", "div", "svg", "title", "rect", "g", "path", "a", "circle",
        "text", "p", "details", "summary", "ul", "li", "defs", "use",
    }  # fmt: skip
    # A <use> only ever refers to a shape drawn in the same map.
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert all(el.get("href")[1:] in ids for el in root.iter(f"{SVG}use"))
    assert "<script" not in html
    assert not any(k.lower().startswith("on") for el in root.iter() for k in el.attrib)
    svg = svg_of(root)
    clean = "<script>alert('x')</script> & \"quoted\" ]]> <!-- --> "
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert clean in titles
    links = {a.get("data-entity"): a for a in svg.iter(f"{SVG}a")}
    assert links['place:"><svg onload=alert(1)>'].get("href") == 'a.html?x="y"&z=<w>'
    assert "href" not in links["place:js"].attrib
    assert "javascript:" not in html
    details_text = "".join(root.find("details").itertext())  # type: ignore[union-attr]
    assert clean in details_text


def test_deterministic() -> None:
    first = render_map(MIDDLE_EAST, caption="t")
    assert render_map(list(MIDDLE_EAST), caption="t") == first
    basemap_paths.cache_clear()
    assert render_map(MIDDLE_EAST, caption="t") == first


def test_crowded_map_numbers_the_places_it_cannot_label() -> None:
    places = [
        MapPlace(f"place:p{i}", f"Neighbourhood number {i}", f"p{i}.html", 33.3 + i * 0.001, 44.4)
        for i in range(25)
    ]
    root = parse(render_map(places, caption="crowded"))
    for layout in root.findall("div"):
        svg = layout.find(f"{SVG}svg")
        assert svg is not None
        assert len(markers(svg)) == 25
        named = [el.text for el in labels(svg)]
        numbers = {
            a.get("data-entity"): el.text
            for a in svg.iter(f"{SVG}a")
            for el in a.iter(f"{SVG}text")
            if "dossier-marker-number" in classes(el)
        }
        assert len(named) + len(numbers) == 25 and numbers  # no unnamed dot
        key = ["".join(li.itertext()) for li in layout.findall("ol/li")]
        assert sorted(key) == sorted(
            f"{n} Neighbourhood number {e[7:]}" for e, n in numbers.items()
        )
        assert_layout_ok(svg)
    assert len(root.findall("details/ul/li")) == 25


def test_scale_bar() -> None:
    extent = map_extent(MIDDLE_EAST)
    svg = svg_of(parse(render_map(MIDDLE_EAST, caption="t")))
    (label,) = [el for el in svg.iter(f"{SVG}text") if "dossier-scale-label" in classes(el)]
    m = re.fullmatch(r"(\d+) km", label.text or "")
    assert m is not None
    km = int(m.group(1))
    assert str(km)[0] in "125" and set(str(km)[1:]) <= {"0"}
    (bar,) = [el for el in svg.iter(f"{SVG}path") if "dossier-scale-bar" in classes(el)]
    length = float(re.search(r"h(-?[\d.]+)", bar.get("d", "")).group(1))  # type: ignore[union-attr]
    assert length == pytest.approx(km / extent.km_per_px, abs=0.06)
    assert 0 < length <= 640 * 0.25 + 0.1


def test_nice_scale_and_haversine() -> None:
    assert nice_scale_km(160) == 100
    assert nice_scale_km(499) == 200
    assert nice_scale_km(500) == 500
    assert nice_scale_km(7) == 5
    assert nice_scale_km(0.3) == pytest.approx(0.2)
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=1.0)
    assert haversine_km(33.34, 44.40, 35.69, 51.42) == pytest.approx(690, abs=10)


coords = st.tuples(
    st.floats(min_value=-60, max_value=70, allow_nan=False),
    st.floats(min_value=-170, max_value=170, allow_nan=False),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(coords, st.text(min_size=1, max_size=30), st.booleans()), min_size=1, max_size=8
    ),
    st.floats(min_value=-3, max_value=3),
    st.floats(min_value=-3, max_value=3),
)
# Four pins on one spot: the cluster spreads them, and one moved to the top is numbered
# (a numbered marker, grown, must still keep inside the frame).
@example(
    items=[((0.0, 0.0), "0", False), ((64.0, 0.0), "0", False), ((-50.0, 0.0), "0", False)]
    + [((49.0, 0.0), "0", False)],
    dlat=0.0,
    dlon=0.0,
)
# Two labels whose grown boxes touch (one's top is the other's bottom): rebuilt from the
# written baselines without rounding, they seemed to overlap by 1e-14.
@example(
    items=[((2.5, 0.0), "0", False), ((0.0, 15.0), "0", False), ((0.0, 128.0), "0", False)]
    + [((0.0, -1.0), "00000", False), ((0.0, -41.0), "0", False), ((23.625, 0.0), "0", False)],
    dlat=-3.0,
    dlon=0.0,
)
def test_random_maps_keep_layout_rules(
    items: list[tuple[tuple[float, float], str, bool]], dlat: float, dlon: float
) -> None:
    # Cluster the places around the first one so maps are regional, like real dossiers.
    (lat0, lon0), _, _ = items[0]
    places = [
        MapPlace(
            f"place:{i}",
            name,
            None if i % 3 else f"p{i}.html",
            max(-80.0, min(80.0, lat0 + (lat - lat0) * 0.05 + dlat * (i > 0))),
            max(-179.0, min(179.0, lon0 + (lon - lon0) * 0.05 + dlon * (i > 0))),
            focus=i == 0 and focus,
        )
        for i, ((lat, lon), name, focus) in enumerate(items)
    ]
    html = render_map(places, caption="random")
    root = parse(html)
    svg = svg_of(root)
    assert len(markers(svg)) == len(places)
    assert_layout_ok(svg)
    extent = map_extent(places)
    assert min(extent.span_km()) >= 100.0
    assert render_map(places, caption="random") == html


@pytest.mark.parametrize(
    "places",
    [
        [MapPlace("p:n", "North Pole", None, 90.0, 0.0)],
        [MapPlace("p:s", "South Pole", None, -90.0, 180.0)],
        [MapPlace("p:f", "Suva", None, -18.1, 178.4), MapPlace("p:a", "Apia", None, -13.8, -171.8)],
        [MapPlace("p:a", "Same", None, 10.0, 10.0), MapPlace("p:b", "Same", None, 10.0, 10.0)],
        [MapPlace("p:e", "", None, 0.0, 0.0), MapPlace("p:w", " \t", "x.html", 0.0, 0.1)],
    ],
)
def test_awkward_inputs_render(places: list[MapPlace]) -> None:
    html = render_map(places, caption="t")
    svg = svg_of(parse(html))
    assert len(markers(svg)) == len(places)
    assert_layout_ok(svg)


def test_huge_min_span_stops_at_the_world() -> None:
    extent = map_extent([MapPlace("p:x", "X", None, 0.0, 0.0)], min_span_km=100_000)
    min_lon, min_lat, max_lon, max_lat = extent.bounds
    assert max_lat - min_lat <= 180.01 or max_lon - min_lon <= 360.01


def test_stylesheet_follows_the_theme() -> None:
    from importlib import resources

    css = resources.files("mkdocs_dossier").joinpath("assets", "dossier-map.css").read_text("utf-8")
    for needle in (
        '[data-md-color-scheme="slate"]',
        "var(--md-default-bg-color",
        "var(--md-accent-fg-color",
        "var(--md-primary-fg-color",
        ".dossier-country--highlight",
        ".dossier-marker",
        ".dossier-label",
    ):
        assert needle in css
    # The stylesheet grows text and markers at most as much as placement assumed.
    grows = [float(v) for v in re.findall(r"--dossier-map-grow:\s*([\d.]+)", css)]
    assert grows and max(grows) == GROW
    for side in EDGES:
        assert f".dossier-label--{side}" in css or side == "c", side


# --- water: rivers, lakes, seas ------------------------------------------------------------


def sea_names(svg: ET.Element) -> list[tuple[ET.Element, str]]:
    """Each sea's name, with the turn of the group it sits in ("" when level)."""
    return [
        (el, group.get("transform", ""))
        for group in svg.iter(f"{SVG}g")
        for el in group
        if el.tag == f"{SVG}text" and "dossier-sea-name" in classes(el)
    ]


def sea_name_box(name: tuple[ET.Element, str]) -> tuple[tuple[float, ...], str, int]:
    """(box, text with "\\n" between lines, angle) of a sea's name as written: its box
    grown, unless it is shown in wide containers only."""
    el, transform = name
    lines = [el.text or ""] + [t.text or "" for t in el.iter(f"{SVG}tspan")]
    text = "\n".join(lines)
    x = float(el.get("x", "nan"))
    y = float(el.get("y", "nan")) - 0.35 * SEA_FONT + text.count("\n") * LINE_HEIGHT * SEA_FONT / 2
    turn = re.fullmatch(r"rotate\((-?\d+) ([\d.]+) ([\d.]+)\)", transform)
    angle = -int(turn[1]) if turn else 0
    if turn:
        assert (x, y) == pytest.approx((float(turn[2]), float(turn[3])), abs=0.11)
    grow = 1.0 if "dossier-map-wide-only" in classes(el) else GROW
    return sea_box(x, y, text, angle, grow), text, angle


def test_iraq_map_draws_the_rivers_through_baghdad_and_names_the_gulf() -> None:
    places = [p for p in MIDDLE_EAST if p.id in {"place:baghdad", "place:erbil", "place:basra"}]
    root = parse(render_map(places, caption="Iraq"))
    svg = svg_of(root)
    rivers = [el for el in svg.iter(f"{SVG}path") if "dossier-river" in classes(el)]
    assert rivers
    # The Tigris runs through Baghdad: a river line passes within a few units of its dot.
    dot = next(
        c for a in svg.iter(f"{SVG}a") if a.get("data-entity") == "place:baghdad"
        for c in a.iter(f"{SVG}circle")
    )  # fmt: skip
    bx, by = float(dot.get("cx", "nan")), float(dot.get("cy", "nan"))
    nearest = min(
        math.hypot(x - bx, y - by)
        for el in rivers
        for line in path_lines(el.get("d", ""))
        for x, y in line
    )
    assert nearest < 6, nearest
    names = ["".join(el.itertext()) for el, _ in sea_names(svg)]
    assert "PersianGulf" in names or "Persian Gulf" in names, names
    assert "Natural Earth" in (root.find("p").text or "")  # type: ignore[union-attr]


def test_sea_names_lie_on_water_and_touch_nothing() -> None:
    for places in (MIDDLE_EAST, MIDDLE_EAST[:1], MIDDLE_EAST[3:5], WORLDWIDE):
        root = parse(render_map(places, caption="t"))
        for layout in root.findall("div"):
            svg = layout.find(f"{SVG}svg")
            assert svg is not None
            _, _, w, h = view_box(svg)
            extent = map_extent(places, width=int(w), height=int(h))
            block, dx, dy = basemap_block(extent)
            others = boxes(svg) + [
                (
                    float(c.get("cx", "0")) - float(c.get("r", "0")) * GROW,
                    float(c.get("cy", "0")) - float(c.get("r", "0")) * GROW,
                    float(c.get("cx", "0")) + float(c.get("r", "0")) * GROW,
                    float(c.get("cy", "0")) + float(c.get("r", "0")) * GROW,
                )
                for c in svg.iter(f"{SVG}circle")
            ]
            seas = [sea_name_box(el) for el in sea_names(svg)]
            for box, text, _ in seas:
                assert box[0] >= 0 and box[1] >= 0 and box[2] <= w and box[3] <= h, text
                assert not any(overlaps(box, o) for o in others), text
                cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                assert not land_at(block, cx + dx, cy + dy), text  # its middle is water
            for (a, ta, _), (b, tb, _) in combinations(seas, 2):
                assert not overlaps(a, b), (ta, tb)


WORLDWIDE = [
    MapPlace("place:dc", "Washington", None, 38.9, -77.04),
    MapPlace("place:baghdad", "Baghdad", None, 33.34, 44.40),
    MapPlace("place:sanaa", "Sanaa", None, 15.37, 44.19),
]


def path_lines(d: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each subpath of a path of "M x y l dx dy ..." commands."""
    lines: list[list[tuple[float, float]]] = []
    for cmd, body in re.findall(r"([MlLz])([^MlLz]*)", d):
        nums = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", body)]
        pairs = list(zip(nums[::2], nums[1::2], strict=True))
        if cmd == "M":
            lines.append([pairs[0]])
            pairs = pairs[1:]
        for px, py in pairs:
            x, y = lines[-1][-1]
            lines[-1].append((x + px, y + py))
    return lines


def test_water_data_is_small_and_its_source_and_licence_noted() -> None:
    data = resources.files("mkdocs_dossier").joinpath("data")
    assert len(data.joinpath("physical.json").read_bytes()) < 150_000
    note = data.joinpath("PHYSICAL-SOURCE.md").read_text("utf-8")
    assert "Natural Earth" in note and "public" in note and "CC0" in note
    assert "tools/build_physical.py" in note
    physical = load_physical()
    names = {sea.name for sea in physical.seas}
    assert {"Persian Gulf", "Red Sea", "Caspian Sea", "Mediterranean Sea"} <= names
    assert {"Tigris", "Euphrates"} <= {river.name for river in physical.rivers}


def test_numbered_markers_and_badges_never_cover_one_another() -> None:
    """The sample's Places index: Iraq's badge (numbered, at the country's label point)
    used to sit on Baghdad's numbered marker at phone width. Every marker, pin or
    country badge, keeps clear of every other, grown as on a phone."""
    iraq = country_by_iso2("IQ")
    lebanon = country_by_iso2("LB")
    assert iraq is not None and lebanon is not None
    places = [
        MapPlace("place:al-asad", "Al Asad Air Base", "a.html", 33.7856, 42.4414),
        MapPlace("place:baghdad", "Baghdad", "b.html", 33.3152, 44.3661),
        MapPlace("place:basra", "Basra", "c.html", 30.5085, 47.7804),
        MapPlace("place:erbil", "Erbil", "d.html", 36.1911, 44.0092),
        MapPlace("place:green-zone", "Green Zone", "e.html", 33.3050, 44.3880),
        MapPlace("place:kurdistan", "Kurdistan Region", "f.html", 36.41, 44.38),
        MapPlace("place:tel-aviv", "Tel Aviv", "g.html", 32.0853, 34.7818),
        MapPlace("place:consulate", "U.S. consulate in Basra", "h.html", 30.5491, 47.6623),
        MapPlace("place:embassy", "US Embassy in Baghdad", "i.html", 33.2986, 44.3953),
        MapPlace("place:iraq", "Iraq", "j.html", *iraq.label_point, country="IQ"),
        MapPlace("place:lebanon", "Lebanon", "k.html", *lebanon.label_point, country="LB"),
        MapPlace("place:iran", "Iran", "l.html", 32.0, 53.0, country="IR"),
    ]
    root = parse(render_map(places, caption="All the dossier's places"))
    numbered = 0
    for layout in root.findall("div"):
        svg = layout.find(f"{SVG}svg")
        assert svg is not None
        discs = [  # as grown in a narrow container
            (float(c.get("cx", "0")), float(c.get("cy", "0")), float(c.get("r", "0")) * GROW)
            for c in svg.iter(f"{SVG}circle")
        ]
        numbered += sum("dossier-marker--numbered" in classes(c) for c in svg.iter(f"{SVG}circle"))
        for k, (x1, y1, r1) in enumerate(discs):
            for x2, y2, r2 in discs[k + 1 :]:
                assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2, (x1, y1, x2, y2)
        for box, label in zip(boxes(svg), labels(svg), strict=True):
            for x, y, r in discs:
                assert not overlaps(box, (x - r, y - r, x + r, y + r)), label.text
    assert numbered >= 2  # some of them are numbered
