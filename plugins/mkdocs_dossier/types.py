"""Entity types declared once: folder, mention words, labels, fields, facts, schema.org.

Each type is one `EntityType` in `ENTITY_TYPES`. Everything type-specific is derived from
it: reading entries (read/entries.py, through read/fields.py), the words a typed mention
may start with (read/grammar.py), `dossier new` (cli/new.py), the facts on an entity's
page (pages/render.py), JSON-LD (exports/jsonld.py) and the JSON Schemas shipped for
editors (`python -m mkdocs_dossier.types` writes them; tests/test_types.py checks them).

Adding a type is one `register()` call (or one entry in `BUILTIN`), plus a colour for
its CSS class `dossier-<name>` in assets/dossier.css if it should have one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

#: How a field's value is checked and stored (read/fields.py implements each kind).
FieldKind = Literal[
    "text",  # one line of text (numbers are taken as text)
    "text_list",  # a list of text, or one text
    "date",  # a PartialDate: YYYY, YYYY-MM or YYYY-MM-DD
    "coordinates",  # [lat, lon] in decimal degrees
    "country",  # an ISO 3166 alpha-2 code
    "wikidata",  # a Wikidata item id
    "target",  # one mention target
    "targets",  # a list of mention targets, or one
]

LIST_KINDS = ("text_list", "targets")


@dataclass(frozen=True)
class Field:
    """One front-matter field of an entry (or an article)."""

    key: str
    kind: FieldKind
    doc: str  # one line: the hint `dossier new` writes and the JSON Schema description
    fact: str | None = None  # label of the fact on the entity's page; None: not shown
    jsonld: str | None = None  # schema.org property of the entity's JSON-LD
    target_type: str | None = None  # target(s): an untyped name is read as this type
    required: bool = False
    attr: str | None = None  # the Entity attribute it fills (else `fields` or `targets`)
    until: str | None = None  # a date: the key of the date that ends its span
    starter: str | None = None  # what `dossier new` writes (lists start as [])

    @property
    def is_target(self) -> bool:
        return self.kind in ("target", "targets")

    def value(self, entity: Any) -> Any:
        """What an entity read from an entry holds for this field: the Entity attribute,
        else its `fields` entry (targets are in `targets`, resolved in `links`)."""
        return getattr(entity, self.attr) if self.attr else entity.fields.get(self.key)


@dataclass(frozen=True)
class EntityType:
    """Everything the engine knows about one type of entity."""

    name: str  # the id prefix: `person:mike-pompeo`
    folder: str  # entries in dossier/<folder>/, pages at <folder>/<slug>/
    label: str
    plural: str
    schema_type: str  # schema.org @type
    fields: tuple[Field, ...]  # after COMMON_FIELDS, in the order `dossier new` writes
    aliases: tuple[str, ...] = ()  # other words accepted before the colon of a mention

    @property
    def words(self) -> tuple[str, ...]:
        """Every word a typed mention may start with: `[[org:...]]`, `[[organization:...]]`."""
        return (self.name, *self.aliases)

    @property
    def css_class(self) -> str:
        """The class of its mentions and page (assets/dossier.css may colour it)."""
        return f"dossier-{self.name}"

    @property
    def all_fields(self) -> tuple[Field, ...]:
        return (*COMMON_FIELDS, *self.fields)

    @property
    def facts(self) -> tuple[Field, ...]:
        """Fields shown as facts on the page: the type's own, in order, then the common ones."""
        return tuple(f for f in (*self.fields, *COMMON_FIELDS) if f.fact)

    def field(self, key: str) -> Field | None:
        return next((f for f in self.all_fields if f.key == key), None)


_DATE_FORMAT = "YYYY, YYYY-MM or YYYY-MM-DD"

