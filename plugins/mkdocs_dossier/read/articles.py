"""Articles (Markdown pages under docs_dir): front matter, mentions, quotes, context."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import problem
from ..model import Article, Diagnostic, Position, Target
from ..types import ARTICLE_FIELDS
from . import frontmatter, pagemeta
from .fields import FieldChecker
from .grammar import MENTION_TEXT, RawMention, code_mask, label_of, scan
from .text import line_offsets
from .titles import page_title


@dataclass
class ArticleSource:
    """An article as read: the model plus what the scanner found, before resolution."""

    article: Article
    raw_mentions: list[RawMention]
    entity_targets: list[Target]
    quotes: list[tuple[int, int]]
    diagnostics: list[Diagnostic]


def read_article(raw: bytes, src_uri: str, path: str) -> ArticleSource:
    """Parse one page: validate its front matter and scan its body for mentions."""
    text, fm = frontmatter.read(raw, path)
    diagnostics: list[Diagnostic] = list(fm.diagnostics)
    article = Article(src_uri=src_uri, path=path, body=fm.body, body_offset_line=fm.body_line - 1)
    if any(d.code == "bad-encoding" for d in diagnostics):
        article.repaired_text = text
    checker = FieldChecker(fm, path, diagnostics)
    entity_targets: list[Target] = []
    for field in ARTICLE_FIELDS:
        value = checker.read(field)
        if field.attr is None:  # `entities`: what the article is about
            entity_targets = value
        elif value is not None:
            setattr(article, field.attr, value)
    article.title = article.title or page_title(fm.body, src_uri)  # as MkDocs titles it
    if article.date and article.updated and article.updated.sort_key < article.date.sort_key:
        checker.bad(
            "updated", f"updated {article.updated.iso()} is before the date {article.date.iso()}"
        )
        article.updated = None
    if article.original_url and not _WEB_ADDRESS.match(article.original_url):
        # The header links it: only a web address, never `javascript:` or a file.
        checker.bad("url", f'"{article.original_url[:60]}" is not an http(s) address')
        article.original_url = None
    # Keys the theme prints that are not article fields (those were checked above).
    theme_only = frozenset(pagemeta.THEME_KEYS) - {field.key for field in ARTICLE_FIELDS}
    for key, message in pagemeta.problems(fm.data, theme_only):
        checker.bad(key, message)

    too_deep = _too_deep_list(fm.body)
    if too_deep is not None:
        line, depth, kind = too_deep
        diagnostics.append(
            problem(
                "too-deep",
                path,
                Position(fm.body_line + line, 1),
                f"{kind} nested {depth} levels deep: Python-Markdown cannot render more "
                f"than {MAX_LIST_DEPTH} (it would crash the build)",
            )
        )
    found = scan(fm.body, path, fm.body_line)
    diagnostics.extend(found.diagnostics)
    article.rewrites = found.rewrites()
    return ArticleSource(article, found.mentions, entity_targets, found.quotes, diagnostics)


_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)

#: Deepest nesting of lists and other indented blocks (admonitions, details, content tabs)
#: we hand Python-Markdown: it recurses once per level and, inside a build, runs out of
#: stack somewhere past 200 (lists) or 300 (admonitions).
MAX_LIST_DEPTH = 100
_NESTING = re.compile(
    r"(?m)^([ \t]*)(?:(?P<list>[-*+]|\d{1,9}[.)])|(?:!!!|\?\?\?\+?|===[!+]{0,2})(?=[ \t]+\S))[ \t]"
)


def _too_deep_list(body: str) -> tuple[int, int, str] | None:
    """(line within the body, depth, "a list" or "a block") of the first list item,
    admonition, details or content tab nested deeper than MAX_LIST_DEPTH (four columns a
    level, as Python-Markdown counts), outside code."""
    if body.count("\n") < MAX_LIST_DEPTH:
        return None
    code = None
    for match in _NESTING.finditer(body):
        depth = len(match.group(1).expandtabs(4)) // 4 + 1
        if depth <= MAX_LIST_DEPTH:
            continue
        code = code_mask(body) if code is None else code
        if any(start <= match.start() < end for start, end in code):
            continue
        kind = "a list" if match.group("list") else "a block (admonition, details or tab)"
        return body.count("\n", 0, match.start()), depth, kind
    return None


# --- context sentences -------------------------------------------------------------------

_BLOCK_START = re.compile(r"^\s{0,3}(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>)")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
# Quote, list and heading markers at the start of a line, at any indentation (a quote
# may sit in a list item, indented four spaces).
_LINE_MARK = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+)?")
_LINE_MARK_FIRST = frozenset(" \t>-*+#0123456789")  # what _LINE_MARK can match on line 1
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_SPACE = re.compile(r"\s+")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|"
    r"Pres|Prof|St|Jr|Sr|No|vs|etc|Inc|Co|Corp|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec)\.|\b[A-Z]\.)$"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")
MAX_CONTEXT = 320
CONTEXT_WINDOW = 4 * MAX_CONTEXT  # source characters looked at on each side of a mention


def plain(markdown: str) -> str:
    """Markdown source reduced to reading text: mentions as labels, markup dropped."""
    # Each pass only where its syntax can be (the common sentence has no link, escape
    # or emphasis, and starts with a letter on one line): contexts call this per mention.
    text = markdown
    if "[[" in text:
        text = MENTION_TEXT.sub(lambda match: label_of(match.group(1)), text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "\n" in text or text[:1] in _LINE_MARK_FIRST:
        text = _LINE_MARK.sub("", text)
    if "*" in text or "__" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return _SPACE.sub(" ", text)


def paragraph_bounds(
    body: str,
    start: int,
    end: int,
    starts: list[int] | None = None,
    lo: int = 0,
    hi: int | None = None,
) -> tuple[int, int]:
    """The paragraph (or list item, or heading) around the span `start:end`, looked for
    no further than `lo` before and `hi` after it (a bound cuts the paragraph there)."""
    hi = len(body) if hi is None else hi
    para_start = max(body.rfind("\n", lo, start) + 1, lo)
    while para_start > lo:
        # A block marker is at most 14 characters long: never slice a whole long line.
        stop = body.find("\n", para_start, para_start + 16)
        if _BLOCK_START.match(body[para_start : stop + 1 if stop != -1 else para_start + 16]):
            break
        prev = max(body.rfind("\n", lo, para_start - 1) + 1, lo)
        if not body[prev : para_start - 1].strip():
            break
        para_start = prev
    para_end = body.find("\n", end, hi)
    while para_end != -1:
        nxt_end = body.find("\n", para_end + 1, hi)
        line = body[para_end + 1 : nxt_end if nxt_end != -1 else hi]
        if not line.strip() or _BLOCK_START.match(line):
            break
        para_end = nxt_end
    return para_start, hi if para_end == -1 else para_end


def context(body: str, start: int, end: int, label: str) -> tuple[str, str, str]:
    """The sentence around a mention as (before, label, after), in plain text."""
    # Only text near the mention can end up in the context: looking no further keeps a
    # huge paragraph with many mentions linear instead of quadratic.
    lo = max(0, start - CONTEXT_WINDOW)
    hi = min(len(body), end + CONTEXT_WINDOW)
    para_start, para_end = paragraph_bounds(body, start, end, lo=lo, hi=hi)
    before = plain(body[para_start:start]).lstrip()
    after = plain(body[end:para_end]).rstrip()
    cut = 0
    for match in _SENTENCE_END.finditer(before):
        if not _is_abbreviation(before, match.start() + 1):
            cut = match.end()
    before = before[cut:]
    if cut == 0 and para_start == lo > 0 and not before.startswith("… "):
        before = "… " + before.split(" ", 1)[-1]
    for match in _SENTENCE_END.finditer(after):
        if not _is_abbreviation(after, match.start() + 1):
            after = after[: match.start() + 1].rstrip()
            after = after + _closing(after, match.group(0))
            break
    if len(before) > MAX_CONTEXT // 2:
        before = "… " + before[-(MAX_CONTEXT // 2) :].split(" ", 1)[-1]
    if len(after) > MAX_CONTEXT // 2:
        after = after[: MAX_CONTEXT // 2].rsplit(" ", 1)[0] + " …"
    return before, label, after


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether `text[:end]` ends in an abbreviation (`Gen.`, `U.S.`), looking only at
    its last few characters (a search over the whole prefix is quadratic)."""
    return _ABBREVIATION.search(text, max(0, end - 16), end) is not None


