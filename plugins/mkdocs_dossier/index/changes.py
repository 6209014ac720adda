"""Which generated pages an edit affects, for `mkdocs serve --dirty` rebuilds.

An article contributes to the pages of the entities it mentions and to nothing else an
entity page shows: their mention lists, statements and timelines (through what it says
of each entity, and its title, date and source), their counts, and the co-mention counts
behind "Often mentioned with" and the map's co-mentioned places. So when only articles
changed since the last build, an entity's page is affected when:

- a changed article's contribution to it changed (mentions of it added, removed or
  reworded, or the article's title, date or source changed), or
- the entity is mentioned by a changed article and its related entities or map places,
  ranked from the co-mention counts, differ between the two builds.

A type's index page is affected when the mention count of one of its entities changed.
Any change to entries or coordinates, or to the set of entities, may show anywhere
(names, summaries, maps): then every page is affected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..model import Article
from .build import Dossier
from .ranking import map_places, related_entities

#: What one article gives one entity's page: (fingerprint, number of mentions).
Contribution = tuple[str, int]


@dataclass
class Snapshot:
    """What each source contributed to the last build."""

    articles: dict[str, dict[str, Contribution]] = field(default_factory=dict)
    entities: str = ""
    # The Article objects fingerprinted: a rebuild that reuses one reuses its fingerprint.
    objects: dict[str, Article] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class Affected:
    """Pages to write again: those of these entities and the indexes of these types."""

    entities: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)


def _digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def contributions(article: Article) -> dict[str, Contribution]:
    """What the article gives the page of each entity it mentions."""
    meta = (article.src_uri, article.title, article.date, article.updated, article.source)
    parts: dict[str, list] = {}
    for m in article.mentions:
        if m.entity_id:
            parts.setdefault(m.entity_id, []).append(
                (m.anchor, m.context, m.label, m.in_front_matter)
            )
    said: dict[str, list] = {}
    for s in article.statements:
        said.setdefault(s.entity_id, []).append((s.text, s.note, s.anchor))
    return {
        entity_id: (_digest((meta, mentions, said.get(entity_id))), len(mentions))
        for entity_id, mentions in parts.items()
    }


def snapshot(dossier: Dossier, previous: Snapshot | None = None) -> Snapshot:
    """Fingerprints of every article's contributions and of all entity data."""
    articles = {}
    for article in dossier.articles:
        if previous is not None and previous.objects.get(article.src_uri) is article:
            articles[article.src_uri] = previous.articles[article.src_uri]
        else:
            articles[article.src_uri] = contributions(article)
    entities = _digest(
        [
            (
                e.id,
                e.name,
                e.aliases,
                e.summary,
                e.wikidata,
                sorted(e.fields.items(), key=lambda item: item[0]),
                sorted(e.links.items()),
                e.body,
                e.coordinates,
                e.country_shape,
                e.date,
                e.end,
                e.stub,
            )
            for e in dossier.entities.values()
        ]
    )
    return Snapshot(articles, entities, {a.src_uri: a for a in dossier.articles})


def affected(
    previous: Snapshot | None,
    current: Snapshot,
    before: Dossier | None = None,
    after: Dossier | None = None,
) -> Affected | None:
    """The pages that may differ from the last build; None for all of them.

    With the two builds' dossiers, an entity a changed article mentions without a changed
    contribution is affected only if its ranked co-mentions differ; without them, it is.
    """
    if previous is None or previous.entities != current.entities:
        return None
    found = Affected()
    nearby: set[str] = set()
    for uri in previous.articles.keys() | current.articles.keys():
        old = previous.articles.get(uri, {})
        new = current.articles.get(uri, {})
        if old == new:
            continue
        for entity_id in old.keys() | new.keys():
            was, now = old.get(entity_id), new.get(entity_id)
            if was == now:
                nearby.add(entity_id)
                continue
            found.entities.add(entity_id)
            if (was[1] if was else 0) != (now[1] if now else 0):
                found.kinds.add(entity_id.split(":", 1)[0])
    for entity_id in sorted(nearby - found.entities):
        if (
            before is None
            or after is None
            or _ranked(before, entity_id) != _ranked(after, entity_id)
        ):
            found.entities.add(entity_id)
    return found


def _ranked(dossier: Dossier, entity_id: str) -> tuple:
    """What an entity page ranks from co-mention counts: related entities, map places."""
    entity = dossier.entities.get(entity_id)
    if entity is None:
        return ()
    related = [(other.id, count) for other, count in related_entities(entity, dossier)]
    places = [(place.id, focus) for place, focus in map_places(entity, dossier)]
    return (related, places)
