"""The `[[...]]` grammar: finding mentions in Markdown source, with exact positions.

The one reader of `[[...]]`: the build, `dossier check`, `dossier annotate`, statements
and context sentences all take mentions from `scan`. It decides once what is a mention;
rendering replaces exactly those spans, so diagnostics, anchors and links agree.

Block structure is read the way Python-Markdown (with the extensions Material
recommends) reads it: containers indented by four columns (list items, admonitions,
details, content tabs, footnotes, definitions) and blockquotes hold Markdown, so a
mention in any of their paragraphs is a mention; what renders as code (fenced and
indented blocks, code spans), HTML comments and `\\[[` escapes hold none.

Inside Markdown text, `[[target]]` is a mention when:
- its brackets balance: the label may hold `[brackets]` and code spans;
- it is not the text of a Markdown link (`[[1]](#cite_note-1)` is a link to `[1]`);
- its name has a letter (`[[1, 2]]`, `{"a": [[0]]}` are prose), or a type prefix;
- it is not a URL (`[[https://...]]`).
`#Section` and `#^block` after the name are kept as a fragment, the name resolves alone.

Positions where a mention cannot be rendered are protected: inside link text or image
alt text a mention shows as its label only; inside an HTML tag (attribute values),
`<script>`, `<style>`, `<textarea>`, attr_list braces, URLs and definitions of
references and abbreviations it is left as written. Both get a warning, neither is a
mention, and `dossier annotate` never writes into any of them.

A `[[` that starts no mention is handed to Python-Markdown neutralised (`&#91;`), so a
page of stray brackets renders as written in linear time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..diagnostics import problem
from ..model import Diagnostic, Position, Target
from ..types import TYPE_ALIASES
from .text import line_col, line_offsets

_TYPE_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z_-]*)\s*:(.*)$", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")
_IMAGE_NAME = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|avif|bmp)\s*$", re.IGNORECASE)
_FILE_NAME = re.compile(
    r"\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico|pdf|mp[34]|webm|ogg|wav|m4a|mov|"
    r"canvas|base|excalidraw)\s*$",
    re.IGNORECASE,
)


@dataclass
class RawMention:
    """A `[[...]]` found in the text: its span and the parsed target.

    `heading` mentions sit in a heading (rendered inline there, where the table of
    contents reads the text); `embed` ones were written `![[...]]`."""

    start: int
    end: int
    target: Target
    heading: bool = False
    embed: bool = False
    file: bool = False  # `![[image.png|100]]`: a file of the site, shown in place


@dataclass
class Scan:
    """What the scanner found in one Markdown text."""

    mentions: list[RawMention] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # blockquote spans
    #: (start, end, label): a mention where markup cannot go, shown as its label only.
    labels: list[tuple[int, int, str]] = field(default_factory=list)
    #: Offsets of `[` that start no mention, neutralised before Python-Markdown.
    strays: list[int] = field(default_factory=list)
    #: Spans no mention or annotation may touch: code, comments, tags, URLs, ...
    protected: list[tuple[int, int]] = field(default_factory=list)

    def rewrites(self) -> list[tuple[int, int, str | None]]:
        """Edits before Python-Markdown besides the mentions: (start, end, label) shows a
        label only, (at, at + 1, None) neutralises a stray bracket."""
        found: list[tuple[int, int, str | None]] = list(self.labels)
        found.extend((at, at + 1, None) for at in self.strays)
        found.sort(key=lambda edit: edit[0])
        return found


def parse_target(
    text: str, position: Position, path: str
) -> tuple[Target | None, list[Diagnostic]]:
    """Parse the inside of `[[...]]` (or a front-matter target) into a Target."""
    inner = " ".join(text.split())
    name, bar, label = inner.partition("|")
    if bar and name.endswith("\\"):
        name = name[:-1]  # `[[Name\|label]]`: a table's escaped bar separates the label
    label_text: str | None = label.lstrip("|").strip() if bar else None  # `||` as `|`
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
    written = name
    name, fragment = split_fragment(name)
    name = name.strip()
    section = written.partition("#")[2].strip()
    if not name and kind is None and section.lstrip("^").strip():
        # `[[#Heading]]` links this page's section; `[[#^block]]` shows its label.
        # (A typed `[[person:#x]]` names no entity: it falls through to empty-mention.)
        shown = label_text or (None if fragment else section)
        return Target(inner, None, "", shown, position, fragment), diagnostics
    if not name:
        diagnostics.append(
            problem("empty-mention", path, position, f'mention "[[{inner}]]" names no entity')
        )
        return None, diagnostics
    if label_text == "":
        label_text = None
    return Target(inner, kind, name, label_text, position, fragment), diagnostics


def split_fragment(name: str) -> tuple[str, str | None]:
    """`Entity#Section` -> ("Entity", "Section"); `#^block` ids give the name alone."""
    base, hash_, fragment = name.partition("#")
    if not hash_:
        return name, None
    fragment = fragment.strip()
    return base, (None if not fragment or fragment.startswith("^") else fragment)


def file_part(inner: str) -> tuple[str, str]:
    """(file name, what follows `|`) of `[[image.png|100]]`: a table's escaped bar
    (`image.png\\|100`) separates too, and a `#fragment` (`image.png#outline`, a style
    hint in Obsidian) is no part of the name."""
    name, bar, rest = inner.partition("|")
    if bar and name.endswith("\\"):
        name = name[:-1]
    return name.partition("#")[0], rest


def is_candidate(inner: str) -> bool:
    """Whether the inside of balanced `[[...]]` is meant as a mention, not prose: a
    letter in the name (or a type prefix), and no URL."""
    name = inner.partition("|")[0]
    if name.endswith("\\"):
        name = name[:-1]  # `[[Name\\|label]]` in a table
    match = _TYPE_PREFIX.match(name)
    if match:
        return not match.group(2).lstrip().startswith("//")
    base, _, fragment = name.partition("#")
    if _FILE_NAME.search(base):
        return False  # `[[image.png]]`: a file, not a name (embedded only with `!`)
    if not base.strip() and fragment.strip():
        return _LETTER.search(fragment) is not None  # `[[#Heading]]`: this page's section
    return not name.strip() or _LETTER.search(base) is not None


# --- block structure -----------------------------------------------------------------

_QUOTE = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
_FENCE = re.compile(r"(`{3,}|~{3,})")
_CONTAINER = re.compile(
    r"(?:!!!|\?\?\?\+?)[ \t]+[\w-]"  # admonition, details
    r"|===[!+]{0,2}[ \t]+[\"']"  # content tab
    r"|\[\^[^\]\n]+\]:"  # footnote definition
)
_LIST = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_DEFINITION = re.compile(r":[ \t]+\S")
_ATX = re.compile(r"#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_DEFINITION_LINE = re.compile(r"\*?\[[^\]\n]+\]:[ \t]*\S")  # reference or abbreviation
_HTML_START = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^>]*)>?")
#: Tags Python-Markdown takes as the start of a raw HTML block.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "canvas",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "main",
        "map",
        "menu",
        "nav",
        "noscript",
        "object",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "script",
        "style",
        "textarea",
        "math",
        "ins",
        "del",
        "video",
    ]
)
_VOID = frozenset(
    [
        "hr",
        "br",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass
class Blocks:
    """Where the block structure puts code, headings and raw HTML in a text."""

    code: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    definitions: list[tuple[int, int]] = field(default_factory=list)


def _indent(text: str, start: int, end: int) -> tuple[int, int]:
    """(columns, offset of the first non-blank) of text[start:end], tabs to 4."""
    col = 0
    pos = start
    while pos < end:
        ch = text[pos]
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
        pos += 1
    return col, pos


def blocks(text: str) -> Blocks:
    """Read the block structure of `text` in one pass over its lines."""
    found = Blocks()
    starts = line_offsets(text)
    stack: list[tuple[int, bool]] = []  # open indented containers: column, is a list
    depth = 0  # blockquote depth of the previous line
    para = False  # the previous line continues a paragraph
    para_start = 0
    fence: tuple[str, int, int] | None = None  # char, length, start
    code_from: int | None = None  # an indented code block started here
    code_column = 0
    raw: tuple[str, int] | None = None  # raw HTML block: tag, nesting
    length = len(text)
    for index, offset in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else length
        quote = _QUOTE.match(text, offset, end)
        body = quote.end() if quote else offset
        level = quote.group().count(">") if quote else 0
        blank = not text[body:end].strip()
        if fence is not None:
            close = _FENCE.match(text, _indent(text, body, end)[1], end)
            if (
                close
                and close.group(1)[0] == fence[0]
                and len(close.group(1)) >= fence[1]
                and not text[close.end() : end].strip()
            ):
                found.code.append((fence[2], end + 1))
                fence = None
            continue
        if raw is not None:
            raw = _raw_html_continues(text, offset, end, raw)
            continue
        if code_from is not None:
            column = _indent(text, body, end)[0]
            if blank or column >= code_column:
                continue
            found.code.append((code_from, offset))
            code_from = None
        if level != depth:
            stack = []
            para = False
            depth = level
        if blank:
            para = False
            continue
        column, first = _indent(text, body, end)
        while stack and column < stack[-1][0] and not para:
            stack.pop()
        base = stack[-1][0] if stack else 0
        if column - base >= 4 and not para:
            code_from, code_column = offset, base + 4
            continue
        if _FENCE.match(text, first, end):
            fence_match = _FENCE.match(text, first, end)
            assert fence_match is not None
            run = fence_match.group(1)
            fence = (run[0], len(run), offset)
            para = False
            continue
        if para and _SETEXT.match(text, first, end) and column - base < 4:
            found.headings.append((para_start, end))
            para = False
            continue
        if _ATX.match(text, first, end):
            found.headings.append((offset, end))
            para = False
            continue
        if _HR.match(text, first, end):
            para = False
            continue
        container = _CONTAINER.match(text, first, end)
        if container:
            stack.append((column + 4, False))
            para = text[first] == "["  # a footnote's text follows its marker
            para_start = offset
            continue
        # A list cannot interrupt a paragraph, except the next item of a list.
        in_list = bool(stack) and stack[-1][1]
        item = _LIST.match(text, first, end) if not para or in_list else None
        if item or _DEFINITION.match(text, first, end):
            while stack and stack[-1][0] > column:
                stack.pop()
            stack.append((column + 4, True))
            para, para_start = True, offset
            continue
        if _DEFINITION_LINE.match(text, first, end):  # anywhere, as Python-Markdown finds them
            found.definitions.append((offset, end))
            continue
        if not para and column < 4:
            html = _HTML_START.match(text, first, end)
            if html and html.group(1).lower() in BLOCK_TAGS:
                attributes = html.group(2)
                if "markdown" not in attributes:  # md_in_html: content is Markdown
                    tag = html.group(1).lower()
                    raw = None if tag in _VOID else (tag, 0)
                    if raw is not None:
                        raw = _raw_html_continues(text, first, end, raw)
                    continue
        if not para:
            para_start = offset
        para = True
    if fence is not None:
        found.code.append((fence[2], length))
    if code_from is not None:
        found.code.append((code_from, length))
    return found


def _raw_html_continues(
    text: str, start: int, end: int, raw: tuple[str, int]
) -> tuple[str, int] | None:
    """The raw HTML block's state after the line text[start:end]; None once it closes."""
    tag, nesting = raw
    pattern = re.compile(rf"<(/?){tag}(?=[\s/>])", re.IGNORECASE)
    for match in pattern.finditer(text, start, end):
        nesting += -1 if match.group(1) else 1
        if nesting <= 0:
            return None
    return tag, nesting