def _closing(text: str, terminator: str) -> str:
    """Closing quotes or brackets that belong to the sentence just ended."""
    return terminator.strip()[1:]


def statement_spans(
    body: str, quotes: list[tuple[int, int]], mentions: list[RawMention]
) -> list[tuple[RawMention, str, str]]:
    """Quotes whose last paragraph is `— [[Speaker]]...`: (speaker mention, quote, note)."""
    found = []
    by_start = {m.start: m for m in mentions}
    for q_start, q_end in quotes:
        block = body[q_start:q_end]
        offsets = line_offsets(block)
        lines = block.split("\n")
        stripped: list[tuple[int, str]] = []
        for index, line in enumerate(lines):
            match = re.match(r"\s*>\s?", line)
            skip = match.end() if match else 0
            stripped.append((q_start + offsets[index] + skip, line[skip:]))
        paragraphs: list[list[tuple[int, str]]] = [[]]
        for item in stripped:
            if item[1].strip():
                paragraphs[-1].append(item)
            elif paragraphs[-1]:
                paragraphs.append([])
        paragraphs = [p for p in paragraphs if p]
        if len(paragraphs) < 1:
            continue
        last = paragraphs[-1]
        quote_paragraphs = paragraphs[:-1]
        attribution_line = last[0]
        dash = re.match(r"\s*(?:—|--)\s*", attribution_line[1])
        if not dash:
            # The attribution may be the last line of the only paragraph.
            if len(last) > 1:
                tail = last[-1]
                dash = re.match(r"\s*(?:—|--)\s*", tail[1])
                if dash:
                    attribution_line = tail
                    quote_paragraphs = [last[:-1]]
            if not dash:
                continue
        speaker = by_start.get(attribution_line[0] + dash.end())
        if speaker is None or not quote_paragraphs:
            continue
        quote = " ".join(
            plain("\n".join(text for _, text in para)).strip() for para in quote_paragraphs
        )
        note = plain(body[speaker.end : attribution_line[0] + len(attribution_line[1])]).strip()
        found.append((speaker, quote, note.lstrip(",;: ").strip()))
    return found
