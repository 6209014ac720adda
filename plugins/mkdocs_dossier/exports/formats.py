"""Machine-readable outputs: dossier.json and places.geojson (JSON-LD: jsonld.py)."""

from __future__ import annotations

import json
from typing import Any

from ..index.build import Dossier
from ..model import Article, Entity
from ..pages.links import Links


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Lines(list):
    """Records of a JSON list, each already encoded."""


def _dump(data: dict[str, Any]) -> str:
    """Sorted JSON with one record per line: diffs show what changed, and each line is
    written by the C encoder (the pure-Python one, used for any `indent`, is ~15x slower).
    A list may be given as its records already encoded (`Lines`)."""
    members = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list):
            records = value if isinstance(value, Lines) else [_encode(item) for item in value]
            text = "[\n" + ",\n".join(records) + "\n]" if records else "[]"
        else:
            text = _encode(value)
        members.append(f"{_encode(key)}: {text}")
    return "{\n" + ",\n".join(members) + "\n}\n"


def dossier_json(
    dossier: Dossier, links: Links, memo: dict[str, tuple[Article, str, str]] | None = None
) -> str:
    """`dossier.json`: every entity and article, sorted and byte-stable.

    `memo` (src_uri -> article, url, encoded record) keeps each article's record while the
    article object is the same: `mkdocs serve` rebuilds reuse unchanged articles.
    """
    entities = []
    for entity in sorted(dossier.entities.values(), key=lambda e: e.id):
        entities.append(
            {
                "id": entity.id,
                "type": entity.type,
                "slug": entity.slug,
                "name": entity.name,
                "aliases": list(entity.aliases),
                "summary": entity.summary,
                "url": links.entities.get(entity.id, ""),
                "mentions": dossier.mention_count(entity.id),
                "coordinates": _coords(entity),
                "date": entity.date.iso() if entity.date else None,
                "stub": entity.stub,
            }
        )
    memo = memo if memo is not None else {}
    articles = Lines()
    for article in sorted(dossier.articles, key=lambda a: a.src_uri):
        if not article.mentions and not article.date:
            continue
        url = links.articles.get(article.src_uri, "")
        kept = memo.get(article.src_uri)
        if kept is None or kept[0] is not article or kept[1] != url:
            record = {
                "url": url,
                "title": article.title,
                "date": article.date.iso() if article.date else None,
                "source": article.source,
                "mentions": [
                    {"entity": m.entity_id, "anchor": m.anchor, "label": m.label}
                    for m in article.mentions
                    if m.entity_id
                ],
            }
            kept = memo[article.src_uri] = (article, url, _encode(record))
        articles.append(kept[2])
    for uri in memo.keys() - dossier.by_uri.keys():
        del memo[uri]
    return _dump({"version": 1, "entities": entities, "articles": articles})


def places_geojson(dossier: Dossier, links: Links) -> str:
    """`places.geojson`: a Point feature for each place with coordinates."""
    features = []
    for entity in sorted(dossier.of_type("place"), key=lambda e: e.id):
        coords = _coords(entity)
        if coords is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [coords[1], coords[0]]},
                "properties": {
                    "id": entity.id,
                    "name": entity.name,
                    "url": links.entities.get(entity.id, ""),
                    "mentions": dossier.mention_count(entity.id),
                },
            }
        )
    return _dump({"type": "FeatureCollection", "features": features})


def _coords(entity: Entity) -> list[float] | None:
    if entity.coordinates is None:
        return None
    return [round(entity.coordinates[0], 6), round(entity.coordinates[1], 6)]


def script_json(data: Any) -> str:
    """JSON safe inside `<script>`: no `<`, `>` or `&` can end or open markup."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
