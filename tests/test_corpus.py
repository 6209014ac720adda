"""The bad-input corpus: malformed and hostile sources never crash the build.

Each case is a pair of files in tests/corpus/: `<case>.input` (the exact bytes of one
source file) and `<case>.expected`:

    # what the input is
    target: dossier/people/ana.md          where the input goes in the project
    expect: PATH:LINE:COL: SEVERITY [CODE]  one line per diagnostic, exactly
    expect: PATH:LINE:COL: SEVERITY [CODE] ~ text the message must contain
    expect: none                            no diagnostic at all
    xfail-build: why                        a known crash outside the plugin
    xfail-injection: why                    a known escaping bug (a test elsewhere is strict)

The input is added to a small, clean base project (BASE). For every case:
- `dossier check` (the engine, in-process) gives exactly the expected diagnostics;
- `mkdocs build` (no --strict) exits 0, logs no traceback, and logs the same
  diagnostics as the check;
- nothing outside the site folder changed (hashes of every file before and after);
- the type index pages are still there and no page carries injected markup.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from htmlcheck import injected_in_site
from mkdocs_dossier.cli.check import run_check
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.grammar import scan
from mkdocs_dossier.site import load_site
from sitebuild import run_build, write_tree

CORPUS = Path(__file__).parent / "corpus"

BASE = {
    "mkdocs.yml": (
        "site_name: Corpus\ndocs_dir: content\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - search\n  - dossier\n"
    ),
    "content/index.md": "# Corpus\n",
    "content/articles/base.md": (
        "---\ntitle: Base article\ndate: 2020-12-21\nsource: Desk\n"
        "summary: The base article of the bad-input corpus.\n---\n\n"
        "[[Mike Pompeo]] spoke in [[Baghdad]] after the [[Green Zone attack]].\n"
        "Later [[Mustafa Al-Kadhimi]] met the [[State Department|department]] and "
        "[[José Ortega]].\n"
    ),
    "dossier/people/mike-pompeo.md": (
        "---\nname: Mike Pompeo\naliases: [Pompeo]\nsummary: U.S. Secretary of State.\n---\n"
    ),
    "dossier/people/mustafa-al-kadhimi.md": (
        "---\nname: Mustafa Al-Kadhimi\nsummary: Prime Minister of Iraq.\n---\n"
    ),
    "dossier/people/jose-ortega.md": "---\nname: José Ortega\nsummary: A reporter.\n---\n",
    "dossier/places/baghdad.md": (
        "---\nname: Baghdad\ncoordinates: [33.3152, 44.3661]\ncountry: IQ\nkind: city\n---\n"
    ),
    "dossier/organizations/state-department.md": (
        "---\nname: State Department\nsummary: U.S. foreign ministry.\n---\n"
    ),
    "dossier/events/green-zone-attack.md": (
        "---\nname: Green Zone attack\ndate: 2020-12-20\nplace: Baghdad\n"
        "participants: [Mike Pompeo]\n---\n"
    ),
    "dossier/geocache.yml": "places: {}\n",
}

_EXPECT = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
    r"\[(?P<code>[a-z-]+)\](?: ~ (?P<fragment>.+))?$"
)
_LOGGED = re.compile(
    r"^WARNING -  (?P<diagnostic>\S.*:\d+:\d+: (?:error|warning): .* \[[a-z-]+\])$"
)

Key = tuple[str, int, int, str, str]


@dataclass
class Case:
    name: str
    target: str
    data: bytes
    expected: list[Key] = field(default_factory=list)
    fragments: list[tuple[Key, str]] = field(default_factory=list)
    xfail_build: str | None = None
    xfail_injection: str | None = None


def load_case(expected_file: Path) -> Case:
    name = expected_file.name.removesuffix(".expected")
    target = ""
    case = Case(name, "", (CORPUS / f"{name}.input").read_bytes())
    saw_expect = False
    for raw in expected_file.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        key, _, value = raw.partition(": ")
        if key == "target":
            target = value
        elif key == "xfail-build":
            case.xfail_build = value
        elif key == "xfail-injection":
            case.xfail_injection = value
        elif key == "expect":
            saw_expect = True
            if value == "none":
                continue
            match = _EXPECT.match(value)
            assert match, f"{expected_file.name}: cannot read {raw!r}"
            item = (
                match["path"],
                int(match["line"]),
                int(match["col"]),
                match["severity"],
                match["code"],
            )
            case.expected.append(item)
            if match["fragment"]:
                case.fragments.append((item, match["fragment"]))
        else:
            raise AssertionError(f"{expected_file.name}: unknown line {raw!r}")
    assert target, f"{expected_file.name}: no target"
    assert saw_expect, f"{expected_file.name}: no expect line (use `expect: none`)"
    case.target = target
    return case


CASE_FILES = sorted(CORPUS.glob("*.expected"))


def tree_digest(root: Path, skip: tuple[str, ...] = ("site", ".cache")) -> dict[str, str]:
    """SHA-256 of every file under `root` except the site folder and the build cache
    (`.cache/plugin/dossier/`, where `mkdocs build` keeps what it computed)."""
    digests = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in skip or not path.is_file():
            continue
        digests[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def make_project(root: Path, target: str, data: bytes) -> None:
    write_tree(root, BASE)
    path = root / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_the_corpus_is_complete():
    inputs = {p.name.removesuffix(".input") for p in CORPUS.glob("*.input")}
    expected = {p.name.removesuffix(".expected") for p in CASE_FILES}
    assert inputs == expected
    assert len(expected) >= 40
    codes = {item[4] for path in CASE_FILES for item in load_case(path).expected}
    assert {
        "bad-front-matter",
        "bad-field",
        "unresolved-mention",
        "ambiguous-mention",
        "unknown-type",
        "duplicate-entity",
        "missing-coordinates",
        "unclosed-mention",
        "bad-encoding",
    } <= codes


def test_the_base_project_is_clean(tmp_path: Path):
    write_tree(tmp_path, BASE)
    diagnostics, _ = run_check(load_site(tmp_path / "mkdocs.yml"))
    assert diagnostics == []


@pytest.mark.parametrize("expected_file", CASE_FILES, ids=lambda p: p.stem)
def test_corpus_case(expected_file: Path, tmp_path: Path):
    case = load_case(expected_file)
    make_project(tmp_path, case.target, case.data)

    diagnostics, _ = run_check(load_site(tmp_path / "mkdocs.yml"))
    found = sorted((d.path, d.line, d.col, d.severity, d.code) for d in diagnostics)
    assert found == sorted(case.expected), "\n".join(d.format() for d in diagnostics)
    for key, fragment in case.fragments:
        messages = [
            d.message for d in diagnostics if (d.path, d.line, d.col, d.severity, d.code) == key
        ]
        assert any(fragment in m for m in messages), (fragment, messages)

    before = tree_digest(tmp_path)
    build = run_build(tmp_path)
    if case.xfail_build and (build.returncode != 0 or "Traceback" in build.log):
        assert tree_digest(tmp_path) == before
        pytest.xfail(case.xfail_build)
    assert build.returncode == 0, build.log[-4000:]
    assert "Traceback" not in build.log, build.log[-4000:]
    logged = sorted(
        match["diagnostic"] for line in build.log.splitlines() if (match := _LOGGED.match(line))
    )
    assert logged == sorted(d.format() for d in diagnostics)
    assert tree_digest(tmp_path) == before, "the build changed files outside site/ and .cache/"

    for folder, title in (("people", "People"), ("places", "Places"), ("events", "Events")):
        page = (build.site / folder / "index.html").read_text(encoding="utf-8")
        assert 'class="dossier-index dossier-index-' in page, folder
        assert f"<h1>{title}</h1>" in page
    injected = injected_in_site(build.site)
    if injected and case.xfail_injection:
        pytest.xfail(f"{case.xfail_injection}: {injected}")
    assert injected == {}


# --------------------------------------------------------------------------- big input


def test_a_5_mb_article_builds_with_exact_positions(tmp_path: Path):
    paragraph = (
        "Rockets hit the [[Green Zone attack|Green Zone]] again, and [[Mike Pompeo|Pompeo]] "
        "blamed militias; officials in [[Baghdad]] said the `[[code]]` stayed shut.\n"
        "A second line of the same paragraph names [[Pompeo]] once more.\n"
    )
    body = []
    size = 0
    while size < 5 * 1024 * 1024:
        body.append(paragraph)
        size += len(paragraph) + 1
    text = "---\ntitle: Big\ndate: 2020-12-22\n---\n\n" + "\n".join(body)
    text += "\nThe end: [[Nobody Known]] and [[Pompeo unclosed\n"
    data = text.encode("utf-8")
    assert len(data) >= 5 * 1024 * 1024
    last_line = text.count("\n")
    make_project(tmp_path, "content/articles/big.md", data)

    diagnostics, _ = run_check(load_site(tmp_path / "mkdocs.yml"))
    assert [(d.line, d.col, d.code) for d in diagnostics] == [
        (last_line, 10, "unresolved-mention"),
        (last_line, 31, "unclosed-mention"),
    ]

    before = tree_digest(tmp_path)
    build = run_build(tmp_path)  # within run_build's timeout
    assert build.returncode == 0, build.log[-4000:]
    assert "Traceback" not in build.log
    assert f"content/articles/big.md:{last_line}:10: warning: unresolved mention" in build.log
    assert tree_digest(tmp_path) == before
    page = (build.site / "articles/big.html").read_text(encoding="utf-8")
    assert page.count('data-entity="person:mike-pompeo"') >= 2 * len(body)


#: Most a linear reader's time per unit of input may grow from N to 4N units (fastest of
#: a few runs each): about 1 when linear, 4 when quadratic. A ratio within one run, so it
#: does not depend on the machine's speed.
GROWTH_LIMIT = 2.5


def growth(work: Callable[[int], object], units: int, rounds: int = 2) -> float:
    """Time per unit of `work(units)` over that of `work(units // 4)`."""
    best: dict[int, float] = {}
    for _ in range(rounds):
        for n in (units // 4, units):
            started = time.perf_counter()
            work(n)
            best[n] = min(best.get(n, float("inf")), time.perf_counter() - started)
    if best[units] < 0.05:
        return 1.0  # too quick for timer noise to say anything, and too quick to matter
    return (best[units] / units) / (best[units // 4] / (units // 4))


@pytest.mark.parametrize(
    ("unit", "count", "end"),
    [
        ("[[", 200_000, ""),  # 400 KB of openers, none closed
        ("[[a ", 100_000, "]]"),  # every opener reopened
        ("` a ", 100_000, ""),  # unmatched backticks in one paragraph
        ("``` a `` b ` ", 30_000, ""),  # runs of every length, none matching
        ("[[Mike Pompeo]] said. ", 20_000, ""),  # one huge paragraph full of mentions
    ],
    ids=["openers", "reopened", "backticks", "backtick-runs", "mention-paragraph"],
)
def test_hostile_text_is_read_in_linear_time(unit: str, count: int, end: str):
    def read(n: int) -> list:
        hostile = unit * n + end
        source = read_article(("---\ntitle: T\n---\n\n" + hostile).encode(), "a.md", "a.md")
        scan(hostile, "a.md")
        return source.diagnostics

    assert all(d.line >= 1 and d.col >= 1 for d in read(count))
    assert growth(read, count // 2) < GROWTH_LIMIT


def test_a_huge_paragraph_of_mentions_indexes_in_linear_time(tmp_path: Path):
    def check(n: int) -> None:
        text = "---\ntitle: T\n---\n\n" + "[[Mike Pompeo]] said the [[Baghdad]] talks. " * n
        root = tmp_path / f"n{n}"
        if not root.exists():
            make_project(root, "content/articles/para.md", text.encode())
        diagnostics, _ = run_check(load_site(root / "mkdocs.yml"))
        assert diagnostics == []

    assert growth(check, 2_000) < GROWTH_LIMIT


def test_a_mention_inside_link_text_is_not_a_nested_link(tmp_path: Path):
    text = "---\ntitle: L\n---\n\n[see [[Mike Pompeo]]](https://example.org)\n"
    make_project(tmp_path, "content/articles/link.md", text.encode())
    build = run_build(tmp_path)
    assert build.returncode == 0
    assert injected_in_site(build.site) == {}
