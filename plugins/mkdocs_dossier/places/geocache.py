"""dossier/geocache.yml: coordinates looked up once by `dossier geocode`, then committed.

The build only reads this file (`load_geocache`); `dossier geocode` rewrites it
(`write_geocache`). The text is sorted by slug and stable, so a rewrite with the same
entries gives the same bytes and a git diff shows only what changed:

```yaml
places:
  mosul:
    query: "Mosul, IQ"
    coordinates: [36.335, 43.1189]
    provider: nominatim
    display_name: "Mosul, Nineveh Governorate, Iraq"
    retrieved: 2026-11-01
```
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import problem
from ..files import write_atomic
from ..model import Diagnostic, Position
from ..read import yamlpos

__all__ = ["CacheEntry", "load_geocache", "render_geocache", "write_geocache"]

#: Decimals kept for coordinates: 6 is about 0.1 m, finer than any map or source.
COORDINATE_DECIMALS = 6

_HEADER = (
    "# Place coordinates looked up once by `dossier geocode`; commit this file.\n"
    "# Keyed by place slug and sorted; coordinates are [lat, lon]. The build never\n"
    "# writes here; an entry's own `coordinates` field wins over this file.\n"
)

_KNOWN_KEYS = ("query", "coordinates", "provider", "display_name", "retrieved")


@dataclass
class CacheEntry:
    """One looked-up place: what was asked, where it is, who answered, and when."""

    slug: str
    query: str
    coordinates: tuple[float, float]  # (lat, lon)
    provider: str
    display_name: str = ""
    retrieved: date | None = None
    #: Keys this module does not know, kept so a rewrite never drops an editor's note.
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- loading


def load_geocache(path: Path, display_path: str) -> tuple[dict[str, CacheEntry], list[Diagnostic]]:
    """The valid entries of the geocache at `path`, and diagnostics for the rest.

    A missing file is an empty cache. Never raises: unreadable bytes, broken YAML or a
    wrong shape give a `bad-geocache` diagnostic; an invalid entry gives `bad-field` at
    the offending value and is left out (coordinates) or defaulted (other fields).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except (OSError, ValueError) as exc:  # a directory, no permission, bad path
        return {}, [
            problem("bad-geocache", display_path, Position(1, 1), f"cannot read geocache: {exc}")
        ]
    try:
        return _load_text(raw, display_path)
    except Exception as exc:  # noqa: BLE001 - the build must never crash on this file
        return {}, [
            problem("bad-geocache", display_path, Position(1, 1), f"cannot read geocache: {exc}")
        ]