#: Fields every entry may have, whatever its type.
COMMON_FIELDS: tuple[Field, ...] = (
    Field("name", "text", "display name (default: from the file name)", attr="name"),
    Field(
        "aliases",
        "text_list",
        "other names articles use, e.g. [Pompeo, Secretary Pompeo]",
        jsonld="alternateName",
        attr="aliases",
    ),
    Field(
        "contextual_aliases",
        "text_list",
        "names that mean this entity only after its full name appeared in the same "
        "article, e.g. [the president]; used by dossier annotate, not by [[...]]",
    ),
    Field(
        "summary",
        "text",
        "one line: hover text, lists and the page's description",
        jsonld="description",
        attr="summary",
        starter="",
    ),
    Field(
        "wikidata",
        "wikidata",
        "optional Wikidata id, e.g. Q473239",
        fact="Wikidata",
        attr="wikidata",
    ),
)

_COUNTRY = "ISO 3166 alpha-2 code, e.g. IQ"

#: The types a dossier starts with, in the order pages and panels list them.
BUILTIN: tuple[EntityType, ...] = (
    EntityType(
        "person",
        "people",
        "Person",
        "People",
        "Person",
        (
            Field(
                "role",
                "text",
                "role or office, e.g. Secretary of State",
                fact="Role",
                jsonld="jobTitle",
            ),
            Field(
                "born",
                "date",
                f"date of birth: {_DATE_FORMAT}",
                fact="Born",
                jsonld="birthDate",
            ),
            Field(
                "nationality",
                "text",
                "nationality, e.g. Iraqi",
                fact="Nationality",
                jsonld="nationality",
            ),
            Field(
                "affiliations",
                "targets",
                "organizations, as mention targets: [State Department]",
                fact="Affiliations",
                jsonld="affiliation",
            ),
        ),
        aliases=("people",),
    ),
    EntityType(
        "org",
        "organizations",
        "Organization",
        "Organizations",
        "Organization",
        (
            Field("kind", "text", "kind, e.g. ministry, militia, newspaper", fact="Kind"),
            Field("country", "country", _COUNTRY, fact="Country"),
            Field(
                "parent",
                "target",
                "the organization it belongs to (a mention target)",
                fact="Part of",
                jsonld="parentOrganization",
                target_type="org",
            ),
        ),
        aliases=("organization", "organisation"),
    ),
    EntityType(
        "place",
        "places",
        "Place",
        "Places",
        "Place",
        (
            Field("kind", "text", "city, base, district, country, building...", fact="Kind"),
            Field("country", "country", _COUNTRY, fact="Country", jsonld="containedInPlace"),
            Field(
                "coordinates",
                "coordinates",
                "[lat, lon], e.g. [33.3152, 44.3661]; or run `dossier geocode`",
                fact="Coordinates",
                jsonld="geo",
                attr="coordinates",
            ),
            Field("geocode", "text", 'optional query for `dossier geocode`, e.g. "Mosul, Iraq"'),
        ),
    ),
    EntityType(
        "event",
        "events",
        "Event",
        "Events",
        "Event",
        (
            Field(
                "date",
                "date",
                _DATE_FORMAT,
                fact="Date",
                jsonld="startDate",
                required=True,
                attr="date",
                until="end",
            ),
            Field("end", "date", "optional last day, same format", jsonld="endDate", attr="end"),
            Field(
                "place",
                "target",
                "where it happened (a mention target)",
                fact="Place",
                jsonld="location",
                target_type="place",
            ),
            Field(
                "participants",
                "targets",
                "people and organizations involved: [Quds Force]",
                fact="Participants",
                jsonld="actor",
            ),
        ),
    ),
)

#: Front-matter fields of an article, with the Article attribute each fills.
ARTICLE_FIELDS: tuple[Field, ...] = (
    Field("title", "text", "headline", attr="title"),
    Field(
        "date",
        "date",
        "publication date; an article needs one to appear on timelines",
        attr="date",
    ),
    Field("updated", "date", "last update (not before date)", attr="updated"),
    Field("source", "text", "publisher or desk", attr="source"),
    Field("section", "text", "section of the publication", attr="section"),
    Field("authors", "text_list", "who wrote it", attr="authors"),
    Field("url", "text", "where the article was first published", attr="original_url"),
    Field("summary", "text", "one line: the description of the article", attr="summary"),
    Field("tags", "text_list", "keywords", attr="tags"),
    Field(
        "entities",
        "targets",
        "what the article is about, as mention targets, without marking them in the text",
    ),
)

