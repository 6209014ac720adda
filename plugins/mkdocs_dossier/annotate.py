"""`dossier annotate`: find names of known entities that are not yet mentions.

A name matches whole words only, ignoring case, accents, punctuation and spacing as the
resolver does (`Al Kādhimī` = `al-Kadhimi`); an all-capitals name (`US`, `IRGC`) matches
only when written in capitals, so "told us" is not the United States. The longest name
wins where names overlap (`Mike Pompeo` over `Pompeo`). Code, HTML comments and tags,
links, existing `[[...]]` and the front matter are never touched.

By default one suggestion is made per entity and paragraph: the first occurrence, and
none where the paragraph already mentions the entity. `--write` wraps exactly those as
`[[Name|as written]]` (`[[Name]]` when identical), so a second run finds nothing new.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .files import display_path, write_atomic
from .index.resolve import Registry
from .model import Entity, Position
from .names import name_key
from .pipeline import load_dossier
from .read import frontmatter
from .read.articles import _BLOCK_START
from .read.grammar import MENTION_TEXT, parse_target, scan
from .read.sources import Project
from .read.text import line_col, line_offsets, read_source
from .types import TYPE_ALIASES

#: A word: letters and digits (any script), with combining accents of decomposed text.
_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
#: What may sit between the words of one name: spaces, one line break, - . ' ’.
_JOINER = re.compile(r"[ \t]*[-\u2010\u2011\u2013.'\u2019]?[.]?[ \t]*(?:\n[ \t]*)?")
_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
#: Longest names considered, in words.
MAX_WORDS = 8

_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]\n]|\n(?![ \t]*\n))*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
)
_REF_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\n(?![ \t]*\n))*\]\[[^\[\]\n]*\]")
_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a\s*>", re.DOTALL | re.IGNORECASE)


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

    @property
    def replacement(self) -> str:
        return _wrap(self.target, self.text)

    def format(self) -> str:
        written = " ".join(self.text.split())
        replacement = _LINE_BREAK.sub(" ", self.replacement)
        return (
            f'{self.path}:{self.line}:{self.col}: note: "{written}" '
            f"could be {replacement} [annotate]"
        )


def _wrap(target: str, written: str) -> str:
    """`[[target|written]]`, or `[[target]]` when it shows as written already."""
    kind, colon, name = target.partition(":")
    if target == written or (colon and kind in TYPE_ALIASES and name == written):
        return f"[[{target}]]"
    return f"[[{target}|{written}]]"


class NameTable:
    """Matching keys of every entity's name and aliases, and how to write a mention."""

    def __init__(self, entities: Iterable[Entity]):
        self.entities = {e.id: e for e in entities}
        self.registry = Registry(list(self.entities.values()))
        self.keys: dict[str, set[str]] = {}
        self.capitals: dict[tuple[str, str], bool] = {}  # (key, id) -> only in capitals
        self.dotted: set[str] = set()  # keys of abbreviations written with a final dot
        for entity in self.entities.values():
            names = [entity.name] if entity.stub else [entity.name, *entity.aliases]
            for name in names:
                key = name_key(name)
                if not key or len(_WORD.findall(name)) > MAX_WORDS:
                    continue
                self.keys.setdefault(key, set()).add(entity.id)
                if name.rstrip().endswith("."):
                    self.dotted.add(key)
                acronym = _is_acronym(name)
                previous = self.capitals.get((key, entity.id))
                self.capitals[(key, entity.id)] = acronym and previous is not False
        self.targets = {i: self._target(e) for i, e in self.entities.items()}

    def lookup(self, key: str, written: str) -> str | None:
        """The one entity `written` (with matching key `key`) names, if exactly one."""
        ids = self.keys.get(key)
        if not ids or len(ids) != 1:
            return None
        (entity_id,) = ids
        if self.capitals.get((key, entity_id)) and not _is_acronym(written):
            return None
        return entity_id

    def _target(self, entity: Entity) -> str:
        """The shortest text that resolves to `entity` in a `[[...]]`."""
        options = [entity.name, entity.slug]
        if entity.stub:
            options = []
        for text in options:
            if self._resolves(text, entity):
                return text
        return f"{entity.type}:{entity.name if entity.stub else entity.slug}"

    def _resolves(self, text: str, entity: Entity) -> bool:
        if any(mark in text for mark in ("[", "]", "|", "\n")):
            return False
        target, problems = parse_target(text, Position(1, 1), "")
        if target is None or problems or target.type is not None or target.name != text:
            return False
        return self.registry.candidates(text) == [entity.id]


