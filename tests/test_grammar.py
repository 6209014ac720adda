"""The mention grammar against Python-Markdown itself: block structure and protected places.

Each case is Markdown with `{M}` where a mention goes. The oracle renders the case with
Python-Markdown and the extensions Material recommends, a plain probe word in place of
each mention, and reads where the probe landed: in text (a mention) or in code, a
comment, an attribute, link text or a raw-text element (not a mention). The grammar
must agree on every probe.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import markdown
import pytest
from mkdocs_dossier.model import Position
from mkdocs_dossier.read.grammar import parse_target, scan

EXTENSIONS = [
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "footnotes",
    "tables",
    "md_in_html",
    "def_list",
    "attr_list",
    "abbr",
    "toc",
]
CONFIGS = {"pymdownx.tabbed": {"alternate_style": True}}

#: Containers x positions: (case id, Markdown with {M} for each mention).
CASES = [
    ("paragraph", "Text {M} here.\n"),
    ("second paragraph", "One.\n\nTwo {M}.\n"),
    ("heading", "# Title {M}\n\nText.\n"),
    ("setext heading", "Title {M}\n=====\n"),
    ("list item", "- item {M}\n- next\n"),
    ("list continuation", "- item\n\n    more {M}\n"),
    ("list lazy line", "- item\nlazy {M}\n"),
    ("nested list", "- a\n    - b {M}\n"),
    ("nested list continuation", "- a\n    - b\n\n        more {M}\n"),
    ("ordered list", "1. one\n2. two {M}\n"),
    ("admonition first", "!!! note\n    First {M}.\n"),
    ("admonition second", "!!! note\n\n    First.\n\n    Second {M}.\n"),
    ("admonition title", '!!! note "About {M}"\n    Body.\n'),
    ("admonition third", "!!! note\n    One.\n\n    Two.\n\n    Three {M}.\n"),
    ("admonition in list", "- item\n\n    !!! note\n\n        In {M}.\n"),
    ("nested admonition", "!!! note\n\n    !!! warning\n\n        Deep {M}.\n"),
    ("details second", "??? info\n\n    One.\n\n    Two {M}.\n"),
    ("details open", "???+ info\n    One {M}.\n"),
    ("tab second", '=== "One"\n\n    A.\n\n    B {M}.\n\n=== "Two"\n\n    C {M}.\n'),
    ("footnote body", "Text[^1].\n\n[^1]: Note {M}.\n"),
    ("footnote second", "Text[^1].\n\n[^1]: Note.\n\n    More {M}.\n"),
    ("blockquote", "> Quote {M}.\n"),
    ("nested blockquote", "> outer\n>\n> > inner {M}\n"),
    ("blockquote in list", "- item\n\n    > quoted {M}\n"),
    ("table cell", "| a | b |\n|---|---|\n| {M} | x |\n"),
    ("definition", "Term\n:   Definition {M}.\n"),
    ("md_in_html", '<div markdown="1">\nInside {M}.\n</div>\n'),
    ("raw html block text", "<div>\nRaw {M}\n</div>\n"),
    ("emphasis", "Some *{M}* and **{M}**.\n"),
    # Code: never a mention.
    ("fence", "```\n{M}\n```\n"),
    ("tilde fence", "~~~python\nx = '{M}'\n~~~\n"),
    ("fence in admonition", "!!! note\n\n    ```\n    {M}\n    ```\n"),
    ("fence in list", "- item\n\n    ```\n    {M}\n    ```\n"),
    ("indented code", "Text.\n\n    {M}\n"),
    ("indented code in admonition", "!!! note\n\n    Text.\n\n        {M}\n"),
    ("indented code in list", "- item\n\n        {M}\n"),
    ("code span", "Use `{M}` here.\n"),
    ("double code span", "Use ``a ` {M}`` here.\n"),
    ("comment", "Text <!-- {M} --> more.\n"),
    ("multi-line comment", "<!--\n{M}\n-->\n\nText.\n"),
    # Protected places.
    ("link text", "[see {M}](https://example.org)\n"),
    ("reference link text", "[see {M}][ref]\n\n[ref]: https://example.org\n"),
    ("image alt", "![a {M}](x.png)\n"),
    ("tag attribute", '<span title="{M}">x</span>\n'),
    ("script", "<script>var a = '{M}';</script>\n"),
    ("inline script", "Text <script>'{M}'</script> more.\n"),
    ("style", "<style>/* {M} */</style>\n"),
    ("textarea", "<textarea>{M}</textarea>\n"),
    ("attr_list", "## Head {: title='{M}' }\n"),
    ("reference definition title", "[ref]: https://example.org '{M}'\n"),
    ("abbreviation definition", "*[HTML]: Hyper {M}\n\nHTML text.\n"),
]


class _Where(HTMLParser):
    """Which probes appear as readable text outside code, links and attributes."""

    SKIP = {"code", "pre", "script", "style", "textarea", "a"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.as_text: list[str] = []
        self.elsewhere: list[str] = []

    def handle_starttag(self, tag, attrs):
        for _, value in attrs:
            self.elsewhere.extend(PROBE.findall(value or ""))
        if tag not in {"br", "hr", "img", "input", "meta", "link"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        found = PROBE.findall(data)
        (self.elsewhere if self.SKIP & set(self.stack) else self.as_text).extend(found)

    def handle_comment(self, data):
        self.elsewhere.extend(PROBE.findall(data))


PROBE = re.compile(r"probe\d+x")


def oracle(case: str) -> list[bool]:
    """For each {M} in order: does Python-Markdown show it as text?"""
    count = case.count("{M}")
    text = case
    for k in range(count):
        text = text.replace("{M}", f"probe{k}x", 1)
    html = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(text)
    where = _Where()
    where.feed(html)
    shown = set(where.as_text)
    return [f"probe{k}x" in shown for k in range(count)]


def grammar(case: str) -> list[bool]:
    """For each {M} in order: does the grammar take it as a mention?"""
    parts = case.split("{M}")
    text = parts[0]
    starts = []
    for k, part in enumerate(parts[1:]):
        starts.append(len(text))
        text += f"[[Probe {k}]]" + part
    found = {m.start for m in scan(text, "case.md").mentions}
    return [start in found for start in starts]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_grammar_agrees_with_python_markdown(case: str):
    expected = oracle(case)
    assert grammar(case) == expected


def test_the_matrix_covers_both_answers():
    answers = [answer for _, case in CASES for answer in oracle(case)]
    assert answers.count(True) >= 25 and answers.count(False) >= 20


def test_protected_places_are_reported_with_their_position():
    text = 'A <span title="[[Baghdad]]">x</span>\n[see [[Iran]]](u) ![alt [[Iraq]]](x.png)\n'
    found = scan(text, "a.md")
    assert found.mentions == []
    assert [(d.code, d.line, d.col) for d in found.diagnostics] == [
        ("protected-mention", 1, 16),
        ("protected-mention", 2, 6),
        ("protected-mention", 2, 25),
    ]
    assert [label for _, _, label in found.labels] == ["Iran", "Iraq"]


@pytest.mark.parametrize(
    "text",
    [
        "[[1]](#cite_note-1)",
        "[[1, 2], [3, 4]]",
        '{"a": [[0]]}',
        "[[https://example.org]]",
        "Process[[edit](/w/index.php?section=1)]",
        "$x = [[a, b], [c, d]]$",
        "[[image.png|100]] and ![[Board.canvas]]",
    ],
)
def test_prose_in_double_brackets_is_not_a_mention_and_not_reported(text: str):
    found = scan(text, "a.md")
    assert (found.mentions, found.diagnostics, found.strays) == ([], [], [])


def test_labels_hold_brackets_code_and_markdown_and_fragments_are_kept():
    text = "[[X|`code`]] [[Y|Title [with] brackets]] [[Z#Section|s]] [[W#^block]] ![[V]]"
    found = scan(text, "a.md")
    got = [(m.target.name, m.target.label, m.target.fragment, m.embed) for m in found.mentions]
    assert got == [
        ("X", "`code`", None, False),
        ("Y", "Title [with] brackets", None, False),
        ("Z", "s", "Section", False),
        ("W", None, None, False),
        ("V", None, None, True),
    ]
    assert found.diagnostics == []


@pytest.mark.parametrize("inner", ["#^", "# ^ ", "person:#", "person:#Section", "place: #^b1"])
def test_a_section_or_block_without_a_page_or_entity_is_an_empty_mention(inner: str):
    # Found by test_fuzz: `[[#^]]` had neither name nor section, and `[[person:#x]]`
    # lost its type and became a link to this page's section "x".
    target, diagnostics = parse_target(inner, Position(2, 5), "a.md")
    assert target is None
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("empty-mention", 2, 5)]


def test_unbalanced_label_brackets_still_close_at_the_first_pair():
    found = scan("[[org:Acme|a [b]] end", "a.md")
    assert [(m.target.name, m.target.label) for m in found.mentions] == [("Acme", "a [b")]


def _stray_page(n: int) -> str:
    return "Words " + "[[ and more " * n + "\n"


def test_stray_brackets_are_neutralised_and_cost_linear_time():
    found = scan("[[ a [[ b", "a.md")
    assert found.strays == [0, 1, 5, 6]
    assert [d.code for d in found.diagnostics] == ["unclosed-mention"] * 2
    timings = []
    for n in (5_000, 50_000):
        text = _stray_page(n)
        start = time.perf_counter()
        scan(text, "a.md")
        timings.append(time.perf_counter() - start)
    # Ten times the input: well under a hundred times the time (quadratic would be 100x).
    assert timings[1] < 25 * max(timings[0], 0.01)
