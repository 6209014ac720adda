"""Resolving mention targets to entities: names, aliases, typed stubs, suggestions."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..diagnostics import problem
from ..model import Diagnostic, Entity, Target
from ..names import MAX_SLUG, digest, name_key, slugify
from ..read.entries import iter_names


class Registry:
    """Every entity by id and by the matching keys of its names."""

    def __init__(self, entities: list[Entity]):
        self.entities: dict[str, Entity] = {}
        self._keys: dict[str, set[str]] = defaultdict(set)
        # For did-you-mean: every name and alias (not slugs) with its entity, indexed on
        # the first hint asked for (most builds ask for none): the names by the trigrams of
        # their keys, and how many entities hold each word (a word many hold tells nothing).
        self._names: list[tuple[str, Entity]] = []
        self._known: list[_Known] = []
        self._by_gram: dict[str, list[int]] = defaultdict(list)
        self._word_entities: Counter[str] = Counter()
        self._suggested: dict[str, Suggestion | None] = {}
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = entity
        self._suggested.clear()
        for name in iter_names(entity):
            self._keys[_match_key(name)].add(entity.id)
        self._names += [(name, entity) for name in dict.fromkeys((entity.name, *entity.aliases))]

    def _index_names(self) -> None:
        """Index the names added since the last hint, for _near and _word_score."""
        words_of: dict[str, set[str]] = defaultdict(set)
        for name, entity in self._names:
            key = name_key(name)
            if not key:
                continue
            words = frozenset(_words(name))
            index = len(self._known)
            self._known.append(_Known(key, name, entity.name, name == entity.name, words))
            for gram in set(_grams(key)):
                self._by_gram[gram].append(index)
            words_of[entity.id] |= words
        for words in words_of.values():
            self._word_entities.update(words)
        self._names.clear()

    def candidates(self, name: str, kind: str | None = None) -> list[str]:
        """Ids whose name, slug or alias matches `name`, optionally of one type."""
        ids = self._keys.get(_match_key(name), set())
        if kind is not None:
            ids = {i for i in ids if self.entities[i].type == kind}
        return sorted(ids)

    def resolve(self, target: Target, path: str) -> tuple[str | None, Diagnostic | None]:
        """The entity a target names, creating a stub for an unknown typed target."""
        found = self.candidates(target.name, target.type)
        if len(found) == 1:
            return found[0], None
        pos = target.position
        written = target.name
        if len(found) > 1:
            names = ", ".join(f'"{self.entities[i].name}" ({i})' for i in found)
            hint = "add a type, e.g. [[person:...]], or use a slug"
            return None, problem(
                "ambiguous-mention",
                path,
                pos,
                f'ambiguous mention "{written}" matches {names}; {hint}',
                subject=written,
            )
        if target.type is not None:
            return self._stub(target, path).id, None
        hint = self.suggest(written)
        message = f'unresolved mention "{written}"'
        if hint is not None:
            message += f" — did you mean {hint}?"
        else:
            # A new name: say how to make it an entity (a stub now, an entry later).
            new = _last_segment(written)
            message += (
                f' (add [[person:{new}]] to create a stub, or run dossier new person "{new}")'
            )
        return None, problem("unresolved-mention", path, pos, message, subject=written)

    def declare(self, target: Target, path: str) -> None:
        """Create the stub a typed target names when no entity matches it."""
        if target.type is not None and not self.candidates(target.name, target.type):
            self._stub(target, path)

    def fingerprint(self) -> tuple:
        """Everything resolution reads: equal fingerprints resolve every target alike."""
        return tuple(
            (entity.id, entity.name, tuple(iter_names(entity))) for entity in self.entities.values()
        )

    def _stub(self, target: Target, path: str) -> Entity:
        assert target.type is not None
        slug = slugify(target.name)
        if f"{target.type}:{slug}" in self.entities:
            # Another entity has this slug (names its script tells apart transliterate
            # alike, `李明` and `黎明`; or another name spells the slug): this one gets its
            # own page, told apart by a digest of its name.
            slug = f"{slug[: MAX_SLUG - 9]}-{digest(name_key(target.name) or target.name)}"
            existing = self.entities.get(f"{target.type}:{slug}")
            if existing is not None:
                return existing
        name = " ".join(target.name.split())
        stub = Entity(type=target.type, slug=slug, name=name, stub=True)
        stub.first_named = (path, target.position)  # no summary: readers see no editor wording
        self.add(stub)
        return stub

    def suggest(self, name: str) -> Suggestion | None:
        """The known name closest to `name`, for a did-you-mean hint, or None when none is
        close enough to be worth saying.

        Each name and alias is compared with `name`, and with its last path segment
        (`[[folder/Some Page]]` is compared as `Some Page`): by the similarity of their
        keys (difflib's ratio, at least SIMILAR), or word by word, when every word of
        `name` is a word of the known name that no other entity's names have (`Qaani`
        in `Ismail Qaani`; `Help` when two entities are `Help ...` is no hint). Only
        names sharing trigrams with `name` are compared, so a hint costs the same at any
        corpus size.
        """
        key = name_key(name)
        if not key:
            return None
        if key not in self._suggested:
            self._suggested[key] = self._suggest(name)
        return self._suggested[key]

    def _suggest(self, name: str) -> Suggestion | None:
        if self._names:
            self._index_names()
        best: tuple[tuple, Suggestion] | None = None
        for query in dict.fromkeys((name, _last_segment(name))):
            key = name_key(query)
            if len(key) < 2:
                continue
            least = SIMILAR if len(key) >= 6 else SIMILAR_SHORT
            whole = _Matcher(key)
            words = {word: _Matcher(word) for word in _words(query)}
            for index in self._near(key):
                known = self._known[index]
                score = max(whole.ratio(known.key, least), self._word_score(words, known))
                if score < least:
                    continue
                # Best score, then an entity's own name before an alias, then the shorter.
                rank = (-score, not known.is_name, len(known.written), known.written)
                if best is None or rank < best[0]:
                    alias = None if known.is_name else known.written
                    best = (rank, Suggestion(known.entity_name, alias))
        return best[1] if best is not None else None

    def _near(self, key: str) -> list[int]:
        """Names whose keys share the most trigrams with `key` (at most NEAR of them); a
        trigram that hundreds of names hold is skipped, as it tells nothing."""
        counts: Counter[int] = Counter()
        for gram in set(_grams(key)):
            holders = self._by_gram.get(gram)
            if holders and len(holders) <= COMMON_GRAM:
                counts.update(holders)
        return [index for index, _ in counts.most_common(NEAR)]

    def _word_score(self, words: dict[str, _Matcher], known: _Known) -> float:
        """How well every word of a name is found among the known name's words (a typo
        within a long word allowed), when those words belong to no other entity and make
        at least half the known name; else 0."""
        if not words or len(words) > len(known.words) or 2 * len(words) < len(known.words):
            return 0.0
        score = 1.0
        for word, matcher in words.items():
            if word in known.words:
                found, ratio = word, 1.0
            else:
                found, ratio = max(
                    ((w, matcher.ratio(w, SIMILAR_WORD)) for w in known.words),
                    key=lambda pair: pair[1],
                )
            if ratio < SIMILAR_WORD or self._word_entities[found] > RARE_WORD:
                return 0.0
            score = min(score, ratio)
        # A whole-name match of the same quality ranks first.
        return score * WORD_MATCH


#: Least similarity (difflib's ratio of the keys) for a did-you-mean hint; for a name
#: of fewer than six letters, where one letter changed makes another word (`Start`,
#: `Stars`), SIMILAR_SHORT.
SIMILAR = 0.8
SIMILAR_SHORT = 0.85
#: Least similarity of two words for one to count as the other (one letter in ten).
SIMILAR_WORD = 0.9
#: A word in the names of more entities than this cannot carry a hint on its own.
RARE_WORD = 1
#: What a hint by words weighs against one by the whole name.
WORD_MATCH = 0.95
#: Names compared with an unresolved one: those sharing the most trigrams with it.
NEAR = 24
#: A trigram held by more names than this is not used to find candidates.
COMMON_GRAM = 400


@dataclass(frozen=True)
class _Known:
    """A name or alias a hint can point to."""

    key: str
    written: str
    entity_name: str
    is_name: bool  # the entity's own name, not an alias
    words: frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    """A did-you-mean: the entity's name, and the alias that was close, if it was one."""

    name: str
    alias: str | None = None

    def __str__(self) -> str:
        return f'"{self.name}"' + (f' (alias "{self.alias}")' if self.alias else "")


