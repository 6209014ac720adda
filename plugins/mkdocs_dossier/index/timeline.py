"""Timelines computed from the annotations: events and the articles that mention things."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from ..model import Article, Entity, PartialDate
from .build import Dossier


@dataclass(frozen=True)
class TimelineItem:
    """One dated thing on a timeline: an event (entity) or an article."""

    date: PartialDate
    kind: str  # "event" or "article"
    event: Entity | None = None
    article: Article | None = None

    @property
    def sort_key(self) -> tuple:
        # Partial dates sort at the start of their period; events before articles of the
        # same day; then by name so equal dates keep a stable order.
        label = self.event.name if self.event else (self.article.title if self.article else "")
        uri = self.event.id if self.event else (self.article.src_uri if self.article else "")
        return (self.date.sort_key, 0 if self.kind == "event" else 1, label.casefold(), uri)


def entity_timeline(dossier: Dossier, entity: Entity) -> list[TimelineItem]:
    """Events the entity takes part in or hosts, and the dated articles mentioning it."""
    items: list[TimelineItem] = []
    event_ids = list(dossier.events_of.get(entity.id, []))
    if entity.type == "event":
        event_ids.insert(0, entity.id)
    for event_id in dict.fromkeys(event_ids):
        event = dossier.entities[event_id]
        if event.date is not None:
            items.append(TimelineItem(event.date, "event", event=event))
    for article in dossier.mentioned_in.get(entity.id, []):
        if article.date is not None:
            items.append(TimelineItem(article.date, "article", article=article))
    return sorted(items, key=lambda item: item.sort_key)


def events_by_year(dossier: Dossier) -> tuple[list[tuple[int, list[TimelineItem]]], list[Entity]]:
    """All dated events grouped by year in order, and the undated ones."""
    dated = sorted(
        (TimelineItem(e.date, "event", event=e) for e in dossier.of_type("event") if e.date),
        key=lambda item: item.sort_key,
    )
    undated = [e for e in dossier.of_type("event") if e.date is None]
    years = [(year, list(group)) for year, group in groupby(dated, key=lambda i: i.date.year)]
    return years, undated


@dataclass
class EventCoverage:
    """An event on an entity's timeline with the articles that report it (and mention
    the entity)."""

    date: PartialDate
    event: Entity
    articles: list[Article]


@dataclass
class TimelineYear:
    """One year of an entity's timeline: its events (the spine), each with its coverage,
    and the year's other articles mentioning the entity."""

    year: int
    events: list[EventCoverage]
    coverage: list[Article]


def timeline_years(dossier: Dossier, entity: Entity) -> list[TimelineYear]:
    """`entity_timeline` as readers see it: events are the spine, each with the articles
    that mention it; an article goes under the latest event of the timeline it mentions
    (dated on or before it, else the first it mentions); the rest are their year's
    coverage. Years in order."""
    items = entity_timeline(dossier, entity)
    events = {i.event.id: EventCoverage(i.date, i.event, []) for i in items if i.event}
    years: dict[int, TimelineYear] = {}
    for item in items:
        if item.event is not None:
            year = years.setdefault(item.date.year, TimelineYear(item.date.year, [], []))
            year.events.append(events[item.event.id])
            continue
        assert item.article is not None
        covered = [
            events[i] for i in dossier.entity_sets.get(item.article.src_uri, ()) if i in events
        ]
        if covered:
            before = [c for c in covered if c.date.sort_key <= item.date.sort_key]
            order = lambda c: (c.date.sort_key, c.event.id)  # noqa: E731
            home = max(before, key=order) if before else min(covered, key=order)
            home.articles.append(item.article)
        else:
            year = years.setdefault(item.date.year, TimelineYear(item.date.year, [], []))
            year.coverage.append(item.article)
    return [years[y] for y in sorted(years)]
