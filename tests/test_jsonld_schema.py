"""Every JSON-LD block of the built sample site matches schema.org's vocabulary.

Each `@type` must be a schema.org type; each property must be one whose
`domainIncludes` holds the node's type or one of its ancestors; each value must be of a
type in the property's `rangeIncludes` (a node of that type or a subtype, or a literal
of a data type it allows). The vocabulary is tests/schemaorg/vocabulary.json, an extract
of schema.org release 30.0 (tests/schemaorg/SOURCE.md; tools/schemaorg_vocabulary.py
regenerates it).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

VOCABULARY = Path(__file__).parent / "schemaorg" / "vocabulary.json"
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")
REGENERATE = "not in tests/schemaorg/vocabulary.json: regenerate it (tests/schemaorg/SOURCE.md)"


@cache
def vocabulary() -> dict[str, Any]:
    return json.loads(VOCABULARY.read_text(encoding="utf-8"))


@cache
def ancestors(name: str) -> frozenset[str]:
    """`name` and every type it is a subclass of."""
    found = {name}
    for parent in vocabulary()["types"].get(name, []):
        found |= ancestors(parent)
    return frozenset(found)


def literal_fits(value: Any, allowed: set[str]) -> bool:
    """Whether a JSON literal is a value of one of the `allowed` data types."""
    if isinstance(value, bool):
        return "Boolean" in allowed
    if isinstance(value, int):
        return bool(allowed & {"Integer", "Number"})
    if isinstance(value, float):
        return "Number" in allowed
    if not isinstance(value, str):
        return False
    if allowed & {"Text", "URL"}:
        return True  # URL is a subtype of Text
    if allowed & {"Date", "DateTime"}:
        return bool(ISO_DATE.match(value) or "DateTime" in allowed and "T" in value)
    return False


def problems(node: Any, where: str = "") -> list[str]:
    """What in a JSON-LD node does not match the vocabulary."""
    vocab = vocabulary()
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in problems(item, f"{where}[{i}]")]
    if not isinstance(node, dict):
        return [f"{where}: a bare value where a node was expected"]
    found = []
    kinds = node.get("@type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if not kinds:
        found.append(f"{where}: no @type")
    for kind in kinds:
        if kind not in vocab["types"]:
            found.append(f"{where}: @type {kind} {REGENERATE}, or not a schema.org type")
    lineage = set().union(*(ancestors(k) for k in kinds)) if kinds else set()
    for key, value in node.items():
        if key.startswith("@"):
            continue
        at = f"{where}.{key}"
        prop = vocab["properties"].get(key)
        if prop is None:
            found.append(f"{at}: {REGENERATE}, or not a schema.org property")
            continue
        if not lineage & set(prop["domain"]):
            found.append(f"{at}: not a property of {'/'.join(kinds)} (domain {prop['domain']})")
        allowed = set(prop["range"])
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            item_at = f"{at}[{index}]" if isinstance(value, list) else at
            if isinstance(item, dict):
                item_kinds = item.get("@type")
                item_kinds = [item_kinds] if isinstance(item_kinds, str) else item_kinds or []
                if not any(ancestors(k) & allowed for k in item_kinds):
                    found.append(f"{item_at}: {item_kinds} is not in the range {sorted(allowed)}")
                found.extend(problems(item, item_at))
            elif not literal_fits(item, allowed):
                found.append(f"{item_at}: {item!r} is not in the range {sorted(allowed)}")
    return found


def blocks(site: Path) -> dict[str, list[Any]]:
    """Each page's JSON-LD blocks, parsed, by path."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        texts = BLOCK.findall(page.read_text(encoding="utf-8"))
        if texts:
            found[page.relative_to(site).as_posix()] = [json.loads(text) for text in texts]
    return found


@pytest.fixture(scope="module")
def sample_blocks(sample_site) -> dict[str, list[Any]]:
    assert sample_site.returncode == 0, sample_site.log
    return blocks(sample_site.site)


def test_every_block_of_the_sample_matches_schema_org(sample_blocks):
    found = [
        f"{path}: {problem}"
        for path, data in sample_blocks.items()
        for block in data
        for problem in problems(block)
    ]
    assert found == []


def test_every_page_type_has_a_block(sample_blocks):
    kinds = {path: [b["@type"] for b in data] for path, data in sample_blocks.items()}
    assert kinds["index.html"] == ["CollectionPage"]
    assert kinds["people/index.html"] == ["CollectionPage"]
    assert kinds["articles/brief-who-is-who.html"] == ["NewsArticle"]
    assert kinds["people/mike-pompeo.html"] == ["Person"]
    assert kinds["places/green-zone.html"] == ["Place"]
    assert kinds["places/iraq.html"] == ["Country"]
    assert kinds["organizations/axios.html"] == ["Organization"]
    assert kinds["events/killing-of-qasem-soleimani.html"] == ["Event"]
    assert all(
        block["@context"] == "https://schema.org" for d in sample_blocks.values() for block in d
    )


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"@type": "Persona", "name": "x"}, "@type Persona"),
        ({"@type": "Person", "headline": "x"}, "not a property of Person"),
        ({"@type": "Person", "nationality": "Iraqi"}, "'Iraqi' is not in the range ['Country']"),
        (
            {"@type": "Event", "actor": {"@type": "Organization", "name": "x"}},
            "['Organization'] is not in the range",
        ),
        ({"@type": "Person", "birthDate": "30 Dec 1963"}, "is not in the range ['Date']"),
        ({"@type": "NewsArticle", "speakable": "x"}, "speakable: not in"),
    ],
)
def test_the_check_finds_what_schema_org_does_not_allow(block, expected):
    assert any(expected in problem for problem in problems(block)), problems(block)


def test_inherited_properties_and_subtypes_are_allowed():
    place = {"@type": "Country", "name": "Iraq", "geo": {"@type": "GeoCoordinates"}}
    person = {"@type": "Person", "nationality": place, "affiliation": []}
    assert problems(person) == []
