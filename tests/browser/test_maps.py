"""The sample's maps as a reader sees them in Chromium: legible on a phone, not oversized
on a desktop, every place named once for eyes and screen readers, labels readable on the
basemap in both colour schemes."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "places/baghdad.html": "Baghdad and the dossier's places around it",
    "places/erbil.html": "Erbil and the dossier's places around it",
    "places/al-asad-air-base.html": "Al Asad Air Base and its surroundings",
    "places/us-embassy-baghdad.html": "US Embassy in Baghdad and its surroundings",
    "places/iraq.html": "Iraq and the dossier's places in it",
    "people/mike-pompeo.html": "The 12 places most often mentioned with Mike Pompeo",
    "events/killing-of-qasem-soleimani.html": "Where it happened: Killing of Qasem Soleimani",
    "places/index.html": "All the dossier's places",
    "articles/2020-12-23-us-considering-closing-iraqi-embassy.html": "Places in this article",
}

#: For each visible map of the page: its size, its text sizes and boxes, its places.
MEASURE = """() => [...document.querySelectorAll('figure.dossier-map-figure')].map(fig => {
  const svg = [...fig.querySelectorAll('svg.dossier-map')].find(s => s.getClientRects().length);
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  // Text the stylesheet shows, at its size on screen: the map's scale times the growth
  // (a CSS transform) it gives text in a narrow container.
  const texts = sel => [...svg.querySelectorAll(sel)]
    .filter(t => getComputedStyle(t).display !== 'none').map(t => {
      const r = t.getBoundingClientRect();
      const style = getComputedStyle(t);
      const grow = style.transform === 'none' ? 1 : new DOMMatrixReadOnly(style.transform).a;
      return {text: t.textContent, px: parseFloat(style.fontSize) * scale * grow,
              height: r.height, box: [r.left, r.top, r.right, r.bottom]};
    });
  const places = [...svg.querySelectorAll('a.dossier-place')].map(a => ({
    title: a.querySelector(':scope > title')?.textContent,
    label: a.querySelector('.dossier-label')?.textContent ?? null,
    number: a.querySelector('.dossier-marker-number')?.textContent ?? null,
    inImg: !!a.closest('[role="img"]'),
  }));
  const markers = [...svg.querySelectorAll('circle.dossier-marker')].map(c => {
    const r = c.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  });
  const key = [...svg.parentElement.querySelectorAll('ol.dossier-map-key li')]
    .filter(li => li.getClientRects().length).map(li => li.textContent);
  return {
    caption: fig.querySelector(':scope > figcaption')?.textContent,
    credit: fig.querySelector('.dossier-map-credit')?.textContent,
    width: svg.getBoundingClientRect().width,
    labels: texts('.dossier-label'), scale: texts('.dossier-scale-label'),
    countries: texts('.dossier-country-name'), seas: texts('.dossier-sea-name'), places, key,
    details: fig.querySelectorAll('details li').length, markers,
  };
})"""

#: Colours of each label's text and of what it sits on (its halo), as computed.
COLOURS = """() => [...document.querySelectorAll('svg.dossier-map')]
  .filter(s => s.getClientRects().length)
  .flatMap(svg => [...svg.querySelectorAll(
      '.dossier-label, .dossier-scale-label, .dossier-country-name, .dossier-sea-name')])
  .filter(t => getComputedStyle(t).display !== 'none')
  .map(t => {
    const s = getComputedStyle(t);
    return {text: t.textContent, fill: s.fill, halo: s.stroke};
  })"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    """(r, g, b, a) of a computed CSS colour (rgb(), rgba() or color(srgb ...))."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if css.startswith("color(srgb"):
        r, g, b = (v * 255 for v in numbers[:3])
        return (r, g, b, numbers[3] if len(numbers) > 3 else 1.0)
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fill: str, halo: str) -> float:
    """WCAG contrast of text coloured `fill` drawn on `halo` (alpha blended over it)."""
    fr, fg, fb, fa = _rgba(fill)
    hr, hg, hb, _ = _rgba(halo)
    text = (fr * fa + hr * (1 - fa), fg * fa + hg * (1 - fa), fb * fa + hb * (1 - fa))
    a, b = sorted((_luminance(text), _luminance((hr, hg, hb))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _measure(reader, page: str) -> list[dict]:
    reader.open(page)
    return reader.page.evaluate(MEASURE)


def test_on_a_phone_labels_are_at_least_11px_and_scale_text_10px(open_reader):
    reader = open_reader(viewport={"width": 390, "height": 844})
    for page in PAGES:
        for fig in _measure(reader, page):
            assert fig["width"] <= 390, (page, fig["width"])
            assert fig["labels"] and fig["scale"], page
            for label in fig["labels"] + fig["countries"] + fig["seas"]:
                assert label["px"] >= 11 and label["height"] >= 11, (page, label)
            for text in fig["scale"]:
                assert text["px"] >= 10 and text["height"] >= 10, (page, text)


def test_on_a_desktop_the_map_is_not_oversized(reader):
    for page in PAGES:
        for fig in _measure(reader, page):
            assert 560 <= fig["width"] <= 640, (page, fig["width"])
            for label in fig["labels"]:
                assert 11 <= label["px"] <= 13, (page, label)


@pytest.mark.parametrize("width", [1280, 390])
def test_every_place_is_named_once_and_captioned(open_reader, width):
    reader = open_reader(viewport={"width": width, "height": 900})
    for page, caption in PAGES.items():
        (fig, *_) = _measure(reader, page)
        assert fig["caption"] == caption, page
        assert "Natural Earth" in fig["credit"], page
        numbers = []
        for place in fig["places"]:
            assert place["title"], (page, place)  # the link's one accessible name
            assert not place["inImg"], (page, place)  # no role="img" around a link
            # A label with the place's name, or a number found in the key: never a bare dot.
            assert (place["label"] is None) != (place["number"] is None), (page, place)
            if place["label"] is not None:
                assert place["title"].startswith(place["label"].rstrip("…")), (page, place)
            else:
                numbers.append(f"{place['number']} {place['title']}")
        assert sorted(fig["key"]) == sorted(numbers), page
        assert fig["details"] == len(fig["places"]), page
        texts = fig["labels"] + fig["scale"] + fig["countries"] + fig["seas"]
        for sea in fig["seas"]:  # a sea's name touches no marker either
            for marker in fig["markers"]:
                assert not _overlap(sea["box"], marker), (page, sea["text"])
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert not _overlap(a["box"], b["box"]), (page, a["text"], b["text"])


def test_accessible_names_of_the_map_links(reader):
    reader.open("places/index.html")
    figure = reader.page.locator("figure.dossier-map-figure").first
    snapshot = figure.aria_snapshot()
    names = re.findall(r'- link "([^"]+)"', snapshot)
    titles = reader.page.eval_on_selector_all(
        "svg.dossier-map a.dossier-place[href] > title", "ts => ts.map(t => t.textContent)"
    )
    # Every marker link is named by its place alone (no number, no doubled label), and
    # nothing adds a second copy (the list under the map is closed).
    assert sorted(names) == sorted(titles)
    assert 'figure "All the dossier\'s places"' in snapshot


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_label_contrast_on_the_basemap(open_reader, scheme):
    for width in (1280, 390):
        reader = open_reader(viewport={"width": width, "height": 900}, color_scheme=scheme)
        for page in ("places/baghdad.html", "places/index.html", "people/mike-pompeo.html"):
            reader.open(page)
            colours = reader.page.evaluate(COLOURS)
            assert colours, page
            for c in colours:
                assert contrast(c["fill"], c["halo"]) >= 4.5, (scheme, width, page, c)


#: The visible map's distance in km (read off its scale bar) from the marker of `id` to the
#: nearest river line.
RIVER_DISTANCE = r"""id => {
  const svg = [...document.querySelectorAll('svg.dossier-map')]
    .find(s => s.getClientRects().length);
  const dot = svg.querySelector(`a[data-entity="${id}"] circle.dossier-marker`);
  const [x, y] = [dot.cx.baseVal.value, dot.cy.baseVal.value];
  let best = Infinity;
  for (const river of svg.querySelectorAll('path.dossier-river')) {
    const length = river.getTotalLength();
    for (let at = 0; at <= length; at += 1) {
      const p = river.getPointAtLength(at);
      best = Math.min(best, Math.hypot(p.x - x, p.y - y));
    }
  }
  const bar = svg.querySelector('.dossier-scale-bar').getAttribute('d');
  const units = parseFloat(bar.match(/h(-?[\d.]+)/)[1]);
  const text = svg.querySelector('.dossier-scale-label').textContent;
  const km = parseFloat(text) / (text.endsWith(' m') ? 1000 : 1);
  return best * km / units;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_rivers_and_seas_where_they_are(open_reader, width):
    reader = open_reader(viewport={"width": width, "height": 900})
    # The Tigris runs through Baghdad: a river line passes within 2.5 km of its dot (the
    # 1:50m river lines are simplified to about 2 km), on the 200 km map and the 20 km one.
    for page in ("places/baghdad.html", "events/killing-of-qasem-soleimani.html"):
        reader.open(page)
        assert reader.page.evaluate(RIVER_DISTANCE, "place:baghdad") < 2.5, page
    if width == 1280:  # on a desktop, the Iraq page's map names the gulf south of Basra
        (fig, *_) = _measure(reader, "places/iraq.html")
        seas = [" ".join(t["text"].split()) for t in fig["seas"]]
        assert any(s.replace(" ", "") == "PersianGulf" for s in seas), seas
