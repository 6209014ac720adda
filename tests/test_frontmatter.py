"""Front matter as the plugin reads it: positions, limits, and the same answer everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs_dossier.read import frontmatter

CORPUS = Path(__file__).parent / "corpus"


def _diagnostics(text: str) -> list[tuple[int, int, str, str]]:
    fm = frontmatter.split(text, "x.md")
    return [(d.line, d.col, d.code, d.message) for d in fm.diagnostics]


@pytest.fixture
def pure_python_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse as on a machine whose PyYAML was built without libyaml."""
    monkeypatch.setattr(frontmatter, "_FAST_LOADER", frontmatter._PURE_LOADER)


def _corpus_front_matter() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.input") if p.read_bytes().startswith(b"---"))


@pytest.mark.parametrize("source", _corpus_front_matter(), ids=lambda p: p.stem)
def test_diagnostics_do_not_depend_on_libyaml(source: Path, monkeypatch: pytest.MonkeyPatch):
    text = source.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
    with_fast_parser = _diagnostics(text)
    monkeypatch.setattr(frontmatter, "_FAST_LOADER", frontmatter._PURE_LOADER)
    assert _diagnostics(text) == with_fast_parser


@pytest.mark.parametrize("depth", [99, 100, 101, 999, 1000, 1001, 5000])
@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
def test_nesting_limit_is_ours_not_the_parsers(depth: int, closed: bool):
    # libyaml stops at 1000 levels since PyYAML 6.0.4 and pure-Python PyYAML runs out of
    # recursion near 400; either way the editor gets one answer, at the 100th level.
    value = "[" * depth + ("]" * depth if closed else "")
    found = _diagnostics(f"---\nname: Ana\naliases: {value}\n---\nbody\n")
    if depth < frontmatter.MAX_DEPTH:
        assert all("levels deep" not in message for *_, message in found)
    else:
        col = len("aliases: ") + frontmatter.MAX_DEPTH  # the `[` one level too deep
        assert found == [
            (3, col, "bad-front-matter", "invalid YAML: nested more than 100 levels deep")
        ]


def test_deep_block_nesting_is_refused_too(pure_python_yaml: None):
    lines = "".join("  " * level + "-\n" for level in range(150))
    [(line, _col, code, message)] = _diagnostics(f"---\nitems:\n{lines}---\n")
    assert code == "bad-front-matter" and "100 levels" in message
    assert line == 2 + 100  # `---`, `items:`, then the 100th nested item


def test_yaml_error_wording_is_the_same_with_and_without_libyaml(pure_python_yaml: None):
    assert _diagnostics("---\ntitle: [unclosed\n---\n") == [
        (3, 1, "bad-front-matter", "invalid YAML: expected ',' or ']', but got '<stream end>'")
    ]


# --------------------------------------------------------------------------- as MkDocs


def _as_mkdocs_reads_it(text: str) -> tuple[str, set[str]]:
    from mkdocs.utils.meta import get_data

    body, meta = get_data(text)
    return body, set(meta)


def _as_we_read_it(text: str) -> tuple[str, set[str]]:
    fm = frontmatter.split(text, "x.md")
    # MkDocs also drops the blank lines that open the body; the plugin allows for that.
    return fm.body.lstrip("\n"), set(fm.data)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: A\n---\nBody [[X]]\n",
        "---\ntitle: A\n...\nBody\n",
        "--- \ntitle: A\n---\t\n\n\nBody\n",
        "---\ntitle: A\n---",  # closing fence at the end of the file: not front matter
        "---\ntitle: A\n---\n",
        "---\n---\nBody\n",  # no line of YAML: not front matter
        "---\n\n---\nBody\n",  # YAML of nothing: MkDocs keeps the block in the page
        "---\n- a\n- b\n---\nBody\n",  # not a mapping: kept in the page
        "---\ntitle: [x\n---\nBody\n",  # invalid: kept in the page
        "----\ntitle: A\n----\nBody\n",
        "Title: A\nDate: 2020-12-23\n\nBody [[X]]\n",  # MultiMarkdown meta-data
        "Title: A\n    continued\n\tand more\n\nBody\n",
        "Note: the first line looks like a key\nand the second does not.\n",
        "Title: A\n",
        "\n\nBody after blank lines\n",
        "# Heading\n\nBody\n",
    ],
)
def test_front_matter_is_what_mkdocs_takes_for_front_matter(text: str):
    assert _as_we_read_it(text) == _as_mkdocs_reads_it(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\ndate: 2020-02-30\n---\nBody\n",  # a timestamp that is not a date: refused
        "---\nupdated: 2020-13-01\n---\nBody\n",
        "---\nx: [2020-01-02 25:00:00]\n---\nBody\n",
        "---\n0000-01-01: x\n---\nBody\n",
        '---\ndate: "2020-02-30"\n---\nBody\n',  # quoted: text, taken
        "---\ndate: 2020-1-2\n---\nBody\n",  # not a YAML timestamp: text, taken
        "---\ntitle: &a [*a]\n---\nBody\n",  # MkDocs takes what we refuse
        "---\nx: &m {k: *m}\n---\nBody\n",
        "---\nt: " + "[" * 150 + "]" * 150 + "\n---\nBody\n",
        "---\nt: " + "[" * 1500 + "]" * 1500 + "\n---\nBody\n",  # too deep for both
        "---\nx: !!timestamp 2020-02-30\n---\nBody\n",
        "---\nx: !!float abc\n---\nBody\n",
    ],
)
def test_the_body_starts_where_mkdocs_starts_it(text: str):
    # Found by tests/test_fuzz_fields.py: where the two disagreed, the page showed the
    # front matter as text while mentions were placed by our offsets (stray `</a>`), or
    # the build stopped on a constructor's ValueError.
    ours, theirs = _as_we_read_it(text), _as_mkdocs_reads_it(text)
    assert ours[0] == theirs[0]
    if ours[1] != theirs[1]:  # we refuse YAML MkDocs reads: the editor is told
        assert ours[1] == set() and "levels deep" in _diagnostics(text)[0][3]


