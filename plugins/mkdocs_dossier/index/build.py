"""The cross-article index: who is mentioned where, with whom, said what, and when."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import problem
from ..model import Article, Diagnostic, Entity, Mention, Statement, Target
from ..read.articles import ArticleSource, context, statement_spans
from ..read.grammar import RawMention, Scan, scan
from ..types import entity_type
from .resolve import Registry
from .sitepages import SiteFiles, SitePages


@dataclass
class Dossier:
    """Everything the pages and exports need, computed once per build."""

    entities: dict[str, Entity]
    articles: list[Article]
    diagnostics: list[Diagnostic]
    mentions: dict[str, list[tuple[Article, Mention]]] = field(default_factory=dict)
    statements: dict[str, list[tuple[Article, Statement]]] = field(default_factory=dict)
    co_mentions: dict[str, Counter[str]] = field(default_factory=dict)
    events_of: dict[str, list[str]] = field(default_factory=dict)  # entity -> event ids
    mentioned_in: dict[str, list[Article]] = field(default_factory=dict)
    by_uri: dict[str, Article] = field(default_factory=dict)
    entity_sets: dict[str, frozenset[str]] = field(default_factory=dict)  # src_uri -> ids
    _postings_cache: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _countries_cache: dict[str, Entity] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def mention_count(self, entity_id: str) -> int:
        return len(self.mentions.get(entity_id, ()))

    def of_type(self, kind: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.type == kind]

    def country_places(self) -> dict[str, Entity]:
        """The dossier's country places (`kind: country`), by ISO code (upper case) and
        by casefolded name; the first of each wins."""
        if self._countries_cache is None:
            found: dict[str, Entity] = {}
            for place in self.of_type("place"):
                if str(place.fields.get("kind", "")).casefold() == "country":
                    code = str(place.fields.get("country", "")).strip().upper()
                    if code:
                        found.setdefault(code, place)
                    found.setdefault(place.name.casefold(), place)
            self._countries_cache = found
        return self._countries_cache

    def related_articles(self, article: Article, limit: int = 5) -> list[tuple[Article, list[str]]]:
        """Articles sharing the most entities with `article`, with the shared ids.

        Ranked by shared count, then newest year, then path. The shared counts of every
        article that shares an entity come from one Counter.update per entity over the
        list of articles that mention it (a loop in C), so the walk over the long lists
        of the story's ubiquitous entities costs little; Python only touches the few
        articles that can make the top `limit`.
        """
        postings, articles = self._postings()
        mine = entity_ids(article)
        counts: Counter[str] = Counter()
        for entity_id in mine:
            counts.update(postings.get(entity_id, ()))
        counts.pop(article.src_uri, None)
        if not counts:
            return []
        threshold = heapq.nlargest(limit, counts.values())[-1]
        ranked = heapq.nsmallest(
            limit,
            (uri for uri, count in counts.items() if count >= threshold),
            key=lambda uri: (
                -counts[uri],
                -(articles[uri].date.sort_key[0] if articles[uri].date else 0),
                uri,
            ),
        )
        mine_set = set(mine)
        return [
            (articles[uri], sorted(mine_set.intersection(self._entity_set(articles[uri]))))
            for uri in ranked
        ]

    def _postings(self) -> tuple[dict[str, list[str]], dict[str, Article]]:
        """`mentioned_in` as lists of paths, and the articles by path (built once)."""
        cached = self._postings_cache
        if cached is None or cached[0] is not self.mentioned_in:
            postings = {
                entity_id: [a.src_uri for a in found]
                for entity_id, found in self.mentioned_in.items()
            }
            articles = {a.src_uri: a for found in self.mentioned_in.values() for a in found}
            cached = self._postings_cache = (self.mentioned_in, postings, articles)
        return cached[1], cached[2]

    def _entity_set(self, article: Article) -> frozenset[str]:
        found = self.entity_sets.get(article.src_uri)
        if found is None:
            found = self.entity_sets[article.src_uri] = frozenset(entity_ids(article))
        return found


def entity_ids(article: Article) -> list[str]:
    """Distinct entities an article mentions, in first-mention order."""
    seen: dict[str, None] = {}
    for mention in article.mentions:
        if mention.entity_id:
            seen.setdefault(mention.entity_id, None)
    return list(seen)


@dataclass
class Resolutions:
    """What earlier builds resolved, for `mkdocs serve` rebuilds.

    An article resolves the same way while its source (the very object the source cache
    returns, replaced when the file changes) and the registry's names are unchanged, so
    the last build's Article and diagnostics are reused; context sentences are kept
    while the article's source holds, even when the names change.
    """

    names: tuple = ()
    articles: dict[str, tuple[ArticleSource, Article, list[Diagnostic]]] = field(
        default_factory=dict
    )
    contexts: dict[str, tuple[ArticleSource, dict]] = field(default_factory=dict)
    # Entry bodies scanned for mentions, by (text, path, first line): entries rarely change.
    scans: dict[tuple[str, str, int], Scan] = field(default_factory=dict)
    reused: int = 0
    updated: int = 0  # builds whose index was updated from the last one's, not made anew
    # The last build's dossier: its index is updated for the articles that changed.
    dossier: Dossier | None = field(default=None, repr=False)


def build_index(
    entities: list[Entity],
    sources: list[ArticleSource],
    diagnostics: list[Diagnostic],
    resolutions: Resolutions | None = None,
    files: SiteFiles | None = None,
) -> Dossier:
    """Resolve every mention and build the backlink, co-mention and event indexes.

    Typed mentions create their stubs before anything is resolved, so a plain `[[Name]]`
    finds a stub wherever in the dossier its typed mention stands. The sources are not
    changed: each article is resolved into a copy.
    """
    registry = Registry(entities)
    found = list(diagnostics)
    # Targets named in entry fields (affiliations, parent, place, participants).
    for entity in list(registry.entities.values()):
        for key, targets in entity.targets.items():
            ids: list[str] = []
            for target in targets:
                resolved, issue = _resolve_field(registry, entity, key, target)
                if issue:
                    found.append(issue)
                if resolved and resolved not in ids:
                    ids.append(resolved)
            entity.links[key] = ids
    found.extend(_containment_cycles(registry.entities))
    resolutions = resolutions if resolutions is not None else Resolutions()
    bodies = []
    scans: dict[tuple[str, str, int], Scan] = {}
    for entity in list(registry.entities.values()):
        if not entity.stub and "[[" in entity.body:
            key = (entity.body, entity.source or "", entity.body_line)
            scanned = scans[key] = resolutions.scans.get(key) or scan(*key)
            found.extend(scanned.diagnostics)
            entity.body_rewrites = scanned.rewrites()
            bodies.append((entity, scanned.mentions))
    ordered = sorted(sources, key=lambda s: s.article.src_uri)
    # Stubs first, in source order (the first file to name a stub is where it comes from).
    for entity, raws in bodies:
        for raw in raws:
            registry.declare(raw.target, entity.source or "")
    for source in ordered:
        for target in [raw.target for raw in source.raw_mentions] + source.entity_targets:
            registry.declare(target, source.article.path)
    # Mentions inside entry bodies link like an article's, but are not backlinks.
    for entity, raws in bodies:
        entity.body_mentions = _resolve_mentions(registry, raws, entity.source or "", found)
    resolutions.scans = scans
    pages = SitePages([source.article for source in ordered])
    names = (registry.fingerprint(), pages.fingerprint(), files.fingerprint() if files else None)
    same_names = resolutions.names[:1] == names[:1]
    same_pages = resolutions.names[1:] == names[1:]
    articles: list[Article] = []
    for source in ordered:
        uri = source.article.src_uri
        last = resolutions.articles.get(uri)
        # Pages matter only to mentions that name no entity (`[[Page]]`).
        reuse = same_names and (same_pages or (last is not None and not _names_pages(last[1])))
        if reuse and last is not None and last[0] is source:
            article, problems = last[1], last[2]
            resolutions.reused += 1
        else:
            article, problems = _resolve_article(registry, source, resolutions, pages, files)
        resolutions.articles[uri] = (source, article, problems)
        found.extend(problems)
        articles.append(article)
    resolutions.names = names
    current = {source.article.src_uri for source in ordered}
    for store in (resolutions.articles, resolutions.contexts):
        for uri in store.keys() - current:
            del store[uri]
    dossier = Dossier(
        entities=dict(sorted(registry.entities.items())), articles=articles, diagnostics=found
    )
    if resolutions.dossier is not None and _update_index(dossier, resolutions.dossier):
        resolutions.updated += 1
    else:
        _index(dossier)
    resolutions.dossier = dossier
    dossier.diagnostics = sorted(set(found))
    return dossier


def _names_pages(article: Article) -> bool:
    """Whether a mention of the article could name a page or a file: it names no entity."""
    return any(m.entity_id is None for m in article.mentions)


def _resolve_article(
    registry: Registry,
    source: ArticleSource,
    resolutions: Resolutions,
    pages: SitePages,
    files: SiteFiles | None = None,
) -> tuple[Article, list[Diagnostic]]:
    """A copy of the source's article with its mentions and statements resolved."""
    article = replace(source.article, mentions=[], statements=[])
    found = list(source.diagnostics)
    kept = resolutions.contexts.get(article.src_uri)
    contexts = kept[1] if kept is not None and kept[0] is source else {}
    resolutions.contexts[article.src_uri] = (source, contexts)
    raws = source.raw_mentions
    here = article.src_uri
    for mention in _resolve_mentions(registry, raws, article.path, found, pages, here, files):
        if mention.entity_id:
            mention.context = _context(
                contexts, article.body, mention.start, mention.end, mention.label
            )
        article.mentions.append(mention)
    for target in source.entity_targets:
        resolved, issue = registry.resolve(target, article.path)
        if issue:
            found.append(issue)
        if resolved:
            mention = Mention(target, -1, -1, entity_id=resolved, in_front_matter=True)
            mention.anchor = "about-" + resolved.replace(":", "-")
            summary = article.summary or article.title
            mention.context = ("", summary, "") if summary else None
            article.mentions.append(mention)
    by_start = {m.start: m for m in article.mentions}
    for raw, quote, note in statement_spans(article.body, source.quotes, source.raw_mentions):
        mention = by_start.get(raw.start)
        if mention is None or not mention.entity_id or not mention.anchor:
            continue
        pos = raw.target.position
        article.statements.append(Statement(mention.entity_id, quote, mention.anchor, pos, note))
    return article, found


