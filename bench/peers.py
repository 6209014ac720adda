"""The peer in the benchmark (`BENCH_PEERS=1 make bench`): Quartz builds the same corpus.

Quartz (https://quartz.jzhao.xyz, MIT) is the nearest peer: a static-site generator for
linked Markdown notes with backlinks, graph, search and popovers. The benchmark builds a
pinned v4 release with its stock configuration (`quartz.config.ts` as released) on the
synthetic corpus written as a vault (tests/synthetic.py `generate_quartz`: the same
articles with mentions as `[[slug|label]]`, one note per entity), alternating with the
dossier's build of the same corpus, and reports both times and memory.

Quartz is not a Python package. Where it comes from, in this order:
- `BENCH_QUARTZ=/path/to/quartz`: a folder holding Quartz's sources at the pinned commit
  (a clone, or `git archive` of it); its `package.json` must name the pinned version;
- else a clone of the upstream repository at the pinned commit, in the work folder.
Its npm dependencies are installed once with `npm ci` (its own package-lock.json). Node
must be present (Quartz 4.2 wants Node 18.14 or later); without it the peer is skipped
and the report says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import measure
import synthetic as corpus

QUARTZ_VERSION = "4.2.1"
QUARTZ_COMMIT = "34a8dfcd55789090d1a9b019539b8770c6ce98e5"  # "pkg: bump to 4.2.1"
QUARTZ_REPO = "https://github.com/jackyzha0/quartz.git"
TARGET_SPEED = 5.0  # Quartz's time over the dossier's at N=2000, at least
TARGET_MEMORY = 0.25  # the dossier's peak memory over Quartz's, at most


class PeerUnavailable(Exception):
    """Quartz cannot be built here (no Node, no sources): the reason, for the report."""


def node_version() -> str:
    """`node --version` ("v20.20.2"), or raise PeerUnavailable."""
    try:
        proc = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise PeerUnavailable(f"Node is not available ({error})") from None
    version = proc.stdout.strip()
    major, minor = (int(x) for x in version.lstrip("v").split(".")[:2])
    if (major, minor) < (18, 14):
        raise PeerUnavailable(f"Quartz {QUARTZ_VERSION} needs Node 18.14 or later, not {version}")
    return version


def quartz_checkout(work: Path) -> Path:
    """Quartz's folder, at the pinned release, with its npm dependencies installed."""
    given = os.environ.get("BENCH_QUARTZ")
    folder = Path(given) if given else work / f"quartz-{QUARTZ_VERSION}"
    if not (folder / "package.json").exists():
        if given:
            raise PeerUnavailable(f"BENCH_QUARTZ={given} holds no package.json")
        _clone(folder)
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    if package.get("version") != QUARTZ_VERSION:
        raise PeerUnavailable(
            f"{folder} holds Quartz {package.get('version')}, not the pinned {QUARTZ_VERSION}"
        )
    if not (folder / "node_modules").is_dir():
        try:
            proc = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"],
                cwd=folder,
                capture_output=True,
                text=True,
            )
        except OSError as error:
            raise PeerUnavailable(f"npm is not available ({error})") from None
        if proc.returncode != 0:
            raise PeerUnavailable(f"npm ci failed in {folder}: {proc.stderr.strip()[-500:]}")
    return folder


def _clone(folder: Path) -> None:
    """Clone Quartz into `folder` at the pinned commit, or raise PeerUnavailable."""
    for args in (
        ["git", "clone", "--quiet", QUARTZ_REPO, str(folder)],
        ["git", "-C", str(folder), "checkout", "--quiet", QUARTZ_COMMIT],
    ):
        try:
            proc = subprocess.run(args, capture_output=True, text=True)
            failure = proc.stderr.strip()[-300:] if proc.returncode != 0 else ""
        except OSError as error:
            failure = str(error)
        if failure:
            shutil.rmtree(folder, ignore_errors=True)
            raise PeerUnavailable(
                f"could not get Quartz ({' '.join(args[:3])}: {failure}); "
                f"set BENCH_QUARTZ to a copy of its sources at commit {QUARTZ_COMMIT}"
            )


def build_quartz(quartz: Path, vault: Path, out: Path) -> dict:
    """One stock `quartz build` of `vault` into `out`, measured like a MkDocs build."""
    shutil.rmtree(out, ignore_errors=True)
    # The vault relative to Quartz's folder: its file-date plugin joins the two paths.
    source = os.path.relpath(vault, quartz)
    args = ["node", "quartz/bootstrap-cli.mjs", "build", "-d", source, "-o", str(out)]
    run = measure.measured(args, quartz, dict(os.environ), out.with_suffix(".log"))
    run["out_mb"] = measure.output_mb(out)
    return run


def html_pages(folder: Path) -> int:
    """HTML files written (404 left out): Quartz's notes, folders, tags and alias pages."""
    return sum(1 for path in folder.rglob("*.html") if path.name != "404.html")


def measure_peer(
    n: int,
    work: Path,
    repeat: int,
    build_dossier: Callable[[Path, Path], dict],
    count_pages: Callable[[Path], int],
) -> dict:
    """The dossier and Quartz on the N-article corpus, alternated `repeat` times: medians,
    peak memory, and the two ratios of the issue's target. `build_dossier(site, out)` and
    `count_pages(out)` are bench/run.py's, so the dossier is measured as everywhere else."""
    result: dict = {"n": n, "version": QUARTZ_VERSION, "commit": QUARTZ_COMMIT}
    try:
        result["node"] = node_version()
        quartz = quartz_checkout(work)
    except PeerUnavailable as error:
        result["skipped"] = str(error)
        return result
    out = work / f"n{n}"
    corpus.generate(n, out)
    vault = corpus.generate_quartz(n, out)
    runs: dict[str, list[dict]] = {"dossier": [], "quartz": []}
    pages: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-peer-{n}-") as tmp:
        for index in range(repeat):
            for name in ("dossier", "quartz"):
                target = Path(tmp) / name
                if name == "dossier":
                    run = build_dossier(out / "dossier", target)
                else:
                    run = build_quartz(quartz, vault, target)
                if index == repeat - 1:
                    pages[name] = (count_pages if name == "dossier" else html_pages)(target)
                runs[name].append(run)
                print(
                    f"  N={n} {name:8} run {index + 1}: {run['wall']:.1f} s, "
                    f"{run['rss_mb']:.0f} MB (tree {run['tree_mb']:.0f} MB)",
                    flush=True,
                )
    for name, items in runs.items():
        result[name] = {**measure.summary(items), "pages": pages[name]}
    result["speed"] = result["quartz"]["median"] / result["dossier"]["median"]
    result["memory"] = result["dossier"]["tree_mb"] / result["quartz"]["tree_mb"]
    return result
