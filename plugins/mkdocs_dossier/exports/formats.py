"""Machine-readable outputs: dossier.json, places.geojson and schema.org JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from ..index.build import Dossier
from ..model import Article, Entity
from ..pages.links import Links
from ..types import Field, entity_type


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


def _ref(entity: Entity, site_url: str, links: Links) -> dict[str, Any]:
    ref: dict[str, Any] = {"@type": entity_type(entity.type).schema_type, "name": entity.name}
    url = links.entities.get(entity.id)
    if url is not None and site_url:
        ref["url"] = site_url.rstrip("/") + "/" + url
    if entity.wikidata:
        ref["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
    return ref


def entity_jsonld(entity: Entity, dossier: Dossier, links: Links, site_url: str = "") -> str:
    """schema.org description of an entity, ready to sit in a script element."""
    data: dict[str, Any] = {"@context": "https://schema.org", **_ref(entity, site_url, links)}
    for field in entity_type(entity.type).all_fields:
        if field.jsonld is not None:
            value = _jsonld_value(entity, field, dossier, links, site_url)
            if value:
                data[field.jsonld] = value
    return script_json(data)


def _jsonld_value(
    entity: Entity, field: Field, dossier: Dossier, links: Links, site_url: str
) -> Any:
    """A field's schema.org value: text, ISO date, GeoCoordinates, or references to the
    entities it names (a place named carries its coordinates)."""
    if field.is_target:
        refs = []
        for entity_id in entity.links.get(field.key, []):
            other = dossier.entities[entity_id]
            ref = _ref(other, site_url, links)
            if field.target_type == "place" and other.coordinates:
                ref["geo"] = _geo(other.coordinates)
            refs.append(ref)
        return refs[0] if refs and field.kind == "target" else refs
    value = field.value(entity)
    if not value:
        return None
    if field.kind == "date":
        return value.iso()
    if field.kind == "coordinates":
        return _geo(value)
    return list(value) if field.kind == "text_list" else value


def _geo(coordinates: tuple[float, float]) -> dict[str, Any]:
    lat, lon = coordinates
    return {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}


def article_jsonld(article: Article, dossier: Dossier, links: Links, site_url: str = "") -> str:
    """schema.org NewsArticle: what the article is about and whom it mentions."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle"}
    data["headline"] = article.title
    if article.date:
        data["datePublished"] = article.date.iso()
    if article.updated:
        data["dateModified"] = article.updated.iso()
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source}
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.original_url:
        data["isBasedOn"] = article.original_url
    if article.summary:
        data["description"] = article.summary
    if article.section:
        data["articleSection"] = article.section
    if article.tags:
        data["keywords"] = list(article.tags)
    about = list(
        dict.fromkeys(m.entity_id for m in article.mentions if m.in_front_matter and m.entity_id)
    )
    mentioned = list(
        dict.fromkeys(
            m.entity_id for m in article.mentions if not m.in_front_matter and m.entity_id
        )
    )
    if about:
        data["about"] = [_ref(dossier.entities[i], site_url, links) for i in about]
    if mentioned:
        data["mentions"] = [_ref(dossier.entities[i], site_url, links) for i in mentioned]
    return script_json(data)
