"""Plain data the engine passes around: entities, mentions, articles, diagnostics.

Nothing here knows about MkDocs. Positions are 1-based (line, column) in the source
file as the editor sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .types import TYPE_FOLDERS  # the type table lives in types.py

Severity = Literal["error", "warning"]


# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_SHOWN_ESCAPED = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}


def printable(text: str) -> str:
    """`text` with control characters shown escaped (`\\x1b`): a name from a source file
    cannot drive the terminal or split a line."""
    return text.translate(_SHOWN_ESCAPED)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one source position: `path:line:col: severity: message [code]`."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    # The name the problem is about (an unresolved mention's), for counting by name; not
    # part of what the problem is (equality, order).
    subject: str = field(default="", compare=False)

    def format(self) -> str:
        """The one-line form editors and CI read; control characters are shown escaped
        (`\\x1b`), so a name from a source file cannot drive the terminal or split the line."""
        line = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"
        return printable(line)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (for `dossier check --format json`)."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day; sorts at the start of its period."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        """The date as written: `2018`, `2020-01` or `2020-01-03`."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self.month or 1, self.day or 1)

    def display(self, style: str = "medium") -> str:
        """The date for readers in one of DATE_STYLES: `23 Dec 2020`, `Feb 2021`, `2019`
        (medium, the default); `23 December 2020` (long); `Dec 23, 2020` (us); the ISO
        form (iso). English month names, whatever the machine's locale."""
        if style == "iso":
            return self.iso()
        if self.month is None:
            return str(self.year)
        month = (MONTHS if style == "long" else MONTHS_SHORT)[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        if style == "us":
            return f"{month} {self.day}, {self.year}"
        return f"{self.day} {month} {self.year}"


#: Date styles for readers (the `date_style` option); PartialDate.display shows each.
DATE_STYLES = ("medium", "long", "us", "iso")
MONTHS = ("January", "February", "March", "April", "May", "June") + (
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_SHORT = [month[:3] for month in MONTHS]


@dataclass(frozen=True)
class Position:
    """Where something sits in a source file."""

    line: int
    col: int


@dataclass
class Target:
    """A mention target as written: `[[type:name|label]]` minus the brackets."""

    text: str
    type: str | None
    name: str
    label: str | None
    position: Position
    fragment: str | None = None  # `Entity#Section`: the section


@dataclass
class Entity:
    """A person, place, organization or event: from an entry file, or a stub."""

    type: str
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    wikidata: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    source: str | None = None  # entry path relative to the project root; None for stubs
    stub: bool = False
    coordinates: tuple[float, float] | None = None
    coordinates_source: str | None = None  # entry, geocache, gazetteer, country
    country_shape: str | None = None  # ISO alpha-2 when the place is a whole country
    date: PartialDate | None = None
    end: PartialDate | None = None
    field_positions: dict[str, Position] = field(default_factory=dict)
    targets: dict[str, list[Target]] = field(default_factory=dict)  # fields naming entities
    links: dict[str, list[str]] = field(default_factory=dict)  # the same, resolved to ids
    position: Position = Position(1, 1)  # where the entry starts (for entry-level problems)
    body_mentions: list[Mention] = field(default_factory=list)  # mentions in the entry's body
    body_rewrites: list[tuple[int, int, str | None]] = field(default_factory=list)
    first_named: tuple[str, Position] | None = None  # for a stub: where it was first named

    @property
    def id(self) -> str:
        return f"{self.type}:{self.slug}"

    @property
    def folder(self) -> str:
        return TYPE_FOLDERS[self.type]

    @property
    def src_uri(self) -> str:
        """Where the generated page lives under docs_dir."""
        return f"{self.folder}/{self.slug}.md"


@dataclass
class Mention:
    """One resolved or unresolved `[[...]]` (or front-matter `entities:` item) in an article."""

    target: Target
    start: int  # offsets into the article's Markdown body; -1 for front-matter entities
    end: int
    entity_id: str | None = None
    anchor: str | None = None
    context: tuple[str, str, str] | None = None  # sentence before, label, after
    in_front_matter: bool = False
    heading: bool = False  # in a heading: rendered inline for the table of contents
    embed: bool = False  # written `![[...]]`: shown as a card
    page: str | None = None  # `[[Page]]` naming a page of the site: its src_uri ("": this one)
    file: str | None = None  # `![[image.png]]`: the src_uri of the image ("" if not found)

    @property
    def label(self) -> str:
        if self.target.label is not None:
            return self.target.label
        return self.target.name or self.target.fragment or ""


@dataclass
class Statement:
    """A quote attributed to an entity (blockquote ending in `— [[Speaker]]`)."""

    entity_id: str
    text: str
    anchor: str
    position: Position
    note: str = ""


@dataclass
class Article:
    """A page under docs_dir with its front matter and scanned mentions."""

    src_uri: str  # relative to docs_dir, forward slashes
    path: str  # relative to the project root, for diagnostics
    url: str = ""
    title: str = ""
    date: PartialDate | None = None
    updated: PartialDate | None = None
    source: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    original_url: str | None = None
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    body: str = ""
    body_offset_line: int = 0  # lines of front matter before the body
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    #: (start, end, label): where the scan shows a label only; label None: a stray `[`.
    rewrites: list[tuple[int, int, str | None]] = field(default_factory=list)
    repaired_text: str | None = None  # whole file, when its bytes were not valid UTF-8