#: Distinct entities of one article whose co-mentions are counted. Counting every pair
#: costs the square of an article's entities (10,000 names: 100 million pairs); past
#: this many, only the most-mentioned ones count "often mentioned with" there. Every
#: entity still gets its backlinks and mention counts.
MAX_CO_MENTIONED = 200


def _co_counted(article: Article, ids: list[str]) -> list[str]:
    """The entities (`ids`, the article's) whose co-mentions the article counts: all of
    them, or past MAX_CO_MENTIONED the ones it mentions most, in text order."""
    if len(ids) <= MAX_CO_MENTIONED:
        return ids
    counts = Counter(m.entity_id for m in article.mentions if m.entity_id)
    ranked = sorted(ids, key=lambda i: (-counts[i], i))[:MAX_CO_MENTIONED]
    chosen = set(ranked)
    return [i for i in ids if i in chosen]


def _containment_cycles(entities: dict[str, Entity]) -> list[Diagnostic]:
    """`parent` chains that come back to where they started (an organization that is its
    own parent, or A -> B -> A): one error on each entity of the loop, at its field."""
    found = []
    for entity in entities.values():
        seen = [entity.id]
        current = entity
        while current.links.get("parent"):
            parent_id = current.links["parent"][0]
            if parent_id == entity.id:
                names = " -> ".join(entities[i].name for i in [*seen, entity.id])
                where = entity.field_positions.get("parent", entity.position)
                found.append(
                    problem(
                        "bad-field",
                        entity.source or "",
                        where,
                        f"parent: the organization is part of itself ({names})",
                    )
                )
                break
            if parent_id in seen or parent_id not in entities:
                break  # a loop further up is reported on its own members
            seen.append(parent_id)
            current = entities[parent_id]
    return found


