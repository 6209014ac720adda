"""The `[[...]]` grammar: finding mentions in Markdown source, with exact positions.

The scanner decides once what is a mention; rendering replaces exactly those spans, so
diagnostics, anchors and links always agree. It skips what Markdown shows as code
(fenced and indented blocks, code spans), HTML comments and `\\[[` escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..diagnostics import problem
from ..model import Diagnostic, Position, Target
from ..types import TYPE_ALIASES
from .text import line_col, line_offsets

_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_TYPE_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z_-]*)\s*:(.*)$", re.DOTALL)


@dataclass
class RawMention:
    """A `[[...]]` found in the text: its span and the parsed target."""

    start: int
    end: int
    target: Target


@dataclass
class Scan:
    """What the scanner found in one Markdown text."""

    mentions: list[RawMention] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # blockquote spans


def parse_target(
    text: str, position: Position, path: str
) -> tuple[Target | None, list[Diagnostic]]:
    """Parse the inside of `[[...]]` (or a front-matter target) into a Target."""
    inner = " ".join(text.split())
    name, bar, label = inner.partition("|")
    label_text: str | None = label.strip() if bar else None
    kind: str | None = None
    match = _TYPE_PREFIX.match(name)
    diagnostics: list[Diagnostic] = []
    if match:
        word = match.group(1).lower()
        if word in TYPE_ALIASES:
            kind = TYPE_ALIASES[word]
            name = match.group(2)
        else:
            known = ", ".join(sorted(TYPE_ALIASES))
            diagnostics.append(
                problem(
                    "unknown-type",
                    path,
                    position,
                    f'unknown mention type "{match.group(1)}" in "{inner}" (known: {known})',
                )
            )
            return None, diagnostics
    name = name.strip()
    if not name:
        diagnostics.append(
            problem("empty-mention", path, position, f'mention "[[{inner}]]" names no entity')
        )
        return None, diagnostics
    if label_text == "":
        label_text = None
    return Target(inner, kind, name, label_text, position), diagnostics


def code_mask(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that Markdown shows verbatim: code blocks, code spans, comments."""
    spans: list[tuple[int, int]] = []
    starts = line_offsets(text)
    lines = text.split("\n")
    fence: tuple[str, int] | None = None
    fence_start = 0
    prev_blank = True
    in_list = False
    indented_start: int | None = None
    for index, line in enumerate(lines):
        offset = starts[index]
        end = offset + len(line) + 1
        stripped = line.strip()
        if fence is not None:
            match = _FENCE_OPEN.match(line)
            closes = match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]
            if closes and not line[match.end() :].strip():
                spans.append((fence_start, end))
                fence = None
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if indented_start is not None:
            if stripped and indent < 4:
                spans.append((indented_start, offset))
                indented_start = None
            else:
                continue
        match = _FENCE_OPEN.match(line)
        if match:
            fence = (match.group(1)[0], len(match.group(1)))
            fence_start = offset
            continue
        if stripped and indent >= 4 and prev_blank and not in_list:
            indented_start = offset
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif stripped and indent == 0 and prev_blank:
            in_list = False
        prev_blank = not stripped
    if fence is not None:
        spans.append((fence_start, len(text)))
    if indented_start is not None:
        spans.append((indented_start, len(text)))
    spans.extend(_inline_code_and_comments(text, spans))
    spans.sort()
    return spans