@pytest.mark.parametrize(
    ("value", "col", "message"),
    [
        ("!!timestamp 2020-02-30", 4, '"2020-02-30" is not a !!timestamp'),
        ("!!timestamp nope", 4, '"nope" is not a !!timestamp'),
        ("[1, !!float abc]", 8, '"abc" is not a !!float'),
        ("!!bool maybe", 4, '"maybe" is not a !!bool'),
        ("!!int abc", 4, '"abc" is not a !!int'),
        ("2020-02-30", 4, '"2020-02-30" looks like a timestamp but is not one'),
        ("a\x1bb", 5, "special characters are not allowed"),  # refused by the reader
    ],
)
@pytest.mark.parametrize("loader", ["fast", "pure"])
def test_a_value_its_tag_cannot_build_is_reported_not_raised(
    value: str, col: int, message: str, loader: str, monkeypatch: pytest.MonkeyPatch
):
    if loader == "pure":
        monkeypatch.setattr(frontmatter, "_FAST_LOADER", frontmatter._PURE_LOADER)
    [(line, at, code, text)] = _diagnostics(f"---\ntitle: T\nx: {value}\n---\nBody\n")
    assert (line, at, code) == (3, col, "bad-front-matter") and message in text, text
    entry = frontmatter.split(f"---\nx: {value}\n---\nBody\n", "e.md", page=False)
    assert entry.body == "Body\n"
    assert [d.code for d in entry.diagnostics] == (
        [] if value == "2020-02-30" else ["bad-front-matter"]  # entries: read as text
    )


_LINES = [
    "---",
    "--- ",
    "...",
    "title: A",
    "Title: B",
    "    more",
    "",
    "- x",
    "a: [",
    "[[X]]",
    "k: v",
    "d: 2020-02-30",
    "d: 2021-01-01",
]


@given(st.lists(st.sampled_from(_LINES), max_size=8), st.booleans())
@settings(max_examples=300, deadline=None)
def test_front_matter_agrees_with_mkdocs_on_any_arrangement(lines: list[str], newline: bool):
    text = "\n".join(lines) + ("\n" if newline else "")
    assert _as_we_read_it(text) == _as_mkdocs_reads_it(text)


def test_multimarkdown_values_keep_their_positions():
    fm = frontmatter.split("Title: Rockets hit\nDate:   2020-12-23\n\nBody\n", "x.md")
    assert fm.data == {"title": "Rockets hit", "date": "2020-12-23"}
    assert (fm.positions["title"].line, fm.positions["title"].col) == (1, 8)
    assert (fm.positions["date"].line, fm.positions["date"].col) == (2, 9)
    assert (fm.body, fm.body_line) == ("Body\n", 4)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_lines_are_counted_as_editors_count_them(separator: str, pure_python_yaml: None):
    # YAML breaks lines at U+2028, U+2029 and U+0085 too; an editor does not, and the
    # positions that follow must not shift.
    text = f'---\nsummary: "one{separator}two"\ntitle: [x\n---\n'
    [(line, col, code, _)] = _diagnostics(text)
    assert (line, col, code) == (4, 1, "bad-front-matter")
    fm = frontmatter.split(f'---\nsummary: "a{separator}b"\nrole: [x, y]\n---\n', "x.md")
    assert (fm.positions["role"].line, fm.positions["role"].col) == (3, 7)
    assert [(p.line, p.col) for p in fm.item_positions["role"]] == [(3, 8), (3, 11)]
