"""The sample dossier read from disk in Chromium: navigation, search, maps, hover text,
dark scheme and a phone screen, with zero requests off the disk (see conftest.py)."""

from __future__ import annotations

import json
import re

import pytest
from pagetypes import HITTABLE_MARKER, entry_summary

pytestmark = pytest.mark.browser

SEED = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
BAGHDAD = "places/baghdad.html"


def test_home_opens_from_disk_and_navigates(reader):
    page = reader.page
    reader.open("index.html")
    assert page.title()
    # Only local scripts and styles; our polyfill stands in for the worker on file://.
    remote = page.eval_on_selector_all(
        "script[src], link[href]",
        "els => els.map(e => e.src || e.href).filter(u => !u.startsWith('file:'))",
    )
    assert remote == []
    assert page.evaluate("window.Worker === window.IFrameWorker")

    page.locator(".md-tabs a", has_text="People").first.click()
    page.wait_for_url(re.compile(r"/people/index\.html$"))
    assert page.locator(".md-content a[href$='ismail-qaani.html']").count() >= 1


def test_mention_to_entity_page_and_back_to_the_spot(reader):
    page = reader.page
    reader.open(SEED)
    mentions = page.locator("article .dossier-mention[data-entity='person:ismail-qaani']")
    assert mentions.count() >= 2
    # The first mention is the link; the last, far down the article (so landing on it
    # means scrolling), keeps its anchor.
    assert page.locator("article a.dossier-mention[data-entity='person:ismail-qaani']").count() == 1
    anchor = mentions.last.get_attribute("id")
    assert anchor

    mentions.first.click()
    page.wait_for_url(re.compile(r"/people/ismail-qaani\.html$"))
    assert page.locator(".dossier-entity[data-entity='person:ismail-qaani']").count() == 1

    back = page.locator(f"#dossier-mentions a[href$='{SEED.split('/')[-1]}#{anchor}']")
    assert back.count() == 1, f"no link back to {SEED}#{anchor} in #dossier-mentions"
    back.click()
    page.wait_for_url(re.compile(rf"{re.escape(SEED)}#{re.escape(anchor)}$"))

    target = page.evaluate("document.querySelector(':target')?.id")
    assert target == anchor
    spot = page.evaluate(
        """id => {
            const el = document.getElementById(id);
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return {top: r.top, bottom: r.bottom, height: innerHeight,
                    scrolled: scrollY, visible: !!hit && (hit === el || el.contains(hit))};
        }""",
        anchor,
    )
    assert spot["scrolled"] > 0, spot
    assert spot["top"] >= 0 and spot["bottom"] <= spot["height"], spot
    assert spot["visible"], f"the mention is covered (e.g. by the header): {spot}"


def test_map_is_visible_and_markers_link_to_place_pages(reader, site):
    page = reader.page
    reader.open(SEED)
    svg = page.locator("svg.dossier-map").first
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100, box

    markers = page.eval_on_selector_all(
        "svg.dossier-map a[data-entity^='place:']",
        """els => els.map(a => ({
            entity: a.getAttribute('data-entity'),
            url: new URL(a.getAttribute('href') || a.getAttribute('xlink:href'),
                         document.baseURI).href,
            lat: a.querySelector('[data-lat]') && a.querySelector('[data-lat]').dataset.lat,
        }))""",
    )
    assert markers, "the article's map has no place markers"
    for marker in markers:
        path = reader.site_path(marker["url"])
        assert path.startswith("places/"), marker
        target = site / path
        assert target.is_file(), f"marker {marker['entity']} links to missing {path}"
        assert f'data-entity="{marker["entity"]}"' in target.read_text(encoding="utf-8")
        assert marker["lat"], f"marker {marker['entity']} has no data-lat"

    # Click a marker the reader can actually hit (markers may sit on top of each other).
    target = page.evaluate(HITTABLE_MARKER)
    assert target, "no map marker can be clicked: each is covered by something else"
    page.mouse.click(target["x"], target["y"])
    slug = target["entity"].split(":", 1)[1]
    page.wait_for_url(re.compile(rf"/places/{re.escape(slug)}\.html$"))
    assert page.locator(f".dossier-entity[data-entity='{target['entity']}']").count() == 1
    assert page.locator("svg.dossier-map").first.is_visible()


def test_search_finds_qaani_and_opens_the_result(reader):
    page = reader.page
    reader.open("index.html")
    page.locator(".md-search__input").click()
    page.keyboard.type("Qaani")
    result = page.locator(".md-search-result__link[href*='people/ismail-qaani.html']").first
    result.wait_for(state="visible")
    assert page.locator(".md-search-result__link").count() >= 1
    result.click()
    page.wait_for_url(re.compile(r"/people/ismail-qaani\.html(\?.*)?$"))
    assert "Ismail Qaani" in page.locator("h1").first.inner_text()


