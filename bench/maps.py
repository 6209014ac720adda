"""The plugin's total map time on the benchmark corpus, in-process.

Generates the seeded corpus (tests/synthetic.py) at N articles (default 2000), runs the
plugin's own work (tests/engine_work.py) with every map call timed, and prints the number
of maps and their total and mean time (CPU time of this process, so that other work on a
shared machine does not count). Caches are cleared first: the figure is a cold build's.
With ``--warm`` each cold run is followed by one that finds every extent's geometry
already made: what is left is the work of each layout (placing labels, writing the SVG).
Usage:

    .venv/bin/python bench/maps.py [N] [--repeat R] [--warm]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import synthetic as corpus  # noqa: E402
from engine_work import clear_caches, engine_work  # noqa: E402


def map_time(site: Path, cold: bool = True) -> tuple[int, float]:
    """(maps drawn, seconds spent drawing them) for one run of the engine on `site`: cold,
    or (``cold=False``) with the caches the run before left, so that each extent's basemap,
    water and name spots are already made and what is timed is the work of each layout."""
    from mkdocs_dossier.maps import draw as geomaps

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
        clear_caches()  # every module of the maps package
    geomaps.draw = timed
    try:
        engine_work(site)
    finally:
        geomaps.draw = original
    return calls[0], spent[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--warm",
        action="store_true",
        help="after each cold run, time a run whose geometry is cached (the per-layout work)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-maps-bench-") as tmp:
        corpus.generate(args.n, Path(tmp), baseline=False)
        site = Path(tmp) / "dossier"
        runs, warm = [], []
        for _ in range(args.repeat):
            runs.append(map_time(site))
            if args.warm:
                warm.append(map_time(site, cold=False)[1])
    calls = runs[0][0]
    seconds = [s for _, s in runs]
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