# --- the table and its indexes ---------------------------------------------------------

#: The table: every type by name, in the order pages and panels list them.
ENTITY_TYPES: dict[str, EntityType] = {}

# Indexes of the table, rebuilt in place by register() and unregister() (so modules that
# imported them see a type added at run time). Never edit them directly.
TYPES: list[str] = []  # names, in order
TYPE_FOLDERS: dict[str, str] = {}  # name -> folder
FOLDER_TYPES: dict[str, str] = {}  # folder -> name
TYPE_ALIASES: dict[str, str] = {}  # word before the colon of a typed mention -> name
TYPE_LABELS: dict[str, tuple[str, str]] = {}  # name -> (singular, plural)


def _reindex() -> None:
    TYPES[:] = list(ENTITY_TYPES)
    for index in (TYPE_FOLDERS, FOLDER_TYPES, TYPE_ALIASES, TYPE_LABELS):
        index.clear()
    for kind in ENTITY_TYPES.values():
        TYPE_FOLDERS[kind.name] = kind.folder
        FOLDER_TYPES[kind.folder] = kind.name
        TYPE_LABELS[kind.name] = (kind.label, kind.plural)
        for word in kind.words:
            TYPE_ALIASES[word] = kind.name


def register(kind: EntityType) -> None:
    """Add a type to the table; its name, folder and words must be new, and a field key
    other types use must keep their kind (the entry schema has one property per key)."""
    taken = {w for t in ENTITY_TYPES.values() for w in t.words}
    if kind.name in ENTITY_TYPES or kind.folder in FOLDER_TYPES or taken & set(kind.words):
        raise ValueError(f"entity type {kind.name!r} clashes with a registered one")
    kinds = {f.key: f.kind for t in ENTITY_TYPES.values() for f in t.all_fields}
    for spec in kind.fields:
        if kinds.get(spec.key, spec.kind) != spec.kind:
            raise ValueError(f"field {spec.key!r} is a {kinds[spec.key]} in other types")
    ENTITY_TYPES[kind.name] = kind
    _reindex()


def unregister(name: str) -> None:
    """Take a type out of the table (tests that add one put the table back)."""
    del ENTITY_TYPES[name]
    _reindex()


for _builtin in BUILTIN:
    register(_builtin)


def entity_type(name: str) -> EntityType:
    """The type called `name` (as in an entity id)."""
    return ENTITY_TYPES[name]


# --- JSON Schemas of front matter --------------------------------------------------------

_DATE_PATTERNS = (
    r"^\s*\d{4}(-(0?[1-9]|1[0-2])(-(0?[1-9]|[12]\d|3[01]))?)?\s*$",
    r"^\s*\d{4}-\d{2}-\d{2}[T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?\s*$",
)
_TARGET_PATTERN = r"^\s*(\[\[[^\[\]]+\]\]|[^\[\]]*[^\s\[\]][^\[\]]*)\s*$"


