"""Which generated pages an edit affects, for `mkdocs serve --dirty` rebuilds.

An article contributes to the pages of the entities it mentions and to nothing else an
entity page shows: their mention lists, statements and timelines (through what it says
of each entity, and its title, date and source), their counts, and the co-mention counts
behind "Often mentioned with" and the map's co-mentioned places. So when only articles
changed since the last build, an entity's page is affected when:

- a changed article's contribution to it changed (mentions of it added, removed or
  reworded, or a field of the article itself, such as its title, date or source), or
- the entity is mentioned by a changed article and its related entities or map places,
  ranked from the co-mention counts, differ between the two builds.

A type's index page is affected when the mention count of one of its entities changed.
Any change to entries or coordinates, or to the set of entities, may show anywhere
(names, summaries, maps): then every page is affected.

What is compared is derived from the model's dataclass fields (`shown`), less an explicit
list of fields no page shows (`NOT_SHOWN`), so a field added to the model is compared
without a change here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field

from ..model import Article, Entity, Mention, Statement, Target
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
    types: set[str] = field(default_factory=set)


#: Fields no page shows: where things sit in their source file (an edit higher up moves
#: them, and comparing them would rebuild pages that did not change) and what only
#: diagnostics use. Every other field of these dataclasses, including any added later, is
#: compared; a field a page shows must never be listed here.
NOT_SHOWN: dict[type, frozenset[str]] = {
    Entity: frozenset({"body_line", "field_positions", "position", "first_named"}),
    Target: frozenset({"position"}),
    Mention: frozenset({"start", "end"}),
    Statement: frozenset({"position"}),
}

#: Article fields that are not the article's own contribution to every entity page it
#: mentions: its mentions and statements count for the entities they name (compared per
#: entity), its text shows only through them, and the rest are positions.
ARTICLE_SPLIT = frozenset({"mentions", "statements", "body", "body_offset_line", "repaired_text"})


def _digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _not_shown(cls: type) -> frozenset[str]:
    """The fields of `cls` left out of comparisons (those of its bases too)."""
    return frozenset().union(*(NOT_SHOWN.get(base, frozenset()) for base in cls.__mro__))


@functools.cache
def _compared(cls: type, leave_out: frozenset[str]) -> tuple[str, ...]:
    """The names of the fields of dataclass `cls` that comparisons look at."""
    skip = _not_shown(cls) | leave_out
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)


def shown(value: object, leave_out: frozenset[str] = frozenset()) -> object:
    """`value` as plain data to compare: dataclasses as (field, value) pairs of every field
    but those in NOT_SHOWN and `leave_out`, the same down through lists, tuples and dicts."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if dataclasses.is_dataclass(kind):
        return (
            kind.__name__,
            tuple((name, shown(getattr(value, name))) for name in _compared(kind, leave_out)),
        )
    if isinstance(value, (list, tuple)):
        return tuple(shown(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, shown(item)) for key, item in value.items())
    return value


_ATOMS = frozenset({str, int, float, bool, type(None)})


def contributions(article: Article) -> dict[str, Contribution]:
    """What the article gives the page of each entity it mentions."""
    meta = shown(article, ARTICLE_SPLIT)
    parts: dict[str, list] = {}
    for m in article.mentions:
        if m.entity_id:
            parts.setdefault(m.entity_id, []).append(shown(m))
    said: dict[str, list] = {}
    for s in article.statements:
        said.setdefault(s.entity_id, []).append(shown(s))
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
    entities = _digest([shown(e) for e in dossier.entities.values()])
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
                found.types.add(entity_id.split(":", 1)[0])
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
