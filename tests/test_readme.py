"""Every command and file in README.md works as written: an edit that breaks one fails here.

Each fenced code block of the README is checked according to its language:

- `sh`: run by bash (`set -euo pipefail`) in a site just made by `dossier init` (where
  a reader runs such commands), with this environment's `dossier`, `mkdocs` and
  `properdocs` first on PATH; it must exit 0. Two kinds of line are not run:
  `pip install` of this package, with or without extras (the package under test is
  installed already), and `mkdocs serve` / `properdocs serve` (they never end).
- `yaml`: must parse. A block whose first line is `# mkdocs.yml` is a site's config: it
  replaces the mkdocs.yml of a site made by `dossier init`, which must then build with
  `mkdocs build --strict`.
- `markdown`: an article. Added to a site made by `dossier init` (as
  `docs/articles/readme-<line>.md`), the site must build with `--strict` and log no
  warning at all, so its mentions must name the example entries or be typed.
- `json`: must parse; a VS Code problem matcher in it must match what `dossier check`
  prints.
- `jinja`: a template override; its first line is a comment naming its file,
  `{# overrides/dossier/<template> ... #}`. Written there in a site made by `dossier init`
  whose theme gets `custom_dir: overrides`, the site must build with `--strict` and the
  example person's page must differ from the one built without it.
- Any other language, or none, fails: a new kind of snippet needs a check here first.

A block about this repository rather than a reader's site (`make test` would run this
suite inside itself) is skipped by an HTML comment on the line just before its fence,
with the reason: `<!-- readme-test: skip (why) -->`. GitHub and PyPI do not show it.
Indented code blocks are refused (fenced blocks are what this test reads).

The README that `dossier init` writes for a new site is held to the same rule: its `sh`
blocks run, in order, inside a site just made by `dossier init`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from mkdocs_dossier.cli import main
from sitebuild import MKDOCS, ROOT

README = ROOT / "README.md"
BIN = str(Path(sys.executable).parent)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": BIN + os.pathsep + os.environ["PATH"]}

SKIP_MARK = re.compile(r"^\s*<!--\s*readme-test:\s*skip\b.*-->\s*$")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w-]*)")
#: Lines of a `sh` block that are not run (see the module docstring).
NOT_RUN = re.compile(
    r"^\s*(?:(?:python3? -m )?pip install [\"']?mkdocs-dossier(?:\[[\w,-]+\])?[\"']?\s*(?:#.*)?$"
    r"|(?:mkdocs|properdocs) serve\b)"
)


@dataclass
class Snippet:
    """A fenced code block of the README: where it starts, its language and its text."""

    line: int  # of the opening fence, 1-based
    section: str
    lang: str
    text: str
    skipped: bool

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.section.lower()).strip("-")
        return f"L{self.line}-{self.lang or 'none'}-{slug}"


def read_snippets(text: str) -> list[Snippet]:
    """Every fenced code block of a Markdown text, in order."""
    snippets = []
    lines = text.splitlines()
    section = "top"
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        opening = FENCE.match(line)
        if not opening:
            i += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        body = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^ *{re.escape(fence)}\s*$", lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].isspace() else lines[j])
            j += 1
        text_ = "\n".join(body) + "\n"
        snippets.append(
            Snippet(i + 1, section, opening["lang"].lower(), text_, bool(SKIP_MARK.match(before)))
        )
        i = j + 1
    return snippets


SNIPPETS = read_snippets(README.read_text(encoding="utf-8"))
CHECKED = [s for s in SNIPPETS if not s.skipped]


def of(lang: str, containing: str = "") -> list:
    """The checked snippets in `lang` whose text contains `containing`, as test parameters."""
    return [pytest.param(s, id=s.id) for s in CHECKED if s.lang == lang and containing in s.text]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300, check=False
    )


def shell_script(snippet: Snippet) -> str:
    """The bash script of a `sh` snippet: stop at the first failure, skip NOT_RUN lines."""
    lines = [": not run here" if NOT_RUN.match(line) else line for line in snippet.text.split("\n")]
    return "set -euo pipefail\n" + "\n".join(lines)


def new_site(root: Path) -> Path:
    """A site made by `dossier init` in `root`."""
    assert main(["init", str(root)]) == 0
    return root


# --------------------------------------------------------------------------- the README


def test_readme_has_the_snippets_this_test_is_about():
    langs = {s.lang for s in CHECKED}
    assert {"sh", "yaml", "markdown", "json", "jinja"} <= langs
    assert any("dossier init" in s.text for s in CHECKED if s.lang == "sh")


@pytest.mark.parametrize("snippet", [pytest.param(s, id=s.id) for s in CHECKED])
def test_every_snippet_has_a_known_language(snippet: Snippet):
    assert snippet.lang in {"sh", "yaml", "markdown", "json", "jinja"}, (
        f"README.md line {snippet.line}: a ```{snippet.lang} block; teach tests/test_readme.py "
        "how to check it, or mark it <!-- readme-test: skip (why) -->"
    )


def test_readme_has_no_indented_code_block():
    lines = README.read_text(encoding="utf-8").splitlines()
    in_fence = False
    for number, line in enumerate(lines, 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        previous = lines[number - 2] if number > 1 else ""
        if not in_fence and line.startswith("    ") and not previous.strip():
            pytest.fail(f"README.md line {number}: an indented code block; use a fenced one")


# --------------------------------------------------------------------------- by language


@pytest.mark.parametrize("snippet", of("sh"))
def test_shell_snippet_runs(snippet: Snippet, tmp_path: Path):
    proc = run(["bash", "-c", shell_script(snippet)], new_site(tmp_path / "site-root"))
    assert proc.returncode == 0, f"README.md line {snippet.line}:\n{proc.stdout}{proc.stderr}"


def test_shell_snippets_of_a_new_sites_readme_run_in_it(tmp_path: Path):
    site = new_site(tmp_path / "site-root")
    snippets = read_snippets((site / "README.md").read_text(encoding="utf-8"))
    assert {s.lang for s in snippets} == {"sh"}
    for snippet in snippets:
        proc = run(["bash", "-c", shell_script(snippet)], site)
        assert proc.returncode == 0, f"README.md line {snippet.line}:\n{proc.stdout}{proc.stderr}"


@pytest.mark.parametrize("snippet", of("yaml"))
def test_yaml_snippet_parses(snippet: Snippet):
    yaml.safe_load(snippet.text)


@pytest.mark.parametrize("snippet", of("yaml", "# mkdocs.yml\n"))
def test_mkdocs_yml_snippet_builds_a_site_with_strict(snippet: Snippet, tmp_path: Path):
    site = new_site(tmp_path / "site-root")
    (site / "mkdocs.yml").write_text(snippet.text, encoding="utf-8")
    proc = run([*MKDOCS, "build", "--strict"], site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    built = list((site / "site" / "people").glob("ana-ruiz*"))
    assert built, "the dossier plugin made no page for the example person"


@pytest.mark.parametrize("snippet", of("markdown"))
def test_article_snippet_builds_in_a_new_site_without_warnings(snippet: Snippet, tmp_path: Path):
    site = new_site(tmp_path / "site-root")
    article = site / "docs" / "articles" / f"readme-{snippet.line}.md"
    article.write_text(snippet.text, encoding="utf-8")
    proc = run([*MKDOCS, "build", "--strict"], site)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert [line for line in log.splitlines() if line.startswith("WARNING")] == []
    built = (site / "site" / "articles" / f"readme-{snippet.line}.html").read_text(encoding="utf-8")
    assert "dossier-mention" in built


@pytest.mark.parametrize("snippet", of("json"))
def test_json_snippet_parses(snippet: Snippet):
    json.loads(snippet.text)


def _problem_matchers(value: object) -> list[dict]:
    if isinstance(value, dict):
        found = [value["problemMatcher"]] if "problemMatcher" in value else []
        return found + [m for v in value.values() for m in _problem_matchers(v)]
    if isinstance(value, list):
        return [m for v in value for m in _problem_matchers(v)]
    return []


@pytest.mark.parametrize("snippet", of("json", '"problemMatcher"'))
def test_problem_matcher_snippet_reads_dossier_check(snippet: Snippet, tmp_path: Path):
    site = new_site(tmp_path / "site-root")
    article = site / "docs" / "articles" / "2024-05-02-night-ferry-returns.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n[[Ana Ruis]]\n", encoding="utf-8")
    proc = run(["dossier", "check"], site)
    assert proc.returncode == 0 and proc.stdout, proc.stderr  # a warning, not an error
    reported = proc.stdout.splitlines()[0]
    for matcher in _problem_matchers(json.loads(snippet.text)):
        pattern = matcher["pattern"]
        found = re.match(pattern["regexp"], reported)
        assert found, reported
        assert found.group(pattern["file"]) == "docs/articles/2024-05-02-night-ferry-returns.md"
        assert found.group(pattern["severity"]) == "warning"
        assert found.group(pattern["code"]) == "unresolved-mention"
        assert int(found.group(pattern["line"])) > 1 and int(found.group(pattern["column"])) == 1


OVERRIDE = re.compile(r"^\{#\s*(overrides/dossier/[\w.-]+\.html)\b")


@pytest.mark.parametrize("snippet", of("jinja"))
def test_template_override_snippet_changes_the_built_page(snippet: Snippet, tmp_path: Path):
    named = OVERRIDE.match(snippet.text)
    assert named, f"README.md line {snippet.line}: start with {{# overrides/dossier/<name> #}}"
    site = new_site(tmp_path / "site-root")
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "theme:\n  name: material\n" in text
    config.write_text(
        text.replace(
            "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"
        ),
        encoding="utf-8",
    )
    (site / "overrides").mkdir()
    proc = run([*MKDOCS, "build", "--strict", "--site-dir", "plain"], site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    override = site / named[1]
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(snippet.text, encoding="utf-8")
    proc = run([*MKDOCS, "build", "--strict", "--site-dir", "overridden"], site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = next((site / "overridden" / "people").glob("ana-ruiz*"))
    assert page.read_bytes() != (site / "plain" / "people" / page.name).read_bytes()
