"""End-to-end: a small dossier built with the real `mkdocs build`, page by page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

FILES = {
    "content/index.md": "# Home\n",
    "content/news/strike.md": """\
        ---
        title: Strike near the river
        date: 2021-03-04
        updated: 2021-03-05
        source: Desk Wire
        entities:
          - event:River strike
        ---

        [[Ana Ruiz|Ruiz]] visited [[Riverton]] with [[org:Harbor Watch]].
        Later, [[ana ruiz]] met the [[person:Tom Oduya]] team. `[[not code]]`

        \\[[escaped]] and <!-- [[hidden]] --> and [[Nobody Known]].

        > We will rebuild the bridge.
        > — [[Ana Ruiz]], statement
        """,
    "content/news/second.md": """\
        ---
        title: Second report
        date: 2021-04-01
        source: Other Paper
        ---

        [[Riverton]] again, and [[Ana Ruíz]] too.
        """,
    "dossier/people/ana-ruiz.md": """\
        ---
        name: Ana Ruiz
        aliases: [Ruiz]
        summary: Mayor of Riverton.
        role: Mayor
        affiliations: [org:Harbor Watch]
        ---

        Elected in 2019; often quoted on [[Riverton]].
        """,
    "dossier/places/riverton.md": """\
        ---
        name: Riverton
        summary: A river town.
        coordinates: [10.5, 20.25]
        country: IQ
        kind: city
        ---
        """,
    "dossier/events/river-strike.md": """\
        ---
        name: River strike
        summary: Workers stopped the port.
        date: 2021-03
        place: Riverton
        participants: [Ana Ruiz]
        ---
        """,
}


class Elements(HTMLParser):
    """Collects start tags with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitebuild import run_build, write_tree

    root = tmp_path_factory.mktemp("dossier")
    write_tree(root, FILES)
    build = run_build(root)
    assert build.returncode == 0, build.log
    return build


def mention_links(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in mention_elements(html) if tag == "a"]


def mention_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    return [
        (tag, attrs)
        for tag, attrs in elements(html)
        if "dossier-mention" in (attrs.get("class") or "").split()
    ]


def test_resolved_mentions_carry_the_spec_attributes_and_the_first_is_a_link(site):
    found = mention_elements(site.page("news/strike.html"))
    assert [(tag, a["data-entity"]) for tag, a in found] == [
        ("a", "person:ana-ruiz"),
        ("a", "place:riverton"),
        ("a", "org:harbor-watch"),
        ("span", "person:ana-ruiz"),  # the same person again: anchored, not linked
        ("a", "person:tom-oduya"),
        ("span", "person:ana-ruiz"),
    ]
    for tag, attrs in found:
        assert {"class", "data-entity", "id", "title"} <= set(attrs)
        assert ("href" in attrs) == (tag == "a")
    assert len({a["id"] for _, a in found}) == len(found)
    links = mention_links(site.page("news/strike.html"))
    first = links[0]
    assert first["class"] == "dossier-mention dossier-person"
    assert first["href"] == "../people/ana-ruiz.html"
    assert first["id"] == "m-person-ana-ruiz-1"
    assert first["title"] == "Mayor of Riverton."


def test_labels_are_shown_and_escapes_code_and_comments_stay_literal(site):
    html = site.page("news/strike.html")
    assert ">Ruiz</a> visited" in html
    assert "[[escaped]]" in html and "<code>[[not code]]</code>" in html
    assert "<!-- [[hidden]] -->" in html or "[[hidden]]" not in html.replace("<!--", "")


def test_unresolved_mention_is_plain_text_and_a_warning(site):
    html = site.page("news/strike.html")
    assert "and Nobody Known." in html
    assert any(
        "news/strike.md:13:" in w and "[unresolved-mention]" in w for w in site.warnings()
    ), site.log


def test_warning_positions_are_exact(site):
    assert any(
        re.search(r"content/news/strike\.md:13:42: warning: unresolved mention \"Nobody Known\"", w)
        for w in site.warnings()
    ), site.log


def test_in_this_article_panel_groups_entities_with_counts(site):
    html = site.page("news/strike.html")
    panel = html[html.index('id="dossier-in-this-article"') :]
    assert "<h3>People</h3>" in panel and "<h3>Places</h3>" in panel
    assert re.search(
        r'data-entity="person:ana-ruiz"[^>]*>Ana Ruiz</a> <span class="dossier-count"[^>]*>3<',
        panel,
    )
    assert 'id="about-event-river-strike"' in panel


def test_entity_page_lists_mentions_with_context_and_anchor_links(site):
    html = site.page("people/ana-ruiz.html")
    assert (
        '<div class="dossier-entity dossier-entity-person" data-entity="person:ana-ruiz">' in html
    )
    section = html[html.index('id="dossier-mentions"') :]
    # Newest article first.
    assert section.index("Second report") < section.index("Strike near the river")
    assert 'href="../news/strike.html#m-person-ana-ruiz-1"' in section
    assert "<mark>Ruiz</mark> visited Riverton with Harbor Watch." in section
    assert "Desk Wire" in section and '<time datetime="2021-03-04">4 Mar 2021</time>' in section


