"""`dossier annotate`: find names of known entities that are not yet mentions.

A name matches whole words only, ignoring case, accents, punctuation and spacing as the
resolver does (`Al Kādhimī` = `al-Kadhimi`); an all-capitals name (`US`, `IRGC`) matches
only when written in capitals, so "told us" is not the United States. The longest name
wins where names overlap (`Mike Pompeo` over `Pompeo`). Code, HTML comments and tags,
links, existing `[[...]]` and the front matter are never touched.

News names people the way newsnames.py describes: a surname after the
full name, a title before a name, a possessive, a transliteration variant, a contextual
alias ("the president") only once the full name has appeared.

By default one suggestion is made per entity and paragraph: the first occurrence, and
none where the paragraph already mentions the entity. `--write` wraps exactly the
occurrences it lists as `[[Name|as written]]` (`[[Name]]` when identical), so a second
run finds nothing new.
"""

from __future__ import annotations

import bisect
import difflib
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .discover import Discovery, discover
from .files import display_path, write_atomic
from .names import slugify
from .newsnames import NameTable, find_matches, find_names, mentioned_ids

__all__ = ["NameTable", "Suggestion", "annotate_files", "apply", "find_names", "suggest"]
from .pipeline import load_dossier
from .read import frontmatter
from .read.articles import _BLOCK_START
from .read.sources import Project
from .read.text import line_col, line_offsets, read_source
from .types import TYPE_ALIASES

_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")


@dataclass(frozen=True)
class Suggestion:
    """One unannotated occurrence of a known name."""

    path: str
    line: int
    col: int
    start: int  # offsets into the whole (decoded, newline-unified) file
    end: int
    text: str  # the name as written
    entity_id: str
    target: str  # what goes before `|`
    variant: str | None = None  # the entity's spelling that `text` varies (`Soleimani`)

    @property
    def replacement(self) -> str:
        return _wrap(self.target, self.text)

    def format(self) -> str:
        written = " ".join(self.text.split())
        replacement = _LINE_BREAK.sub(" ", self.replacement)
        spelled = f' (a spelling of "{self.variant}")' if self.variant else ""
        return (
            f'{self.path}:{self.line}:{self.col}: note: "{written}" '
            f"could be {replacement}{spelled} [annotate]"
        )


def _wrap(target: str, written: str) -> str:
    """`[[target|written]]`, or `[[target]]` when it shows as written already."""
    kind, colon, name = target.partition(":")
    if target == written or (colon and kind in TYPE_ALIASES and name == written):
        return f"[[{target}]]"
    return f"[[{target}|{written}]]"


def paragraph_starts(body: str) -> list[int]:
    """Offsets where paragraphs (and list items, headings, quote lines) start, as
    `articles.paragraph_bounds` sees them, found in one pass."""
    starts = [0]
    previous_blank = True
    for offset in line_offsets(body):
        end = body.find("\n", offset)
        line = body[offset : len(body) if end == -1 else end]
        blank = not line.strip()
        if not blank and (previous_blank or _BLOCK_START.match(line)) and offset:
            starts.append(offset)
        previous_blank = blank
    return starts


def suggest(
    text: str, path: str, table: NameTable, *, every: bool = False, skip: Sequence[str] = ()
) -> list[Suggestion]:
    """Suggestions for one file's text (decoded, `\\n` newlines)."""
    # Never inside a fenced block, even one MkDocs would render because it is not YAML.
    fm = frontmatter.split(text, path, page=False)
    body = fm.body
    offset = len(text) - len(body)
    starts = line_offsets(text)
    paragraphs = paragraph_starts(body)

    def paragraph(offset: int) -> int:
        return paragraphs[bisect.bisect_right(paragraphs, offset) - 1]

    mentions = mentioned_ids(body, table)
    mentioned = {(paragraph(start), entity_id) for start, entity_id in mentions}
    result: list[Suggestion] = []
    for match in find_matches(body, table, mentions):
        start, end, entity_id = match.start, match.end, match.entity_id
        if entity_id in skip:
            continue
        if not every:
            key = (paragraph(start), entity_id)
            if key in mentioned:
                continue
            mentioned.add(key)
        target = table.targets[entity_id]
        result.append(
            _at(text, starts, path, offset, body, start, end, entity_id, target, match.variant)
        )
    return result


def _at(
    text: str,
    starts: list[int],
    path: str,
    offset: int,
    body: str,
    start: int,
    end: int,
    entity_id: str,
    target: str,
    variant: str | None = None,
) -> Suggestion:
    """A suggestion for `body[start:end]`, the body starting at `offset` in `text`."""
    line, col = line_col(text, offset + start, starts)
    span = (offset + start, offset + end, body[start:end])
    return Suggestion(path, line, col, *span, entity_id, target, variant)


