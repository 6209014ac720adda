"""Timelines: partial dates sort at the start of their period, equal dates put events
first, dates written as YAML dates or text."""

from __future__ import annotations

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
