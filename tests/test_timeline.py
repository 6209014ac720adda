"""Timelines (issue 4): partial dates, equal dates, statements parsing, JSON-LD escaping."""

from __future__ import annotations

import json

from mkdocs_dossier.exports.formats import script_json
from mkdocs_dossier.index.build import build_index
from mkdocs_dossier.index.timeline import entity_timeline, events_by_year
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.dates import parse_partial_date
from mkdocs_dossier.read.entries import read_entry


def event(slug: str, date: str, place: str = "Town"):
    text = f"---\nname: {slug}\ndate: {date}\nplace: {place}\n---\n"
    entity, problems = read_entry(text.encode(), f"dossier/events/{slug}.md", "event", slug)
    assert problems == []
    return entity


def town():
    entity, _ = read_entry(b"---\nname: Town\n---\n", "dossier/places/town.md", "place", "town")
    return entity


def article(name: str, date: str, body: str):
    raw = f"---\ntitle: {name}\ndate: {date}\n---\n\n{body}\n".encode()
    return read_article(raw, f"{name}.md", f"content/{name}.md")


def test_partial_dates_sort_at_the_start_of_their_period():
    entities = [town(), event("b", "2020-01-03"), event("a", "2020"), event("c", "2020-01")]
    dossier = build_index(entities, [], [])
    years, undated = events_by_year(dossier)
    assert [(y, [i.date.iso() for i in items]) for y, items in years] == [
        (2020, ["2020", "2020-01", "2020-01-03"])
    ]
    assert undated == []


def test_equal_dates_put_events_first_then_by_name():
    entities = [town(), event("zeta", "2021-05-01"), event("alpha", "2021-05-01")]
    sources = [article("news", "2021-05-01", "In [[Town]].")]
    dossier = build_index(entities, sources, [])
    items = entity_timeline(dossier, dossier.entities["place:town"])
    assert [(i.kind, i.date.iso()) for i in items] == [
        ("event", "2021-05-01"),
        ("event", "2021-05-01"),
        ("article", "2021-05-01"),
    ]
    assert [i.event.name for i in items if i.event] == ["alpha", "zeta"]


def test_dates_written_as_yaml_dates_or_text():
    assert parse_partial_date("2020-1-3")[0].iso() == "2020-01-03"
    assert parse_partial_date(2018)[0].iso() == "2018"
    assert parse_partial_date("2020-13")[0] is None
    assert parse_partial_date("2021-02-29")[0] is None
    assert parse_partial_date(True)[0] is None


def statements(body: str):
    entities = [read_entry(b"---\nname: Ana Ruiz\n---\n", "p.md", "person", "ana-ruiz")[0]]
    dossier = build_index(entities, [article("a", "2021-01-01", body)], [])
    return [(s.entity_id, s.text, s.note) for s in dossier.articles[0].statements]


def test_statement_with_em_dash():
    assert statements("> We will rebuild.\n> — [[Ana Ruiz]], statement") == [
        ("person:ana-ruiz", "We will rebuild.", "statement")
    ]


def test_statement_with_double_hyphen_and_multiple_paragraphs():
    body = "> First part.\n>\n> Second part.\n>\n> -- [[Ana Ruiz|Ruiz]]"
    assert statements(body) == [("person:ana-ruiz", "First part. Second part.", "")]


def test_quote_without_attribution_is_no_statement():
    assert statements("> Just a quote with [[Ana Ruiz]] inside.") == []


def test_script_json_cannot_close_the_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"