def code_mask(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that Markdown shows verbatim: code blocks, code spans, comments."""
    found = blocks(text)
    spans = list(found.code)
    spans.extend(_inline_code_and_comments(text, spans))
    spans.sort()
    return spans


def _inline_code_and_comments(text: str, code: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code spans and HTML comments outside code blocks."""
    found: list[tuple[int, int]] = []
    runs = _BacktickRuns(text)
    for gap_start, gap_end in _outside(sorted(code)):
        end = len(text) if gap_end == -1 else gap_end
        pos = gap_start
        for match in _INLINE_CODE_EVENT.finditer(text, gap_start, end):
            if match.start() < pos:
                continue
            span = _code_or_comment(text, match, runs, end)
            if span is not None:
                found.append(span)
                pos = span[1]
            else:
                pos = match.end()
    return found


_INLINE_CODE_EVENT = re.compile(r"\\.|`+|<!--", re.DOTALL)


def _code_or_comment(
    text: str, match: re.Match[str], runs: _BacktickRuns, limit: int
) -> tuple[int, int] | None:
    token = match.group()
    if token.startswith("\\"):
        return None
    if token == "<!--":
        close = text.find("-->", match.end(), limit)
        return match.start(), limit if close == -1 else close + 3
    close = runs.find(match.end(), len(token), limit)
    if close is None:
        return None
    return match.start(), close + len(token)


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
            self.blank = _next_blank(self.text, start, len(self.text))
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


_BLANK_LINE = re.compile(r"\n[ \t]*(?:>[ \t]*)*\n")


def _next_blank(text: str, start: int, end: int) -> int:
    """Offset of the next blank line (a paragraph break) at or after `start`, or -1."""
    match = _BLANK_LINE.search(text, start, end)
    return -1 if match is None else match.start()


def _outside(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The gaps between sorted, possibly overlapping spans, up to infinity."""
    pos = 0
    for start, end in spans:
        if start > pos:
            yield pos, start
        pos = max(pos, end)
    yield pos, -1


# --- inline scanning -----------------------------------------------------------------

#: What the inline scanner stops at: escapes, code, comments, tags, attr_list braces,
#: bare URLs and e-mail addresses, footnote references, and mention openers.
_EVENT = re.compile(
    r"\\.|`+|<!--|</?[A-Za-z]|<[A-Za-z][A-Za-z0-9+.-]{1,31}:|\{|"
    r"\b(?:https?|ftp)://|@|\[\^|!?\[\[",
    re.DOTALL,
)
#: Balanced `[[...]]`: the label may hold one level of [brackets] and code spans.
_CANDIDATE = re.compile(
    r"\[\[((?:[^\[\]`\n]++|`[^`\n]*+`|\[[^\[\]\n]*+\]|`|\n(?![ \t]*(?:>[ \t]*)*\n))*+)\]\]"
)
_TAG = re.compile(
    r"<(/?)([A-Za-z][\w:.-]*)(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*"
    r"\s*/?>"
)
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s@]+>")
_RAW_TEXT_TAGS = ("script", "style", "textarea")
_ATTR_LIST = re.compile(
    r"\{:?[ \t]*(?:[#.][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+))"
    r"(?:[ \t]+(?:[#.][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)))*[ \t]*\}"
)
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\[\]]*[^\s<>\[\].,;:!?'\")]")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_BARE_DOMAIN = re.compile(
    r"(?<![\w.@/-])(?:[A-Za-z0-9-]+\.)+(?:com|org|net|gov|edu|int|mil|info|io|news|"
    r"[a-z]{2})\b(?:/[^\s<>()\[\]]*)?"
)
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LOCAL_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+_-")


def scan(text: str, path: str, first_line: int = 1) -> Scan:
    """Find every mention in `text`; positions are reported from line `first_line`."""
    result = Scan()
    starts = line_offsets(text)
    structure = blocks(text)

    def where(offset: int) -> Position:
        line, col = line_col(text, offset, starts)
        return Position(line + first_line - 1, col)

    result.protected.extend(structure.code)
    result.protected.extend(structure.definitions)
    # Bare domains (`iran.gov`): no `[[` can sit in one, but annotate must not write there.
    result.protected.extend(match.span() for match in _BARE_DOMAIN.finditer(text))
    skip = sorted(structure.code + structure.definitions)
    headings = structure.headings
    inline = _Inline(text, path, where, result, headings)
    inline.run(skip)
    inline.neutralise()
    result.diagnostics.sort(key=lambda d: (d.line, d.col))
    result.quotes = _blockquotes(text, starts, structure.code)
    result.protected.sort()
    return result


class _Inline:
    """The inline pass over the text outside code blocks."""

    def __init__(self, text: str, path: str, where, result: Scan, headings):
        self.text, self.path, self.where, self.result = text, path, where, result
        self.headings = headings
        self.heading_index = 0
        self.runs = _BacktickRuns(text)
        self.blank_from = len(text) + 1  # nothing searched yet
        self.blank = -1
        self.enclosing = _Enclosing(text)
        self.next_close = _NextFinder(text, "]]")
        self.next_open = _NextFinder(text, "[[")
        self.stray_at: list[int] = []

    def _in_heading(self, offset: int) -> bool:
        headings = self.headings
        while self.heading_index < len(headings) and headings[self.heading_index][1] < offset:
            self.heading_index += 1
        return self.heading_index < len(headings) and headings[self.heading_index][0] <= offset

    def _paragraph_end(self, offset: int, limit: int) -> int:
        if not (self.blank_from <= offset and (self.blank == -1 or self.blank >= offset)):
            self.blank = _next_blank(self.text, offset, len(self.text))
            self.blank_from = offset
        return limit if self.blank == -1 else min(self.blank, limit)

    def run(self, skip: list[tuple[int, int]]) -> None:
        for gap_start, gap_end in _outside(skip):
            end = len(self.text) if gap_end == -1 else gap_end
            self.region(gap_start, end)

    def protect(self, start: int, end: int, why: str, label_too: bool = False) -> None:
        """Mark text[start:end] protected; warn about each mention written inside."""
        self.result.protected.append((start, end))
        text = self.text
        pos = text.find("[[", start, end)
        while pos != -1:
            match = _CANDIDATE.match(text, pos, end)
            if match and is_candidate(match.group(1)):
                self.result.diagnostics.append(
                    problem(
                        "protected-mention",
                        self.path,
                        self.where(pos),
                        f'"{_short(match.group())}" is {why}: left as written, not a mention',
                    )
                )
                pos = text.find("[[", match.end(), end)
            else:
                pos = text.find("[[", pos + 2, end)

    def region(self, start: int, end: int) -> None:
        text = self.text
        pos = start
        event = _EVENT.search(text, pos, end)
        while event is not None:
            at = event.start()
            token = event.group()
            nxt = self.handle(at, token, end)
            pos = max(nxt, at + 1)
            event = _EVENT.search(text, pos, end)

    def handle(self, at: int, token: str, end: int) -> int:
        """Deal with the event at `at`; return where scanning resumes."""
        text = self.text
        first = token[0]
        if first == "\\":
            return at + 2
        if first == "`":
            close = self.runs.find(at + len(token), len(token), end)
            if close is None:
                return at + len(token)
            self.result.protected.append((at, close + len(token)))
            return close + len(token)
        if token == "<!--":
            close = text.find("-->", at + 4, end)
            stop = end if close == -1 else close + 3
            self.result.protected.append((at, stop))
            return stop
        if first == "<":
            return self.tag(at, end)
        if first == "{":
            match = _ATTR_LIST.match(text, at, end)
            if match is None:
                return at + 1
            self.protect(at, match.end(), "inside attr_list braces")
            return match.end()
        if token.startswith("[^"):
            match = _FOOTNOTE_REF.match(text, at, end)
            if match is None:
                return at + 2
            self.result.protected.append((at, match.end()))
            return match.end()
        if first == "[" or first == "!":
            return self.mention(at + (first == "!"), end, embed=first == "!")
        if token == "@":
            domain = _DOMAIN.match(text, at + 1, end)
            if domain is None:
                return at + 1
            local = at
            while local > max(0, at - 64) and text[local - 1] in _LOCAL_PART:
                local -= 1
            if local < at:
                self.protect(local, domain.end(), "inside an e-mail address")
            return domain.end()
        match = _URL.match(text, at, end)
        if match is None:
            return at + len(token)
        self.protect(at, match.end(), "inside a URL")
        return match.end()

    def tag(self, at: int, end: int) -> int:
        text = self.text
        auto = _AUTOLINK.match(text, at, end)
        if auto:
            self.protect(at, auto.end(), "inside an autolink")
            return auto.end()
        match = _TAG.match(text, at, end)
        if match is None:
            return at + 1
        name = match.group(2).lower()
        stop = match.end()
        if not match.group(1) and name in _RAW_TEXT_TAGS:
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, stop, end)
            stop = end if close is None else close.end()
            self.protect(at, stop, f"inside <{name}>")
            return stop
        self.protect(at, stop, "inside an HTML tag")
        return stop

    def mention(self, at: int, end: int, embed: bool) -> int:
        text = self.text
        if _escaped(text, at):
            return at + 2
        match = _CANDIDATE.match(text, at, end)
        if match is not None:
            close, inner = match.end(), match.group(1)
        else:
            # Unbalanced brackets may still sit in the label: `[[X|a [b]]`.
            found = self.first_close(at, end)
            if found is None:
                return self.stray(at, end)
            close, inner = found
        if embed and _IMAGE_NAME.search(file_part(inner)[0]):
            return self.file(at, close, inner)
        if text.startswith("(", close) or not is_candidate(inner):
            return at + 1  # Markdown link text, or prose in double brackets
        position = self.where(at)
        target, diagnostics = parse_target(inner, position, self.path)
        self.result.diagnostics.extend(diagnostics)
        if target is None:
            return close
        start = at - 1 if embed else at
        link = self.enclosing(at, close)
        if link is not None:
            kind = "image alt text" if link else "link text"
            self.result.labels.append((start, close, target.label or target.name))
            self.result.diagnostics.append(
                problem(
                    "protected-mention",
                    self.path,
                    position,
                    f'"{_short(match.group())}" is inside {kind}: shown as its label, '
                    "not a mention (links cannot nest)",
                )
            )
            return close
        self.result.mentions.append(
            RawMention(start, close, target, heading=self._in_heading(at), embed=embed)
        )
        return close

    def file(self, at: int, close: int, inner: str) -> int:
        """`![[image.png|100x80]]`: an image of the site, by its path or file name."""
        name, size = file_part(inner)
        position = self.where(at)
        target = Target(inner, None, name.strip(), size.strip() or None, position)
        self.result.mentions.append(RawMention(at - 1, close, target, embed=True, file=True))
        return close

    def first_close(self, at: int, end: int) -> tuple[int, str] | None:
        """(end, inner) of `[[name|label]]` closed by the first `]]` of the paragraph,
        with no bracket in the name and no `[[` before the close."""
        close = self.next_close(at + 2)
        reopen = self.next_open(at + 2)
        if close == -1 or close >= self._paragraph_end(at, end) or -1 < reopen < close:
            return None
        inner = self.text[at + 2 : close]
        name, bar, _ = inner.partition("|")
        if not bar or "[" in name or "]" in name:
            return None
        return close + 2, inner

    def stray(self, at: int, end: int) -> int:
        """A `[[` that opens no mention: judged by `neutralise` once the text is read."""
        self.stray_at.append(at)
        return at + 2

    def neutralise(self) -> None:
        """Warn about each stray `[[` whose first bracket nothing closes in its paragraph
        (`Process[[edit](url)]` is closed: brackets around a link) or that holds another
        `[[` before its `]]`, and neutralise the brackets of stray `[[` left unclosed.

        Python-Markdown looks for the end of every `[` character by character to the end
        of the paragraph: thousands of unclosed brackets would cost it quadratic time.
        Balanced ones (`[[1, 2], [3, 4]]`) are left as written."""
        text = self.text
        done_to = -1
        unclosed: set[int] = set()
        for at in self.stray_at:
            if at < done_to:
                continue
            start = max(text.rfind("\n\n", 0, at) + 1, 0)
            stop = self._paragraph_end(at, len(text))
            open_: list[int] = []
            for match in _BRACKET.finditer(text, start, stop):
                char = match.group()
                if char[0] == "\\":
                    continue
                if char == "[":
                    open_.append(match.start())
                elif open_:
                    open_.pop()
            unclosed.update(open_)
            done_to = stop
        next_close, next_open = _NextFinder(text, "]]"), _NextFinder(text, "[[")
        for at in self.stray_at:
            close, reopen = next_close(at + 2), next_open(at + 2)
            nested = -1 < reopen < close < self._paragraph_end(at, len(text))
            if at not in unclosed and not nested:
                continue
            self.result.diagnostics.append(
                problem(
                    "unclosed-mention",
                    self.path,
                    self.where(at),
                    "mention opened with [[ is not closed with ]]",
                )
            )
            if at in unclosed:
                self.result.strays.append(at)
            if at + 1 in unclosed:
                self.result.strays.append(at + 1)


class _NextFinder:
    """`text.find(needle, start)` for non-decreasing `start`, each character scanned
    once: thousands of `[[` without `]]` would otherwise rescan to the end each time."""

    def __init__(self, text: str, needle: str):
        self.text, self.needle = text, needle
        self.searched_from = len(text) + 1
        self.found = -1

    def __call__(self, start: int) -> int:
        if not (self.searched_from <= start and (self.found == -1 or self.found >= start)):
            self.found = self.text.find(self.needle, start)
            self.searched_from = start
        return self.found


_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escaped(text: str, pos: int) -> bool:
    """Whether the character at `pos` is preceded by an odd number of backslashes."""
    count = 0
    index = pos - 1
    while index >= 0 and text[index] == "\\":
        count += 1
        index -= 1
    return count % 2 == 1


def link_texts(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is an image) of the text of every Markdown link `[...](...)` or
    `[...][...]` and image `![...](...)`, found in one pass: brackets are paired within
    their paragraph, and a pair followed by `(` or `[` holds link text."""
    spans: list[tuple[int, int, bool]] = []
    stack: list[int] = []
    for match in _LINK_EVENT.finditer(text):
        token = match.group()
        if token[0] == "\\":
            continue
        if token == "[":
            stack.append(match.start())
        elif token == "]":
            if stack:
                opened = stack.pop()
                if text[match.end() : match.end() + 1] in ("(", "["):
                    spans.append((opened, match.end(), text[opened - 1 : opened] == "!"))
        else:
            stack.clear()  # a blank line ends the paragraph
    spans.sort()
    return spans


_LINK_EVENT = re.compile(r"\n[ \t]*(?:>[ \t]*)*\n|\\[^\n]|[\[\]]")


class _Enclosing:
    """Which link text, if any, holds a span; asked in text order."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[tuple[int, int, bool]] | None = None
        self.index = 0
        self.open: list[tuple[int, int, bool]] = []

    def __call__(self, start: int, end: int) -> bool | None:
        """None outside link text, False in link text, True in image alt text."""
        if self.spans is None:
            self.spans = link_texts(self.text)
        spans = self.spans
        while self.index < len(spans) and spans[self.index][0] < start:
            self.open.append(spans[self.index])
            self.index += 1
        self.open = [span for span in self.open if span[1] > start]
        inside = [span for span in self.open if span[0] < start and end < span[1]]
        if not inside:
            return None
        return max(inside)[2]


def label_of(inner: str) -> str:
    """What a mention shows, from the text inside its brackets (for plain text)."""
    if (
        "|" not in inner
        and ":" not in inner
        and "#" not in inner
        and "\n" not in inner
        and "  " not in inner
        and inner.strip() == inner
    ):
        return inner  # the common `[[Name]]`
    name, bar, label = " ".join(inner.split()).partition("|")
    if bar and label.strip():
        return label.strip()
    match = _TYPE_PREFIX.match(name)
    if match and match.group(1).lower() in TYPE_ALIASES:
        name = match.group(2)
    return split_fragment(name)[0].strip()


#: A mention as written, for turning Markdown into plain reading text.
MENTION_TEXT = re.compile(
    r"(?<!\\)!?\[\[((?:[^\[\]`\n]++|`[^`\n]*+`|\[[^\[\]\n]*+\]|`|\n)*+)\]\](?!\()"
)


def _blockquotes(
    text: str, starts: list[int], code: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Spans of outermost blockquotes (consecutive lines starting with `>` at any
    indentation: a quote may sit in a list item), outside code blocks."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    blocks_ = iter(sorted(code))
    block = next(blocks_, None)
    for index, offset in enumerate(starts):
        while block is not None and block[1] <= offset:
            block = next(blocks_, None)
        in_code = block is not None and block[0] <= offset
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        is_quote = not in_code and text[offset:end].lstrip().startswith(">")
        if is_quote and open_at is None:
            open_at = offset
        elif not is_quote and open_at is not None:
            spans.append((open_at, offset - 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def _escape_html(text: str) -> str:
    return html.escape(text, quote=True)


# --- a label's inline Markdown ------------------------------------------------------------

_INLINE = re.compile(
    r"\\([\\`*_{}\[\]()#+\-.!|>~])"  # an escaped character
    r"|(`+)(.+?)\2"  # code
    r"|\*\*(.+?)\*\*|(?<!\w)__(.+?)__(?!\w)"  # strong
    r"|\*(.+?)\*|(?<!\w)_(.+?)_(?!\w)"  # emphasis (`_` not inside words)
)


def inline_markdown(text: str, escape: Callable[[str], str] = _escape_html) -> str:
    """A label's inline Markdown as HTML: code spans, strong and emphasis; all else text,
    escaped by `escape` (`md_escape` where the HTML goes back into Markdown source)."""
    if not any(ch in text for ch in "\\`*_"):
        return escape(text)
    parts: list[str] = []
    pos = 0
    for match in _INLINE.finditer(text):
        parts.append(escape(text[pos : match.start()]))
        escaped, _, code, strong, strong2, emphasis, emphasis2 = match.groups()
        if escaped is not None:
            parts.append(escape(escaped))
        elif code is not None:
            parts.append(f"<code>{escape(code.strip())}</code>")
        elif strong is not None or strong2 is not None:
            parts.append(f"<strong>{inline_markdown(strong or strong2, escape)}</strong>")
        else:
            parts.append(f"<em>{inline_markdown(emphasis or emphasis2, escape)}</em>")
        pos = match.end()
    parts.append(escape(text[pos:]))
    return "".join(parts)


def label_text(label: str) -> str:
    """What a label reads as once its inline Markdown is shown (the text of
    `inline_markdown`): code, strong and emphasis without their markers."""
    return html.unescape(re.sub(r"<[^>]*>", "", inline_markdown(label)))
