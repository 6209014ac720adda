"""Resolving mention targets to entities: names, aliases, typed stubs, suggestions."""

from __future__ import annotations

import difflib
from collections import defaultdict

from ..diagnostics import problem
from ..model import Diagnostic, Entity, Target
from ..names import MAX_SLUG, digest, name_key, slugify
from ..read.entries import iter_names
from ..types import entity_type


class Registry:
    """Every entity by id and by the matching keys of its names."""

    def __init__(self, entities: list[Entity]):
        self.entities: dict[str, Entity] = {}
        self._keys: dict[str, set[str]] = defaultdict(set)
        # For did-you-mean: known names by each of their words, and keys by first letters.
        self._by_word: dict[str, list[tuple[int, str, frozenset[str]]]] = defaultdict(list)
        self._by_prefix: dict[str, dict[str, str]] = defaultdict(dict)
        self._suggested: dict[str, str | None] = {}
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = entity
        self._suggested.clear()
        for name in iter_names(entity):
            self._keys[_match_key(name)].add(entity.id)
            key = name_key(name)
            if not key:
                continue
            words = frozenset(_words(name))
            for word in words:
                self._by_word[word].append((len(name), entity.name, words))
            self._by_prefix[key[:2]].setdefault(key, entity.name)

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
        if len(found) > 1:
            names = ", ".join(f'"{self.entities[i].name}" ({i})' for i in found)
            hint = "add a type, e.g. [[person:...]], or use a slug"
            return None, problem(
                "ambiguous-mention",
                path,
                pos,
                f'ambiguous mention "{target.name}" matches {names}; {hint}',
            )
        if target.type is not None:
            return self._stub(target, path).id, None
        hint = self.suggest(target.name)
        message = f'unresolved mention "{target.name}"'
        if hint:
            message += f' (did you mean "{hint}"?)'
        else:
            # A new name: say how to make it an entity (a stub now, an entry later).
            message += (
                f" (add [[person:{target.name}]] to create a stub, "
                f'or run dossier new person "{target.name}")'
            )
        return None, problem("unresolved-mention", path, pos, message)

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
        stub = Entity(type=target.type, slug=slug, name=" ".join(target.name.split()), stub=True)
        stub.first_named = (path, target.position)
        stub.summary = f"{entity_type(stub.type).label} mentioned in the dossier (no entry yet)."
        self.add(stub)
        return stub

    def suggest(self, name: str) -> str | None:
        """The closest known name, for a did-you-mean hint.

        A name whose words all appear in a known name ("Qaani" in "Ismail Qaani") wins;
        else the most similar key among those with the same first letters. Both look-ups
        go through indexes, so an unresolved mention costs the same at any corpus size.
        """
        key = name_key(name)
        if not key:
            return None
        if key not in self._suggested:
            self._suggested[key] = self._suggest(name, key)
        return self._suggested[key]

    def _suggest(self, name: str, key: str) -> str | None:
        words = set(_words(name))
        if words:
            rarest = min(words, key=lambda w: len(self._by_word.get(w, ())))
            best = [
                (length, known)
                for length, known, known_words in self._by_word.get(rarest, ())
                if words <= known_words
            ]
            if best:
                return min(best)[1]
        pool = self._by_prefix.get(key[:2], {})
        close = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.75)
        return pool[close[0]] if close else None


def _match_key(name: str) -> str:
    """What `name` is matched by: its name_key, or for a name with no letters or digits
    (`...`, `🙂`), the name itself, spacing aside, so that it still names one entity."""
    return name_key(name) or "\0" + " ".join(name.split())


def _words(text: str) -> list[str]:
    return [w for w in (name_key(part) for part in text.replace("-", " ").split()) if w]
