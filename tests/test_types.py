"""Entity types declared once (types.py): the shipped JSON Schemas are generated from the
table, and a type registered at run time gets everything the built-in ones get: entries
read and checked, typed mentions, pages, an index, dossier.json, JSON-LD, `dossier new`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier import types
from mkdocs_dossier.cli import main
from mkdocs_dossier.cli.schema import schema_path
from mkdocs_dossier.read import frontmatter
from mkdocs_dossier.read.entries import read_entry
from mkdocs_dossier.types import EntityType, Field
from sitebuild import BASE_CONFIG, write_tree

REGENERATE = (
    "the shipped schema is not the one types.py generates; from the repository's root run "
    "`PYTHONPATH=plugins python -m mkdocs_dossier.types` and reinstall"
)


@pytest.mark.parametrize("name", sorted(types.SCHEMAS))
def test_shipped_schemas_are_the_generated_ones(name: str):
    shipped = schema_path(name).read_text(encoding="utf-8")
    assert shipped == types.schema_text(name), REGENERATE


def test_every_type_has_what_pages_exports_and_mentions_need():
    for kind in types.ENTITY_TYPES.values():
        assert types.TYPE_FOLDERS[kind.name] == kind.folder
        assert types.FOLDER_TYPES[kind.folder] == kind.name
        assert all(types.TYPE_ALIASES[word] == kind.name for word in kind.words)
        assert kind.label and kind.plural and kind.schema_type
        for field in kind.fields:
            assert field.doc and field.kind in types.FieldKind.__args__  # type: ignore[attr-defined]
            assert field.target_type is None or field.target_type in types.ENTITY_TYPES
            assert field.until is None or kind.field(field.until) is not None


def test_register_refuses_clashes():
    person = types.entity_type("person")
    with pytest.raises(ValueError, match="clashes"):
        types.register(EntityType("human", "humans", "Human", "Humans", "Person", (), ("people",)))
    with pytest.raises(ValueError, match="is a date"):
        types.register(
            EntityType("thing", "things", "Thing", "Things", "Thing", (Field("born", "text", "x"),))
        )
    assert types.TYPES == ["person", "org", "place", "event"]
    assert types.entity_type("person") is person


DOCUMENT = EntityType(
    name="document",
    folder="documents",
    label="Document",
    plural="Documents",
    schema_type="DigitalDocument",
    fields=(
        Field(
            "published",
            "date",
            "when it was published: YYYY, YYYY-MM or YYYY-MM-DD",
            fact="Published",
            jsonld="datePublished",
        ),
        Field(
            "publisher",
            "target",
            "who published it (a mention target)",
            fact="Publisher",
            jsonld="publisher",
            target_type="org",
        ),
    ),
    aliases=("doc",),
)


@pytest.fixture
def document_type() -> Iterator[EntityType]:
    """The `document` type in the table for one test; the table as it was afterwards."""
    types.register(DOCUMENT)
    try:
        yield DOCUMENT
    finally:
        types.unregister(DOCUMENT.name)


FILES = {
    "content/index.md": "# Home\n",
    "content/a.md": (
        "---\ntitle: A\ndate: 2021-01-01\n---\n\n"
        "The [[document:Leaked Memo]] reached the [[State Department]].\n"
        "A [[doc:Annual Report|report]] followed.\n"
    ),
    "dossier/documents/leaked-memo.md": (
        "---\nname: Leaked Memo\nsummary: A memo.\npublished: 2020-01-05\n"
        "publisher: State Department\n---\n"
    ),
    "dossier/organizations/state-department.md": "---\nname: State Department\n---\n",
}


def test_a_type_added_at_run_time_builds_like_the_others(
    tmp_path: Path, document_type: EntityType, capsys
):
    write_tree(tmp_path, FILES)
    (tmp_path / "mkdocs.yml").write_text(BASE_CONFIG.format(directory_urls="false"))
    config_path = str(tmp_path / "mkdocs.yml")
    # The build runs in this process: a `mkdocs build` subprocess would not see the type.
    config = load_config(config_path, site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    site = tmp_path / "site"

    page = (site / "documents/leaked-memo.html").read_text(encoding="utf-8")
    assert 'class="dossier-entity dossier-entity-document"' in page
    assert '<a href="index.html">Document</a>' in page
    assert "<dt>Published</dt>" in page and "5 Jan 2020" in page
    assert "<dt>Publisher</dt>" in page and "../organizations/state-department.html" in page
    jsonld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert jsonld["@type"] == "DigitalDocument" and jsonld["datePublished"] == "2020-01-05"
    assert jsonld["publisher"] == {
        "@type": "Organization",
        "@id": "../organizations/state-department.html#entity",
        "url": "../organizations/state-department.html",
        "name": "State Department",
    }

    index = (site / "documents/index.html").read_text(encoding="utf-8")
    assert "<h1>Documents</h1>" in index
    assert "leaked-memo.html" in index and "annual-report.html" in index  # the stub too

    article = (site / "a.html").read_text(encoding="utf-8")
    assert 'class="dossier-mention dossier-document" data-entity="document:leaked-memo"' in article
    assert 'data-entity="document:annual-report"' in article  # `doc:` is the type's alias
    assert "<h3>Documents</h3>" in article  # the article's panel groups it under its plural

    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    records = {e["id"]: e for e in data["entities"]}
    assert records["document:leaked-memo"]["type"] == "document"
    assert records["document:leaked-memo"]["url"] == "documents/leaked-memo.html"
    assert records["document:annual-report"]["stub"] is True

    # The editors' side: nothing to report, and `dossier new` knows the type.
    assert main(["--config", config_path, "check"]) == 0
    capsys.readouterr()
    assert main(["--config", config_path, "new", "doc", "Second Memo"]) == 0
    assert capsys.readouterr().out == "dossier/documents/second-memo.md\n"
    text = (tmp_path / "dossier/documents/second-memo.md").read_text(encoding="utf-8")
    assert "\npublished:" in text and "# who published it (a mention target)" in text
    jsonschema.validate(frontmatter.split(text, "x.md").data, types.entry_schema())
    assert read_entry(text.encode(), "x.md", "document", "second-memo")[1] == []


def test_a_type_added_at_run_time_has_its_fields_checked(document_type: EntityType):
    raw = b"---\nname: X\npublished: someday\npublisher: [a, b]\nrole: ignored\n---\n"
    entity, diagnostics = read_entry(raw, "dossier/documents/x.md", "document", "x")
    assert [(d.line, d.code) for d in diagnostics] == [(3, "bad-field"), (4, "bad-field")]
    assert entity.fields == {} and entity.targets == {}
    schema = types.entry_schema()
    assert "document: who published it (a mention target)." in str(schema["properties"])
    assert "document:" in schema["$defs"]["target"]["description"]
