"""Where the dossier plugin's own time goes, in one in-process `mkdocs build`.

Two measurements of the same site, each in a process of its own (a cold build):

- `hook_times(site)`: a plain build (no profiler) with every DossierPlugin hook wrapped in a
  timer: wall seconds per hook (sum over calls) and the whole build's wall time.
- `profile(site)`: the same build under cProfile: the functions of `mkdocs_dossier` by own
  time and by cumulative time, and per-hook cumulative totals (profiler overhead included,
  so read them as shares, not absolute times).
- `memory(site)`: the same build under tracemalloc: what the main process's objects hold
  once the plugins' `on_files` has run and when the build ends, by owner (which part of
  the plugin, or MkDocs, Material, Python-Markdown...). Works for a site without the
  dossier too (the lean baseline), for comparison.

`python bench/prof.py SITE_DIR [--json]` prints the first two; `--json-one memory` the third.
"""

from __future__ import annotations

import contextlib
import cProfile
import functools
import io
import logging
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

HOOKS = (
    "on_startup",
    "on_config",
    "on_files",
    "on_nav",
    "on_page_markdown",
    "on_page_content",
    "on_page_context",
    "on_post_page",
    "on_post_build",
    "on_serve",
)


@contextlib.contextmanager
def _in_dir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _build(site: Path, out: Path) -> None:
    """A cold build of `site` into `out`: the dossier's persistent cache is removed first
    (with it, the build would read parsed sources and maps back instead of making them)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # quiet, and put back: a test runs this in its process
    shutil.rmtree(site / ".cache", ignore_errors=True)
    try:
        with _in_dir(site):
            config = load_config(str(site / "mkdocs.yml"), site_dir=str(out))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    finally:
        logger.setLevel(level)


def hook_times(site: Path) -> dict:
    """Wall seconds spent in each DossierPlugin hook during one build, and the total."""
    from mkdocs_dossier.plugin import DossierPlugin

    totals: dict[str, float] = {}
    calls: dict[str, int] = {}
    originals = {}
    for name in HOOKS:
        method = getattr(DossierPlugin, name, None)
        if method is None:
            continue
        originals[name] = method

        def wrap(method=method, name=name):
            @functools.wraps(method)
            def timed(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return method(*args, **kwargs)
                finally:
                    totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
                    calls[name] = calls.get(name, 0) + 1

            return timed

        setattr(DossierPlugin, name, wrap())
    try:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            _build(site, Path(out))
            total = time.perf_counter() - start
    finally:
        for name, method in originals.items():
            setattr(DossierPlugin, name, method)
    return {"total": total, "hooks": totals, "calls": calls}


def profile(site: Path, top: int = 25) -> dict:
    """cProfile of one build: dossier functions by own and cumulative time, per-hook totals."""
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        profiler.enable()
        try:
            _build(site, Path(out))
        finally:
            profiler.disable()
        total = time.perf_counter() - start
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((filename, line, func, nc, tt, ct))
    ours = [r for r in rows if "mkdocs_dossier" in r[0]]

    def where(row) -> str:
        path = row[0].replace("\\", "/")
        short = path.split("mkdocs_dossier/", 1)[-1] if "mkdocs_dossier/" in path else path
        return f"{short}:{row[1]} {row[2]}"

    hooks = {
        r[2]: r[5]
        for r in ours
        if r[0].replace("\\", "/").endswith("mkdocs_dossier/plugin.py") and r[2] in HOOKS
    }
    everything = sum(r[4] for r in rows)
    markdown = sum(r[4] for r in rows if "/markdown/" in r[0].replace("\\", "/"))
    return {
        "total": total,
        "profiled_own_time": everything,
        "markdown_own_time": markdown,
        "dossier_own_time": sum(r[4] for r in ours),
        "hooks": dict(sorted(hooks.items(), key=lambda kv: -kv[1])),
        "by_tottime": [
            (where(r), r[3], r[4], r[5]) for r in sorted(ours, key=lambda r: -r[4])[:top]
        ],
        "by_cumtime": [
            (where(r), r[3], r[4], r[5]) for r in sorted(ours, key=lambda r: -r[5])[:top]
        ],
        "external_under_dossier": _external_callees(stats, top),
    }


#: Who holds an allocation: the newest frame of its traceback inside the plugin names the
#: part of the plugin (first matching prefix of its path below the package); else the newest
#: frame's library (with MEMORY_FRAMES = 1, the allocating frame's).
DOSSIER_PARTS = (
    ("parallel.py", "dossier: parts the worker made, waiting"),
    ("plugin.py", "dossier: plugin.py (page text, mention tokens)"),
    ("maps/", "dossier: maps, country and water data"),
    ("places/", "dossier: maps, country and water data"),
    ("pages/", "dossier: pages, hover cards"),
    ("navigation.py", "dossier: pages, hover cards"),
    ("exports/", "dossier: exports (dossier.json, places.geojson)"),
    ("", "dossier: sources and index (articles, entries, mentions, contexts)"),
)
LIBRARIES = (
    ("/multiprocessing/", "dossier: parts the worker made, waiting"),
    ("/concurrent/futures/", "dossier: parts the worker made, waiting"),
    ("/material/", "Material (search index)"),
    ("/mkdocs/", "MkDocs (files, pages, nav)"),
    ("/markdown/", "Python-Markdown"),
    ("/jinja2/", "Jinja2 (templates)"),
    ("/yaml/", "PyYAML"),
)
OTHER = "other (imports, interpreter)"
#: Traceback depth: the allocating frame only. Deeper tracebacks would name the plugin's
#: part behind a library's allocation (a template rendered for a page), but at 6 frames the
#: build under tracemalloc took 5x as long as at 1 (N=500: 378 s against 73 s).
MEMORY_FRAMES = 1


def _owner(frames: list[str]) -> str:
    """The owner of an allocation whose traceback's files are `frames`, newest first."""
    for path in frames:
        path = path.replace("\\", "/")
        if "/mkdocs_dossier/" in path:
            rest = path.split("/mkdocs_dossier/", 1)[1]
            return next(label for prefix, label in DOSSIER_PARTS if rest.startswith(prefix))
    newest = frames[0].replace("\\", "/") if frames else ""
    return next((label for part, label in LIBRARIES if part in newest), OTHER)


