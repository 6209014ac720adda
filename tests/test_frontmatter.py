"""Front matter as the plugin reads it: positions, limits, and the same answer everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs_dossier import frontmatter

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
