"""Resolving mention targets to entities: names, aliases, typed stubs, suggestions."""

from __future__ import annotations

import difflib
from collections import defaultdict

from .entries import iter_names
from .model import TYPE_LABELS, Diagnostic, Entity, Target
from .text import name_key, slugify


class Registry:
    """Every entity by id and by the matching keys of its names."""

    def __init__(self, entities: list[Entity]):
        self.entities: dict[str, Entity] = {}
        self._keys: dict[str, set[str]] = defaultdict(set)
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = entity
        for name in iter_names(entity):
            key = name_key(name)
            if key:
                self._keys[key].add(entity.id)

    def candidates(self, name: str, kind: str | None = None) -> list[str]:
        """Ids whose name, slug or alias matches `name`, optionally of one type."""
        ids = self._keys.get(name_key(name), set())
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
            return None, Diagnostic(
                path,
                pos.line,
                pos.col,
                "warning",
                "ambiguous-mention",
                f'ambiguous mention "{target.name}" matches {names}; {hint}',
            )
        if target.type is not None:
            return self._stub(target, path).id, None
        hint = self.suggest(target.name)
        message = f'unresolved mention "{target.name}"'
        if hint:
            message += f' (did you mean "{hint}"?)'
        return None, Diagnostic(path, pos.line, pos.col, "warning", "unresolved-mention", message)

    def _stub(self, target: Target, path: str) -> Entity:
        assert target.type is not None
        slug = slugify(target.name)
        existing = self.entities.get(f"{target.type}:{slug}")
        if existing is not None:
            # Another name with the same slug: the first one written keeps the page.
            self._keys[name_key(target.name)].add(existing.id)
            return existing
        stub = Entity(type=target.type, slug=slug, name=" ".join(target.name.split()), stub=True)
        stub.first_named = (path, target.position)
        stub.summary = f"{TYPE_LABELS[stub.type][0]} mentioned in the dossier (no entry yet)."
        self.add(stub)
        return stub

    def suggest(self, name: str) -> str | None:
        """The closest known name, for a did-you-mean hint."""
        key = name_key(name)
        if not key:
            return None
        words = set(_words(name))
        best: list[tuple[int, str]] = []
        for entity in self.entities.values():
            for known in iter_names(entity):
                if words and words <= set(_words(known)):
                    best.append((len(known), entity.name))
        if best:
            return sorted(best)[0][1]
        names = {name_key(n): e.name for e in self.entities.values() for n in iter_names(e)}
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
        return names[close[0]] if close else None


def _words(text: str) -> list[str]:
    return [w for w in (name_key(part) for part in text.replace("-", " ").split()) if w]
