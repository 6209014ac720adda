"""Geography end to end: where coordinates come from, and what maps show."""

from __future__ import annotations

import json
import re

from sitebuild import run_build, write_tree

FILES = {
    "content/a.md": """\
        ---
        title: Around Mosul
        date: 2021-01-01
        ---

        From [[Mosul]] to [[Kirkuk]], then [[Nowhere Town]] and [[Iraq]].
        """,
    "dossier/places/mosul.md": "---\nname: Mosul\ncountry: IQ\n---\n",
    "dossier/places/kirkuk.md": "---\nname: Kirkuk\ncountry: IQ\n---\n",
    "dossier/places/nowhere-town.md": "---\nname: Nowhere Town\ncountry: IQ\n---\n",
    "dossier/places/iraq.md": "---\nname: Iraq\nkind: country\n---\n",
    "dossier/geocache.yml": """\
        places:
          kirkuk:
            query: "Kirkuk, IQ"
            coordinates: [35.4681, 44.3922]
            provider: nominatim
            display_name: "Kirkuk, Iraq"
            retrieved: 2026-11-01
        """,
}


def test_coordinates_from_cache_gazetteer_and_countries(tmp_path):
    write_tree(tmp_path, FILES)
    before = {p: p.read_bytes() for p in (tmp_path / "dossier").rglob("*") if p.is_file()}
    build = run_build(tmp_path)
    assert build.returncode == 0, build.log
    data = json.loads((build.site / "dossier.json").read_text())
    coords = {e["id"]: e["coordinates"] for e in data["entities"]}
    assert coords["place:kirkuk"] == [35.4681, 44.3922]  # geocache.yml
    lat, lon = coords["place:mosul"]  # GeoNames gazetteer
    assert abs(lat - 36.34) < 0.1 and abs(lon - 43.13) < 0.1
    assert coords["place:iraq"] is not None  # Natural Earth country
    assert coords["place:nowhere-town"] is None
    # The place known nowhere is reported at its entry and drawn on no map.
    assert any(
        'dossier/places/nowhere-town.md:1:1: warning: place "Nowhere Town" has no coordinates' in w
        for w in build.warnings()
    ), build.log
    article = build.page("a.html")
    svg = article[article.index('<svg class="dossier-map"') :]
    assert 'data-entity="place:mosul"' in svg and 'data-entity="place:kirkuk"' in svg
    assert 'data-entity="place:nowhere-town"' not in svg
    # A country is drawn as its highlighted shape.
    assert re.search(r'data-entity="place:iraq"', build.page("places/iraq.html"))
    assert "dossier-country--highlight" in build.page("places/iraq.html")
    # The build never writes into the sources.
    after = {p: p.read_bytes() for p in (tmp_path / "dossier").rglob("*") if p.is_file()}
    assert before == after


def test_maps_on_every_page_type_of_the_sample(sample_site):
    pages = [
        "articles/2020-12-23-us-considering-closing-iraqi-embassy.html",
        "places/baghdad.html",
        "events/killing-of-qasem-soleimani.html",
        "people/mike-pompeo.html",
        "organizations/quds-force.html",
        "places/index.html",
    ]
    for page in pages:
        html = sample_site.page(page)
        maps = re.findall(r'<svg class="dossier-map".*?</g></svg>', html, re.S)
        assert maps, page
        for svg in maps:
            assert len(svg.encode()) < 60_000, (page, len(svg.encode()))
            assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
        assert '<details class="dossier-map-places">' in html, page


def test_place_pages_list_nearby_places_with_distance_and_bearing(sample_site):
    html = sample_site.page("places/erbil.html")
    section = html[html.index('id="dossier-nearby"') :]
    assert re.search(r">Kurdistan Region</a> — \d+ km [NESW]{1,2}<", section)


def test_places_geojson_of_the_sample(sample_site):
    data = json.loads((sample_site.site / "places.geojson").read_text())
    ids = {f["properties"]["id"] for f in data["features"]}
    assert {"place:baghdad", "place:erbil", "place:al-asad-air-base"} <= ids
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def _map(html: str) -> str:
    """The SVG of the page's first map."""
    start = html.index('<svg class="dossier-map"')
    return html[start : html.index("</g></svg>", start)]


def _places_on(svg: str) -> set[str]:
    return set(re.findall(r'<a class="dossier-place"[^>]*data-entity="place:([^"]+)"', svg))


def _scale_km(svg: str) -> float:
    text = re.search(r'class="dossier-scale-label"[^>]*>([\d.]+) (k?m)<', svg)
    assert text is not None
    return float(text.group(1)) / (1 if text.group(2) == "km" else 1000)


def test_each_map_is_drawn_for_its_subject(sample_site):
    # A building at city scale, with its neighbours and its city for context.
    embassy = _map(sample_site.page("places/us-embassy-baghdad.html"))
    assert {"us-embassy-baghdad", "baghdad", "green-zone"} <= _places_on(embassy)
    assert _scale_km(embassy) <= 10
    assert 'class="dossier-map-inset"' in embassy  # where this small map sits
    # A base with the nearest city, not the 200 km frame every place used to get.
    assert _places_on(_map(sample_site.page("places/al-asad-air-base.html"))) == {
        "al-asad-air-base",
        "baghdad",
    }
    # A country with the dossier's places in it, and nothing from abroad.
    iraq = _places_on(_map(sample_site.page("places/iraq.html")))
    assert {"iraq", "baghdad", "erbil", "basra", "al-asad-air-base"} <= iraq
    assert not iraq & {"tel-aviv", "iran", "lebanon", "united-states"}
    # An event at its place only.
    killing = sample_site.page("events/killing-of-qasem-soleimani.html")
    assert _places_on(_map(killing)) == {"baghdad"}
    assert "<figcaption" in killing and "Where it happened: Killing of Qasem Soleimani" in killing
    # The subject's country is tinted and named.
    baghdad = _map(sample_site.page("places/baghdad.html"))
    assert 'dossier-country--home" data-country="IQ"' in baghdad
    assert ">Iraq</text>" in baghdad
