"""Statements: a blockquote ending in `— [[Speaker]]` (or `-- [[Speaker]]`) is a quote
attributed to that entity, with an optional note after a comma."""

from __future__ import annotations

from mkdocs_dossier.index.build import build_index
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import read_entry


def article(name: str, date: str, body: str):
    raw = f"---\ntitle: {name}\ndate: {date}\n---\n\n{body}\n".encode()
    return read_article(raw, f"{name}.md", f"content/{name}.md")


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