def memory(site: Path) -> dict:
    """One build under tracemalloc: what the main process's Python objects hold after the
    plugins' `on_files` and when the build ends (MB by owner, :func:`_owner`), and the
    traced peak. (Under tracemalloc the process's RSS is no measure: its own tables add
    more than the build; the builds of bench/run.py measure RSS and the worker.)"""
    import tracemalloc

    from mkdocs.plugins import PluginCollection

    points: dict[str, dict] = {}

    def measure(name: str) -> None:
        groups: dict[str, float] = {}
        for stat in tracemalloc.take_snapshot().statistics("traceback"):
            owner = _owner([frame.filename for frame in reversed(stat.traceback)])
            groups[owner] = groups.get(owner, 0.0) + stat.size / 2**20
        points[name] = {
            "traced_mb": sum(groups.values()),
            "groups": dict(sorted(groups.items(), key=lambda kv: -kv[1])),
        }

    on_files, on_post_build = PluginCollection.on_files, PluginCollection.on_post_build

    def files_then_measure(self, files, *, config):
        files = on_files(self, files, config=config)
        measure("files")
        return files

    def measure_then_post_build(self, *, config):
        measure("end")
        return on_post_build(self, config=config)

    PluginCollection.on_files = files_then_measure  # type: ignore[method-assign]
    PluginCollection.on_post_build = measure_then_post_build  # type: ignore[method-assign]
    tracemalloc.start(MEMORY_FRAMES)
    try:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            _build(site, Path(out))
            total = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
        PluginCollection.on_files, PluginCollection.on_post_build = on_files, on_post_build
    return {"total": total, "traced_peak_mb": peak, **points}


def _external_callees(stats: pstats.Stats, top: int) -> list[tuple[str, int, float]]:
    """Functions outside the package called directly from it (geopy, jinja2, yaml...)."""
    found = []
    for (filename, line, func), (_cc, _nc, _tt, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "mkdocs_dossier" in filename:
            continue
        calls = 0
        cum = 0.0
        for (cfile, _cline, _cfunc), (_ccc, cnc, _ctt, cct) in callers.items():
            if "mkdocs_dossier" in cfile:
                calls += cnc
                cum += cct
        if calls:
            name = filename.rsplit("site-packages/", 1)[-1]
            found.append((f"{name}:{line} {func}", calls, cum))
    return sorted(found, key=lambda r: -r[2])[:top]


def _fresh(what: str, site: Path) -> dict:
    """`hook_times`, `profile` or `memory` in a new process: a cold build, as `mkdocs build` runs it
    (in one process MkDocs keeps the plugin instance, with its source cache, across
    builds, and the map caches stay warm)."""
    import json
    import subprocess

    proc = subprocess.run(
        [sys.executable, __file__, str(site), "--json-one", what],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    import json

    site = Path(sys.argv[1]).resolve()
    if "--json-one" in sys.argv:
        what = sys.argv[sys.argv.index("--json-one") + 1]
        measure = {"hooks": hook_times, "profile": profile, "memory": memory}[what]
        print(json.dumps(measure(site)))
        return
    if "--json" in sys.argv:
        print(json.dumps({"hooks": _fresh("hooks", site), "profile": _fresh("profile", site)}))
        return
    times = _fresh("hooks", site)
    print(f"build {times['total']:.2f} s; hooks (wall, no profiler):")
    for name, seconds in sorted(times["hooks"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:18} {seconds:8.3f} s  {times['calls'][name]:6d} calls")
    result = _fresh("profile", site)
    print(
        f"\nprofiled build {result['total']:.2f} s; "
        f"dossier own time {result['dossier_own_time']:.2f} s; "
        f"markdown own time {result['markdown_own_time']:.2f} s"
    )
    print("hooks (cumulative, profiled):")
    for name, seconds in result["hooks"].items():
        print(f"  {name:18} {seconds:8.3f} s")
    print("by own time:")
    for where, calls, tt, ct in result["by_tottime"]:
        print(f"  {tt:7.3f} {ct:7.3f} {calls:8d}  {where}")
    print("by cumulative time:")
    for where, calls, tt, ct in result["by_cumtime"]:
        print(f"  {tt:7.3f} {ct:7.3f} {calls:8d}  {where}")
    print("outside calls from the package (cumulative):")
    for where, calls, ct in result["external_under_dossier"]:
        print(f"  {ct:7.3f} {calls:8d}  {where}")


if __name__ == "__main__":
    main()
