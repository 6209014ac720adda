"""Diagnostics have one home: every code is in the catalogue with one severity and a
meaning, every diagnostic is made through it, and the README lists exactly the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import mkdocs_dossier
from mkdocs_dossier.diagnostics import CATALOGUE, problem, table
from mkdocs_dossier.model import Position
from sitebuild import ROOT

PACKAGE = Path(mkdocs_dossier.__file__).parent


def _calls(name: str) -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                found.append((path, node))
    return found


def test_every_diagnostic_is_made_through_the_catalogue():
    # Diagnostic(...) itself is called only by `problem` (and by nothing else).
    direct = [
        f"{path.relative_to(PACKAGE)}:{call.lineno}"
        for path, call in _calls("Diagnostic")
        if path.name != "diagnostics.py"
    ]
    assert direct == []


def test_every_code_used_is_in_the_catalogue_and_every_code_is_used():
    used = set()
    for path, call in _calls("problem"):
        code = call.args[0]
        if isinstance(code, ast.Name):
            continue  # a module's *CODE constant, read below
        assert isinstance(code, ast.Constant), f"{path}:{call.lineno}: code is not a literal"
        assert code.value in CATALOGUE, f"{path}:{call.lineno}: {code.value} not catalogued"
        used.add(code.value)
    # Codes passed on through a variable (the offline check's, MkDocs' own warnings).
    for path in PACKAGE.rglob("*.py"):
        used.update(re.findall(r'^\w*CODE\w* = "([a-z-]+)"', path.read_text("utf-8"), re.M))
    assert used == set(CATALOGUE)


def test_a_code_has_one_severity():
    assert problem("unresolved-mention", "a.md", Position(3, 4), "x").severity == "warning"
    assert problem("bad-field", "a.md", Position(3, 4), "x").format() == (
        "a.md:3:4: error: x [bad-field]"
    )


def test_the_readme_lists_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table() in readme, "regenerate the README's table with diagnostics.table()"
