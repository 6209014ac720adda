"""Hover cards in Chromium, from disk: a mention shows its entity's card on hover, on
keyboard focus and on tap, with zero requests off the disk (conftest.py checks), closes
on Escape, moves no text, stays on a phone's screen; without JavaScript the native
`title` text remains."""

from __future__ import annotations

import json
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sitebuild import run_build, write_tree

pytestmark = pytest.mark.browser

SEED = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
QAANI = "person:ismail-qaani"
MENTION = f"article a.dossier-mention[data-entity='{QAANI}']"
CARD = "#dossier-card"


def summaries(site) -> dict[str, str]:
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    return {e["id"]: e["summary"] for e in data["entities"]}


def boxes(page) -> list[dict]:
    """Where the article's paragraphs and mentions are in the document, to compare."""
    return page.eval_on_selector_all(
        "article p, article a.dossier-mention",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.x + scrollX, r.y + scrollY, r.width, r.height]; })",
    )


def card_box(page) -> dict:
    return page.evaluate(
        f"(() => {{ const r = document.querySelector('{CARD}').getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })()"
    )


def test_hover_shows_the_card_over_the_text(reader, site, artifacts):
    page = reader.page
    reader.open(SEED)
    mention = page.locator(MENTION).first
    # The script took over: no native tooltip to show beside the card.
    assert mention.get_attribute("title") is None
    card = page.locator(CARD)
    assert card.get_attribute("role") == "tooltip"
    assert card.is_hidden()
    before = boxes(page)

    mention.hover()
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "Ismail Qaani" in text and "PERSON" in text.upper()
    assert summaries(site)[QAANI] in text
    assert re.search(r"\d+ mentions? in \d+ articles?", text)
    assert mention.get_attribute("aria-describedby") == "dossier-card"
    assert boxes(page) == before, "showing the card moved the text"
    page.screenshot(path=str(artifacts / "hover-card-1280.png"))

    # The pointer may move onto the card without losing it (WCAG 1.4.13), then away.
    box = card_box(page)
    page.mouse.move((box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2, steps=4)
    page.wait_for_timeout(400)
    assert card.is_visible()
    page.mouse.move(5, 700)
    card.wait_for(state="hidden")
    assert mention.get_attribute("aria-describedby") is None


def test_panel_and_entity_page_links_show_cards(reader):
    page = reader.page
    reader.open(SEED)
    panel_link = page.locator(f"#dossier-in-this-article a[data-entity='{QAANI}']")
    assert panel_link.get_attribute("title") is None
    panel_link.hover()
    page.locator(CARD).wait_for(state="visible")
    assert "Ismail Qaani" in page.locator(CARD).inner_text()

    reader.open("people/ismail-qaani.html")
    related = page.locator("#dossier-related a[data-entity]").first
    name = related.inner_text()
    related.hover()
    page.locator(CARD).wait_for(state="visible")
    assert name in page.locator(CARD).inner_text()


def test_keyboard_focus_shows_the_card_and_escape_closes_it(reader):
    page = reader.page
    reader.open(SEED)
    card = page.locator(CARD)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('article a.dossier-mention')"):
            break
    else:
        pytest.fail("Tab never reached a mention")
    card.wait_for(state="visible")
    entity = page.evaluate("document.activeElement.dataset.entity")
    name = page.evaluate(
        f"JSON.parse(document.getElementById('dossier-cards').dataset.cards).cards['{entity}'].name"
    )
    assert name in card.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == (
        "dossier-card"
    )

    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    # Focus stays where it was; the next mention brings its own card.
    assert page.evaluate("document.activeElement.dataset.entity") == entity
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.matches('article a.dossier-mention')"):
        card.wait_for(state="visible")


def test_tap_shows_the_card_on_screen_and_a_second_tap_follows_the_link(open_reader, artifacts):
    reader = open_reader(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = reader.page
    reader.open(SEED)
    card = page.locator(CARD)
    # A mention near the right edge, where a card could overflow the screen.
    mention = page.locator("article a.dossier-mention[data-entity='place:green-zone']").first
    mention.scroll_into_view_if_needed()
    before = boxes(page)

    mention.tap()
    card.wait_for(state="visible")
    assert page.url.endswith(SEED)
    assert "Green Zone" in card.inner_text()
    assert boxes(page) == before, "showing the card moved the text"
    box = card_box(page)
    width, height = page.evaluate("[innerWidth, innerHeight]")
    assert box["left"] >= 0 and box["right"] <= width, box
    assert box["top"] >= 0 and box["bottom"] <= height, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / "hover-card-390-tap.png"))

    # A tap elsewhere closes it; tapped twice, the mention leads to its page.
    page.locator("article h1").tap()
    card.wait_for(state="hidden")
    mention.tap()
    card.wait_for(state="visible")
    mention.tap()
    page.wait_for_url(re.compile(r"/places/green-zone\.html(#.*)?$"))


def test_without_javascript_the_title_is_the_hover_text(open_reader, site):
    reader = open_reader(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = reader.page
    reader.open(SEED)
    found = page.eval_on_selector_all(
        "article .dossier-mention",
        "els => els.map(a => [a.dataset.entity, a.getAttribute('title')])",
    )
    assert len(found) >= 10
    expected = summaries(site)
    for entity, title in found:
        # A stub, with no summary, is titled by its name and type (pages/render.py).
        assert title == expected[entity] or not expected[entity] and title, entity
    assert page.locator(CARD).count() == 0


INSTANT_CONFIG = """\
site_name: Instant
site_url: {url}
docs_dir: content
use_directory_urls: false
theme:
  name: material
  font: false
  features:
    - navigation.instant
plugins:
  - search
  - dossier:
      maps: false
      jsonld: false
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def test_cards_follow_material_instant_navigation(browser, tmp_path):
    """Material swaps the page in place (over HTTP only); the new page's cards show."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=tmp_path / "site"))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    write_tree(
        tmp_path,
        {
            "content/index.md": "# Home\n\n[The story](story.md)\n",
            "content/story.md": "# Story\n\n[[person:Ana Ruiz]] spoke.\n",
        },
    )
    build = run_build(tmp_path, strict=True, config=INSTANT_CONFIG.format(url=url))
    assert build.returncode == 0, build.log
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "index.html")
        page.evaluate("window.sameDocument = true")
        page.locator("article a", has_text="The story").click()
        page.wait_for_url(re.compile(r"/story\.html$"))
        mention = page.locator("article .dossier-mention[data-entity='person:ana-ruiz']")
        mention.wait_for()
        assert page.evaluate("window.sameDocument === true"), "not an instant navigation"
        assert mention.get_attribute("title") is None
        mention.hover()
        page.locator(CARD).wait_for(state="visible")
        assert "Ana Ruiz" in page.locator(CARD).inner_text()
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join()