def _load_text(raw: bytes, display_path: str) -> tuple[dict[str, CacheEntry], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        message = f"geocache is not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        return {}, [problem("bad-geocache", display_path, Position(line, col), message)]
    try:
        root = yamlpos.compose(text)
    except yaml.YAMLError as exc:
        mark, what = yamlpos.error_at(exc)
        line, col = yamlpos.line_col(mark, text=text)
        return {}, [
            problem("bad-geocache", display_path, Position(line, col), f"invalid YAML: {what}")
        ]
    except RecursionError:
        return {}, [
            problem("bad-geocache", display_path, Position(1, 1), "invalid YAML: nested too deeply")
        ]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        line, col = yamlpos.line_col(root, text=text)
        message = "geocache must be a mapping with a `places:` key"
        return {}, [problem("bad-geocache", display_path, Position(line, col), message)]

    places_node: yaml.Node | None = None
    for key_node, value_node in root.value:
        key = yamlpos.scalar_text(key_node)
        if key == "places" and places_node is None:
            places_node = value_node
        else:
            line, col = yamlpos.line_col(key_node, text=text)
            message = f"unknown top-level key {key!r} in geocache (only `places:` is read)"
            diagnostics.append(
                problem("geocache-unknown-key", display_path, Position(line, col), message)
            )
    if places_node is None or yamlpos.is_null(places_node):
        return {}, diagnostics
    if not isinstance(places_node, yaml.MappingNode):
        line, col = yamlpos.line_col(places_node, text=text)
        message = "`places:` must map place slugs to entries"
        return {}, [
            *diagnostics,
            problem("bad-geocache", display_path, Position(line, col), message),
        ]

    entries: dict[str, CacheEntry] = {}
    seen: set[str] = set()
    for key_node, value_node in places_node.value:
        slug = yamlpos.scalar_text(key_node)
        line, col = yamlpos.line_col(key_node, text=text)
        if slug is None or not slug:
            message = "a geocache place key must be a slug"
            diagnostics.append(problem("bad-geocache", display_path, Position(line, col), message))
            continue
        if slug in seen:
            message = f"duplicate geocache entry {slug!r} (the first one is used)"
            diagnostics.append(problem("bad-geocache", display_path, Position(line, col), message))
            continue
        seen.add(slug)
        entry = _load_entry(slug, key_node, value_node, display_path, diagnostics)
        if entry is not None:
            entries[slug] = entry
    return entries, sorted(diagnostics)


def _load_entry(
    slug: str,
    key_node: yaml.Node,
    node: yaml.Node,
    display_path: str,
    diagnostics: list[Diagnostic],
) -> CacheEntry | None:
    """One entry, or None when its coordinates are unusable (diagnostic added)."""

    def bad(at: yaml.Node, message: str) -> None:
        line, col = yamlpos.line_col(at)
        diagnostics.append(problem("bad-field", display_path, Position(line, col), message))

    if not isinstance(node, yaml.MappingNode):
        bad(node, f"geocache entry {slug!r} must be a mapping of fields")
        return None
    fields: dict[str, yaml.Node] = {}
    for field_key, field_value in node.value:
        name = yamlpos.scalar_text(field_key)
        if name is None:
            bad(field_key, f"geocache entry {slug!r} has a field name that is not text")
        elif name in fields:
            bad(field_key, f"geocache entry {slug!r} repeats the field {name!r}")
        else:
            fields[name] = field_value

    coords_node = fields.get("coordinates")
    if coords_node is None:
        bad(key_node, f"geocache entry {slug!r} has no coordinates")
        return None
    coordinates = _coordinates(slug, coords_node, bad)
    if coordinates is None:
        return None

    texts: dict[str, str] = {}
    for name in ("query", "provider", "display_name"):
        value_node = fields.get(name)
        if value_node is None or yamlpos.is_null(value_node):
            texts[name] = ""
        elif isinstance(value_node, yaml.ScalarNode):
            texts[name] = str(value_node.value)
        else:
            bad(value_node, f"{name} of geocache entry {slug!r} must be text")
            texts[name] = ""

    retrieved: date | None = None
    retrieved_node = fields.get("retrieved")
    if retrieved_node is not None and not yamlpos.is_null(retrieved_node):
        retrieved = _retrieved(retrieved_node)
        if retrieved is None:
            bad(retrieved_node, f"retrieved of geocache entry {slug!r} must be a date YYYY-MM-DD")

    extra: dict[str, Any] = {}
    for name, value_node in fields.items():
        if name in _KNOWN_KEYS:
            continue
        try:
            extra[name] = yamlpos.construct(value_node)
        except Exception:  # noqa: BLE001 - a value YAML itself cannot build
            bad(value_node, f"unreadable field {name!r} in geocache entry {slug!r}")
    return CacheEntry(
        slug=slug,
        query=texts["query"],
        coordinates=coordinates,
        provider=texts["provider"],
        display_name=texts["display_name"],
        retrieved=retrieved,
        extra=extra,
    )


def _coordinates(slug: str, node: yaml.Node, bad: Any) -> tuple[float, float] | None:
    """(lat, lon) from `[lat, lon]`, or None after reporting what is wrong and where."""
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
        bad(node, f"coordinates of geocache entry {slug!r} must be [lat, lon]")
        return None
    values: list[float] = []
    for item, label, limit in zip(node.value, ("latitude", "longitude"), (90, 180), strict=True):
        number = _number(item)
        if number is None:
            bad(item, f"{label} of geocache entry {slug!r} is not a number")
            return None
        if not -limit <= number <= limit:
            bad(
                item,
                f"{label} {number:g} of geocache entry {slug!r} is outside [-{limit}, {limit}]",
            )
            return None
        values.append(number)
    return values[0], values[1]


def _number(node: yaml.Node) -> float | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        value = yamlpos.construct(node)
    except Exception:  # noqa: BLE001
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _retrieved(node: yaml.Node) -> date | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        value = yamlpos.construct(node)
    except Exception:  # noqa: BLE001 - e.g. 2026-13-45 resolves as a timestamp, then fails
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------- writing


def render_geocache(entries: Mapping[str, CacheEntry], original: str | None = None) -> str:
    """The geocache text for `entries`: sorted by slug, the same entries give the same text.

    With the file's `original` text, the rewrite changes only what changed: its header
    and comments are kept, and every entry equal to the one written there keeps its
    exact lines (comments, number formats, dates, quoting as the editor left them)."""
    kept = _entry_blocks(original) if original else None
    if not entries:
        head = kept[0].rstrip() if kept else ""
        return (head if head.endswith("places:") else _HEADER + "places:") + " {}\n"
    head, blocks = kept if kept else (_HEADER + "places:\n", {})
    parts = [head]
    for slug in sorted(entries):
        old = blocks.get(slug)
        if old is not None and old[1] == entries[slug]:
            parts.append(old[0])
        else:
            parts.append(_render_entry(slug, entries[slug]))
    return "".join(parts)


def _render_entry(slug: str, entry: CacheEntry) -> str:
    lat, lon = entry.coordinates
    lines = [f"  {_key(slug)}:"]
    lines.append(f"    query: {_quote(entry.query)}")
    lines.append(f"    coordinates: [{format_coordinate(lat)}, {format_coordinate(lon)}]")
    lines.append(f"    provider: {_plain_or_quoted(entry.provider)}")
    if entry.display_name:
        lines.append(f"    display_name: {_quote(entry.display_name)}")
    if entry.retrieved is not None:
        lines.append(f"    retrieved: {entry.retrieved.isoformat()}")
    for name in sorted(entry.extra):
        if name in _KNOWN_KEYS:
            continue
        dumped = yaml.safe_dump(
            {name: entry.extra[name]},
            default_flow_style=False,
            allow_unicode=True,
            sort_keys=True,
            width=1_000_000,
        )
        lines.extend("    " + line for line in dumped.rstrip("\n").split("\n"))
    return "\n".join(lines) + "\n"


def _entry_blocks(text: str) -> tuple[str, dict[str, tuple[str, CacheEntry]]] | None:
    """The file cut into its header (through `places:`) and each entry's own lines, with
    the entry they read as; None when the file is not laid out that way (then the whole
    file is written anew)."""
    try:
        root = yamlpos.compose(text)
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return None
    key_node, places = root.value[0]
    if yamlpos.scalar_text(key_node) != "places" or not isinstance(places, yaml.MappingNode):
        return None
    if places.flow_style or not places.value:
        return None
    entries, _ = _load_text(text.encode("utf-8"), "geocache.yml")
    starts = [_block_start(text, key.start_mark.index) for key, _ in places.value]
    head = text[: starts[0]]
    blocks: dict[str, tuple[str, CacheEntry]] = {}
    for index, (key, _) in enumerate(places.value):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        block = text[starts[index] : end]
        slug = yamlpos.scalar_text(key)
        if slug in entries and slug not in blocks:
            blocks[slug] = (block if block.endswith("\n") else block + "\n", entries[slug])
    return head, blocks


def _block_start(text: str, index: int) -> int:
    """Where an entry's lines start: its key's line, and the comment lines just above."""
    start = text.rfind("\n", 0, index) + 1
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous : start - 1].lstrip().startswith("#"):
            break
        start = previous
    return start