def _resolve_field(
    registry: Registry, entity: Entity, key: str, target: Target
) -> tuple[str | None, Diagnostic | None]:
    """Resolve a target named in an entry field, holding fields like `place` to the type
    the entity's type declares for them (types.Field.target_type)."""
    path = entity.source or ""
    field = entity_type(entity.type).field(key)
    kind = field.target_type if field is not None else None
    if kind is not None and target.type is not None and target.type != kind:
        wanted = entity_type(kind).label.lower()
        return None, problem(
            "bad-field", path, target.position, f'{key}: "{target.text}" is not a {wanted}'
        )
    if kind is None or target.type is not None:
        return registry.resolve(target, path)
    if len(registry.candidates(target.name, kind)) == 1:
        return registry.resolve(replace(target, type=kind), path)
    others = registry.candidates(target.name)
    if others:
        pos = target.position
        what = ", ".join(others)
        return None, problem(
            "bad-field",
            path,
            pos,
            f'{key}: "{target.name}" is {what}, not a {entity_type(kind).label.lower()}',
        )
    # An unknown name stays unresolved (with a did-you-mean); `org:Name` makes a stub.
    return registry.resolve(target, path)


def _context(contexts: dict, body: str, start: int, end: int, label: str) -> tuple[str, str, str]:
    """`articles.context`, remembered in `contexts` (one article's, valid while its text is)."""
    key = (start, end, label)
    found = contexts.get(key)
    if found is None:
        found = contexts[key] = context(body, start, end, label)
    return found


