"""Input MkDocs or Python-Markdown would crash on is reported, and the build stops with
that message instead of a traceback: lists and admonitions nested deeper than
Python-Markdown can render, and a folder link under docs_dir that points back to a
folder containing it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitebuild import BASE_CONFIG, run_build, write_tree

ENTRY = {
    "mkdocs.yml": BASE_CONFIG.format(directory_urls="false"),
    "dossier/people/ann.md": "---\nname: Ann\n---\n",
}


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_dossier.cli", "check"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_list_nested_too_deep_stops_the_build_with_its_position(tmp_path: Path):
    nested = "".join("    " * level + f"- level {level + 1}\n" for level in range(300))
    write_tree(
        tmp_path,
        {
            **ENTRY,
            "content/index.md": "# Home\n\n[[Ann]] wrote:\n\n" + nested,
            # Deep indentation inside a code block is only text: not reported.
            "content/code.md": "# Code\n\n```\n" + nested + "```\n",
        },
    )
    expected = (
        "content/index.md:105:1: error: a list nested 101 levels deep: Python-Markdown "
        "cannot render more than 100 (it would crash the build) [too-deep]"
    )
    check = _check(tmp_path)
    assert check.returncode == 1 and check.stdout == expected + "\n", check.stderr
    build = run_build(tmp_path)
    assert build.returncode != 0
    assert expected in build.log and "Traceback" not in build.log


def test_admonitions_nested_too_deep_stop_the_build_with_their_position(tmp_path: Path):
    # 400 nested admonitions crash Python-Markdown (RecursionError) inside a build.
    nested = "".join("    " * level + "!!! note\n" for level in range(400)) + "    " * 400 + "x\n"
    config = ENTRY["mkdocs.yml"] + "markdown_extensions:\n  - admonition\n"
    page = "# Home\n\n[[Ann]] wrote:\n\n" + nested
    write_tree(tmp_path, {**ENTRY, "mkdocs.yml": config, "content/index.md": page})
    expected = (
        "content/index.md:105:1: error: a block (admonition, details or tab) nested 101 "
        "levels deep: Python-Markdown cannot render more than 100 (it would crash the build) "
        "[too-deep]"
    )
    check = _check(tmp_path)
    assert check.returncode == 1 and check.stdout == expected + "\n", check.stderr
    build = run_build(tmp_path)
    assert build.returncode != 0
    assert expected in build.log and "Traceback" not in build.log


def test_a_folder_link_back_up_stops_the_build_before_mkdocs_walks_it(tmp_path: Path):
    write_tree(tmp_path, {**ENTRY, "content/index.md": "# Home\n", "content/a/b/page.md": "x\n"})
    (tmp_path / "content" / "a" / "b" / "loop").symlink_to(tmp_path / "content" / "a")
    (tmp_path / "content" / "a" / "fine").symlink_to(tmp_path / "content" / "a" / "b")
    expected = (
        "content/a/b/loop:1:1: error: this folder link points back to content/a, which "
        "contains it: MkDocs would collect pages from it forever [symlink-loop]"
    )
    build = run_build(tmp_path)
    assert build.returncode != 0
    assert expected in build.log and "Traceback" not in build.log
    check = _check(tmp_path)
    assert check.returncode == 2 and expected in check.stderr and "Traceback" not in check.stderr
