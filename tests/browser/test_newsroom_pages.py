"""The sample's reader pages in Chromium from disk: article header, infobox placement,
first-mention links, statements, the table of contents and the lit tab, the panel."""

from __future__ import annotations

SEED = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
POMPEO = "people/mike-pompeo.html"


def _box(page, selector: str, text: bool = False) -> dict:
    """The element's box in page coordinates (with `text`, the box of its text alone:
    block boxes run under a float, their lines do not)."""
    return page.eval_on_selector(
        selector,
        """(el, text) => {
            let r = el.getBoundingClientRect();
            if (text) { const range = document.createRange(); range.selectNodeContents(el);
                        r = range.getBoundingClientRect(); }
            return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY};
        }""",
        text,
    )


def test_article_header_shows_the_front_matter(reader):
    page = reader.page
    reader.open(SEED)
    header = page.locator("article .dossier-article-header")
    assert header.locator("h1").inner_text().startswith("U.S. considering closing")
    assert header.locator(".dossier-article-section").inner_text().strip().upper() == "WORLD"
    date = header.locator("time").first
    assert date.get_attribute("datetime") == "2020-12-23"
    assert date.inner_text() == "23 Dec 2020"
    source = header.locator(".dossier-source a")
    assert source.inner_text() == "Axios"
    assert source.get_attribute("href").startswith("https://www.axios.com/")
    assert header.locator(".dossier-tags li").all_inner_texts() == ["Iraq", "Iran", "diplomacy"]
    assert page.locator("article h1").count() == 1


def test_each_entity_is_linked_once_in_the_seed_article(reader):
    page = reader.page
    reader.open(SEED)
    linked = page.eval_on_selector_all(
        "article a.dossier-mention", "els => els.map(a => a.dataset.entity)"
    )
    every = page.eval_on_selector_all(
        "article .dossier-mention", "els => els.map(a => a.dataset.entity)"
    )
    assert len(linked) == len(set(linked)) >= 15
    assert len(every) > len(linked)  # the rest keep their anchors, as spans
    assert set(every) == set(linked)


def test_infobox_beside_the_text_on_desktop_and_above_it_on_phones(open_reader):
    wide = open_reader(viewport={"width": 1280, "height": 800})
    wide.open(POMPEO)
    box, body = _box(wide.page, ".dossier-infobox"), _box(wide.page, ".dossier-body p", True)
    assert box["left"] >= body["right"] and box["top"] < body["bottom"], (box, body)
    phone = open_reader(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.open(POMPEO)
    box, body = _box(phone.page, ".dossier-infobox"), _box(phone.page, ".dossier-body")
    assert box["bottom"] <= body["top"]
    width = phone.page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, width


def test_generated_sections_are_in_the_toc_and_the_tab_is_lit(reader):
    page = reader.page
    reader.open(POMPEO)
    toc = page.locator(".md-sidebar--secondary .md-nav__link").all_inner_texts()
    toc = [t.strip() for t in toc]
    for title in ("Timeline", "Mentions", "Statements", "Often mentioned with"):
        assert title in toc, toc
    page.locator(".md-sidebar--secondary .md-nav__link", has_text="Statements").click()
    assert page.evaluate("location.hash") == "#dossier-statements-title"
    assert page.locator(".md-tabs__item--active").inner_text().strip() == "People"


def test_statement_quote_and_attribution_share_a_left_edge(reader):
    page = reader.page
    reader.open(POMPEO)
    quote = _box(page, "#dossier-statements blockquote")
    caption = _box(page, "#dossier-statements figcaption")
    assert abs(quote["left"] - caption["left"]) <= 20, (quote, caption)
    text = page.locator("#dossier-statements").inner_text()
    assert "> —" not in text and "&gt;" not in text


def test_in_this_article_groups_sit_side_by_side_on_desktop(reader):
    page = reader.page
    reader.open(SEED)
    lefts = page.eval_on_selector_all(
        "#dossier-in-this-article .dossier-panel-group",
        "els => els.map(el => Math.round(el.getBoundingClientRect().left))",
    )
    assert len(lefts) >= 3 and len(set(lefts)) >= 2, lefts
    height = page.eval_on_selector(
        "#dossier-in-this-article .dossier-panel-groups", "el => el.offsetHeight"
    )
    assert height < 700, height
