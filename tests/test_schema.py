"""The JSON Schemas shipped for editors' YAML tooling agree with the engine."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
from mkdocs_dossier.read import frontmatter
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import FOLDER_TYPES, read_entry
from sitebuild import ROOT


def schema(kind: str) -> dict:
    text = resources.files("mkdocs_dossier").joinpath(f"schemas/{kind}.schema.json").read_text()
    data = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def front_matter(text: str) -> dict:
    return frontmatter.split(text, "x.md").data


def errors(kind: str, data: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(kind))
    return sorted(error.message for error in validator.iter_errors(data))


ENTRIES = sorted((ROOT / "dossier").glob("*/*.md"))
ARTICLES = sorted((ROOT / "content").rglob("*.md"))


def test_the_sample_is_non_trivial():
    assert len(ENTRIES) > 30 and len(ARTICLES) >= 4


@pytest.mark.parametrize("path", ENTRIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_entries_validate(path):
    text = path.read_text(encoding="utf-8")
    assert errors("entry", front_matter(text)) == []
    # ...and the engine, for its part, has nothing to say about them.
    _, diagnostics = read_entry(text.encode(), path.name, FOLDER_TYPES[path.parent.name], path.stem)
    assert diagnostics == []


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_sample_articles_validate(path):
    text = path.read_text(encoding="utf-8")
    assert errors("article", front_matter(text)) == []
    assert read_article(text.encode(), path.name, path.name).diagnostics == []


@pytest.mark.parametrize(
    "yaml_text",
    [
        "name: X\ncoordinates: [95, 10]",
        "name: X\ncoordinates: [10, 200]",
        "name: X\ncoordinates: [1, 2, 3]",
        "name: X\ncoordinates: ['1', '2']",
        "name: X\nwikidata: 42",
        "name: X\nwikidata: Q0",
        "name: X\ncountry: iq",
        "name: [a, b]",
        "name: X\naliases: {a: 1}",
        "name: X\nsummary: [a]",
        "name: X\ndate: '2020-13-01'",
        "name: X\ndate: last tuesday",
        "name: X\nborn: true",
        "name: X\naffiliations: [[a]]",
        "name: X\nsummery: typo of summary",  # unknown keys are typos in entries
    ],
)
def test_entry_schema_rejects_editors_mistakes(yaml_text):
    assert errors("entry", front_matter(f"---\n{yaml_text}\n---\n")) != []


@pytest.mark.parametrize(
    "yaml_text",
    [
        "title: [a]",
        "date: 2020-02-31x",
        "updated: yesterday",
        "tags: {a: b}",
        "entities: 42",
        "entities: [[a]]",
    ],
)
def test_article_schema_rejects_editors_mistakes(yaml_text):
    assert errors("article", front_matter(f"---\n{yaml_text}\n---\n")) != []


def test_article_schema_allows_theme_keys_and_partial_dates():
    data = front_matter(
        "---\ntitle: T\ndate: 2020\nupdated: 2020-05\nhide: [toc]\ntemplate: x.html\n"
        "entities: ['person:Mike Pompeo', '[[place:Baghdad|the city]]']\n---\n"
    )
    assert errors("article", data) == []


def test_entry_schema_accepts_every_type_of_field():
    data = front_matter(
        "---\nname: X\naliases: Solo\nsummary: 12\nwikidata: Q42\nrole: R\n"
        "affiliations: org:Acme\nborn: 1963-12-30\nnationality: N\nkind: k\ncountry: IQ\n"
        "parent: '[[org:Acme]]'\ncoordinates: [-33.5, 151]\ngeocode: 'Sydney, AU'\n"
        "date: 2020-01\nend: 2021\nplace: Baghdad\nparticipants: [a, 'person:b']\n---\n"
    )
    assert errors("entry", data) == []
