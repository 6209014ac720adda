"""Publishing and live preview of the sample dossier, with no network.

- `mkdocs gh-deploy` pushes the built site to the gh-pages branch of a local bare
  repository standing in for GitHub.
- `mkdocs serve` rebuilds when an entry in dossier/ or an article changes, and serves
  the new text.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuild import MKDOCS, ROOT, stop

SEED = "content/articles/2020-12-23-us-considering-closing-iraqi-embassy.md"
SEED_URL = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"


def copy_sample(dest: Path) -> Path:
    """The sample dossier's sources (mkdocs.yml, content/, dossier/) copied to `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "dossier"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GIT_AUTHOR_NAME": "Dossier Test",
        "GIT_AUTHOR_EMAIL": "dossier@example.invalid",
        "GIT_COMMITTER_NAME": "Dossier Test",
        "GIT_COMMITTER_EMAIL": "dossier@example.invalid",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "HOME": os.environ.get("HOME", "/tmp"),
    }


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, f"git {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gh_deploy_publishes_to_a_local_bare_repository(tmp_path):
    bare = tmp_path / "pages.git"
    git("init", "--bare", "--quiet", str(bare), cwd=tmp_path)
    work = copy_sample(tmp_path / "work")
    git("init", "--quiet", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "sample dossier", cwd=work)
    git("remote", "add", "pages", str(bare), cwd=work)

    proc = subprocess.run(
        [*MKDOCS, "gh-deploy", "--force", "--strict", "--remote-name", "pages",
         "--message", "Publish the dossier"],
        cwd=work, env=_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log

    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).split())
    for name in (
        "index.html",
        "dossier.json",
        "places.geojson",
        ".nojekyll",
        "places/baghdad.html",
        SEED_URL,
        "search/search_index.js",
        "assets/dossier/iframe-worker.js",
    ):
        assert name in files, f"{name} missing from gh-pages: {sorted(files)[:40]}"
    index = git("show", "gh-pages:index.html", cwd=bare)
    assert "rocket attacks on the U.S. embassy" in index
    assert "unpkg.com" not in index
    assert "Publish the dossier" in git("log", "-1", "--format=%s", "gh-pages", cwd=bare)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> str | None:
    try:
        with _NO_PROXY.open(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, text: str, server: subprocess.Popen, log: Path, timeout=60.0) -> float:
    """Poll `url` until its body contains `text`; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve exited ({server.returncode}):\n{log.read_text()}")
        body = fetch(url)
        if body is not None and text in body:
            return time.monotonic() - start
        time.sleep(0.25)
    pytest.fail(f"{url} never showed {text!r} within {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, Path, subprocess.Popen, Path]]:
    """`mkdocs serve` on 127.0.0.1 from a copy of the sample: (base URL, root, proc, log)."""
    root = copy_sample(tmp_path / "sample")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root, env=_env(), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}/", root, proc, log
    finally:
        stop(proc)


def test_serve_rebuilds_when_an_entry_or_an_article_changes(served):
    base, root, proc, log = served
    baghdad = base + "places/baghdad.html"
    wait_for(baghdad, "Capital of Iraq, on the Tigris.", proc, log)

    entry = root / "dossier/places/baghdad.md"
    new_summary = "Capital of Iraq, edited live in the newsroom."
    text = entry.read_text(encoding="utf-8")
    assert "summary: Capital of Iraq, on the Tigris." in text
    entry.write_text(text.replace("Capital of Iraq, on the Tigris.", new_summary), "utf-8")
    wait_for(baghdad, new_summary, proc, log)
    # The new summary also reaches the hover text of mentions in the articles.
    wait_for(base + SEED_URL, f'title="{new_summary}"', proc, log)

    article = root / SEED
    text = article.read_text(encoding="utf-8")
    late = "A late paragraph added while the server runs, about"
    article.write_text(text.rstrip("\n") + f"\n\n{late} [[Baghdad]].\n", "utf-8")
    # Baghdad is linked earlier in the article: this later mention is a span.
    wait_for(base + SEED_URL, f'{late} <span class="dossier-mention', proc, log)
    assert proc.poll() is None


def test_pages_workflow_builds_strict_and_deploys():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on:` as true
    assert "push" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    runs = " ".join(step.get("run", "") for step in build["steps"])
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert "pip install" in runs and "mkdocs build --strict" in runs
    artifact = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert artifact["with"]["path"] in runs  # uploads the folder it built
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    step_ids = {s.get("id") for s in deploy["steps"]}
    assert "deployment" in step_ids and "steps.deployment.outputs.page_url" in str(
        deploy["environment"]["url"]
    )
    assert any("actions/deploy-pages@" in s.get("uses", "") for s in deploy["steps"])