def write_geocache(path: Path, entries: Mapping[str, CacheEntry]) -> None:
    """Write `entries` to `path` atomically: readers see the old file or the new, never
    half. What the run did not change keeps its exact lines (see render_geocache)."""
    try:
        original: str | None = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        original = None
    write_atomic(path, render_geocache(entries, original).encode("utf-8"))


def format_coordinate(value: float) -> str:
    """`value` with at most COORDINATE_DECIMALS decimals and no float noise: `43.1189`."""
    text = f"{round(float(value), COORDINATE_DECIMALS) + 0.0:.{COORDINATE_DECIMALS}f}"
    text = text.rstrip("0")
    if text.endswith("."):
        text += "0"
    return "0.0" if text in ("-0.0", "0.0") else text


_PLAIN_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

# Characters written as escapes inside double quotes: YAML forbids them raw, or would
# read them as line breaks, or they are invisible to an editor.
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _key(text: str) -> str:
    return _plain_or_quoted(text)


def _plain_or_quoted(text: str) -> str:
    """`text` plain when YAML reads it back as the same string, else double-quoted."""
    if _PLAIN_SLUG.fullmatch(text):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return _quote(text)


def _quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back exactly."""
    out = ['"']
    for ch in text:
        escaped = _ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
            continue
        code = ord(ch)
        printable = (
            0x20 <= code <= 0x7E
            or (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029))
            or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
            or 0x10000 <= code <= 0x10FFFF
        )
        if printable:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)
