"""Which entity pages an edit affects, for `mkdocs serve --dirty` rebuilds.

An article contributes to the pages of the entities it mentions (their mentions,
statements, timelines and co-mention counts) and to nothing else an entity page shows.
So when only articles changed since the last build, the affected pages are those of the
entities the changed articles mention, before or after the edit. Any change to entries
or coordinates may show anywhere (names, summaries, maps): then every page is affected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .index import Dossier, entity_ids


@dataclass
class Snapshot:
    """What each source contributed to the last build."""

    articles: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    entities: str = ""


def _digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def snapshot(dossier: Dossier) -> Snapshot:
    """Fingerprints of every article's contribution and of all entity data."""
    articles = {}
    for article in dossier.articles:
        contribution = (
            article.title,
            article.date,
            article.updated,
            article.source,
            [(m.entity_id, m.anchor, m.context, m.label) for m in article.mentions],
            [(s.entity_id, s.text, s.note, s.anchor) for s in article.statements],
        )
        articles[article.src_uri] = (_digest(contribution), frozenset(entity_ids(article)))
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
    return Snapshot(articles, entities)


def affected(previous: Snapshot | None, current: Snapshot) -> set[str] | None:
    """Ids of the entities whose pages may differ from the last build; None for all."""
    if previous is None or previous.entities != current.entities:
        return None
    touched: set[str] = set()
    for uri in previous.articles.keys() | current.articles.keys():
        before = previous.articles.get(uri)
        after = current.articles.get(uri)
        if before == after:
            continue
        for state in (before, after):
            if state is not None:
                touched |= state[1]
    return touched
