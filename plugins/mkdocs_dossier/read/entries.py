"""Editors' entries (`dossier/<folder>/<slug>.md`) read into validated entities."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..files import display_path
from ..model import TYPE_FOLDERS, Diagnostic, Entity, Position, Target
from ..names import slugify
from . import frontmatter
from .dates import parse_partial_date
from .grammar import parse_target

FOLDER_TYPES = {folder: kind for kind, folder in TYPE_FOLDERS.items()}

_STR_FIELDS = {
    "common": ("name", "summary"),
    "person": ("role", "nationality"),
    "org": ("kind", "country"),
    "place": ("geocode", "country", "kind"),
    "event": (),
}
_TARGET_LIST_FIELDS = {"person": ("affiliations",), "event": ("participants",)}
_TARGET_FIELDS = {"org": ("parent",), "event": ("place",)}
#: Fields whose target can only be of one type: an untyped name is read as that type,
#: so `place: Jordan` never means a person called Jordan.
FIELD_TYPES = {"place": "place", "parent": "org"}
_WIKIDATA = re.compile(r"^Q[1-9]\d*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


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
                Diagnostic(
                    display,
                    1,
                    1,
                    "warning",
                    "unknown-type",
                    f"entry is not in a type folder ({folders}); it is ignored",
                )
            )
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            diagnostics.append(
                Diagnostic(display, 1, 1, "error", "unreadable", f"cannot read: {exc.strerror}")
            )
            continue
        entity, found = read_entry(raw, display, kind, path.stem)
        diagnostics.extend(found)
        entities.append(entity)
    return _drop_duplicates(entities, diagnostics)


def read_entry(raw: bytes, path: str, kind: str, stem: str) -> tuple[Entity, list[Diagnostic]]:
    """One entry from its bytes; the entity is usable even when fields are bad."""
    _, fm = frontmatter.read(raw, path, page=False)
    diagnostics: list[Diagnostic] = list(fm.diagnostics)
    checker = _FieldChecker(fm, path, diagnostics)
    name = checker.string("name") or stem.replace("-", " ").replace("_", " ").strip() or stem
    entity = Entity(
        type=kind,
        slug=slugify(stem),
        name=name,
        source=path,
        body=fm.body,
        body_line=fm.body_line,
        field_positions=dict(fm.positions),
    )
    entity.aliases = checker.string_list("aliases")
    entity.summary = checker.string("summary") or ""
    wikidata = checker.string("wikidata")
    if wikidata is not None:
        if _WIKIDATA.match(wikidata):
            entity.wikidata = wikidata
        else:
            checker.bad("wikidata", f'"{wikidata}" is not a Wikidata id (like Q42)')
    for key in _STR_FIELDS.get(kind, ()):
        value = checker.string(key)
        if value is None:
            continue
        if key == "country" and not _COUNTRY.match(value):
            checker.bad(key, f'"{value}" is not an ISO 3166 alpha-2 country code (like IQ)')
            continue
        entity.fields[key] = value
    if kind == "person":
        born, _ = checker.date("born")
        if born is not None:
            entity.fields["born"] = born
    for key in _TARGET_LIST_FIELDS.get(kind, ()):
        entity.targets[key] = checker.targets(key)
    for key in _TARGET_FIELDS.get(kind, ()):
        targets = checker.targets(key, single=True)
        if targets:
            entity.targets[key] = targets
    if kind == "place":
        entity.coordinates = checker.coordinates("coordinates")
        if entity.coordinates is not None:
            entity.coordinates_source = "entry"
    if kind == "event":
        entity.date, _ = checker.date("date", required=True)
        entity.end, _ = checker.date("end")
        if entity.date and entity.end and entity.end.sort_key < entity.date.sort_key:
            checker.bad("end", f"end {entity.end.iso()} is before the start {entity.date.iso()}")
            entity.end = None
    return entity, diagnostics


class _FieldChecker:
    """Typed access to front-matter fields; every mistake becomes a `bad-field` diagnostic."""

    def __init__(self, fm: frontmatter.FrontMatter, path: str, out: list[Diagnostic]):
        self.fm = fm
        self.path = path
        self.out = out

    def where(self, key: str, item: int | None = None) -> Position:
        if item is not None:
            items = self.fm.item_positions.get(key, [])
            if item < len(items):
                return items[item]
        return self.fm.positions.get(key, Position(1, 1))

    def bad(self, key: str, message: str, item: int | None = None, severity: str = "error"):
        pos = self.where(key, item)
        self.out.append(
            Diagnostic(self.path, pos.line, pos.col, severity, "bad-field", f"{key}: {message}")  # type: ignore[arg-type]
        )

    def string(self, key: str) -> str | None:
        value = self.fm.data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.bad(key, f"expected text, got {_kind(value)}")
            return None
        return value.strip() or None

    def string_list(self, key: str) -> list[str]:
        value = self.fm.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if not isinstance(value, list):
            self.bad(key, f"expected a list of text, got {_kind(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                if str(item).strip():
                    result.append(str(item).strip())
            else:
                self.bad(key, f"item {index + 1} should be text, got {_kind(item)}", index)
        return result

    def targets(self, key: str, single: bool = False) -> list[Target]:
        value = self.fm.data.get(key)
        if value is None:
            return []
        items: list[Any] = [value] if single or isinstance(value, str) else value
        if not isinstance(items, list):
            self.bad(key, f"expected a list of names, got {_kind(value)}")
            return []
        result = []
        for index, item in enumerate(items):
            position = self.where(key, None if single or isinstance(value, str) else index)
            if not isinstance(item, str):
                self.bad(key, f"expected a name, got {_kind(item)}", index)
                continue
            text = item.strip()
            if text.startswith("[[") and text.endswith("]]"):
                text = text[2:-2]
            target, found = parse_target(text, position, self.path)
            self.out.extend(found)
            if target is not None:
                result.append(target)
        return result

    def date(self, key: str, required: bool = False):
        value = self.fm.data.get(key)
        if value is None:
            if required:
                pos = self.fm.positions.get(key, Position(1, 1))
                self.out.append(
                    Diagnostic(
                        self.path,
                        pos.line,
                        pos.col,
                        "error",
                        "bad-field",
                        f"{key}: an event needs a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                    )
                )
            return None, None
        parsed, problem = parse_partial_date(value)
        if problem:
            self.bad(key, problem)
        return parsed, problem

    def coordinates(self, key: str) -> tuple[float, float] | None:
        value = self.fm.data.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        ):
            self.bad(key, f"expected [lat, lon] as two numbers, got {_short(value)}")
            return None
        lat, lon = float(value[0]), float(value[1])
        if not (math.isfinite(lat) and math.isfinite(lon)):
            self.bad(key, "coordinates must be finite numbers")
            return None
        if not -90 <= lat <= 90:
            self.bad(key, f"latitude {lat:g} is out of range (-90 to 90)")
            return None
        if not -180 <= lon <= 180:
            self.bad(key, f"longitude {lon:g} is out of range (-180 to 180)")
            return None
        return (lat, lon)


def _drop_duplicates(
    entities: list[Entity], diagnostics: list[Diagnostic]
) -> tuple[list[Entity], list[Diagnostic]]:
    seen: dict[str, Entity] = {}
    kept: list[Entity] = []
    for entity in entities:
        first = seen.get(entity.id)
        if first is not None:
            diagnostics.append(
                Diagnostic(
                    entity.source or "",
                    1,
                    1,
                    "error",
                    "duplicate-entity",
                    f'"{entity.name}" has the same id {entity.id} as {first.source}; it is ignored',
                )
            )
            continue
        seen[entity.id] = entity
        kept.append(entity)
    kept.sort(key=lambda e: (e.type, e.slug))
    return kept, diagnostics


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def iter_names(entity: Entity) -> Iterable[str]:
    """The names an entity answers to: name, slug and aliases."""
    yield entity.name
    yield entity.slug
    yield from entity.aliases