class _Matcher:
    """difflib's ratio of one text against many: the text is difflib's `b`, whose index
    is built once, and pairs that cannot reach the least ratio asked stop early."""

    def __init__(self, text: str):
        self.length = len(text)
        self.matcher = SequenceMatcher(None, "", text, autojunk=False)

    def ratio(self, other: str, least: float) -> float:
        # 2 * matches / total length: at most 2 * shorter / total; then difflib's bounds.
        total = self.length + len(other)
        if 2 * min(self.length, len(other)) < least * total:
            return 0.0
        self.matcher.set_seq1(other)
        if self.matcher.quick_ratio() < least:
            return 0.0
        return self.matcher.ratio()


def _grams(key: str) -> list[str]:
    padded = f"^{key}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def _last_segment(name: str) -> str:
    """The page an Obsidian-style path names (`folder/Some Page` -> `Some Page`)."""
    return name.rstrip("/").rsplit("/", 1)[-1].strip() or name


def _match_key(name: str) -> str:
    """What `name` is matched by: its name_key, or for a name with no letters or digits
    (`...`, `🙂`), the name itself, spacing aside, so that it still names one entity."""
    return name_key(name) or "\0" + " ".join(name.split())


def _words(text: str) -> list[str]:
    return [w for w in (name_key(part) for part in text.replace("-", " ").split()) if w]