def _definitions() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each field kind (under `$defs`, by kind)."""
    prefixes = ", ".join(f"{name}:" for name in TYPES)
    return {
        "text": {"type": ["string", "number", "null"], "description": "One line of text."},
        "text_list": {
            "description": "A list of text, or one text.",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": ["string", "number"]}},
                {"type": "null"},
            ],
        },
        "date": {
            "description": f"A date as precise as known: {_DATE_FORMAT}.",
            "anyOf": [
                *({"type": "string", "pattern": pattern} for pattern in _DATE_PATTERNS),
                {"type": "integer", "minimum": 1, "maximum": 9999},
                {"type": "null"},
            ],
        },
        "coordinates": {
            "description": "[lat, lon] in decimal degrees.",
            "type": ["array", "null"],
            "prefixItems": [
                {"type": "number", "minimum": -90, "maximum": 90},
                {"type": "number", "minimum": -180, "maximum": 180},
            ],
            "minItems": 2,
            "maxItems": 2,
        },
        "country": {
            "type": ["string", "null"],
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166 alpha-2 country code, like IQ.",
        },
        "wikidata": {
            "type": ["string", "null"],
            "pattern": "^Q[1-9][0-9]*$",
            "description": "Wikidata item id, like Q42.",
        },
        "target": {
            "type": ["string", "null"],
            "minLength": 1,
            "description": (
                "A mention target, as inside [[...]]: a name, alias or slug, optionally "
                f"typed ({prefixes})."
            ),
            "pattern": _TARGET_PATTERN,
        },
        "targets": {
            "description": "Mention targets.",
            "anyOf": [
                {"$ref": "#/$defs/target"},
                {"type": "array", "items": {"$ref": "#/$defs/target"}},
                {"type": "null"},
            ],
        },
    }


def _schema(
    title: str, description: str, open_: bool, properties: dict[str, tuple[FieldKind, str]]
) -> dict[str, Any]:
    definitions = _definitions()
    used = {kind for kind, _ in properties.values()}
    if "targets" in used:
        used.add("target")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        "type": "object",
        "additionalProperties": open_,
        "$defs": {kind: schema for kind, schema in definitions.items() if kind in used},
        "properties": {
            key: {"$ref": f"#/$defs/{kind}", "description": doc}
            for key, (kind, doc) in properties.items()
        },
    }


def entry_schema() -> dict[str, Any]:
    """The JSON Schema of entry front matter, for every type at once (the folder gives
    the type; a field of another type is accepted and ignored)."""
    docs: dict[str, dict[str, list[str]]] = {}  # key -> doc -> types
    kinds: dict[str, FieldKind] = {}
    for spec in COMMON_FIELDS:
        kinds[spec.key] = spec.kind
        docs[spec.key] = {spec.doc: []}
    for kind in ENTITY_TYPES.values():
        for spec in kind.fields:
            kinds.setdefault(spec.key, spec.kind)
            docs.setdefault(spec.key, {}).setdefault(spec.doc, []).append(kind.label.lower())
    properties = {}
    for key, by_doc in docs.items():
        parts = [
            f"{', '.join(owners)}: {doc}" if owners else _sentence(doc)
            for doc, owners in by_doc.items()
        ]
        required = [t.name for t in ENTITY_TYPES.values() if (f := t.field(key)) and f.required]
        if required:
            parts.append(f"required for {', '.join(required)}")
        properties[key] = (kinds[key], "; ".join(parts) + ".")
    folders = "|".join(TYPE_FOLDERS.values())
    return _schema(
        "mkdocs-dossier entry front matter",
        f"Front matter of dossier/<{folders}>/<slug>.md. The folder gives the type; "
        "fields of other types are accepted but ignored.",
        False,
        properties,
    )


def article_schema() -> dict[str, Any]:
    """The JSON Schema of an article's front matter."""
    return _schema(
        "mkdocs-dossier article front matter",
        "Front matter of a page under docs_dir. Other MkDocs and theme keys "
        "(template, hide, ...) are allowed.",
        True,
        {spec.key: (spec.kind, _sentence(spec.doc) + ".") for spec in ARTICLE_FIELDS},
    )


def _sentence(doc: str) -> str:
    return doc[:1].upper() + doc[1:]


SCHEMAS = {"entry": entry_schema, "article": article_schema}


def schema_text(name: str) -> str:
    """The generated schema `entry` or `article` as shipped in schemas/<name>.schema.json."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every generated schema into `folder`."""
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8", newline="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    # From the repository's root: `python -m mkdocs_dossier.types` rewrites the shipped
    # schemas in plugins/mkdocs_dossier/schemas (or in the folder given).
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "plugins/mkdocs_dossier/schemas")
    for written in write_schemas(target):
        print(written)