def _inline_code_and_comments(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code spans and HTML comments outside code blocks."""
    found: list[tuple[int, int]] = []
    pos = 0
    runs = _BacktickRuns(text)
    block_iter = iter(sorted(blocks))
    next_block = next(block_iter, None)
    length = len(text)
    while pos < length:
        if next_block is not None and pos >= next_block[0]:
            pos = max(pos, next_block[1])
            next_block = next(block_iter, None)
            continue
        limit = next_block[0] if next_block is not None else length
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "`":
            run_end = pos
            while run_end < length and text[run_end] == "`":
                run_end += 1
            run = run_end - pos
            close = runs.find(run_end, run, limit)
            if close is None:
                pos = run_end
                continue
            found.append((pos, close + run))
            pos = close + run
            continue
        if ch == "<" and text.startswith("<!--", pos):
            close = text.find("-->", pos + 4)
            end = length if close == -1 else close + 3
            found.append((pos, end))
            pos = end
            continue
        pos += 1
    return found


class _BacktickRuns:
    """Finds closing backtick runs; remembers failed searches so that many unmatched
    openers in one paragraph cost linear, not quadratic, time."""

    def __init__(self, text: str):
        self.text = text
        self.blank_from = len(text) + 1
        self.blank = -1
        self.missing: dict[tuple[int, int], int] = {}  # (run, stop) -> searched from

    def _stop(self, start: int, limit: int) -> int:
        """Where the paragraph holding `start` ends (a blank line), at most `limit`."""
        if not (self.blank_from <= start and (self.blank == -1 or self.blank >= start)):
            self.blank = self.text.find("\n\n", start)
            self.blank_from = start
        return limit if self.blank == -1 else min(self.blank, limit)

    def find(self, start: int, run: int, limit: int) -> int | None:
        """Offset of the next run of exactly `run` backticks before a blank line."""
        text = self.text
        stop = self._stop(start, limit)
        known = self.missing.get((run, stop))
        if known is not None and known <= start:
            return None  # searched from earlier up to the same stop, found nothing
        pos = start
        while pos < stop:
            nxt = text.find("`", pos, stop)
            if nxt == -1:
                break
            end = nxt
            while end < stop and text[end] == "`":
                end += 1
            if end - nxt == run:
                return nxt
            pos = end
        self.missing[(run, stop)] = start
        return None


def _outside(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The gaps between sorted, possibly overlapping spans, up to infinity."""
    pos = 0
    for start, end in spans:
        if start > pos:
            yield pos, start
        pos = max(pos, end)
    yield pos, -1


def scan(text: str, path: str, first_line: int = 1) -> Scan:
    """Find every mention in `text`; positions are reported from line `first_line`."""
    result = Scan()
    starts = line_offsets(text)
    mask = code_mask(text)

    def where(offset: int) -> Position:
        line, col = line_col(text, offset, starts)
        return Position(line + first_line - 1, col)

    for gap_start, gap_end in _outside(mask):
        end = len(text) if gap_end == -1 else gap_end
        _scan_region(text, gap_start, end, path, where, result)
    result.quotes = _blockquotes(text, starts)
    return result


class _NextFinder:
    """`text.find(needle, start, end)` for non-decreasing `start`, each byte scanned once.

    Hostile input (thousands of `[[` and no `]]`) would otherwise rescan to the end of
    the region for every opener: quadratic time, a hung build.
    """

    def __init__(self, text: str, needle: str, end: int):
        self.text, self.needle, self.end = text, needle, end
        self.searched_from = end + 1
        self.found = -1

    def __call__(self, start: int) -> int:
        if not (self.searched_from <= start and (self.found == -1 or self.found >= start)):
            self.found = self.text.find(self.needle, start, self.end)
            self.searched_from = start
        return self.found


def _scan_region(text: str, start: int, end: int, path: str, where, result: Scan) -> None:
    next_close = _NextFinder(text, "]]", end)
    next_blank = _NextFinder(text, "\n\n", end)
    pos = text.find("[[", start, end)
    while pos != -1:
        if _escaped(text, pos):
            pos = text.find("[[", pos + 2, end)
            continue
        close = next_close(pos + 2)
        reopen = text.find("[[", pos + 2, end)
        blank = next_blank(pos + 2)
        bad_close = close == -1 or (blank != -1 and blank < close)
        if bad_close or (reopen != -1 and reopen < close):
            position = where(pos)
            result.diagnostics.append(
                problem(
                    "unclosed-mention",
                    path,
                    position,
                    "mention opened with [[ is not closed with ]]",
                )
            )
            pos = reopen if reopen != -1 else -1
            continue
        inner = text[pos + 2 : close]
        position = where(pos)
        target, diagnostics = parse_target(inner, position, path)
        result.diagnostics.extend(diagnostics)
        if target is not None:
            result.mentions.append(RawMention(pos, close + 2, target))
        pos = text.find("[[", close + 2, end)


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at `pos` is preceded by an odd number of backslashes."""
    count = 0
    index = pos - 1
    while index >= 0 and text[index] == "\\":
        count += 1
        index -= 1
    return count % 2 == 1


def _blockquotes(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """Spans of top-level blockquotes (consecutive lines starting with `>`)."""
    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    open_at: int | None = None
    for index, line in enumerate(lines):
        is_quote = line.lstrip().startswith(">")
        if is_quote and open_at is None:
            open_at = starts[index]
        elif not is_quote and open_at is not None:
            spans.append((open_at, starts[index] - 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans
