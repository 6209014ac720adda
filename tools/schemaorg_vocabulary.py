"""Write the small extract of schema.org's vocabulary that tests/test_jsonld_schema.py
checks the site's JSON-LD against.

    python tools/schemaorg_vocabulary.py SCHEMAORG_JSONLD SITE_DIR... [--term NAME...]

SCHEMAORG_JSONLD is a release's `schemaorg-current-https.jsonld` (github.com/schemaorg/
schemaorg, data/releases/<version>/; schema.org's data is CC BY-SA 3.0). The extract
keeps the types and properties that the JSON-LD of the built sites in SITE_DIR use,
every property an entry field fills (`Field.jsonld` in mkdocs_dossier.types), the
`--term`s, the ancestors of every type kept and schema.org's data types; it is written
to tests/schemaorg/vocabulary.json, sorted, so a regeneration shows as a small diff.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs_dossier.types import ENTITY_TYPES

OUT = Path(__file__).resolve().parent.parent / "tests" / "schemaorg" / "vocabulary.json"
DATATYPES = ("Boolean", "Date", "DateTime", "Integer", "Number", "Text", "Time", "URL")
_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _names(value: Any) -> list[str]:
    """schema.org names in a `{"@id": "schema:X"}` value or a list of them."""
    items = value if isinstance(value, list) else [value] if value else []
    return sorted(
        item["@id"].removeprefix("schema:")
        for item in items
        if isinstance(item, dict) and str(item.get("@id", "")).startswith("schema:")
    )


def used_terms(node: Any) -> Iterator[str]:
    """Every @type and property name in a JSON-LD value."""
    if isinstance(node, list):
        for item in node:
            yield from used_terms(item)
    elif isinstance(node, dict):
        kinds = node.get("@type", [])
        yield from [kinds] if isinstance(kinds, str) else kinds
        for key, value in node.items():
            if not key.startswith("@"):
                yield key
                yield from used_terms(value)


def site_terms(site: Path) -> set[str]:
    """The terms of every JSON-LD block in the HTML pages under `site`."""
    terms: set[str] = set()
    for page in site.rglob("*.html"):
        for block in _BLOCK.findall(page.read_text(encoding="utf-8")):
            terms.update(used_terms(json.loads(block)))
    return terms


def extract(graph: list[dict[str, Any]], terms: set[str]) -> dict[str, Any]:
    """The types (with their direct parents) and properties (domain and range) that
    `terms` name, every ancestor of a type kept, and the data types."""
    nodes = {node["@id"].removeprefix("schema:"): node for node in graph}
    missing = sorted(t for t in terms if t not in nodes)
    if missing:
        raise SystemExit(f"not in this schema.org release: {', '.join(missing)}")
    types: dict[str, list[str]] = {}
    properties: dict[str, dict[str, list[str]]] = {}
    todo = [*terms, *DATATYPES]
    while todo:
        name = todo.pop()
        node = nodes[name]
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdf:Property" in kinds:
            properties[name] = {
                "domain": _names(node.get("schema:domainIncludes")),
                "range": _names(node.get("schema:rangeIncludes")),
            }
        elif name not in types:
            types[name] = _names(node.get("rdfs:subClassOf"))
            todo.extend(types[name])
    return {"types": dict(sorted(types.items())), "properties": dict(sorted(properties.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("schema", type=Path, help="schemaorg-current-https.jsonld")
    parser.add_argument("sites", type=Path, nargs="*", help="built sites to take terms from")
    parser.add_argument("--term", action="append", default=[], help="a further type/property")
    parser.add_argument("--version", default="", help="the schema.org release, for the record")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    terms = set(args.term)
    for site in args.sites:
        terms |= site_terms(site)
    terms |= {f.jsonld for t in ENTITY_TYPES.values() for f in t.all_fields if f.jsonld}
    graph = json.loads(args.schema.read_text(encoding="utf-8"))["@graph"]
    data = {
        "source": "https://github.com/schemaorg/schemaorg/tree/main/data/releases/"
        f"{args.version}/schemaorg-current-https.jsonld",
        "licence": "CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/), schema.org",
        "version": args.version,
        **extract(graph, terms),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{args.output}: {len(data['types'])} types, {len(data['properties'])} properties")


if __name__ == "__main__":
    main()
