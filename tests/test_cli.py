"""The `dossier` command (README, "Editors' commands"): check, new, geocode, schema, and
reading mkdocs.yml."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.cli import main
from mkdocs_dossier.cli.check import run_check
from mkdocs_dossier.cli.new import entry_template
from mkdocs_dossier.cli.schema import schema_path
from mkdocs_dossier.exports import formats
from mkdocs_dossier.maps import svgmap
from mkdocs_dossier.pages import render
from mkdocs_dossier.read import frontmatter
from mkdocs_dossier.read.entries import read_entry
from mkdocs_dossier.site import load_site
from nominatim_server import found, nominatim_fixture  # noqa: F401
from sitebuild import BASE_CONFIG, ROOT, run_build, write_tree

DIAGNOSTIC = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (error|warning): .* \[[a-z-]+\]$"
)

PROBLEMS = {
    "content/index.md": "# Home\n",
    "content/b-news.md": """\
        ---
        title: News
        date: 2021-02-30
        ---

        [[Ana Ruiz]] met [[Ana Ruis]] and [[Nobody]], then [[persn:Ana Ruiz]].
        Unclosed [[Ana Ruiz here.
        """,
    "content/a-first.md": """\
        ---
        title: First
        ---

        [[Riverton]] and [[Ana]].
        """,
    "dossier/people/ana-ruiz.md": """\
        ---
        name: Ana Ruiz
        aliases: [Ruiz, Ana]
        affiliations: [Nowhere Org]
        ---
        """,
    "dossier/people/ana-lopez.md": """\
        ---
        name: Ana Lopez
        aliases: [Ana]
        ---
        """,
    "dossier/places/riverton.md": """\
        ---
        name: Riverton
        coordinates: [95, 20]
        ---
        """,
    "dossier/events/flood.md": """\
        ---
        name: Flood
        summary: [not, text]
        ---
        """,
}


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, PROBLEMS)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: content\nuse_directory_urls: false\n"
        "theme:\n  name: material\n  font: false\nplugins:\n  - search\n  - dossier\n",
        encoding="utf-8",
    )
    return tmp_path


# --------------------------------------------------------------------------- check


def test_check_reports_what_the_build_reports(project: Path, capsys):
    code, out, err = run(["--config", str(project / "mkdocs.yml"), "check"], capsys)
    lines = out.splitlines()
    assert code == 1  # errors: bad date, bad coordinates, bad summary, missing event date
    assert lines and all(DIAGNOSTIC.match(line) for line in lines), lines
    build = run_build(project)
    assert build.returncode == 0, build.log
    logged = [
        line.split(" -  ", 1)[1]
        for line in build.warnings()
        if DIAGNOSTIC.match(line.split(" -  ", 1)[-1])
    ]
    assert sorted(logged) == sorted(lines)
    codes = {line.rsplit("[", 1)[1].rstrip("]") for line in lines}
    assert {
        "bad-field",
        "unresolved-mention",
        "ambiguous-mention",
        "unknown-type",
        "unclosed-mention",
    } <= codes
    assert re.search(r"\d+ errors, \d+ warnings in 7 files \(\d+\.\d\d s\)", err), err


def test_check_sorts_by_path_and_position(project: Path, capsys):
    _, out, _ = run(["--config", str(project / "mkdocs.yml"), "check"], capsys)
    keys = []
    for line in out.splitlines():
        match = DIAGNOSTIC.match(line)
        assert match
        keys.append((match["path"], int(match["line"]), int(match["col"])))
    assert keys == sorted(keys)
    assert keys[0][0] == "content/a-first.md"


def test_check_json_format(project: Path, capsys):
    code, out, _ = run(
        ["--config", str(project / "mkdocs.yml"), "check", "--format", "json"], capsys
    )
    data = json.loads(out)
    assert code == 1
    assert data["errors"] == sum(d["severity"] == "error" for d in data["diagnostics"])
    assert data["warnings"] == len(data["diagnostics"]) - data["errors"]
    first = data["diagnostics"][0]
    assert set(first) == {"path", "line", "col", "severity", "code", "message"}
    ambiguous = [d for d in data["diagnostics"] if d["code"] == "ambiguous-mention"]
    assert ambiguous[0]["path"] == "content/a-first.md"
    assert (ambiguous[0]["line"], ambiguous[0]["col"]) == (5, 18)
    assert "person:ana-lopez" in ambiguous[0]["message"]
    assert "person:ana-ruiz" in ambiguous[0]["message"]


def test_check_summary_counts_by_code_and_by_name(tmp_path: Path, capsys):
    # Many warnings about few names read as two short tables.
    article = "---\ntitle: {n}\n---\n\n[[Nobody]] met [[Ana Ruis]] and [[Stranger]].\n"
    files = {f"content/a{n}.md": article.format(n=n) for n in range(30)}
    files["content/b.md"] = "---\ntitle: B\ndate: 2021-02-30\n---\n\n[[Nobody]].\n"
    files["dossier/people/ana-ruiz.md"] = "---\nname: Ana Ruiz\n---\n"
    files["mkdocs.yml"] = "site_name: T\ndocs_dir: content\nplugins: [dossier]\n"
    write_tree(tmp_path, files)
    config = str(tmp_path / "mkdocs.yml")
    code, out, err = run(["--config", config, "check", "--summary"], capsys)
    assert code == 1  # the bad date is an error
    assert out == (
        "count  code                severity  first at\n"
        "   91  unresolved-mention  warning   content/a0.md:5:1\n"
        "    1  bad-front-matter    error     content/b.md:3:7\n"
        "\n"
        "count  name        code                first at\n"
        '   31  "Nobody"    unresolved-mention  content/a0.md:5:1\n'
        '   30  "Ana Ruis"  unresolved-mention  content/a0.md:5:16\n'
        '   30  "Stranger"  unresolved-mention  content/a0.md:5:33\n'
    )
    assert "1 error, 91 warnings in 32 files" in err
    # Past the names it lists, it says how many more there are.
    from mkdocs_dossier.cli.check import summary_table

    diagnostics, _ = run_check(load_site(config))
    assert summary_table(diagnostics, names=1).endswith(
        '   31  "Nobody"  unresolved-mention  content/a0.md:5:1\n'
        "… and 2 other names (60 problems): dossier check without --summary lists every one\n"
    )
    code, out, _ = run(["--config", config, "check", "--summary", "--format", "json"], capsys)
    summary = json.loads(out)["summary"]
    assert summary["codes"][0] == {
        "code": "unresolved-mention",
        "severity": "warning",
        "count": 91,
        "first": {"path": "content/a0.md", "line": 5, "col": 1},
    }
    assert [(n["name"], n["count"]) for n in summary["names"]] == [
        ("Nobody", 31),
        ("Ana Ruis", 30),
        ("Stranger", 30),
    ]


def test_check_exit_codes_for_warnings_and_strict(tmp_path: Path, capsys):
    write_tree(
        tmp_path,
        {
            "content/a.md": "---\ntitle: A\n---\n\nSee [[Nobody]].\n",
            "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins: [dossier]\n",
        },
    )
    config = str(tmp_path / "mkdocs.yml")
    code, out, err = run(["--config", config, "check"], capsys)
    assert code == 0
    assert out == (
        'content/a.md:5:5: warning: unresolved mention "Nobody" (add [[person:Nobody]] to '
        'create a stub, or run dossier new person "Nobody") [unresolved-mention]\n'
    )
    assert "0 errors, 1 warning in 1 file" in err
    code, _, _ = run(["--config", config, "check", "--strict"], capsys)
    assert code == 1
    (tmp_path / "content/a.md").write_text("---\ntitle: A\n---\n\nNothing here.\n")
    code, out, err = run(["--config", config, "check", "--strict"], capsys)
    assert (code, out) == (0, "")
    assert "no problems in 1 file" in err


def test_check_on_the_sample_is_clean_and_renders_nothing(monkeypatch):
    # What keeps `dossier check` quick, counted rather than timed: it reads and indexes
    # the sources and stops there, with no page, map or export made.
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("dossier check rendered something")

    for module, name in (
        (render, "entity_page"),
        (render, "index_page"),
        (render, "article_panel"),
        (svgmap, "render_map"),
        (formats, "dossier_json"),
    ):
        monkeypatch.setattr(module, name, refuse)
    diagnostics, files = run_check(load_site(ROOT / "mkdocs.yml"))
    assert diagnostics == []
    assert files > 30
    # The console script, as editors run it.
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "dossier"), "check", "--strict"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert "no problems" in proc.stderr


def test_a_build_after_check_in_the_same_process_writes_the_entity_pages(tmp_path: Path):
    # MkDocs hands every config loaded in a process the same plugin instance.
    run_check(load_site(ROOT / "mkdocs.yml"))
    write_tree(
        tmp_path, {"content/a.md": "[[Ann]]\n", "dossier/people/ann.md": "---\nname: Ann\n---\n"}
    )
    (tmp_path / "mkdocs.yml").write_text(BASE_CONFIG.format(directory_urls="false"))
    build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert (tmp_path / "site/people/ann.html").is_file()


def test_check_reports_a_page_hiding_an_entity_page(tmp_path: Path, capsys):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins: [dossier]\n",
            "content/people/ana.md": "# My own page\n",
            "dossier/people/ana.md": "---\nname: Ana\n---\n",
        },
    )
    code, out, _ = run(["--config", str(tmp_path / "mkdocs.yml"), "check"], capsys)
    assert code == 0
    assert out.startswith("dossier/people/ana.md:1:1: warning: content/people/ana.md hides")
    assert out.rstrip().endswith("[hidden-entity-page]")


def test_check_reads_plugin_options_and_mkdocs_tags(tmp_path: Path, capsys, monkeypatch):
    write_tree(
        tmp_path,
        {
            "base.yml": "site_name: T\ndocs_dir: !ENV [DOSSIER_TEST_DOCS, pages]\n",
            "mkdocs.yml": """\
                INHERIT: base.yml
                markdown_extensions:
                  - pymdownx.emoji:
                      emoji_index: !!python/name:material.extensions.emoji.twemoji
                  - toc:
                      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
                plugins:
                  - search
                  - dossier:
                      enabled: !ENV [DOSSIER, true]
                      entries_dir: notes/entries
                      geocache: notes/cache.yml
                """,
            "pages/a.md": "---\ntitle: A\n---\n\n[[Ana]] and [[Bea]].\n",
            "notes/entries/people/ana.md": "---\nname: Ana\n---\n",
            "notes/cache.yml": "places: [broken\n",
        },
    )
    monkeypatch.delenv("DOSSIER_TEST_DOCS", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["check"], capsys)
    assert code == 1
    assert 'pages/a.md:5:13: warning: unresolved mention "Bea"' in out
    assert "notes/cache.yml:2:1: error:" in out  # the geocache named in the options is read
    monkeypatch.setenv("DOSSIER_TEST_DOCS", "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    code, out, _ = run(["check"], capsys)
    assert "pages/a.md" not in out


def test_missing_config_is_a_usage_error(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["check"], capsys)
    assert code == 2
    assert out == ""
    assert "no mkdocs.yml here" in err


# --------------------------------------------------------------------------- new


def _new_site(root: Path) -> None:
    write_tree(root, {"mkdocs.yml": "site_name: T\nplugins: [dossier]\n", "docs/index.md": "# T\n"})


@pytest.mark.parametrize(
    ("kind", "folder"),
    [
        ("person", "people"),
        ("place", "places"),
        ("org", "organizations"),
        ("organization", "organizations"),
        ("event", "events"),
    ],
)
def test_new_scaffolds_an_entry(tmp_path: Path, capsys, kind: str, folder: str):
    _new_site(tmp_path)
    name = 'Qāsem "Hajj" Soleimani: the #1'
    code, out, err = run(["--config", str(tmp_path / "mkdocs.yml"), "new", kind, name], capsys)
    assert code == 0, err
    expected = f"dossier/{folder}/qasem-hajj-soleimani-the-1.md"
    assert out == expected + "\n"
    text = (tmp_path / expected).read_text(encoding="utf-8")
    assert text.startswith("---\n")
    entity, diagnostics = read_entry(
        text.encode(), expected, kind[:6].replace("organi", "org"), "x"
    )
    assert entity.name == name
    codes = [d.code for d in diagnostics]
    assert codes == (["bad-field"] if kind == "event" else [])  # an event needs its date
    data = frontmatter.split(text, expected).data
    schema = json.loads(schema_path("entry").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    # Every field of the type is there, with a hint.
    fields = {"person": "role", "place": "coordinates", "org": "parent", "event": "participants"}
    assert f"\n{fields[kind[:6].replace('organi', 'org')]}:" in text
    assert "#" in text.splitlines()[2]


def test_new_refuses_to_overwrite(tmp_path: Path, capsys):
    config = str(tmp_path / "mkdocs.yml")
    _new_site(tmp_path)
    assert run(["--config", config, "new", "person", "Ana Ruiz"], capsys)[0] == 0
    path = tmp_path / "dossier/people/ana-ruiz.md"
    path.write_text("---\nname: Ana Ruiz\nsummary: Mayor.\n---\n")
    code, out, err = run(["--config", config, "new", "person", "ana ruiz"], capsys)
    assert code == 1
    assert out == ""
    assert "dossier/people/ana-ruiz.md already exists; not overwritten" in err
    assert path.read_text() == "---\nname: Ana Ruiz\nsummary: Mayor.\n---\n"


def test_new_warns_when_the_name_is_already_taken(tmp_path: Path, capsys):
    config = str(tmp_path / "mkdocs.yml")
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\nplugins: [dossier]\n",
            "docs/index.md": "# T\n",
            "dossier/people/mike-pompeo.md": "---\nname: Mike Pompeo\naliases: [Pompeo]\n---\n",
        },
    )
    code, out, err = run(["--config", config, "new", "org", "Pompeo"], capsys)
    assert code == 0
    assert out == "dossier/organizations/pompeo.md\n"
    assert "person:mike-pompeo" in err and "ambiguous" in err


def test_new_rejects_unknown_types_and_empty_names(tmp_path: Path, capsys):
    _new_site(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["--config", str(tmp_path / "mkdocs.yml"), "new", "thing", "X"])
    assert exc.value.code == 2
    code, _, err = run(["--config", str(tmp_path / "mkdocs.yml"), "new", "person", "  "], capsys)
    assert code == 2 and "empty" in err
    assert not (tmp_path / "dossier").exists()


def test_entry_template_is_valid_yaml_for_hostile_names():
    for name in ["a: b", "- x", "'quoted'", '"dq"', "#hash", "null", "\u2028line", "🚀 Rocket"]:
        data = yaml.safe_load(entry_template("person", name).split("---\n")[1])
        assert data["name"] == name


# --------------------------------------------------------------------------- geocode


GEO_FILES = {
    "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins: [dossier]\n",
    "content/a.md": "---\ntitle: A\n---\n\n[[place:Camp Nowhere]] and [[Mosul]].\n",
    "dossier/places/mosul.md": "---\nname: Mosul\ncountry: IQ\n---\n",
    "dossier/places/baghdad.md": "---\nname: Baghdad\ncoordinates: [33.3, 44.4]\n---\n",
    "dossier/places/iraq.md": "---\nname: Iraq\nkind: country\n---\n",
    "dossier/places/qalat.md": "---\nname: Zzyzx Qalat\ngeocode: Zzyzx Qalat, Atlantis\n---\n",
}


def test_geocode_offline_fills_the_cache_and_reports_failures(tmp_path: Path, capsys):
    write_tree(tmp_path, GEO_FILES)
    config = str(tmp_path / "mkdocs.yml")
    code, out, err = run(["--config", config, "geocode", "--dry-run"], capsys)
    assert code == 1
    assert not (tmp_path / "dossier/geocache.yml").exists()
    code, out, err = run(["--config", config, "geocode"], capsys)
    assert code == 1  # two places are in no offline gazetteer
    cache = yaml.safe_load((tmp_path / "dossier/geocache.yml").read_text())
    assert list(cache["places"]) == ["mosul"]  # not baghdad (entry), not iraq (country)
    assert cache["places"]["mosul"]["provider"] == "gazetteer"
    assert "dossier/places/qalat.md:3:10: warning:" in err  # at the `geocode` value
    assert "content/a.md:5:1: warning:" in err  # a stub: at its first mention
    assert "[geocode-failed]" in err
    # The build now reads the cache; check no longer reports Mosul.
    code, out, _ = run(["--config", config, "check"], capsys)
    assert "Mosul" not in out and "Zzyzx" in out


def test_geocode_online_passes_provider_options(tmp_path: Path, capsys, nominatim):
    write_tree(tmp_path, GEO_FILES)
    nominatim.on("Zzyzx Qalat, Atlantis", found(33.1, 44.2, "Zzyzx Qalat, Atlantis"))
    nominatim.on("Camp Nowhere", found(34.5, 43.5, "Camp Nowhere, Iraq"))
    code, out, err = run(
        [
            "--config",
            str(tmp_path / "mkdocs.yml"),
            "geocode",
            "--online",
            "--provider",
            "nominatim",
            "--endpoint",
            nominatim.endpoint,
            "--scheme",
            "http",
            "--user-agent",
            "dossier-tests/1.0 (desk@example.org)",
        ],
        capsys,
    )
    assert code == 0, err
    assert sorted(nominatim.queries()) == ["Camp Nowhere", "Zzyzx Qalat, Atlantis"]
    assert {r.user_agent for r in nominatim.requests} == {"dossier-tests/1.0 (desk@example.org)"}
    cache = yaml.safe_load((tmp_path / "dossier/geocache.yml").read_text())
    assert sorted(cache["places"]) == ["camp-nowhere", "mosul", "qalat"]
    assert cache["places"]["qalat"]["coordinates"] == [33.1, 44.2]
    # The next real build reads the cache: the place has coordinates and a map marker.
    build = run_build(tmp_path)
    assert build.returncode == 0, build.log
    entities = json.loads((build.site / "dossier.json").read_text())["entities"]
    coords = {e["id"]: e["coordinates"] for e in entities}
    assert coords["place:qalat"] == [33.1, 44.2]
    assert coords["place:camp-nowhere"] == [34.5, 43.5]
    assert 'data-entity="place:camp-nowhere"' in build.page("a/index.html").split("<svg", 1)[1]


# --------------------------------------------------------------------------- schema


def test_schema_command_prints_the_shipped_schemas(capsys):
    code, out, _ = run(["schema", "entry"], capsys)
    assert code == 0
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    code, out, _ = run(["schema", "article", "--path"], capsys)
    assert Path(out.strip()).is_file()
    assert Path(out.strip()).parent.name == "schemas"


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "dossier"
    assert script.exists()
    proc = subprocess.run(
        [str(script), "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert proc.returncode == 0
    for command in ("check", "new", "annotate", "geocode"):
        assert command in proc.stdout


def test_check_reads_the_pages_mkdocs_builds(tmp_path: Path, capsys):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": """\
                site_name: T
                docs_dir: content
                theme:
                  name: material
                  font: false
                exclude_docs: |
                  private/
                draft_docs: |
                  *.draft.md
                plugins: [dossier]
                """,
            "content/index.md": "[[Nobody In Index]]\n",
            "content/README.md": "[[Nobody In Readme]]\n",  # index.md wins
            "content/notes.markdown": "[[Nobody In Markdown Suffix]]\n",
            "content/private/secret.md": "[[Nobody In Private]]\n",
            "content/wip.draft.md": "[[Nobody In Draft]]\n",
            "content/.hidden/x.md": "[[Nobody Hidden]]\n",
            "content/templates/t.md": "[[Nobody In Templates]]\n",
        },
    )
    code, out, _ = run(["--config", str(tmp_path / "mkdocs.yml"), "check"], capsys)
    assert code == 0
    reported = sorted(re.findall(r'unresolved mention "(Nobody[^"]*)"', out))
    assert reported == ["Nobody In Index", "Nobody In Markdown Suffix"]
    build = run_build(tmp_path)
    assert build.returncode == 0, build.log
    logged = sorted(re.findall(r'unresolved mention "(Nobody[^"]*)"', build.log))
    assert logged == reported


def test_new_reports_a_blocked_folder_instead_of_a_traceback(tmp_path: Path, capsys):
    _new_site(tmp_path)
    (tmp_path / "dossier").mkdir()
    (tmp_path / "dossier" / "people").write_text("not a folder\n")
    code, out, err = run(["--config", str(tmp_path / "mkdocs.yml"), "new", "person", "Ana"], capsys)
    assert code == 1 and out == ""
    assert (
        err == "dossier new: cannot write dossier/people/ana.md: dossier/people is not a folder\n"
    )
    assert (tmp_path / "dossier" / "people").read_text() == "not a folder\n"