def test_every_mention_anchor_on_an_entity_page_exists_in_its_article(site):
    html = site.page("places/riverton.html")
    for href in re.findall(r'href="\.\./news/([\w.-]+)#([\w-]+)"', html):
        page, anchor = href
        assert f'id="{anchor}"' in site.page(f"news/{page}")


def test_entity_page_sections_in_spec_order(site):
    html = site.page("people/ana-ruiz.html")
    ids = [
        "dossier-facts",
        "dossier-timeline",
        "dossier-mentions",
        "dossier-statements",
        "dossier-related",
    ]
    positions = [html.index(f'id="{i}"') for i in ids]
    assert positions == sorted(positions)
    assert html.index("Elected in 2019") < html.index('id="dossier-timeline"')


def test_facts_link_their_targets(site):
    html = site.page("people/ana-ruiz.html")
    start = html.index('id="dossier-facts"')
    facts = html[start : html.index("</header>", start)]
    assert '<a href="../organizations/harbor-watch.html">Harbor Watch</a>' in facts
    assert "<dd>Mayor</dd>" in facts


def test_stub_pages_exist_for_typed_unknown_targets(site):
    html = site.page("people/tom-oduya.html")
    assert 'data-entity="person:tom-oduya"' in html
    # Only the stub's own page says there is no entry; nowhere else carries editor wording.
    assert "The dossier has no entry on Tom Oduya yet" in html
    for page in ("news/strike.html", "people/index.html", "people/ana-ruiz.html"):
        assert "no entry" not in site.page(page)
    people = site.page("people/index.html")
    also = people[people.index('id="dossier-also-mentioned"') :]
    assert 'data-entity="person:tom-oduya"' in also
    assert 'data-entity="person:ana-ruiz"' not in also


def test_index_pages_list_every_entity_with_counts_and_only_they_are_in_nav(site):
    people = site.page("people/index.html")
    assert 'data-entity="person:ana-ruiz"' in people and 'data-entity="person:tom-oduya"' in people
    nav = site.page("index.html")
    assert "people/index.html" in nav
    assert "people/ana-ruiz.html" not in nav


def test_events_index_is_a_timeline_grouped_by_year(site):
    html = site.page("events/index.html")
    assert '<h2 id="year-2021">2021</h2>' in html
    assert '<time datetime="2021-03">Mar 2021</time>' in html


def test_dossier_json_follows_the_contract(site):
    data = json.loads((site.site / "dossier.json").read_text())
    assert data["version"] == 1
    ids = [e["id"] for e in data["entities"]]
    assert ids == sorted(ids)
    ana = next(e for e in data["entities"] if e["id"] == "person:ana-ruiz")
    assert ana == {
        "id": "person:ana-ruiz",
        "type": "person",
        "slug": "ana-ruiz",
        "name": "Ana Ruiz",
        "aliases": ["Ruiz"],
        "summary": "Mayor of Riverton.",
        "url": "people/ana-ruiz.html",
        "mentions": 4,
        "coordinates": None,
        "date": None,
        "stub": False,
    }
    riverton = next(e for e in data["entities"] if e["id"] == "place:riverton")
    assert riverton["coordinates"] == [10.5, 20.25]
    stub = next(e for e in data["entities"] if e["id"] == "person:tom-oduya")
    assert stub["stub"] is True
    article = next(a for a in data["articles"] if a["url"] == "news/strike.html")
    assert article["mentions"][0] == {
        "entity": "person:ana-ruiz",
        "anchor": "m-person-ana-ruiz-1",
        "label": "Ruiz",
    }
    assert article["date"] == "2021-03-04" and article["source"] == "Desk Wire"


def test_places_geojson_has_points_in_lon_lat_order(site):
    data = json.loads((site.site / "places.geojson").read_text())
    feature = next(f for f in data["features"] if f["properties"]["id"] == "place:riverton")
    assert feature["geometry"] == {"type": "Point", "coordinates": [20.25, 10.5]}
    assert feature["properties"]["url"] == "places/riverton.html"


def test_strict_build_fails_on_diagnostics(tmp_path):
    from sitebuild import run_build, write_tree

    write_tree(tmp_path, {"content/index.md": "See [[Nobody]].\n"})
    build = run_build(tmp_path, strict=True)
    assert build.returncode != 0
    assert "content/index.md:1:5: warning: unresolved mention" in build.log


def test_directory_urls_give_folder_links(tmp_path):
    from sitebuild import run_build, write_tree

    write_tree(
        tmp_path,
        {
            "content/a.md": "---\ntitle: A\n---\n\nSee [[person:Jo Bloggs]].\n",
        },
    )
    build = run_build(tmp_path, directory_urls=True)
    assert build.returncode == 0, build.log
    html = build.page("a/index.html")
    assert 'href="../people/jo-bloggs/"' in html
    assert (build.site / "people/jo-bloggs/index.html").exists()