def test_hover_text_of_a_mention_is_the_entity_summary(reader, site):
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    summaries = {e["id"]: e["summary"] for e in data["entities"]}
    page = reader.page
    reader.open(SEED)
    # The hover cards ship with the page (the `title` fallback without JavaScript is
    # checked in test_hover_cards.py). A stub's card has no summary, never editor wording.
    cards = page.evaluate("JSON.parse(document.getElementById('dossier-cards').dataset.cards)")
    mentions = page.eval_on_selector_all(
        ".dossier-mention", "els => els.map(a => a.dataset.entity)"
    )
    assert len(mentions) >= 10
    for entity in mentions:
        assert cards["cards"][entity].get("summary") == (summaries[entity] or None), entity
    qaani = page.locator("a.dossier-mention[data-entity='person:ismail-qaani']").first
    qaani.hover()
    page.locator("#dossier-card").wait_for(state="visible")
    assert entry_summary("people", "ismail-qaani") in page.locator("#dossier-card").inner_text()


def _map_colours(page) -> dict[str, str]:
    return page.evaluate(
        """() => {
            const svg = document.querySelector('svg.dossier-map');
            const fill = sel => {
                const el = svg.querySelector(sel);
                return el ? getComputedStyle(el).fill : null;
            };
            return {scheme: document.body.getAttribute('data-md-color-scheme'),
                    country: fill('.dossier-country'), sea: fill('.dossier-map-sea'),
                    marker: fill('.dossier-marker')};
        }"""
    )


def test_dark_scheme_recolours_the_map(open_reader, artifacts):
    reader = open_reader(viewport={"width": 1280, "height": 800}, color_scheme="light")
    page = reader.page
    reader.open(BAGHDAD)
    light = _map_colours(page)
    assert light["country"], "no country shape on the Baghdad map"

    assert light["scheme"] == "default", light

    # The sample's palette follows the system ("automatic" mode): a system switch to
    # dark recolours the open page and its map.
    page.emulate_media(color_scheme="dark")
    page.wait_for_function(SCHEME_IS, arg="slate")
    dark = _map_colours(page)
    assert dark["country"] != light["country"], (light, dark)
    assert dark["sea"] != light["sea"], (light, dark)
    page.screenshot(path=str(artifacts / "baghdad-dark.png"), full_page=True)

    # The reader's own toggle recolours the map in place, too: step through the palettes
    # (automatic, light, dark) until the light one is on.
    for _ in range(3):
        if page.evaluate(f"({SCHEME_IS})('default')"):
            break
        page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(SCHEME_IS, arg="default")
    assert _map_colours(page)["country"] == light["country"]


SCHEME_IS = "scheme => document.body.getAttribute('data-md-color-scheme') === scheme"


PHONE_PAGES = [SEED, "people/ismail-qaani.html", BAGHDAD, "places/index.html"]


def test_phone_screen_has_no_horizontal_scrolling(open_reader, artifacts):
    reader = open_reader(
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    page = reader.page
    for path in PHONE_PAGES:
        reader.open(path)
        sizes = page.evaluate(
            """() => {
                const doc = document.scrollingElement;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                                 && getComputedStyle(e).position !== 'fixed')
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + '.'
                              + String(e.getAttribute('class') || '').trim().replace(/\\s+/g, '.'));
                return {scroll: doc.scrollWidth, inner: innerWidth, wide};
            }"""
        )
        assert sizes["inner"] == 390
        assert sizes["scroll"] <= sizes["inner"], f"{path} scrolls sideways: {sizes}"
    reader.open(SEED)
    page.screenshot(path=str(artifacts / "seed-article-phone.png"), full_page=True)


def test_screenshots_of_the_seed_article_and_baghdad(reader, artifacts):
    page = reader.page
    for path, name in ((SEED, "seed-article.png"), (BAGHDAD, "baghdad.png")):
        reader.open(path)
        page.locator("svg.dossier-map").first.wait_for(state="visible")
        out = artifacts / name
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000, f"{out} looks empty"


def test_polyfill_leaves_web_pages_alone(reader, site):
    """On anything but file: (here about:blank) the native Worker stays in place."""
    page = reader.page
    page.set_content("<!doctype html><title>web</title><p>served page</p>")
    page.add_script_tag(path=str(site / "assets/dossier/iframe-worker.js"))
    state = page.evaluate(
        """() => ({protocol: location.protocol, shim: typeof window.IFrameWorker,
                  native: Function.prototype.toString.call(Worker).includes('[native code]')})"""
    )
    assert state == {"protocol": "about:", "shim": "undefined", "native": True}
