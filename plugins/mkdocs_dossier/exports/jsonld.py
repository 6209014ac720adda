"""schema.org JSON-LD for the site's pages: entities, articles, home and type indexes.

Every entity page and article carries an `@id` and a `url`: absolute when the site has a
`site_url`, else relative to the page the block sits on (JSON-LD resolves them against
the page's address). An entity's `@id` is its page's address with `#entity`, so the
page and the person, place or event it describes stay two things.

Which property an entry field fills is declared once, in types.py (`Field.jsonld`); this
module only turns values into schema.org's shapes: dates as ISO text, coordinates as
`GeoCoordinates`, country codes and nationalities as a `Country` (the dossier's own
place for that country when it has one), fields naming entities as references.
tests/test_jsonld_schema.py checks every block of a built site against schema.org's
vocabulary.
"""

from __future__ import annotations

from typing import Any

from ..index.build import Dossier
from ..model import Article, Entity
from ..names import name_key, slugify
from ..pages.links import Links, relative_url
from ..pages.meta import entity_description
from ..places.countries import Country, country_by_iso2, find_country
from ..types import Field, entity_type
from .formats import script_json

CONTEXT = "https://schema.org"

#: A reference's property when the entity it names is of another type than the property
#: allows: schema.org's `actor` takes people, so organizations taking part in an event
#: are its `contributor`s, and places (a country, an embassy attacked) what it is `about`.
_PROPERTY_FOR_TYPE: dict[str, dict[str, str]] = {"actor": {"org": "contributor", "place": "about"}}

#: Properties whose values are countries (schema.org's range is `Country`).
_COUNTRY_PROPERTIES = frozenset({"nationality", "containedInPlace"})

# Endings that turn a nationality into its country's name: Iraqi -> Iraq,
# American -> America, Iranian -> Iran, Lebanese -> Leban(on) is not found and stays.
_DEMONYM_ENDINGS = ("", "n", "an", "ian", "i", "ese", "ish")


class Addresses:
    """Where the blocks of one page point: the site's address and the page's own URL."""

    def __init__(self, links: Links, site_url: str = "", page_url: str = "") -> None:
        self.links = links
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.page_url = page_url

    def address(self, url: str) -> str:
        """`url` (site-relative) as this page should write it."""
        if self.site_url:
            return self.site_url + url
        return relative_url(self.page_url, url)


def page_script(
    dossier: Dossier,
    links: Links,
    src_uri: str,
    page_url: str,
    *,
    index_type: str | None,
    homepage: bool,
    name: str,
    site_url: str = "",
    description: str = "",
) -> str:
    """The `<script type="application/ld+json">` of a page that is not an entity's: a
    type's index or the home page as a `CollectionPage`, an article (dated, or naming
    entities) as a `NewsArticle`; "" for any other page."""
    if index_type is not None:
        data = index_jsonld(index_type, dossier, links, site_url, description)
    elif homepage:
        data = home_jsonld(dossier, links, page_url, name, site_url, description)
    else:
        article = dossier.by_uri.get(src_uri)
        if article is None or not (article.date or article.mentions):
            return ""
        data = article_jsonld(article, dossier, links, site_url, page_url, description)
    return f'<script type="application/ld+json">{data}</script>'


def entity_jsonld(
    entity: Entity,
    dossier: Dossier,
    links: Links,
    site_url: str = "",
    page_url: str | None = None,
    description: str = "",
) -> str:
    """schema.org description of an entity, ready to sit in a script element on its
    page (`page_url`, by default the entity's own). `description` is the page's."""
    site = Addresses(
        links, site_url, links.entities.get(entity.id, "") if page_url is None else page_url
    )
    data: dict[str, Any] = {"@context": CONTEXT, **_ref(entity, site)}
    data["description"] = description or entity_description(entity, dossier, "")
    for field in entity_type(entity.type).all_fields:
        if field.jsonld is None or field.key == "summary":
            continue
        for prop, value in _values(entity, field, dossier, site):
            if value:
                data[prop] = value
    return script_json(data)