def _resolve_mentions(
    registry: Registry,
    raws: list[RawMention],
    path: str,
    found: list[Diagnostic],
    pages: SitePages | None = None,
    here: str = "",
    files: SiteFiles | None = None,
) -> list[Mention]:
    """Scanned mentions resolved in text order, each resolved one with its anchor; one
    that names no entity but a page of the site (`[[Page]]`) links to that page."""
    counts: Counter[str] = Counter()
    mentions = []
    for raw in raws:
        mention = Mention(raw.target, raw.start, raw.end, heading=raw.heading, embed=raw.embed)
        mentions.append(mention)
        if raw.file:
            mention.file = _find_file(raw.target, path, found, files, here)
            continue
        if not raw.target.name:  # `[[#Heading]]`
            mention.page = ""
            continue
        resolved, issue = registry.resolve(raw.target, path)
        if resolved is None and raw.target.type is None and pages is not None:
            page = pages.find(raw.target.name, here)
            if page is not None:
                mention.page = "" if page == here else page
                continue
        if issue:
            found.append(issue)
        mention.entity_id = resolved
        if resolved:
            counts[resolved] += 1
            mention.anchor = anchor_for(resolved, counts[resolved])
    return mentions


def _find_file(
    target: Target, path: str, found: list[Diagnostic], files: SiteFiles | None, here: str
) -> str:
    """The src_uri of the file `![[name]]` shows; "" (and a warning) when there is none."""
    if files is None:
        return ""
    uri = files.find(target.name, here)
    if uri is None:
        found.append(
            problem(
                "missing-file",
                path,
                target.position,
                f'no file "{target.name}" in docs_dir to show here',
            )
        )
        return ""
    return uri


def anchor_for(entity_id: str, occurrence: int) -> str:
    """The id of the n-th mention of an entity in an article: `m-person-mike-pompeo-2`."""
    return f"m-{entity_id.replace(':', '-')}-{occurrence}"


def _index(dossier: Dossier) -> None:
    """Fill the dossier's indexes from its articles."""
    mentions: dict[str, list[tuple[Article, Mention]]] = defaultdict(list)
    statements: dict[str, list[tuple[Article, Statement]]] = defaultdict(list)
    mentioned_in: dict[str, list[Article]] = defaultdict(list)
    co_mentions: dict[str, Counter[str]] = defaultdict(Counter)
    entity_sets: dict[str, frozenset[str]] = {}
    for article in dossier.articles:
        ids = entity_ids(article)
        entity_sets[article.src_uri] = frozenset(ids)
        for mention in article.mentions:
            if mention.entity_id:
                mentions[mention.entity_id].append((article, mention))
        for entity_id in ids:
            mentioned_in[entity_id].append(article)
        counted = _co_counted(article, ids)
        for entity_id in counted:
            co_mentions[entity_id].update(counted)  # itself too: taken out below
        for statement in article.statements:
            statements[statement.entity_id].append((article, statement))
    for entity_id, counter in co_mentions.items():
        del counter[entity_id]
    dossier.mentions = dict(mentions)
    dossier.statements = dict(statements)
    dossier.mentioned_in = dict(mentioned_in)
    dossier.co_mentions = dict(co_mentions)
    dossier.entity_sets = entity_sets
    _index_entities(dossier)


