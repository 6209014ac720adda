"""Hover cards: each page ships, inline, the cards of the entities it links and no others,
within a stated budget (pages/cards.py), and safe inside `<script>`.
(tests/browser/test_hover_cards.py shows them on hover, focus and tap.)"""

from __future__ import annotations

import json
import re

from mkdocs_dossier.index.build import build_index
from mkdocs_dossier.pages import cards, csp
from mkdocs_dossier.pages.links import Links
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import read_entry

SEED = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
BLOCK = re.compile(r"<div id=\"dossier-cards\" hidden data-cards='([^']*)'></div>")


def entry(kind: str, slug: str, front_matter: str):
    return read_entry(f"---\n{front_matter}\n---\n".encode(), f"{slug}.md", kind, slug)[0]


def article(name: str, body: str):
    raw = f"---\ntitle: {name}\ndate: 2021-01-01\n---\n\n{body}\n".encode()
    return read_article(raw, f"{name}.md", f"content/{name}.md")


def dossier_of(entities, articles):
    dossier = build_index(entities, articles, [])
    return dossier, Links.for_site(list(dossier.entities), False)


def page_data(html: str) -> dict:
    """The card data a built page ships ({} when it ships none)."""
    found = BLOCK.search(html)
    return json.loads(found.group(1)) if found else {}


def test_card_has_name_type_summary_counts_and_first_fact():
    pompeo = entry("person", "mike-pompeo", "name: Mike Pompeo\nsummary: Diplomat.\nrole: Envoy")
    dossier, links = dossier_of(
        [pompeo],
        [article("a", "[[Mike Pompeo]] and [[Mike Pompeo]]."), article("b", "[[Mike Pompeo]]")],
    )
    assert cards.card(pompeo, dossier, links) == {
        "name": "Mike Pompeo",
        "type": "person",
        "summary": "Diplomat.",
        "fact": ["Role", "Envoy"],
    }


def test_counts_come_from_one_script_for_the_site():
    pompeo = entry("person", "mike-pompeo", "name: Mike Pompeo")
    unnamed = entry("person", "nobody", "name: Nobody")
    dossier, _ = dossier_of(
        [pompeo, unnamed],
        [article("a", "[[Mike Pompeo]] and [[Mike Pompeo]]."), article("b", "[[Mike Pompeo]]")],
    )
    assert cards.counts_script(dossier) == (
        'window.dossierCounts = {"person:mike-pompeo":"3 mentions in 2 articles"};\n'
    )


def test_stub_card_says_how_often_it_is_mentioned_not_that_it_has_no_entry():
    dossier, links = dossier_of([], [article("a", "[[person:Ismail Qaani]] met [[Ismail Qaani]].")])
    stub = dossier.entities["person:ismail-qaani"]
    found = cards.card(stub, dossier, links)
    assert found == {"name": "Ismail Qaani", "type": "person"}
    assert '"person:ismail-qaani":"2 mentions in 1 article"' in cards.counts_script(dossier)


def test_fact_naming_entities_lists_their_names():
    dossier, links = dossier_of(
        [
            entry("person", "ana", "name: Ana\naffiliations: [Kataib Hezbollah]"),
            entry("org", "kataib-hezbollah", "name: Kataib Hezbollah"),
        ],
        [],
    )
    found = cards.card(dossier.entities["person:ana"], dossier, links)
    assert found["fact"] == ["Affiliations", "Kataib Hezbollah"]


def test_long_texts_are_shortened_to_the_card_budget():
    long = "word " * 400
    wide = "Ŵ" * 300  # two bytes each in UTF-8
    person = entry("person", "long", f"name: {wide}\nsummary: {long}\nrole: {long}")
    dossier, links = dossier_of([person], [article("a", "[[person:long]]")])
    found = cards.card(person, dossier, links)
    assert cards.card_bytes(person.id, found) <= cards.CARD_BYTES
    assert found["summary"].endswith("…") and found["name"].endswith("…")


def test_page_ships_cards_only_for_entities_it_links_in_reading_order():
    content = (
        '<p><a class="dossier-mention dossier-place" data-entity="place:b" href="b.html">B</a>'
        '<span class="dossier-mention dossier-person" data-entity="person:a">A</span>'
        '<a data-entity="place:b" href="b.html">B again</a>'
        '<span data-entity="person:not-a-mention">plain span</span></p>'
        '<div class="dossier-entity" data-entity="person:the-page-itself"></div>'
        '<svg class="dossier-map"><a class="dossier-place" data-entity="place:on-the-map">'
        "</a></svg>"
        "<a data-entity='org:x&amp;y' href='x.html'>X</a>"
    )
    assert cards.linked_entities(content) == ["place:b", "person:a", "org:x&y"]


