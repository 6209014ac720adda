"""Shared fixtures: real `mkdocs build` runs of small dossiers in temporary folders."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sitebuild import MKDOCS, ROOT, Build, copy_sample, run_build, write_tree


@pytest.fixture
def build_dossier(tmp_path: Path):
    """Build a dossier from a dict of files; returns the Build."""

    def build(files: dict[str, str | bytes], **kwargs) -> Build:
        write_tree(tmp_path, files)
        return run_build(tmp_path, **kwargs)

    return build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Build:
    """The repository's sample dossier, built once with --strict into a temp folder."""
    out = tmp_path_factory.mktemp("sample")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(out / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Build(ROOT, out / "site", proc.stdout + proc.stderr, proc.returncode)


@pytest.fixture(scope="session")
def csp_sample_site(tmp_path_factory) -> Build:
    """The sample dossier built with `csp: true` (a copy of it, with --strict)."""
    root = tmp_path_factory.mktemp("csp-sample")
    copy_sample(root, "csp: true")
    return run_build(root, strict=True)
