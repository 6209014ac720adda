"""Every diagnostic the dossier reports, defined once: its code, severity and meaning.

A diagnostic is made with `problem(code, path, position, message)`, which takes the
severity from this catalogue, so a code cannot be an error in one place and a warning in
another. The README's table of diagnostics is checked against CATALOGUE by the tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Diagnostic, Position, Severity


@dataclass(frozen=True)
class Code:
    """One kind of problem."""

    name: str
    severity: Severity
    description: str


_CODES = (
    # Reading sources
    Code("bad-encoding", "warning", "a source file is not valid UTF-8 (read with U+FFFD)"),
    Code("unreadable", "error", "a source file cannot be read"),
    Code("bad-front-matter", "error", "front matter is not YAML, or not a mapping of fields"),
    Code("duplicate-key", "warning", "front matter gives a key twice; the last value is used"),
    Code("bad-field", "error", "a field has the wrong type or an invalid value"),
    Code("misplaced-entry", "warning", "an entry file is not in a type folder; it is ignored"),
    Code("duplicate-entity", "error", "two entries have the same type and slug"),
    Code("reserved-slug", "warning", "an entry's file name cannot name a page; it is renamed"),
    # Mentions
    Code("unknown-type", "warning", "a typed mention names a type that does not exist"),
    Code("empty-mention", "warning", "`[[ ]]` names nothing"),
    Code("unclosed-mention", "warning", "`[[` is not closed by `]]` in its paragraph"),
    Code(
        "protected-mention",
        "warning",
        "a mention where markup cannot go (link text, alt text, a tag, a URL): not a mention",
    ),
    Code("unresolved-mention", "warning", "a mention names no entity"),
    Code("missing-file", "warning", "`![[file.png]]` names no file in docs_dir"),
    Code("ambiguous-mention", "warning", "a mention names more than one entity"),
    Code("hidden-entity-page", "warning", "a page in docs_dir hides an entity's page"),
    Code(
        "too-deep",
        "error",
        "a page nests lists or blocks deeper than Markdown can render; build stops",
    ),
    Code("symlink-loop", "error", "a folder link under docs_dir points back up; build stops"),
    # Places
    Code("missing-coordinates", "warning", "a place has no coordinates; it is on no map"),
    Code("bad-geocache", "error", "geocache.yml cannot be read or has an invalid entry"),
    Code("geocache-unknown-key", "warning", "geocache.yml has a top-level key it ignores"),
    Code("geocode-failed", "warning", "`dossier geocode` found no coordinates for a place"),
    # The site's configuration
    Code("offline-network", "warning", "a setting makes the offline site reach the network"),
    Code("mkdocs", "warning", "MkDocs (or another plugin) warned while loading the site"),
    Code("mkdocs-error", "error", "MkDocs refused the site's configuration"),
)

#: Every code, by name.
CATALOGUE: dict[str, Code] = {code.name: code for code in _CODES}


def problem(
    code: str, path: str, position: Position, message: str, subject: str = ""
) -> Diagnostic:
    """The diagnostic `code` at `position` of `path`, with the catalogue's severity;
    `subject` is the name it is about, if any (`dossier check --summary` counts by it)."""
    severity = CATALOGUE[code].severity
    return Diagnostic(path, position.line, position.col, severity, code, message, subject)


def table() -> str:
    """The Markdown table of every code (the README's "Diagnostics" section)."""
    rows = ["| code | severity | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{c.name}` | {c.severity} | {c.description} |" for c in _CODES]
    return "\n".join(rows) + "\n"


@dataclass(frozen=True)
class Count:
    """How many diagnostics share a code, or a code and a subject (`first`: the first of
    them in path and line order)."""

    code: str
    severity: Severity
    count: int
    first: Diagnostic
    subject: str = ""


def summarize(diagnostics: Iterable[Diagnostic]) -> tuple[list[Count], list[Count]]:
    """Counts by code, and by code and subject for diagnostics about a name: each list
    most first, then in catalogue order, then by subject."""
    ordered = sorted(diagnostics)
    order = {name: i for i, name in enumerate(CATALOGUE)}
    by_code: Counter[str] = Counter(d.code for d in ordered)
    by_subject: Counter[tuple[str, str]] = Counter(
        (d.code, d.subject) for d in ordered if d.subject
    )
    first: dict[tuple[str, str], Diagnostic] = {}
    for d in ordered:
        first.setdefault((d.code, ""), d)
        if d.subject:
            first.setdefault((d.code, d.subject), d)
    codes = [
        Count(code, first[code, ""].severity, n, first[code, ""])
        for code, n in sorted(by_code.items(), key=lambda item: (-item[1], order.get(item[0], 0)))
    ]
    subjects = [
        Count(code, first[code, subject].severity, n, first[code, subject], subject)
        for (code, subject), n in sorted(
            by_subject.items(), key=lambda item: (-item[1], order.get(item[0][0], 0), item[0][1])
        )
    ]
    return codes, subjects