def _is_acronym(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(letters) <= 6


def excluded_spans(body: str) -> list[tuple[int, int]]:
    """Where no suggestion may fall: what the grammar protects (code, comments, tags,
    `<script>`/`<style>`/`<textarea>`, attr_list braces, URLs, e-mail addresses,
    footnote references, reference and abbreviation definitions), mentions, links."""
    scanned = scan(body, "")
    spans = list(scanned.protected)
    spans.extend((m.start, m.end) for m in scanned.mentions)
    spans.extend((start, end) for start, end, _ in scanned.labels)
    for pattern in (MENTION_TEXT, _INLINE_LINK, _REF_LINK, _ANCHOR):
        spans.extend(match.span() for match in pattern.finditer(body))
    # An unclosed `[[` hides the rest of its line from suggestions too.
    for at in scanned.strays:
        line_end = body.find("\n", at)
        spans.append((at, len(body) if line_end == -1 else line_end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def find_names(body: str, table: NameTable) -> list[tuple[int, int, str]]:
    """(start, end, entity id) of every whole-word, longest-first name in `body`."""
    excluded = excluded_spans(body)
    words = [m for m in _WORD.finditer(body)]
    keys = [name_key(m.group()) for m in words]
    found: list[tuple[int, int, str]] = []
    index = 0
    span_index = 0
    while index < len(words):
        start = words[index].start()
        while span_index < len(excluded) and excluded[span_index][1] <= start:
            span_index += 1
        best: tuple[int, str, str] | None = None
        key = ""
        for last in range(index, min(index + MAX_WORDS, len(words))):
            if last > index:
                gap = body[words[last - 1].end() : words[last].start()]
                if not _JOINER.fullmatch(gap):
                    break
            key += keys[last]
            end = words[last].end()
            if span_index < len(excluded) and excluded[span_index][0] < end:
                break  # the name would run into code, a link or a mention
            entity_id = table.lookup(key, body[start:end])
            if entity_id is not None:
                best = (last, entity_id, key)
        if best is None:
            index += 1
            continue
        last, entity_id, key = best
        end = words[last].end()
        if key in table.dotted and body.startswith(".", end):
            end += 1  # `U.S.` keeps its final dot
        found.append((start, end, entity_id))
        index = last + 1
    return found


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

    mentioned: set[tuple[int, str]] = set()
    for raw in scan(body, path, fm.body_line).mentions:
        ids = table.registry.candidates(raw.target.name, raw.target.type)
        if len(ids) == 1:
            mentioned.add((paragraph(raw.start), ids[0]))
    result: list[Suggestion] = []
    for start, end, entity_id in find_names(body, table):
        if entity_id in skip:
            continue
        if not every:
            key = (paragraph(start), entity_id)
            if key in mentioned:
                continue
            mentioned.add(key)
        line, col = line_col(text, offset + start, starts)
        result.append(
            Suggestion(
                path,
                line,
                col,
                offset + start,
                offset + end,
                body[start:end],
                entity_id,
                table.targets[entity_id],
            )
        )
    return result


def apply(
    text: str, suggestions: Sequence[Suggestion], offsets: Sequence[int] | None = None
) -> str:
    """`text` with each suggestion wrapped; `offsets` maps positions into `text` when it
    is the original file (BOM, CRLF) rather than the decoded text."""
    parts: list[str] = []
    pos = 0
    for item in sorted(suggestions, key=lambda s: s.start):
        start = offsets[item.start] if offsets is not None else item.start
        end = offsets[item.end] if offsets is not None else item.end
        parts.append(text[pos:start])
        parts.append(_wrap(item.target, text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


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
    out: TextIO,
    err: TextIO,
) -> int:
    """Print suggestions for `files` (and, with `write`, apply them). Exit status.

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
        found = suggest(text, shown, table, every=every and not write, skip=own)
        total += len(found)
        for item in found:
            out.write(item.format() + "\n")
        if not write or not found:
            continue
        original = raw.decode("utf-8")
        updated = apply(original, found, offset_map(original))
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