def article_jsonld(
    article: Article,
    dossier: Dossier,
    links: Links,
    site_url: str = "",
    page_url: str | None = None,
    description: str = "",
) -> str:
    """schema.org NewsArticle: who wrote and published it, what it is about and whom it
    mentions. `description` is the page's (the summary, or its first sentence)."""
    own = links.articles.get(article.src_uri, article.url)
    site = Addresses(links, site_url, own if page_url is None else page_url)
    address = site.address(own)
    data: dict[str, Any] = {"@context": CONTEXT, "@type": "NewsArticle"}
    data["@id"] = address
    data["url"] = address
    data["headline"] = article.title
    if article.date:
        data["datePublished"] = article.date.iso()
    if article.updated:
        data["dateModified"] = article.updated.iso()
    publisher = None
    if article.source:
        publisher = _named(article.source, ("org",), dossier, site) or {
            "@type": "Organization",
            "name": article.source,
        }
        data["publisher"] = publisher
    if article.authors:
        data["author"] = [_author(name, publisher, dossier, site) for name in article.authors]
    if article.original_url:
        data["isBasedOn"] = article.original_url
    if description or article.summary:
        data["description"] = description or article.summary
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
        data["about"] = [_ref(dossier.entities[i], site) for i in about]
    if mentioned:
        data["mentions"] = [_ref(dossier.entities[i], site) for i in mentioned]
    return script_json(data)


def collection_jsonld(
    name: str,
    page_url: str,
    items: list[dict[str, Any]],
    links: Links,
    site_url: str = "",
    description: str = "",
) -> str:
    """A `CollectionPage` whose main entity is the `ItemList` of `items` (references from
    `entity_items` or `article_items`), as seen from the page at `page_url`."""
    site = Addresses(links, site_url, page_url)
    address = site.address(page_url)
    elements = []
    for position, item in enumerate(items, start=1):
        ref = dict(item)
        for key in ("@id", "url"):
            if key in ref:
                ref[key] = site.address(ref[key])
        elements.append({"@type": "ListItem", "position": position, "item": ref})
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "@id": address,
        "url": address,
        "name": name,
    }
    if description:
        data["description"] = description
    data["mainEntity"] = {
        "@type": "ItemList",
        "numberOfItems": len(elements),
        "itemListElement": elements,
    }
    return script_json(data)


def index_jsonld(
    kind: str, dossier: Dossier, links: Links, site_url: str = "", description: str = ""
) -> str:
    """A type's index page as a `CollectionPage` listing its entities by name."""
    entities = sorted(dossier.of_type(kind), key=lambda e: (e.stub, e.name.casefold()))
    return collection_jsonld(
        entity_type(kind).plural,
        links.indexes[kind],
        entity_items(entities, links),
        links,
        site_url,
        description,
    )


def home_jsonld(
    dossier: Dossier,
    links: Links,
    page_url: str,
    name: str,
    site_url: str = "",
    description: str = "",
) -> str:
    """The home page as a `CollectionPage` listing the dossier's articles, newest first."""
    articles = [
        a
        for a in dossier.articles
        if (a.mentions or a.date) and links.articles.get(a.src_uri) not in (None, page_url)
    ]
    articles.sort(key=lambda a: a.title.casefold())
    articles.sort(key=lambda a: a.date.sort_key if a.date else (0, 0, 0), reverse=True)
    items = article_items(articles, links)
    return collection_jsonld(name, page_url, items, links, site_url, description)


def entity_items(entities: list[Entity], links: Links) -> list[dict[str, Any]]:
    """References to entities for `collection_jsonld`, with site-relative addresses."""
    items = []
    for entity in entities:
        url = links.entities.get(entity.id)
        if url is None:
            continue
        item: dict[str, Any] = {
            "@type": entity_type(entity.type).schema_type,
            "@id": f"{url}#entity",
            "url": url,
            "name": entity.name,
        }
        items.append(item)
    return items


def article_items(articles: list[Article], links: Links) -> list[dict[str, Any]]:
    """References to articles for `collection_jsonld`, with site-relative addresses."""
    items = []
    for article in articles:
        url = links.articles.get(article.src_uri)
        if url is None:
            continue
        item: dict[str, Any] = {"@type": "NewsArticle", "@id": url, "url": url}
        item["headline"] = article.title
        if article.date:
            item["datePublished"] = article.date.iso()
        items.append(item)
    return items