def discover_suggestions(
    text: str, path: str, table: NameTable
) -> list[tuple[Discovery, list[Suggestion]]]:
    """Names in one file that no entity has (discover.py), each with a typed mention
    for every occurrence."""
    fm = frontmatter.split(text, path, page=False)
    body = fm.body
    offset = len(text) - len(body)
    starts = line_offsets(text)
    result = []
    for found in discover(body, table):
        items = []
        entity_id = f"{found.type}:{slugify(found.name)}"
        for start, end in found.occurrences:
            items.append(_at(text, starts, path, offset, body, start, end, entity_id, found.target))
        result.append((found, items))
    return result


def format_discovery(found: Discovery, items: Sequence[Suggestion]) -> str:
    """A discovery as a note line (where it is first, how often, where else) and the
    `dossier new` command that makes its entry."""
    first = items[0]
    places = ", ".join(f"{i.line}:{i.col}" for i in items)
    times = "once" if len(items) == 1 else f"{len(items)} times"
    return (
        f'{first.path}:{first.line}:{first.col}: note: "{found.name}" has no entry; '
        f"{_with_article(found.type)}? ({found.why}), {times} at {places} [discover]\n"
        f"    dossier new {found.type} {shlex.quote(found.name)}"
    )


def _with_article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def apply(
    text: str, suggestions: Sequence[Suggestion], offsets: Sequence[int] | None = None
) -> tuple[str, list[tuple[Suggestion, str]]]:
    """`text` with each suggestion wrapped, and the suggestions left unwrapped with why;
    `offsets` maps positions into `text` when it is the original file (BOM, CRLF)
    rather than the decoded text. Every byte outside the wrapped names is kept."""
    parts: list[str] = []
    refused: list[tuple[Suggestion, str]] = []
    pos = 0
    for item in sorted(suggestions, key=lambda s: s.start):
        start = offsets[item.start] if offsets is not None else item.start
        end = offsets[item.end] if offsets is not None else item.end
        if start < pos:
            refused.append((item, "it overlaps the name wrapped before it"))
            continue
        written = text[start:end].replace("\r\n", "\n")
        if written != item.text:
            refused.append((item, f'the file has "{written}" there now'))
            continue
        parts.append(text[pos:start])
        parts.append(_wrap(item.target, text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts), refused


def offset_map(original: str) -> list[int]:
    """For each offset of the decoded text (BOM dropped, newlines unified), the offset
    of the same character in `original`."""
    result = []
    index = 1 if original.startswith("\ufeff") else 0
    length = len(original)
    while index < length:
        result.append(index)
        index += 2 if original.startswith("\r\n", index) else 1
    result.append(length)
    return result


def annotate_files(
    project: Project,
    pages: Sequence[tuple[str, str]],
    files: Sequence[Path],
    *,
    write: bool,
    every: bool = False,
    find_new: bool = False,
    out: TextIO,
    err: TextIO,
) -> int:
    """Print suggestions for `files` (and, with `write`, apply them). Exit status.
    With `find_new`, the suggestions are names without an entry (discover.py).

    `pages` are the site's pages (src_uri, path): their typed mentions make stubs,
    whose names are known too."""
    dossier = load_dossier(project, pages, locate=False)
    table = NameTable(dossier.entities.values())
    status = 0
    total = changed = 0
    for file in files:
        shown = display_path(file, project.root)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            err.write(f"{shown}: error: cannot read: {exc.strerror or exc} [annotate]\n")
            status = 1
            continue
        text, valid = read_source(raw)
        if not valid:
            err.write(
                f"{shown}:1:1: error: file is not valid UTF-8; not annotated [bad-encoding]\n"
            )
            status = 1
            continue
        own = [e.id for e in dossier.entities.values() if e.source == shown]
        if find_new:
            found = []
            for discovery, items in discover_suggestions(text, shown, table):
                out.write(format_discovery(discovery, items) + "\n")
                found.extend(items)
        else:
            found = suggest(text, shown, table, every=every, skip=own)
            for item in found:
                out.write(item.format() + "\n")
        total += len(found)
        if not write or not found:
            continue
        original = raw.decode("utf-8")
        updated, refused = apply(original, found, offset_map(original))
        for item, why in refused:
            err.write(
                f'{shown}:{item.line}:{item.col}: warning: "{item.text}" not wrapped: '
                f"{why} [annotate]\n"
            )
        total -= len(refused)
        if updated == original:
            continue
        write_atomic(file, updated.encode("utf-8"))
        changed += 1
        after, _ = read_source(updated.encode("utf-8"))
        diff = difflib.unified_diff(
            text.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{shown}",
            tofile=f"b/{shown}",
        )
        for line in diff:
            out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    verb = f"wrapped in {changed} file{'' if changed == 1 else 's'}" if write else "found"
    err.write(f"dossier annotate: {total} suggestion{'' if total == 1 else 's'} {verb}\n")
    return status
