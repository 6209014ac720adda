"""Reproducible builds: the same sources give the same site, byte for byte.

The sample dossier is copied into two different folders and built with the same
SOURCE_DATE_EPOCH but different PYTHONHASHSEED values (so any iteration over a set or a
dict keyed by hash would show): every file of the two sites is identical, not just the
plugin's pages and exports. A third build, on another day (another SOURCE_DATE_EPOCH),
differs only in the file that carries the build date by design: sitemap.xml.gz, whose
gzip header records the build day as its mtime (sitemap.xml would carry it too, in
`<lastmod>`, but the sample has no site_url, so its sitemap lists no pages).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT

pytestmark = pytest.mark.slow

EPOCH = 1_700_000_000  # 2023-11-14
NEXT_DAY = EPOCH + 86_400


def build_copy(folder: Path, epoch: int, hash_seed: str) -> Path:
    """Copy the sample's sources into `folder`, build there, return the site folder."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("content", "dossier"):
        shutil.copytree(ROOT / name, folder / name)
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": str(epoch),
        "PYTHONHASHSEED": hash_seed,
    }
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder / "site")],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder / "site"


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("reproducible")
    first = build_copy(base / "first", EPOCH, "1")
    second = build_copy(base / "elsewhere" / "second", EPOCH, "2")
    next_day = build_copy(base / "next-day", NEXT_DAY, "3")
    return first, second, next_day


def test_two_builds_are_byte_identical(builds):
    first, second, _ = builds
    a, b = digests(first), digests(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_the_plugin_outputs_are_all_there(builds):
    first, _, _ = builds
    files = digests(first)
    for name in (
        "dossier.json",
        "places.geojson",
        "people/index.html",
        "places/index.html",
        "events/index.html",
        "organizations/index.html",
        "people/mike-pompeo.html",
        "places/baghdad.html",
    ):
        assert name in files, name
    generated = [
        n for n in files if n.split("/")[0] in ("people", "places", "organizations", "events")
    ]
    assert len(generated) > 30


def test_only_the_dated_file_changes_on_another_day(builds):
    first, _, next_day = builds
    a, c = digests(first), digests(next_day)
    assert sorted(a) == sorted(c)
    changed = sorted(name for name in a if a[name] != c[name])
    # The sample has no site_url, so sitemap.xml lists no page (and no <lastmod>); the
    # gzip header of sitemap.xml.gz still records the build date as its mtime.
    assert changed == ["sitemap.xml.gz"]
    old, new = (site / "sitemap.xml.gz" for site in (first, next_day))
    assert gzip.decompress(old.read_bytes()) == gzip.decompress(new.read_bytes())
    mtime = [int.from_bytes(path.read_bytes()[4:8], "little") for path in (old, new)]
    assert mtime == [EPOCH - EPOCH % 86_400, NEXT_DAY - NEXT_DAY % 86_400]
