"""ProperDocs, the maintained continuation of MkDocs 1.x, runs the plugin from the same
mkdocs.yml: `properdocs build --strict` writes the same site as `mkdocs build`, fails on
the dossier's warnings, and `properdocs serve` serves the entity pages.

ProperDocs redirects every `mkdocs.*` import to `properdocs.*` once its command starts,
so these tests run it in subprocesses only: in this process `mkdocs` stays MkDocs.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from sitebuild import BASE_CONFIG, ROOT, Build, stop, write_tree

PROPERDOCS = [sys.executable, "-m", "properdocs"]
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
# Their lastmod is the day of the build (and the .gz header holds a time): not compared.
DATED = {"sitemap.xml", "sitemap.xml.gz"}
ENTITY_FOLDERS = ("people", "places", "organizations", "events")


def run_properdocs(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PROPERDOCS, *args],
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> Build:
    """The sample dossier built by `properdocs build --strict` into a temp folder."""
    site = tmp_path_factory.mktemp("properdocs") / "site"
    proc = run_properdocs("build", "--strict", "--site-dir", str(site), cwd=ROOT)
    return Build(ROOT, site, proc.stdout + proc.stderr, proc.returncode)


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_plugin_is_registered_for_properdocs():
    (entry,) = entry_points(group="properdocs.plugins", name="dossier")
    assert entry.value == "mkdocs_dossier.plugin:DossierPlugin"
    (legacy,) = entry_points(group="mkdocs.plugins", name="dossier")
    assert legacy.value == entry.value


def test_plugin_runs_on_properdocs_modules():
    """Under ProperDocs the plugin's `mkdocs.*` imports are ProperDocs' own modules."""
    script = """
import properdocs.replacement  # what `properdocs` does first
import properdocs.plugins
from properdocs.structure.files import File
from mkdocs_dossier import plugin

assert plugin.BasePlugin is properdocs.plugins.BasePlugin
assert plugin.File is File
loaded = properdocs.plugins.get_plugins()["dossier"].load()
assert loaded is plugin.DossierPlugin, loaded
print("ok")
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stdout + proc.stderr


def test_properdocs_build_strict_matches_mkdocs_build(properdocs_site, sample_site):
    assert properdocs_site.returncode == 0, properdocs_site.log
    assert sample_site.returncode == 0, sample_site.log
    ours, theirs = files_of(properdocs_site.site), files_of(sample_site.site)
    assert ours == theirs
    entity_pages = [f for f in ours if f.split("/")[0] in ENTITY_FOLDERS and f.endswith(".html")]
    assert len(entity_pages) > 20 and "places/baghdad.html" in entity_pages
    for name in sorted(ours - DATED):
        a = (properdocs_site.site / name).read_bytes()
        b = (sample_site.site / name).read_bytes()
        if name.endswith(".html"):
            # Only the generator tag names the tool (ProperDocs' or MkDocs' version).
            a = GENERATOR.sub("", a.decode("utf-8"))
            b = GENERATOR.sub("", b.decode("utf-8"))
        assert a == b, f"{name} differs between properdocs and mkdocs builds"
    baghdad = properdocs_site.page("places/baghdad.html")
    assert 'class="dossier-entity dossier-entity-place" data-entity="place:baghdad"' in baghdad
    assert "ProperDocs" in GENERATOR.search(baghdad)[0]  # built by ProperDocs indeed


def test_properdocs_strict_build_fails_on_dossier_warnings(tmp_path):
    """Our warnings reach ProperDocs' log and its --strict count (ProperDocs >= 1.6.6)."""
    write_tree(tmp_path, {"content/index.md": "See [[Nobody]].\n"})
    (tmp_path / "mkdocs.yml").write_text(
        BASE_CONFIG.format(directory_urls="false"), encoding="utf-8"
    )
    proc = run_properdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=tmp_path)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log
    assert "content/index.md:1:5: warning: unresolved mention" in log
    assert "Aborted with 1 warnings in strict mode" in log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    try:
        with opener.open(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def test_properdocs_serve_serves_entity_pages(tmp_path):
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("content", "dossier"):
        shutil.copytree(ROOT / folder, root / folder)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*PROPERDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/places/baghdad.html"
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"properdocs serve exited ({proc.returncode}):\n{log.read_text()}")
            body = fetch(url)
            if body is not None and "dossier-entity" in body:
                break
            time.sleep(0.25)
        assert body is not None, f"{url} never answered:\n{log.read_text()[-3000:]}"
        assert 'class="dossier-entity dossier-entity-place" data-entity="place:baghdad"' in body
        assert "Capital of Iraq, on the Tigris." in body
        assert "WARNING" not in log.read_text()
    finally:
        stop(proc)
