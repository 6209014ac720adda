"""Front-matter fields checked by kind (types.Field), for entries and articles alike."""

from __future__ import annotations

import math
import re
from typing import Any

from ..diagnostics import problem
from ..model import Diagnostic, PartialDate, Position, Target
from ..types import Field
from . import frontmatter
from .dates import parse_partial_date
from .grammar import parse_target

_WIKIDATA = re.compile(r"^Q[1-9]\d*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


#: Characters no field may hold: C0 controls but tab and line breaks, DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FieldChecker:
    """Typed access to front-matter fields; every mistake becomes a `bad-field` diagnostic
    (appended to `out`) at the field's, or the list item's, position."""

    def __init__(self, fm: frontmatter.FrontMatter, path: str, out: list[Diagnostic]):
        self.fm = fm
        self.path = path
        self.out = out

    def read(self, field: Field, owner: str = "") -> Any:
        """The value of `field` as its kind reads it (None, or [] for lists, when absent
        or bad). `owner` names what requires it: "an event" needs a date."""
        key, kind = field.key, field.kind
        if kind == "text":
            return self.text(key)
        if kind == "text_list":
            return self.text_list(key)
        if kind == "date":
            return self.date(key, owner if field.required else None)
        if kind == "coordinates":
            return self.coordinates(key)
        if kind == "country":
            return self.country(key)
        if kind == "wikidata":
            return self.wikidata(key)
        if kind in ("target", "targets"):
            return self.targets(key, single=kind == "target")
        raise ValueError(f"field {key!r} has an unknown kind {kind!r}")

    def where(self, key: str, item: int | None = None) -> Position:
        if item is not None:
            items = self.fm.item_positions.get(key, [])
            if item < len(items):
                return items[item]
        return self.fm.positions.get(key, Position(1, 1))

    def bad(self, key: str, message: str, item: int | None = None) -> None:
        self.out.append(problem("bad-field", self.path, self.where(key, item), f"{key}: {message}"))

    def text(self, key: str) -> str | None:
        """One line of text; numbers are text too. None when empty."""
        value = self.fm.data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.bad(key, f"expected text, got {_kind(value)}")
            return None
        return self.one_line(key, value) or None

    def one_line(self, key: str, value: str, item: int | None = None) -> str:
        """`value` on one line: line breaks and runs of spaces become one space (a summary
        written as a YAML block must not break the title attribute of every mention), and
        control characters are reported and dropped (they must never reach a page)."""
        controls = _CONTROL.findall(value)
        if controls:
            shown = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in controls))
            self.bad(key, f"control character {shown} removed", item)
            value = _CONTROL.sub("", value)
        return " ".join(value.split())

    def text_list(self, key: str) -> list[str]:
        """A list of text (one text counts as a list of one); empty items dropped."""
        value = self.fm.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            text = self.one_line(key, value)
            return [text] if text else []
        if not isinstance(value, list):
            self.bad(key, f"expected a list of text, got {_kind(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                text = self.one_line(key, str(item), index)
                if text:
                    result.append(text)
            else:
                self.bad(key, f"item {index + 1} should be text, got {_kind(item)}", index)
        return result

    def targets(self, key: str, single: bool = False) -> list[Target]:
        """Mention targets, bare (`Baghdad`, `place:Baghdad|the city`) or bracketed."""
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
            if target is not None and not target.name:  # `#Heading`: a section, no name
                self.bad(key, f'"{text}" names no entity', index)
            elif target is not None:
                result.append(target)
        return result

    def date(self, key: str, required_by: str | None = None) -> PartialDate | None:
        """A partial date; when absent and `required_by` ("an event") is given, an error."""
        value = self.fm.data.get(key)
        if value is None:
            if required_by is not None:
                self.bad(key, f"{required_by} needs a {key} (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        parsed, issue = parse_partial_date(value)
        if issue:
            self.bad(key, issue)
        return parsed

    def coordinates(self, key: str) -> tuple[float, float] | None:
        """[lat, lon] as two finite numbers in range."""
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
        try:
            lat, lon = float(value[0]), float(value[1])
        except OverflowError:  # an integer past the largest float
            lat = lon = math.inf
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

    def country(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _COUNTRY.match(value):
            self.bad(key, f'"{value}" is not an ISO 3166 alpha-2 country code (like IQ)')
            return None
        return value

    def wikidata(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _WIKIDATA.match(value):
            self.bad(key, f'"{value}" is not a Wikidata id (like Q42)')
            return None
        return value


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