def _ref(entity: Entity, site: Addresses) -> dict[str, Any]:
    """How a block names an entity: type, name, its page and its Wikidata item."""
    ref: dict[str, Any] = {"@type": entity_type(entity.type).schema_type}
    if entity.type == "place" and entity.country_shape:
        ref["@type"] = "Country"  # a place that is a whole country
    url = site.links.entities.get(entity.id)
    if url is not None:
        address = site.address(url)
        ref["@id"] = f"{address}#entity"
        ref["url"] = address
    ref["name"] = entity.name
    if entity.wikidata:
        ref["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata}"
    return ref


def _values(
    entity: Entity, field: Field, dossier: Dossier, site: Addresses
) -> list[tuple[str, Any]]:
    """(property, value) pairs a field gives: text, ISO date, GeoCoordinates, a Country,
    or references to the entities it names (a place named carries its coordinates)."""
    prop = field.jsonld
    assert prop is not None
    if field.is_target:
        by_prop: dict[str, list[dict[str, Any]]] = {}
        for entity_id in entity.links.get(field.key, []):
            other = dossier.entities[entity_id]
            ref = _ref(other, site)
            if other.type == "place" and other.coordinates:
                ref["geo"] = _geo(other.coordinates)
            target_prop = _PROPERTY_FOR_TYPE.get(prop, {}).get(other.type, prop)
            by_prop.setdefault(target_prop, []).append(ref)
        if field.kind == "target":
            return [(p, refs[0]) for p, refs in by_prop.items()]
        return list(by_prop.items())
    value = field.value(entity)
    if not value:
        return []
    if field.kind == "date":
        return [(prop, value.iso())]
    if field.kind == "coordinates":
        return [(prop, _geo(value))]
    if prop in _COUNTRY_PROPERTIES:
        return [(prop, _country(value, field.kind == "country", entity, dossier, site))]
    return [(prop, list(value) if field.kind == "text_list" else value)]


def _country(
    value: str, is_code: bool, entity: Entity, dossier: Dossier, site: Addresses
) -> dict[str, Any] | None:
    """A `Country` for an ISO code or a nationality: the dossier's place for it when it
    has one, else the country's name (a nationality not recognised keeps its words)."""
    country = country_by_iso2(value) if is_code else _demonym_country(value)
    if country is None:
        return None if is_code else {"@type": "Country", "name": value}
    if entity.country_shape == country.iso2:
        return None  # the place is the country itself
    place = dossier.entities.get(f"place:{slugify(country.name)}")
    if place is not None and place.country_shape == country.iso2:
        return _ref(place, site)
    return {"@type": "Country", "name": country.name}


def _demonym_country(text: str) -> Country | None:
    for ending in _DEMONYM_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 2:
            country = find_country(text[: len(text) - len(ending)] if ending else text)
            if country is not None:
                return country
    return None


def _named(name: str, kinds: tuple[str, ...], dossier: Dossier, site: Addresses) -> dict | None:
    """A reference to the dossier's entity of one of `kinds` called `name`, if any."""
    key = name_key(name)
    for kind in kinds:
        entity = dossier.entities.get(f"{kind}:{slugify(name)}")
        if entity is not None and key in {name_key(n) for n in (entity.name, *entity.aliases)}:
            return _ref(entity, site)
    return None


def _author(
    name: str, publisher: dict[str, Any] | None, dossier: Dossier, site: Addresses
) -> dict[str, Any]:
    """A byline as schema.org: a person of the dossier, an organization (the publisher
    named as author, or an organization of the dossier), else a person by name."""
    if publisher is not None and name_key(name) == name_key(publisher["name"]):
        return publisher
    found = _named(name, ("person", "org"), dossier, site)
    if found is not None:
        return found
    return {"@type": "Person", "name": name}


def _geo(coordinates: tuple[float, float]) -> dict[str, Any]:
    lat, lon = coordinates
    return {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
