"""Editors' entries (`dossier/<folder>/<slug>.md`) read into validated entities."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import problem
from ..files import display_path
from ..model import Diagnostic, Entity, Position, Target
from ..names import RESERVED_SLUGS, slugify
from ..types import FOLDER_TYPES, EntityType, entity_type
from . import frontmatter
from .fields import FieldChecker


def load_entries(root: Path, entries_dir: Path) -> tuple[list[Entity], list[Diagnostic]]:
    """Every entry under `entries_dir`, sorted by type and slug; duplicates reported."""
    entities: list[Entity] = []
    diagnostics: list[Diagnostic] = []
    if not entries_dir.is_dir():
        return entities, diagnostics
    for path in sorted(entries_dir.rglob("*.md")):
        if not path.is_file():
            continue
        display = display_path(path, root)
        relative = path.relative_to(entries_dir)
        kind = FOLDER_TYPES.get(relative.parts[0]) if len(relative.parts) == 2 else None
        if kind is None:
            folders = ", ".join(f"{f}/" for f in FOLDER_TYPES)
            diagnostics.append(
                problem(
                    "misplaced-entry",
                    display,
                    Position(1, 1),
                    f"entry is not in a type folder ({folders}); it is ignored",
                )
            )
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            diagnostics.append(
                problem("unreadable", display, Position(1, 1), f"cannot read: {exc.strerror}")
            )
            continue
        entity, found = read_entry(raw, display, kind, path.stem)
        diagnostics.extend(found)
        entities.append(entity)
    return _drop_duplicates(entities, diagnostics)


def read_entry(raw: bytes, path: str, kind: str, stem: str) -> tuple[Entity, list[Diagnostic]]:
    """One entry from its bytes, its fields read as its type declares them (types.py);
    the entity is usable even when fields are bad."""
    _, fm = frontmatter.read(raw, path, page=False)
    diagnostics: list[Diagnostic] = list(fm.diagnostics)
    checker = FieldChecker(fm, path, diagnostics)
    etype = entity_type(kind)
    name = checker.text("name") or stem.replace("-", " ").replace("_", " ").strip() or stem
    entity = Entity(
        type=kind,
        slug=slugify(stem),
        name=name,
        source=path,
        body=fm.body,
        body_line=fm.body_line,
        field_positions=dict(fm.positions),
    )
    if stem.lower() in RESERVED_SLUGS:
        diagnostics.append(
            problem(
                "reserved-slug",
                path,
                Position(1, 1),
                f'"{stem}" cannot name a page (it is the type\'s index, or a name Windows '
                f"refuses); the page is {entity.folder}/{entity.slug}: rename the file",
            )
        )
    owner = _with_article(etype.label.lower())
    lists: dict[str, list[Target]] = {}
    singles: dict[str, list[Target]] = {}
    for field in etype.all_fields:
        if field.key == "name":
            continue
        value = checker.read(field, owner)
        if field.kind == "targets":
            lists[field.key] = value
        elif field.kind == "target":
            if value:
                singles[field.key] = value
        elif field.attr is not None:
            if value is not None:
                setattr(entity, field.attr, value)
        elif value is not None and value != []:  # an empty list says nothing
            entity.fields[field.key] = value
    # Lists of targets resolve before single ones, as they always have: a typed stub one
    # of them makes can be what the other finds.
    entity.targets = {**lists, **singles}
    if entity.coordinates is not None:
        entity.coordinates_source = "entry"
    _check_spans(entity, etype, checker)
    return entity, diagnostics


def _check_spans(entity: Entity, etype: EntityType, checker: FieldChecker) -> None:
    """A date that ends a span (`end` of `date`) may not come before its start."""
    for field in etype.all_fields:
        end_field = etype.field(field.until) if field.until else None
        if end_field is None:
            continue
        start, end = field.value(entity), end_field.value(entity)
        if start and end and end.sort_key < start.sort_key:
            checker.bad(
                end_field.key, f"{end_field.key} {end.iso()} is before the start {start.iso()}"
            )
            if end_field.attr is not None:
                setattr(entity, end_field.attr, None)
            else:
                del entity.fields[end_field.key]


def _with_article(noun: str) -> str:
    """`an event`, `a person`: what requires a field, in its messages."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _drop_duplicates(
    entities: list[Entity], diagnostics: list[Diagnostic]
) -> tuple[list[Entity], list[Diagnostic]]:
    seen: dict[str, Entity] = {}
    kept: list[Entity] = []
    for entity in entities:
        first = seen.get(entity.id)
        if first is not None:
            diagnostics.append(
                problem(
                    "duplicate-entity",
                    entity.source or "",
                    Position(1, 1),
                    f'"{entity.name}" has the same id {entity.id} as {first.source}; it is ignored',
                )
            )
            continue
        seen[entity.id] = entity
        kept.append(entity)
    kept.sort(key=lambda e: (e.type, e.slug))
    return kept, diagnostics


def iter_names(entity: Entity) -> Iterable[str]:
    """The names an entity answers to: name, slug and aliases."""
    yield entity.name
    yield entity.slug
    yield from entity.aliases
