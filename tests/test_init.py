"""`dossier init [DIR]` (README, "Start a new dossier"): a new dossier site that builds
with --strict at once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs_dossier.cli import main
from mkdocs_dossier.cli.scaffold import site_files
from sitebuild import MKDOCS, Build

DOSSIER = str(Path(sys.executable).parent / "dossier")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

#: What `dossier init` writes, relative to DIR.
WRITTEN = {
    "mkdocs.yml",
    "README.md",
    ".gitignore",
    ".github/workflows/pages.yml",
    "docs/index.md",
    "docs/articles/2024-05-02-night-ferry-returns.md",
    "dossier/people/ana-ruiz.md",
    "dossier/places/rotterdam.md",
    "dossier/organizations/maas-ferry-company.md",
    "dossier/events/night-ferry-reopening.md",
    "dossier/geocache.yml",
}


def init(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["init", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> Build:
    """A site made by `dossier init` in an empty folder, then built with --strict."""
    root = tmp_path_factory.mktemp("new") / "my-dossier"
    root.mkdir()
    init_run = run([DOSSIER, "init"], root)
    assert init_run.returncode == 0, init_run.stderr
    proc = run([*MKDOCS, "build", "--strict"], root)
    return Build(root, root / "site", proc.stdout + proc.stderr, proc.returncode)


def test_new_site_builds_with_strict_and_no_warning(new_site: Build):
    assert new_site.returncode == 0, new_site.log
    assert new_site.warnings() == []


def test_new_site_has_entity_pages_of_each_type_and_the_typed_stub(new_site: Build):
    for page, entity in (
        ("people/ana-ruiz.html", "person:ana-ruiz"),
        ("people/tom-jansen.html", "person:tom-jansen"),  # [[person:Tom Jansen]]: a stub
        ("places/rotterdam.html", "place:rotterdam"),
        ("organizations/maas-ferry-company.html", "org:maas-ferry-company"),
        ("events/night-ferry-reopening.html", "event:night-ferry-reopening"),
    ):
        outer = re.search(
            r'<div class="dossier-entity[^"]*" data-entity="([^"]+)"', new_site.page(page)
        )
        assert outer and outer.group(1) == entity, page


def test_new_site_lists_the_index_pages_in_the_navigation(new_site: Build):
    home = new_site.page("index.html")
    for index in ("people", "places", "organizations", "events"):
        assert f'href="{index}/index.html"' in home


def test_statement_of_the_example_article_is_on_the_persons_page(new_site: Build):
    page = new_site.page("people/ana-ruiz.html")
    statements = page[page.index('id="dossier-statements"') :]
    assert "We missed the night crossings as much as our passengers did." in statements
    assert "2024-05-02-night-ferry-returns.html" in statements


def test_the_place_is_on_a_map(new_site: Build):
    assert '<svg class="dossier-map' in new_site.page("places/rotterdam.html")


def test_dossier_check_strict_finds_no_problem_in_a_new_site(new_site: Build):
    proc = run([DOSSIER, "check", "--strict"], new_site.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert "no problems" in proc.stderr


def test_init_lists_what_it_wrote_and_the_next_steps(tmp_path: Path, capsys):
    code, out, _ = init([str(tmp_path / "site")], capsys)
    assert code == 0
    listed, _, steps = out.partition("\nNext steps:\n")
    assert set(listed.split()) == {str(tmp_path / "site" / path) for path in WRITTEN}
    assert f"cd {tmp_path / 'site'}" in steps
    assert "mkdocs serve" in steps and "dossier check" in steps


def test_init_writes_into_the_current_folder_by_default(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = init([], capsys)
    assert code == 0
    assert files_under(tmp_path) == WRITTEN
    assert "cd " not in out  # already there


def test_init_makes_a_missing_nested_folder(tmp_path: Path, capsys):
    target = tmp_path / "a" / "b" / "my-dossier"
    code, _, err = init([str(target)], capsys)
    assert (code, err) == (0, "")
    assert files_under(target) == WRITTEN


def test_init_keeps_other_files_of_a_non_empty_folder(tmp_path: Path, capsys):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    code, _, _ = init([str(tmp_path)], capsys)
    assert code == 0
    assert files_under(tmp_path) == WRITTEN | {"notes.txt", "docs/about.md"}
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_init_writes_nothing_when_one_target_exists(tmp_path: Path, capsys):
    existing = tmp_path / "dossier" / "places" / "rotterdam.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("---\nname: Our Rotterdam\n---\n", encoding="utf-8")
    code, out, err = init([str(tmp_path)], capsys)
    assert code == 1
    assert out == ""
    assert str(tmp_path / "dossier" / "places" / "rotterdam.md") in err
    assert "nothing was written" in err
    assert files_under(tmp_path) == {"dossier/places/rotterdam.md"}
    assert existing.read_text(encoding="utf-8") == "---\nname: Our Rotterdam\n---\n"


def test_init_lists_every_conflicting_file(tmp_path: Path, capsys):
    for name in ("mkdocs.yml", ".gitignore"):
        (tmp_path / name).write_text("mine\n", encoding="utf-8")
    code, _, err = init([str(tmp_path)], capsys)
    assert code == 1
    conflicting = [line.strip() for line in err.splitlines()[1:]]
    assert conflicting == [str(tmp_path / "mkdocs.yml"), str(tmp_path / ".gitignore")]
    assert files_under(tmp_path) == {"mkdocs.yml", ".gitignore"}


def test_init_refuses_a_folder_in_the_place_of_a_file(tmp_path: Path, capsys):
    (tmp_path / "README.md").mkdir()
    code, _, err = init([str(tmp_path)], capsys)
    assert code == 1
    assert str(tmp_path / "README.md") in err
    assert files_under(tmp_path) == set()


def test_init_refuses_a_file_in_the_place_of_a_folder(tmp_path: Path, capsys):
    (tmp_path / "dossier").write_text("not a folder\n", encoding="utf-8")
    code, _, err = init([str(tmp_path)], capsys)
    assert code == 1
    assert str(tmp_path / "dossier" / "geocache.yml") in err
    assert files_under(tmp_path) == {"dossier"}


def test_init_refuses_a_broken_symlink_in_the_place_of_a_folder(tmp_path: Path, capsys):
    (tmp_path / "docs").symlink_to(tmp_path / "nowhere")
    code, _, err = init([str(tmp_path)], capsys)
    assert code == 1
    assert str(tmp_path / "docs" / "index.md") in err
    assert files_under(tmp_path) == set() and not (tmp_path / "nowhere").exists()


def test_init_refuses_a_file_as_the_site_folder(tmp_path: Path, capsys):
    target = tmp_path / "site.txt"
    target.write_text("x\n", encoding="utf-8")
    code, _, err = init([str(target)], capsys)
    assert code == 1
    assert "not a folder" in err
    assert target.read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("name", ["My dossier", 'Floods: "2024" & after', "Zürich # desk"])
def test_site_name_reaches_mkdocs_yml_intact(name: str):
    config = next(f.text for f in site_files(name) if f.path == "mkdocs.yml")
    assert yaml.safe_load(config)["site_name"] == name


def test_front_matter_of_the_example_parses_as_written():
    files = {f.path: f.text for f in site_files("Test")}
    entry = yaml.safe_load(files["dossier/places/rotterdam.md"].split("---\n")[1])
    assert entry["coordinates"] == [51.9225, 4.4792]
    article = yaml.safe_load(
        files["docs/articles/2024-05-02-night-ferry-returns.md"].split("---\n")[1]
    )
    assert str(article["date"]) == "2024-05-02"
    assert article["entities"] == ["event:Night ferry reopening"]
