"""`dossier check` reports what `mkdocs build` reports, on the sample and on configs that
use MkDocs' loader features (INHERIT, !ENV, exclude_docs, draft_docs, not_in_nav) and
config-level checks (offline-network, MkDocs' own config warnings).

The bad-input corpus (test_corpus.py) makes the same comparison case by case.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs_dossier.cli.check import run_check
from mkdocs_dossier.site import MKDOCS_CODE, MKDOCS_ERROR_CODE, load_site
from sitebuild import MKDOCS, ROOT, write_tree

_WARNING = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(?P<text>.*)$")

ARTICLE = """\
---
title: {title}
date: 2020-12-2{day}
---

[[Mike Pompeo]] met [[{unknown}]] in [[Baghdad]].
"""

ENTRIES = {
    "dossier/people/mike-pompeo.md": "---\nname: Mike Pompeo\n---\n",
    "dossier/places/baghdad.md": "---\nname: Baghdad\ncoordinates: [33.3, 44.4]\n---\n",
}


def build_warnings(config: Path, tmp_path: Path, *, strict: bool = False) -> tuple[set[str], int]:
    """What a real `mkdocs build` of `config` warns about, and its exit code."""
    args = [*MKDOCS, "build", "-f", str(config), "--site-dir", str(tmp_path / "built")]
    proc = subprocess.run(
        [*args, "--strict"] if strict else args,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    log = proc.stdout + proc.stderr
    assert "Traceback" not in log, log
    texts = {m["text"].strip() for line in log.splitlines() if (m := _WARNING.match(line))}
    # MkDocs' closing line under --strict restates the count; it is not a diagnostic.
    return {t for t in texts if not t.startswith("Aborted with")}, proc.returncode


def check_warnings(config: Path) -> set[str]:
    """The same, from `dossier check` in this process."""
    diagnostics, _ = run_check(load_site(config))
    mkdocs_codes = (MKDOCS_CODE, MKDOCS_ERROR_CODE)
    return {d.message if d.code in mkdocs_codes else d.format() for d in diagnostics}


def assert_parity(config: Path, tmp_path: Path) -> set[str]:
    built, _ = build_warnings(config, tmp_path)
    checked = check_warnings(config)
    assert checked == built
    return checked


def test_the_sample_site(tmp_path: Path):
    assert assert_parity(ROOT / "mkdocs.yml", tmp_path) == set()


def test_inherit_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The child overrides the parent's docs_dir; the plugin's entries_dir comes from !ENV.
    monkeypatch.setenv("DOSSIER_ENTRIES", "notes")
    write_tree(
        tmp_path,
        {
            "base.yml": (
                "site_name: Parity\ndocs_dir: wrong\nuse_directory_urls: false\n"
                "theme:\n  name: material\n  font: false\n"
                "plugins:\n  - search\n  - dossier:\n"
                "      entries_dir: !ENV [DOSSIER_ENTRIES, dossier]\n"
            ),
            "mkdocs.yml": "INHERIT: base.yml\ndocs_dir: !ENV [DOSSIER_DOCS, pages]\n",
            "pages/index.md": ARTICLE.format(title="Home", day=1, unknown="Nobody"),
            "notes/people/mike-pompeo.md": ENTRIES["dossier/people/mike-pompeo.md"],
            "notes/places/baghdad.md": ENTRIES["dossier/places/baghdad.md"],
        },
    )
    found = assert_parity(tmp_path / "mkdocs.yml", tmp_path)
    assert [t for t in found if "unresolved" in t] == [
        'pages/index.md:6:21: warning: unresolved mention "Nobody" (add [[person:Nobody]] '
        'to create a stub, or run dossier new person "Nobody") [unresolved-mention]'
    ]


def test_excluded_draft_and_not_in_nav_pages(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: Parity\ndocs_dir: docs\nuse_directory_urls: false\n"
                "theme:\n  name: material\n  font: false\n"
                "plugins:\n  - search\n  - dossier\n"
                "exclude_docs: |\n  private/\n"
                "draft_docs: |\n  drafts/\n"
                "not_in_nav: |\n  hidden.md\n"
                "nav:\n  - index.md\n"
            ),
            "docs/index.md": ARTICLE.format(title="Home", day=1, unknown="In Index"),
            "docs/hidden.md": ARTICLE.format(title="Hidden", day=2, unknown="In Hidden"),
            "docs/private/secret.md": ARTICLE.format(title="Secret", day=3, unknown="In Private"),
            "docs/drafts/soon.md": ARTICLE.format(title="Soon", day=4, unknown="In Draft"),
            **ENTRIES,
        },
    )
    found = assert_parity(tmp_path / "mkdocs.yml", tmp_path)
    named = {
        name
        for name in ("In Index", "In Hidden", "In Private", "In Draft")
        if any(f'"{name}"' in t for t in found)
    }
    assert named == {"In Index", "In Hidden"}


def test_config_level_warnings(tmp_path: Path):
    # The offline plugin with a remote script, and a setting MkDocs does not know: both
    # make `mkdocs build --strict` fail, so `dossier check --strict` must fail too.
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: Parity\ndocs_dir: docs\nuse_directory_urls: false\n"
                "theme:\n  name: material\n  font: false\n"
                "plugins:\n  - search\n  - dossier\n  - offline\n"
                "extra_javascript:\n  - https://cdn.example.org/x.js\n"
                "not_a_setting: 1\n"
            ),
            "docs/index.md": "# Home\n\n[[Mike Pompeo]] spoke.\n",
            **ENTRIES,
        },
    )
    found = assert_parity(tmp_path / "mkdocs.yml", tmp_path)
    assert any("[offline-network]" in t and t.startswith("mkdocs.yml:12:5:") for t in found)
    assert "Config value 'not_a_setting': Unrecognised configuration name: not_a_setting" in found
    _, strict_build = build_warnings(tmp_path / "mkdocs.yml", tmp_path, strict=True)
    check = subprocess.run(
        [sys.executable, "-m", "mkdocs_dossier.cli", "check", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert strict_build != 0 and check.returncode == 1, check.stdout + check.stderr
    assert "mkdocs.yml:13:1: warning: Config value 'not_a_setting'" in check.stdout


def test_a_config_mkdocs_refuses_is_reported_not_raised(tmp_path: Path):
    write_tree(
        tmp_path, {"mkdocs.yml": "site_name: Parity\ndocs_dir: missing\nplugins: [dossier]\n"}
    )
    check = subprocess.run(
        [sys.executable, "-m", "mkdocs_dossier.cli", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 2
    assert "mkdocs.yml:2:1: error: Config value 'docs_dir'" in check.stderr
    assert "Traceback" not in check.stderr


def test_a_build_after_a_check_in_the_same_process_is_whole(tmp_path: Path):
    # MkDocs reuses plugin instances across load_config calls in one process (for
    # `serve`), so the check must leave the plugin as a build expects it.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    load_site(ROOT / "mkdocs.yml")
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    assert (tmp_path / "site" / "people" / "mike-pompeo.html").is_file()