def _index_entities(dossier: Dossier) -> None:
    """The indexes that come from entries, not articles: events by participant and place;
    and the articles by path."""
    events_of: dict[str, list[str]] = defaultdict(list)
    for entity in dossier.entities.values():
        if entity.type != "event":
            continue
        involved = list(entity.links.get("participants", [])) + list(entity.links.get("place", []))
        for other in dict.fromkeys(involved):
            events_of[other].append(entity.id)
    dossier.events_of = dict(events_of)
    dossier.by_uri = {article.src_uri: article for article in dossier.articles}


#: Past this share of changed articles, the index is built anew instead of updated.
UPDATE_SHARE = 0.25


def _update_index(dossier: Dossier, last: Dossier) -> bool:
    """Fill the dossier's indexes from the last build's, changing only what its changed
    articles (the ones that are not the very objects of the last build) gave them; False,
    having done nothing, when the articles are not the same paths in the same order or
    too many changed. The result equals :func:`_index`'s; the last build's index is not
    modified (lists and counters that change are new ones)."""
    new, old = dossier.articles, last.articles
    if len(new) != len(old):
        return False
    changed = [(was, now) for was, now in zip(old, new, strict=True) if was is not now]
    if len(changed) > UPDATE_SHARE * len(new) or any(
        was.src_uri != now.src_uri for was, now in changed
    ):
        return False
    uris = {now.src_uri for _, now in changed}
    order = {article.src_uri: n for n, article in enumerate(new)}
    mentions = dict(last.mentions)
    statements = dict(last.statements)
    mentioned_in = dict(last.mentioned_in)
    co_mentions = dict(last.co_mentions)
    entity_sets = dict(last.entity_sets)
    # What the changed articles give each entity now.
    said: dict[str, list[tuple[Article, Mention]]] = defaultdict(list)
    named_in: dict[str, list[Article]] = defaultdict(list)
    quoted: dict[str, list[tuple[Article, Statement]]] = defaultdict(list)
    touched: set[str] = set()
    for was, now in changed:
        for mention in now.mentions:
            if mention.entity_id:
                said[mention.entity_id].append((now, mention))
        for statement in now.statements:
            quoted[statement.entity_id].append((now, statement))
        old_ids, new_ids = entity_ids(was), entity_ids(now)
        for entity_id in new_ids:
            named_in[entity_id].append(now)
        touched.update(old_ids, (s.entity_id for s in was.statements))
        entity_sets[now.src_uri] = frozenset(new_ids)
        _count_together(co_mentions, last.co_mentions, _co_counted(was, old_ids), -1)
        _count_together(co_mentions, last.co_mentions, _co_counted(now, new_ids), 1)
    touched.update(said, quoted)
    for entity_id in touched:
        _redo(mentions, entity_id, uris, order, said.get(entity_id), _first)
        _redo(mentioned_in, entity_id, uris, order, named_in.get(entity_id), _itself)
        _redo(statements, entity_id, uris, order, quoted.get(entity_id), _first)
    dossier.mentions = mentions
    dossier.statements = statements
    dossier.mentioned_in = mentioned_in
    dossier.co_mentions = co_mentions
    dossier.entity_sets = entity_sets
    _index_entities(dossier)
    return True


def _count_together(
    co_mentions: dict[str, Counter[str]],
    shared: dict[str, Counter[str]],
    counted: list[str],
    step: int,
) -> None:
    """Add `step` to the co-mention count of every pair of `counted` (one article's);
    a counter still `shared` with the last build's index is copied before it changes,
    and a count that falls to zero is dropped."""
    for entity_id in counted:
        counter = co_mentions.get(entity_id)
        if counter is None or counter is shared.get(entity_id):
            counter = co_mentions[entity_id] = Counter(counter or ())
        for other in counted:
            if other != entity_id:
                counter[other] += step
                if not counter[other]:
                    del counter[other]


def _first(item: tuple[Article, Any]) -> str:
    return item[0].src_uri


def _itself(item: Article) -> str:
    return item.src_uri


def _redo(
    index: dict[str, list],
    entity_id: str,
    uris: set[str],
    order: dict[str, int],
    added: list | None,
    uri_of: Callable[[Any], str],
) -> None:
    """One entity's list in an index without the changed articles' (`uris`) old items
    and with their new ones (`added`), in article order."""
    kept = [item for item in index.get(entity_id, ()) if uri_of(item) not in uris]
    if added:
        kept += added
        kept.sort(key=lambda item: order[uri_of(item)])
    if kept:
        index[entity_id] = kept
    else:
        index.pop(entity_id, None)
