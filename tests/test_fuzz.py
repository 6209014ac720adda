"""Property-based tests (hypothesis) of the mention grammar and the mention renderer.

Budget: every property runs MAX_EXAMPLES (300) generated examples, no deadline; the
texts mix Markdown syntax, mention brackets, code, comments, escapes and HTML/JS
payloads, so shrinking finds small counterexamples fast.

Properties:
- scan / parse_target / read_article never raise, whatever the text or bytes;
- every mention and every body diagnostic points at the source text: the text at its
  line:col starts with `[[`, and the mention's span is exactly `[[...]]`;
- render_mentions replaces exactly the scanned spans: each replacement is either a
  single, closed `<a>` with only the expected attributes, whose text and title are the
  label and summary verbatim, or plain text with no markup at all;
- through Python-Markdown (as MkDocs renders it), hostile labels, names and summaries
  never become elements or attributes: the page parses, every `<a>` is closed and not
  nested, and there is no `<script`, `<img` or `onerror=` from the input.
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs_dossier.index.build import build_index
from mkdocs_dossier.model import Entity, Position
from mkdocs_dossier.pages.html import md_escape
from mkdocs_dossier.pages.links import Links
from mkdocs_dossier.pages.render import hover_text, inline_markdown, render_mentions
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.grammar import parse_target, scan
from mkdocs_dossier.read.text import line_col, read_source

# `make test` runs the same examples every time (derandomized), so CI is reproducible;
# `make fuzz` (DOSSIER_FUZZ=1) draws new random ones.
FUZZING = os.environ.get("DOSSIER_FUZZ", "") not in ("", "0")
MAX_EXAMPLES = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES") or (2000 if FUZZING else 300))
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=not FUZZING,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</a>",
    "<a href='javascript:alert(1)'>",
    "</script><script>alert(1)</script>",
    "&amp;",
    "&#60;b&#62;",
    "{{ 7*7 }}",
    "javascript:alert(1)",
]
SYNTAX = [
    "[[",
    "]]",
    "[",
    "]",
    "|",
    ":",
    "\\",
    "`",
    "``",
    "```",
    "~~~",
    "<!--",
    "-->",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "> ",
    "- ",
    "1. ",
    "# ",
    "*",
    "_",
    "(",
    ")",
    "person:",
    "place:",
    "org:",
    "event:",
    "thing:",
    " ",
    "—",
    "\r\n",
    "\ufeff",
]
WORDS = ["Mike Pompeo", "Pompeo", "Baghdad", "Al Kādhimī", "Iran", "x", "a b"]

token = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(PAYLOADS),
    st.sampled_from(WORDS),
    st.text(max_size=6),
)
texts = st.lists(token, max_size=40).map("".join)


def assert_at_opener(text: str, line: int, col: int, first_line: int = 1) -> None:
    """The text at 1-based line:col (counted from `first_line`) starts with `[[`."""
    lines = text.split("\n")
    assert 1 <= line - first_line + 1 <= len(lines), (line, col)
    assert lines[line - first_line][col - 1 :].startswith("[["), (line, col, text)


# --------------------------------------------------------------------------- scanner


@FUZZ
@given(texts, st.integers(min_value=1, max_value=50))
def test_scan_positions_point_at_the_source(text: str, first_line: int):
    result = scan(text, "a.md", first_line)
    previous_end = 0
    for mention in result.mentions:
        assert text.startswith("[[", mention.start)
        assert text[mention.end - 2 : mention.end] == "]]"
        assert mention.start >= previous_end  # spans never overlap
        previous_end = mention.end
        line, col = line_col(text, mention.start)
        assert (mention.target.position.line, mention.target.position.col) == (
            line + first_line - 1,
            col,
        )
        assert_at_opener(
            text, mention.target.position.line, mention.target.position.col, first_line
        )
        assert mention.target.name == mention.target.name.strip() != ""
        assert mention.target.label is None or mention.target.label.strip() != ""
    for diagnostic in result.diagnostics:
        assert diagnostic.code in {"unclosed-mention", "unknown-type", "empty-mention"}
        assert_at_opener(text, diagnostic.line, diagnostic.col, first_line)


@FUZZ
@given(st.text(max_size=200))
def test_parse_target_never_raises(inner: str):
    target, diagnostics = parse_target(inner, Position(3, 7), "a.md")
    if target is None:
        assert len(diagnostics) == 1
        assert (diagnostics[0].line, diagnostics[0].col) == (3, 7)
    else:
        assert diagnostics == []
        # A name; or none for `[[#Heading]]` (this page's section) and for `[[#^block]]`
        # (this page's block, shown as its label).
        assert target.name or target.fragment or target.label
        assert target.name == target.name.strip()
        if not target.name:
            assert target.type is None
        assert target.type in (None, "person", "place", "org", "event")


@FUZZ
@given(st.binary(max_size=400) | texts.map(lambda t: ("---\ntitle: T\n---\n\n" + t).encode()))
def test_read_article_never_raises_and_body_positions_hold(raw: bytes):
    source = read_article(raw, "a.md", "content/a.md")
    text, _ = read_source(raw)
    body_first_line = source.article.body_offset_line + 1
    for mention in source.raw_mentions:
        assert_at_opener(text, mention.target.position.line, mention.target.position.col)
    for diagnostic in source.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.col >= 1
        if diagnostic.code in {"unclosed-mention", "empty-mention"} and (
            diagnostic.line >= body_first_line
        ):
            assert_at_opener(text, diagnostic.line, diagnostic.col)


# --------------------------------------------------------------------------- renderer


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.depth = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, dict(attrs)))
        if tag == "a":
            if self.depth:
                self.problems.append("nested <a>")
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))
        if tag == "a":
            if not self.depth:
                self.problems.append("</a> without <a>")
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        self.events.append(("data", data))


def parse_html(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    if parser.depth:
        parser.problems.append("unclosed <a>")
    return parser


hostile = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=8)), max_size=4).map(
    "".join
)


@st.composite
def dossiers(draw):
    """Entities with hostile names and summaries, and an article mentioning them."""
    names = draw(
        st.lists(hostile.filter(lambda s: "[[" not in s and "]]" not in s), min_size=1, max_size=3)
    )
    entities = []
    for index, name in enumerate(names):
        entities.append(
            Entity(
                type=draw(st.sampled_from(["person", "place", "org", "event"])),
                slug=f"e{index}",
                name=name if name.strip() else f"Name {index}",
                summary=draw(hostile),
            )
        )
    pieces = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["mention", "labelled", "text", "typed"]))
        entity = draw(st.sampled_from(entities))
        label = draw(hostile)
        if kind == "mention":
            pieces.append(f"[[{entity.slug}]]")
        elif kind == "labelled":
            pieces.append(f"[[{entity.slug}|{label}]]")
        elif kind == "typed":
            pieces.append(f"[[{entity.type}:{label}]]")
        else:
            pieces.append(draw(texts))
    body = " ".join(pieces)
    return entities, body


def render(entities: list[Entity], body: str):
    source = read_article(("---\ntitle: T\n---\n\n" + body).encode(), "a.md", "content/a.md")
    dossier = build_index(entities, [source], [])
    links = Links.for_site(list(dossier.entities), use_directory_urls=False)
    links.articles["a.md"] = "a.html"
    article = dossier.by_uri["a.md"]
    rendered, tokens = render_mentions(article.body, article.mentions, dossier, links, "a.html")
    # Mentions come through Markdown as tokens; put their HTML back as on_page_content does.
    return dossier, article, tokens.restore(rendered) if tokens else rendered


@FUZZ
@given(dossiers())
def test_render_replaces_exactly_the_mentions_with_safe_html(case):
    entities, body = case
    dossier, article, rendered = render(entities, body)
    # Walk the output against the source: text between mentions is untouched, and each
    # replacement is one closed link or plain text.
    pos = 0
    out = 0
    linked: set[str] = set()
    for mention in [m for m in article.mentions if not m.in_front_matter]:
        gap = article.body[pos : mention.start]
        assert rendered[out : out + len(gap)] == gap
        out += len(gap)
        entity = dossier.entities.get(mention.entity_id or "")
        tag = "a"
        if entity is not None:
            # The first mention of an entity (outside headings) is the link, the others
            # spans. An element ends at its first end tag: no label can close it early.
            tag = "span" if mention.heading or entity.id in linked else "a"
            if tag == "a":
                linked.add(entity.id)
            assert rendered.startswith(f"<{tag} ", out)
            replacement = rendered[out : rendered.index(f"</{tag}>", out) + len(tag) + 3]
        else:
            replacement = md_escape(mention.label)
            assert rendered.startswith(replacement, out)
        parsed = parse_html(replacement)
        assert parsed.problems == []
        starts = [e for e in parsed.events if e[0] == "start"]
        text = "".join(e[1] for e in parsed.events if e[0] == "data")
        if entity is not None:
            # The label's inline Markdown (code, strong, emphasis) is all it may add.
            assert starts[0][1] == tag, replacement
            assert {e[1] for e in starts[1:]} <= {"code", "strong", "em"}, replacement
            if not mention.heading:  # a heading's label is plain text (the TOC reads it)
                plain = re.sub(r"<[^>]*>", "", inline_markdown(mention.label))
                assert text == html.unescape(plain)
            attrs = starts[0][2]
            expected = {"class", "data-entity", "id", "title"} | ({"href"} if tag == "a" else set())
            assert set(attrs) == expected
            assert attrs["data-entity"] == entity.id
            assert attrs["title"] == hover_text(entity)
        else:
            assert text == mention.label
            assert starts == [], replacement
        out += len(replacement)
        pos = mention.end
    assert rendered[out:] == article.body[pos:]


SAFE_TEXT = st.text(alphabet="abc XYZ.,;\n", max_size=30)


@FUZZ
@given(dossiers(), SAFE_TEXT)
def test_no_input_reaches_the_page_as_markup(case, prose: str):
    entities, _ = case
    # Hostile text only where editors' fields and labels go: names, summaries, labels.
    # (Characters that end a mention or open code or a comment would move the payload
    # out of the label into the editor's own Markdown, which may hold raw HTML.)
    for entity in entities:
        for grammar in ("`", "[", "]", "|", "#", "\\", "<!--", "\n", "\r"):
            entity.name = entity.name.replace(grammar, "")
            entity.summary = entity.summary.replace(grammar, "")
        entity.name = entity.name if entity.name.strip() else "Name"
    body = (
        prose
        + " "
        + " ".join(
            f"[[{e.slug}|{e.name}]] and [[{e.slug}]] and [[{e.type}:{e.summary.strip() or 'x'}]]"
            for e in entities
        )
    )
    dossier, article, _ = render(entities, body)
    assert len(article.mentions) == 3 * len(entities)
    # As MkDocs runs it: Markdown converts the tokens' text, the mentions' HTML goes back.
    links = Links.for_site(list(dossier.entities), use_directory_urls=False)
    source, tokens = render_mentions(article.body, article.mentions, dossier, links, "a.html")
    html = markdown.markdown(source)
    html = tokens.restore(html) if tokens else html
    parsed = parse_html(html)
    assert parsed.problems == [], html
    for event in parsed.events:
        if event[0] != "start":
            continue
        tag, attrs = event[1], event[2]
        assert tag in {"p", "a", "span", "br", "code", "em", "strong"}, html
        assert not any(name.startswith("on") for name in attrs), html
        if tag == "span":  # a later mention of the same entity: not a link
            assert set(attrs) == {"class", "data-entity", "id", "title"}
        if tag == "a":
            assert set(attrs) == {"class", "data-entity", "id", "href", "title"}
            assert not attrs["href"].lower().startswith("javascript:")
    lowered = html.lower()
    for marker in ("<script", "<img", "<svg"):
        assert marker not in lowered, html
