"""The plugin's total map time on the benchmark corpus, in-process.

Generates the seeded corpus (tests/synthetic.py) at N articles (default 2000), runs the
plugin's own work (tests/engine_work.py) with every map call timed, and prints the number
of maps and their total and mean time (CPU time of this process, so that other work on a
shared machine does not count). Caches are cleared first: the figure is a cold build's.
With ``--warm`` each cold run is followed by one that finds every extent's geometry
already made: what is left is the work of each map (placing labels, writing the SVG).

``--engine DIR`` takes engine_work.py from DIR instead of tests/, so that older code
(its package first on PYTHONPATH, its tests/ as DIR) is timed on the same corpus; `make
bench` does so for the code before issue 16 (`measure`). ``--json`` prints one JSON line.
Usage:

    .venv/bin/python bench/maps.py [N] [--repeat R] [--warm] [--engine DIR] [--json]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

import synthetic as corpus  # noqa: E402
from engine_work import clear_caches  # noqa: E402

#: The code before issue 16 (one 640 x 400 layout, no context layers): the map time's
#: reference (issue 16: at most half of it).
BEFORE = "a4a143d48c3f223dfc0e35a991f9083b3e7efab9"


@functools.lru_cache(maxsize=2)
def _engine_work(folder: Path | None):
    """`engine_work` from tests/engine_work.py, or from `folder` (older code's tests/),
    loaded under a name of its own."""
    if folder is None:
        from engine_work import engine_work

        return engine_work
    spec = importlib.util.spec_from_file_location("engine_work_before", folder / "engine_work.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.engine_work


def map_time(site: Path, cold: bool = True, engine: Path | None = None) -> tuple[int, float]:
    """(maps drawn, seconds spent drawing them) for one run of the engine (from `engine`,
    see `_engine_work`) on `site`: cold, or (``cold=False``) with the caches the run before
    left, so that each extent's basemap, water and name spots are already made and what is
    timed is the work of each map. The caches are this tree's `clear_caches`: it empties
    whichever modules the package being timed has."""
    from mkdocs_dossier.maps import draw as geomaps

    engine_work = _engine_work(engine)

    original = geomaps.draw
    spent = [0.0]
    calls = [0]

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
            calls[0] += 1

    if cold:
        clear_caches()
    geomaps.draw = timed
    try:
        engine_work(site)
    finally:
        geomaps.draw = original
    return calls[0], spent[0]


def measure(n: int, repeat: int, work: Path) -> dict:
    """For `make bench`: the map time at N of this code and of the code before issue 16
    (`BEFORE`, from git), alternating, each run in a process of its own, on one corpus:
    ``{"n", "current": run, "before": run or None, "before_error"}``, a run being
    ``{"maps", "cold": [s...], "warm": [s...]}``."""
    corpus.generate(n, work / f"n{n}")  # the corpus of the builds (kept when it is there)
    site = work / f"n{n}" / "dossier"
    found: dict = {"n": n, "current": None, "before": None, "before_error": None}
    with tempfile.TemporaryDirectory(prefix="dossier-maps-before-") as tmp:
        before = _checkout(BEFORE, Path(tmp))
        if isinstance(before, str):
            found["before_error"] = before
        for _ in range(repeat):
            versions = [("current", None)] + (
                [("before", before)] if isinstance(before, Path) else []
            )
            for name, tree in versions:
                args = [sys.executable, str(HERE / "maps.py"), str(n), "--repeat", "1", "--warm"]
                args += ["--site", str(site), "--json"]
                env = dict(os.environ)
                if tree is not None:
                    args += ["--engine", str(tree / "tests")]
                    env["PYTHONPATH"] = str(tree / "plugins")
                proc = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
                run = json.loads(proc.stdout.strip().splitlines()[-1])
                into = found[name] or {"maps": run["maps"], "cold": [], "warm": []}
                into["cold"] += run["cold"]
                into["warm"] += run["warm"]
                found[name] = into
    return found


def _checkout(commit: str, into: Path) -> Path | str:
    """The package and tests of `commit` unpacked into `into` (git archive), or why not."""
    archive = into / "tree.tar"
    try:
        with open(archive, "wb") as handle:
            subprocess.run(
                ["git", "archive", commit, "plugins", "tests/engine_work.py"],
                cwd=ROOT,
                stdout=handle,
                stderr=subprocess.PIPE,
                check=True,
            )
    except (OSError, subprocess.CalledProcessError) as error:
        return f"git archive {commit[:7]} failed ({error}): a shallow clone?"
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--warm",
        action="store_true",
        help="after each cold run, time a run whose geometry is cached (the per-layout work)",
    )
    parser.add_argument("--engine", type=Path, help="the folder to take engine_work.py from")
    parser.add_argument("--site", type=Path, help="a corpus's dossier site already generated")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-maps-bench-") as tmp:
        site = args.site
        if site is None:
            corpus.generate(args.n, Path(tmp), baseline=False)
            site = Path(tmp) / "dossier"
        runs, warm = [], []
        for _ in range(args.repeat):
            runs.append(map_time(site, engine=args.engine))
            if args.warm:
                warm.append(map_time(site, cold=False, engine=args.engine)[1])
    calls = runs[0][0]
    seconds = [s for _, s in runs]
    if args.json:
        print(json.dumps({"maps": calls, "cold": seconds, "warm": warm}))
        return
    median = statistics.median(seconds)
    print(f"N={args.n}: {calls} maps, runs " + ", ".join(f"{s:.2f}" for s in seconds))
    print(f"median map time {median:.2f} s, {1000 * median / max(calls, 1):.2f} ms a map")
    if warm:
        print(
            "geometry cached (per-layout work only): runs "
            + ", ".join(f"{s:.2f}" for s in warm)
            + f", median {statistics.median(warm):.2f} s"
        )


if __name__ == "__main__":
    main()