def test_page_ships_at_most_the_capped_number_of_cards():
    names = [f"Person {n}" for n in range(cards.MAX_CARDS + 20)]
    body = " ".join(f"[[person:{name}]]" for name in names)
    dossier, links = dossier_of([], [article("a", body)])
    content = "".join(
        f'<a class="dossier-mention" data-entity="{i}" href="x">x</a>' for i in dossier.entities
    )
    block = cards.Cards(dossier, links).block(content)
    data = json.loads(BLOCK.search(block).group(1))
    assert len(data["cards"]) == cards.MAX_CARDS
    assert list(data["cards"]) == sorted(list(dossier.entities)[: cards.MAX_CARDS])
    assert len(block.encode()) <= cards.MAX_CARDS * cards.CARD_BYTES + cards.BLOCK_OVERHEAD


def test_page_without_entity_links_ships_no_block():
    dossier, links = dossier_of([], [])
    assert cards.Cards(dossier, links).block("<p>No names here.</p>") == ""


def test_built_site_ships_cards_inline_with_the_script_and_no_title_duplicates(build_dossier):
    hostile = "Says '</script><script>window.pwned = 1</script>' & more"
    site = build_dossier(
        {
            "content/a.md": "---\ntitle: A\n---\n\n[[Ana Ruiz]] in [[place:Mosul]].\n",
            "content/b.md": "---\ntitle: B\n---\n\nNo names.\n",
            "dossier/people/ana-ruiz.md": f'---\nname: Ana Ruiz\nsummary: "{hostile}"\n---\n',
            "dossier/people/other.md": "---\nname: Other Person\n---\n",
        },
        config=(
            "site_name: T\ndocs_dir: content\nuse_directory_urls: false\n"
            "theme:\n  name: material\n  font: false\n"
            "plugins:\n  - search\n  - dossier:\n      csp: true\n"
        ),
        strict=False,
    )
    assert site.returncode == 0, site.log
    page = site.page("a.html")
    data = page_data(page)
    assert set(data["cards"]) == {"person:ana-ruiz", "place:mosul"}
    assert data["cards"]["person:ana-ruiz"]["summary"] == hostile
    assert data["types"] == {"person": "Person", "place": "Place"}
    # Data, not code: no script for the Content-Security-Policy to allow, and nothing
    # Material's instant navigation would run.
    assert "dossier-cards" not in "".join(csp.theme_scripts(page, ""))
    assert not re.search(r"<script[^>]*>[^<]*window\.pwned", page)
    assert page.count('src="assets/dossier/dossier-cards.js"') == 1
    assert page.count('src="assets/dossier/dossier-counts.js"') == 1
    counts = (site.site / "assets" / "dossier" / "dossier-counts.js").read_text(encoding="utf-8")
    assert '"person:ana-ruiz":"1 mention in 1 article"' in counts
    assert 'href="assets/dossier/dossier-cards.css"' in page
    assert page_data(site.page("b.html")) == {}
    # The search index holds the page's text, not its card data.
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"] for doc in index["docs"] if doc["location"].startswith("a.html")]
    assert texts and not any("mention" in text for text in texts)


def test_sample_pages_stay_within_the_budget(sample_site):
    sizes = {}
    for path in sample_site.site.rglob("*.html"):
        found = BLOCK.search(path.read_text(encoding="utf-8"))
        if found:
            data = json.loads(found.group(1))
            for entity_id, card in data["cards"].items():
                assert cards.card_bytes(entity_id, card) <= cards.CARD_BYTES
            sizes[path.relative_to(sample_site.site).as_posix()] = len(found.group(0).encode())
    budget = cards.MAX_CARDS * cards.CARD_BYTES + cards.BLOCK_OVERHEAD
    assert max(sizes.values()) <= budget
    # The seed article links about 40 entities, at about 200 bytes each.
    assert 4_000 < sizes[SEED] < 12_000


def test_card_json_stands_in_a_single_quoted_attribute():
    data = {"summary": 'It\'s <b>bold</b> & "quoted" \\ back'}
    text = cards.attribute_json(data)
    assert not set("'&<>") & set(text)
    assert json.loads(text) == data
