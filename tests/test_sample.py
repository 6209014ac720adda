"""The sample dossier (the seed story), built with --strict: pages, timeline, statements."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

ARTICLE = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"


def text_of(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    end = html.index("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


def test_sample_builds_clean_under_strict(sample_site):
    assert sample_site.returncode == 0, sample_site.log
    assert sample_site.warnings() == []


def test_every_entity_of_the_seed_has_a_page(sample_site):
    data = json.loads((sample_site.site / "dossier.json").read_text())
    for entity in data["entities"]:
        assert (sample_site.site / entity["url"]).is_file(), entity["id"]
    ids = {e["id"] for e in data["entities"]}
    for expected in [
        "person:mike-pompeo",
        "person:ismail-qaani",
        "person:mustafa-al-kadhimi",
        "place:baghdad",
        "place:erbil",
        "place:al-asad-air-base",
        "place:green-zone",
        "place:us-embassy-baghdad",
        "org:quds-force",
        "event:2020-green-zone-rocket-attack",
        "event:killing-of-qasem-soleimani",
    ]:
        assert expected in ids


def test_seed_places_have_coordinates(sample_site):
    data = json.loads((sample_site.site / "dossier.json").read_text())
    coords = {e["id"]: e["coordinates"] for e in data["entities"] if e["type"] == "place"}
    lat, lon = coords["place:baghdad"]
    assert abs(lat - 33.31) < 0.1 and abs(lon - 44.37) < 0.1
    lat, lon = coords["place:erbil"]
    assert abs(lat - 36.19) < 0.1 and abs(lon - 44.01) < 0.1
    assert all(value is not None for value in coords.values())


def test_events_timeline_is_complete_and_in_order(sample_site):
    html = sample_site.page("events/index.html")
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates == [
        "1984",
        "2018-09",
        "2020-01-03",
        "2020-01-08",
        "2020-09",
        "2020-12-20",
        "2020-12-22",
        "2020-12-23",
    ]
    assert [int(y) for y in re.findall(r'<h2 id="year-(\d+)"', html)] == [1984, 2018, 2020]


def test_statements_of_trump_pompeo_and_the_embassy(sample_site):
    trump = text_of(sample_site.page("people/donald-trump.html"), "dossier-statements")
    assert "Some friendly health advice to Iran" in trump
    assert "Guess where they were from: IRAN." in trump
    pompeo = text_of(sample_site.page("people/mike-pompeo.html"), "dossier-statements")
    assert "The same militias targeting diplomatic facilities" in pompeo
    embassy = text_of(sample_site.page("places/us-embassy-baghdad.html"), "dossier-statements")
    assert "violation of international law" in embassy


def test_statement_links_point_at_the_quote_in_the_article(sample_site):
    html = sample_site.page("people/mike-pompeo.html")
    section = html[html.index('id="dossier-statements"') :]
    anchor = re.search(r'href="\.\./articles/[\w.-]+\.html#(m-person-mike-pompeo-\d+)"', section)
    assert anchor is not None
    article = sample_site.page(ARTICLE)
    position = article.index(f'id="{anchor.group(1)}"')
    assert article.rfind("<blockquote>", 0, position) > article.rfind("</blockquote>", 0, position)


def test_baghdad_page_has_context_and_nearby(sample_site):
    html = sample_site.page("places/baghdad.html")
    mentions = text_of(html, "dossier-mentions")
    assert "after he flew into Baghdad from Syria" in mentions
    nearby = text_of(html, "dossier-nearby")
    assert re.search(r"Al Asad Air Base — 1\d\d km W", nearby)


def test_related_articles_name_the_shared_entities(sample_site):
    html = sample_site.page(ARTICLE)
    related = html[html.index('id="dossier-related-articles"') :]
    assert "Who is who in the embassy story" in related
    related = related[: related.index("</section>")]
    assert re.search(r"Who is who in the embassy story</a>[^\n]*also on Axios, ", related)


class JsonLd(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.blocks: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self.inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.blocks[-1] += data


def jsonld(html: str) -> list[dict]:
    parser = JsonLd()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def test_article_jsonld_is_a_news_article(sample_site):
    (data,) = jsonld(sample_site.page(ARTICLE))
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2020-12-23"
    assert data["@id"] == data["url"] == "2020-12-23-us-considering-closing-iraqi-embassy.html"
    axios = {
        "@type": "Organization",
        "@id": "../organizations/axios.html#entity",
        "url": "../organizations/axios.html",
        "name": "Axios",
        "sameAs": "https://www.wikidata.org/wiki/Q28419730",
    }
    # The source is the publisher; named as the byline too, it is no Person.
    assert data["publisher"] == axios and data["author"] == [axios]
    assert {
        "@type": "Country",
        "@id": "../places/iraq.html#entity",
        "url": "../places/iraq.html",
        "name": "Iraq",
    } in data["about"]
    assert any(m["name"] == "Mike Pompeo" for m in data["mentions"])


def test_entity_jsonld_by_type(sample_site):
    (person,) = jsonld(sample_site.page("people/mike-pompeo.html"))
    assert person["@type"] == "Person"
    assert person["@id"] == "mike-pompeo.html#entity" and person["url"] == "mike-pompeo.html"
    assert person["sameAs"] == "https://www.wikidata.org/wiki/Q473239"
    assert person["birthDate"] == "1963-12-30" and person["jobTitle"] == "Secretary of State"
    assert person["nationality"]["@type"] == "Country"
    assert person["nationality"]["name"] == "United States"
    assert [a["name"] for a in person["affiliation"]] == [
        "State Department",
        "Trump administration",
    ]
    (place,) = jsonld(sample_site.page("places/baghdad.html"))
    assert place["geo"]["@type"] == "GeoCoordinates"
    assert place["containedInPlace"]["url"] == "iraq.html"
    (event,) = jsonld(sample_site.page("events/killing-of-qasem-soleimani.html"))
    assert event["startDate"] == "2020-01-03"
    assert event["location"]["name"] == "Baghdad"
    # Only people are actors: the organization taking part is a contributor.
    assert [a["name"] for a in event["actor"]] == ["Qasem Soleimani"]
    assert [c["name"] for c in event["contributor"]] == ["Trump administration"]
