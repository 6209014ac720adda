"""The speed and scale benchmark (`make bench`): dossier vs plain MkDocs, written to
bench/results.md.

For N = 500 and 2000 articles (5000 with BENCH_LARGE=1, 20,000 with BENCH_HUGE=1) it
generates the synthetic corpus (tests/synthetic.py: the dossier site and two plain-MkDocs
twins: the heavy baseline, whose hand-written entity pages carry what the dossier's show,
and the lean baseline, whose entity pages carry only their mention lists), then:

1. builds each site with `mkdocs build` REPEAT times (alternating the dossier, at N=2000
   the same sources again with the persistent cache the cold build wrote ("warm") and the
   dossier with `parallel: false`, the heavy baseline and the lean one, so drift of a
   shared machine hits all): median wall time, ms per output page, the ratios, peak RSS of
   the process and peak memory of its process tree (proportional set sizes, summed,
   sampled every 0.1 s), output size; every other dossier build is cold (no cache);
2. times the plugin's own work in-process, without MkDocs (tests/engine_work.py), per N;
3. at N = 2000: the plugin's hooks (wall time in a plain in-process build), a cProfile
   of an in-process build (bench/prof.py): top functions of mkdocs_dossier, per-hook
   totals, outside code called from the package; and what the main process's objects
   hold, by owner, under tracemalloc (the dossier and the lean baseline);
4. at N = 2000: one cold build per feature turned off (`--skip-features` leaves it out);
5. at N = 2000: `mkdocs serve --dirty`, one article edited, dossier vs the lean baseline,
   with the affected entity pages fetched and checked (bench/serve_dirty.py, on
   tests/serve_harness.py);
6. at N = 2000: the map time (bench/maps.py: CPU of every map drawn, cold, and with the
   geometry already made), of this code and of the code before issue 16 (from git),
   alternating (`--skip-maps` leaves it out);

and writes bench/results.md: the machine, the corpus, every figure, each target marked
met or not met, and bench/NOTES.md (the hand-written analysis) appended.

Options: --sizes 500,2000  --repeat 3  --skip-profile  --skip-serve  --skip-features
--skip-maps  --out PATH  --report-only (rewrite the report from the last
bench/work/results.json), --redo-profile, --redo-features, --redo-maps (measure that part
again into it, then rewrite the report).
Environment: BENCH_LARGE=1 adds N=5000; BENCH_HUGE=1 adds N=20,000 (one run of the dossier and
the lean baseline); BENCH_PEERS=1 adds the peer, Quartz, built alternating with the dossier at
N=2000 (bench/peers.py: Node needed, BENCH_QUARTZ for a local copy of its sources);
BENCH_WORK moves the corpora (default bench/work).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import annotate_eval  # noqa: E402
import maps as map_bench  # noqa: E402
import measure  # noqa: E402
import peers  # noqa: E402
import serve_dirty  # noqa: E402
import synthetic as corpus  # noqa: E402

TARGET_RATIO = 1.25  # dossier/baseline wall time at N=2000
TARGET_LINEAR = 1.15  # ms/page at N=2000 over ms/page at N=500
TARGET_RSS_MB = 1024  # peak RSS at N=5000
TARGET_SERVE = 2.0  # serve --dirty rebuild, dossier over baseline
TARGET_LEAN = 1.15  # dossier/lean baseline wall time at N=2000 and N=500
TARGET_LINEAR_LARGE = 1.10  # ms/page at N=5000 over ms/page at N=500
TARGET_RSS_LEAN = 1.15  # peak memory at N=5000, dossier over lean baseline
HUGE_N = 20000
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
VARIANTS = ("dossier", "baseline", "lean")
REDONE = {  # what each --redo-... option measures again
    "features": "the feature builds",
    "profile": "the hook times, the cProfile and the memory profile",
    "maps": "the map time",
}


# --- measuring ------------------------------------------------------------------------------


def build_once(site: Path, out: Path, config: str = "mkdocs.yml", cold: bool = True) -> dict:
    """One `mkdocs build` in a child process: wall seconds, peak RSS of the process and
    peak PSS of its process tree (MB), warnings, output size (MB). Unless `cold` is false,
    the dossier's persistent cache is removed first."""
    if cold:
        shutil.rmtree(site / ".cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    log = out.with_suffix(".log")
    args = [sys.executable, "-m", "mkdocs", "build", "-f", config, "--site-dir", str(out)]
    run = measure.measured(args, site, ENV, log)  # raises with the log's tail
    text = log.read_text(encoding="utf-8", errors="replace")
    run["out_mb"] = measure.output_mb(out)
    run["warnings"] = sum(1 for line in text.splitlines() if line.startswith("WARNING"))
    return run


def count_pages(site_dir: Path) -> int:
    """HTML pages written from Markdown pages (theme assets and 404 left out)."""
    return sum(
        1
        for path in site_dir.rglob("*.html")
        if path.relative_to(site_dir).parts[0] != "assets" and path.name != "404.html"
    )


SERIAL = "serial.yml"  # the dossier site with `parallel: false`


def _serial_config(site: Path) -> str:
    """Write the dossier site's config with `parallel: false` beside it; its name."""
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / SERIAL).write_text(
        text.replace("  - dossier\n", "  - dossier:\n      parallel: false\n"), encoding="utf-8"
    )
    return SERIAL


def measure_builds(n: int, work: Path, repeat: int, variants: tuple[str, ...] = VARIANTS) -> dict:
    out = work / f"n{n}"
    summary = corpus.generate(n, out)
    if summary.get("cached"):
        summary = dict(item.split("=") for item in (out / "SUMMARY").read_text().split())
    result: dict = {"n": n, "corpus": summary}
    plan = {variant: (out / variant, "mkdocs.yml", True) for variant in variants}
    if n == 2000 and "dossier" in variants:
        # Right after the cold dossier build: the same sources again, with its cache.
        plan = {"dossier": plan.pop("dossier"), "warm": (out / "dossier", "mkdocs.yml", False)}
        plan["serial"] = (out / "dossier", _serial_config(out / "dossier"), True)
        plan.update({v: (out / v, "mkdocs.yml", True) for v in variants if v != "dossier"})
    runs: dict[str, list[dict]] = {variant: [] for variant in plan}
    with tempfile.TemporaryDirectory(prefix=f"bench-build-{n}-") as tmp:
        for index in range(repeat):
            for variant, (site, config, cold) in plan.items():
                target = Path(tmp) / variant
                run = build_once(site, target, config, cold)
                runs[variant].append(run)
                print(
                    f"  N={n} {variant:8} run {index + 1}: {run['wall']:.1f} s, "
                    f"{run['rss_mb']:.0f} MB (tree {run['tree_mb']:.0f} MB)",
                    flush=True,
                )
                if index == repeat - 1:
                    result.setdefault("pages", {})[variant] = count_pages(target)
    for variant, items in runs.items():
        result[variant] = measure.summary(items)
        result[variant]["ms_per_page"] = result[variant]["median"] * 1000 / result["pages"][variant]
        result[variant]["warnings"] = items[-1]["warnings"]
    if "baseline" in result:
        result["ratio"] = result["dossier"]["median"] / result["baseline"]["median"]
    if "lean" in result:
        result["ratio_lean"] = result["dossier"]["median"] / result["lean"]["median"]
    if "serial" in result:
        result["speedup"] = result["serial"]["median"] / result["dossier"]["median"]
    if "warm" in result and "lean" in result:
        result["warm_lean"] = result["warm"]["median"] / result["lean"]["median"]
    return result


FEATURES = {
    "everything": "",
    "no maps": "maps: false",
    "no article panels": "article_panel: false",
    "no JSON-LD": "jsonld: false",
    "no exports": "exports: false",
    "serial, everything": "parallel: false",
}


def measure_features(n: int, work: Path) -> dict:
    """One cold build of the dossier at N per feature turned off: wall and CPU seconds
    (the build and its worker) and memory, so each feature's cost reads as a difference."""
    site = work / f"n{n}" / "dossier"
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    found = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-features-{n}-") as tmp:
        for name, option in FEATURES.items():
            config = "mkdocs.yml"
            if option:
                config = f"features-{name.replace(' ', '-').replace(',', '')}.yml"
                (site / config).write_text(
                    text.replace("  - dossier\n", f"  - dossier:\n      {option}\n"),
                    encoding="utf-8",
                )
            run = build_once(site, Path(tmp) / "out", config)
            found[name] = {
                key: run[key] for key in ("wall", "cpu", "rss_mb", "tree_mb", "children_mb")
            }
            print(f"  N={n} {name}: {run['wall']:.1f} s, CPU {run['cpu']:.1f} s", flush=True)
    return found


def measure_profile(data: dict, n: int, work: Path) -> None:
    """Into `data`: the hook times and cProfile of a dossier build at N (bench/prof.py),
    and what the main process holds at its end, for the dossier and the lean baseline."""
    data["profile_n"] = n
    data["profile"] = run_json(["bench/prof.py", str(work / f"n{n}" / "dossier"), "--json"])
    data["memory"] = {
        site: run_json(["bench/prof.py", str(work / f"n{n}" / site), "--json-one", "memory"])
        for site in ("dossier", "lean")
    }


def run_json(args: list[str], timeout: float = 7200) -> dict:
    proc = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the machine ----------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    dirty = git("status", "--porcelain", "--", "plugins")
    return {
        "cpu": cpu,
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "markdown": version("markdown"),
        "jinja2": version("jinja2"),
        "pyyaml": version("pyyaml"),
        "dossier": version("mkdocs-dossier"),
        "commit": git("rev-parse", "--short", "HEAD")
        + (" (plugin sources modified)" if dirty else ""),
        "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def write_report(path: Path, text: str) -> None:
    """Write the report to `path`, keeping the section bench/annotate_eval.py wrote into
    the one it replaces (measured apart, it is not in results.json)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if annotate_eval.BEGIN in old:
        kept = annotate_eval.BEGIN + old.split(annotate_eval.BEGIN, 1)[1]
        kept = kept.split(annotate_eval.END, 1)[0] + annotate_eval.END + "\n"
        text = text.rstrip("\n") + "\n\n" + kept
    path.write_text(text, encoding="utf-8")


def _when() -> str:
    """Now and the plugin's commit, for a part of the report measured again later."""
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"{now}, commit {machine()['commit']}"


# --- the report -----------------------------------------------------------------------------


def _ratio(value: float, limit: float) -> str:
    """A ratio to two decimals, or three where two would round it onto its limit."""
    text = f"{value:.2f}"
    return f"{value:.3f}" if text == f"{limit:.2f}" and value != limit else text


def _met(ok: bool | None) -> str:
    return "**met**" if ok else ("not measured" if ok is None else "**NOT met**")


def report(data: dict) -> str:
    m = data["machine"]
    load = ", ".join(f"{x:.2f}" for x in m["load"]) if m["load"] else "n/a"
    builds = {b["n"]: b for b in data["builds"]}
    lines = [
        "# Speed and scale benchmark",
        "",
        f"Written by `make bench` (bench/run.py) on {data['date']}; "
        f"took {data['took'] / 60:.0f} min."
        + "".join(
            f" Measured again later with `--redo-{part}`: {REDONE[part]}, on {when}."
            for part, when in data.get("redone", {}).items()
        ),
        "Reproduce: `make bench` (N = 500, 2000), `BENCH_LARGE=1 make bench` (adds N = 5000), "
        f"`BENCH_HUGE=1 make bench` (adds N = {HUGE_N}, one run each of dossier and lean).",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['nproc']} cores available; memory {m['memory']}; {m['os']}",
        f"- Python {m['python']}, MkDocs {m['mkdocs']}, mkdocs-material {m['material']}, "
        f"Markdown {m['markdown']}, Jinja2 {m['jinja2']}, PyYAML {m['pyyaml']}",
        f"- mkdocs-dossier {m['dossier']} at commit {m['commit']}",
        f"- load average at the start: {load}"
        " (the machine is shared; runs alternate dossier and baseline so drift hits both)",
        "",
        "## Corpus (tests/synthetic.py, seeded)",
        "",
        "All three sites: theme material (`font: false`), the same Markdown extensions, navigation "
        "= home + the four type indexes (articles and entity pages are not in the nav). "
        "Dossier: `plugins: [search, dossier]`, `[[...]]` mentions (plain, labelled, aliases, "
        "typed, typed stubs, statements, ~1 in 10 articles with a misspelt name), entries "
        "with front matter and bodies, places with coordinates over Iraq and Iran. Baseline: "
        "`plugins: [search]`, the same articles with plain Markdown links, one hand-written "
        "page per entity carrying the same mention lists (every mention with its sentence), "
        "timeline, statements, related and nearby lists as Markdown. Lean baseline: "
        "`plugins: [search]`, the same linked articles, one page per entity with only its "
        "mention list (each article linked, each mention's sentence), the same indexes.",
        "",
        "| N | entries | stubs | entity pages | mentions | words/article |",
        "|---|---|---|---|---|---|",
    ]
    for n, b in sorted(builds.items()):
        c = b["corpus"]
        lines.append(
            f"| {n} | {c['entries']} | {c['stubs']} | {c['entities']} | {c['mentions']} | "
            f"{c['words_per_article']} |"
        )
    lines += [
        "",
        f"## Full builds (`mkdocs build`, cold, median of {data['repeat']})",
        "",
        "Sites: `dossier` (every feature on; page parts made by a worker process; cold: "
        "no persistent cache), `warm` (the same sources built again right after, with the "
        "cache the cold build wrote), `serial` (cold, `parallel: false`), `baseline` "
        "(heavy: hand-written entity pages "
        "with what the dossier's show), `lean` (entity pages with only their mention "
        "lists). Peak RSS is the `mkdocs` process's; tree is the peak of the summed "
        "proportional set sizes of it and its worker.",
        "",
        "| N | site | pages | wall s (runs) | median s | ms/page | peak RSS | tree "
        "| output | warnings |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, b in sorted(builds.items()):
        for variant in ("dossier", "warm", "serial", "baseline", "lean"):
            if variant not in b:
                continue
            v = b[variant]
            runs = ", ".join(f"{w:.1f}" for w in v["walls"])
            lines.append(
                f"| {n} | {variant} | {b['pages'][variant]} | {runs} | {v['median']:.1f} | "
                f"{v['ms_per_page']:.1f} | {v['rss_mb']:.0f} MB | {v.get('tree_mb', 0):.0f} MB "
                f"| {v.get('out_mb', 0):.0f} MB | {v['warnings']} |"
            )
        for key, label in (
            ("ratio", "dossier/baseline"),
            ("ratio_lean", "dossier/lean"),
            ("speedup", "serial/dossier (the worker's speedup)"),
            ("warm_lean", "warm/lean (second build, persistent cache)"),
        ):
            if key in b:
                lines.append(f"| {n} | **{label}** | | | **{b[key]:.2f}** | | | | | |")
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---|---|"]
    b2000, b500, b5000 = builds.get(2000), builds.get(500), builds.get(5000)
    for b in (b2000, b500):
        if b and "ratio_lean" in b:
            lines.append(
                f"| dossier/lean baseline wall time at N={b['n']} <= {TARGET_LEAN} | "
                f"{b['dossier']['median']:.1f} s / {b['lean']['median']:.1f} s = "
                f"{_ratio(b['ratio_lean'], TARGET_LEAN)} | {_met(b['ratio_lean'] <= TARGET_LEAN)} |"
            )
    if b2000 and "warm_lean" in b2000:
        lines.append(
            f"| second build of unchanged sources at N=2000 <= the lean baseline's time | "
            f"{b2000['warm']['median']:.1f} s / {b2000['lean']['median']:.1f} s = "
            f"{b2000['warm_lean']:.2f} | {_met(b2000['warm_lean'] <= 1.0)} |"
        )
    if b2000 and "speedup" in b2000:
        lines.append(
            f"| the worker process at N=2000 (serial / parallel, reported) | "
            f"{b2000['serial']['median']:.1f} s / {b2000['dossier']['median']:.1f} s = "
            f"{b2000['speedup']:.2f} | reported |"
        )
    if b2000 and "ratio" in b2000:
        lines.append(
            f"| dossier/heavy baseline wall time at N=2000 <= {TARGET_RATIO} (issue 7) | "
            f"{b2000['ratio']:.2f} | {_met(b2000['ratio'] <= TARGET_RATIO)} |"
        )
    if b5000 and b500:
        growth = b5000["dossier"]["ms_per_page"] / b500["dossier"]["ms_per_page"]
        lean = (
            f" (lean {b5000['lean']['ms_per_page'] / b500['lean']['ms_per_page']:.2f})"
            if "lean" in b5000 and "lean" in b500
            else ""
        )
        lines.append(
            f"| dossier ms/page at N=5000 <= {TARGET_LINEAR_LARGE}x that at N=500 | "
            f"{b5000['dossier']['ms_per_page']:.1f} / {b500['dossier']['ms_per_page']:.1f} = "
            f"{growth:.2f}{lean} | {_met(growth <= TARGET_LINEAR_LARGE)} |"
        )
    elif b2000 and b500:
        growth = b2000["dossier"]["ms_per_page"] / b500["dossier"]["ms_per_page"]
        lines.append(
            f"| dossier ms/page at N=5000 <= {TARGET_LINEAR_LARGE}x that at N=500 | not run "
            f"(BENCH_LARGE=1); N=2000: {b2000['dossier']['ms_per_page']:.1f} / "
            f"{b500['dossier']['ms_per_page']:.1f} = {growth:.2f} | not measured |"
        )
    if b5000 and "lean" in b5000:
        mem = b5000["dossier"]["tree_mb"] / b5000["lean"]["tree_mb"]
        lines.append(
            f"| peak memory at N=5000 <= {TARGET_RSS_LEAN}x the lean baseline's | "
            f"{b5000['dossier']['tree_mb']:.0f} / {b5000['lean']['tree_mb']:.0f} MB = "
            f"{mem:.2f} (RSS of the mkdocs process alone: "
            f"{b5000['dossier']['rss_mb']:.0f} / {b5000['lean']['rss_mb']:.0f} MB) | "
            f"{_met(mem <= TARGET_RSS_LEAN)} |"
        )
    else:
        largest = max(builds.values(), key=lambda b: b["n"])
        mem = (
            f"; N={largest['n']}: {largest['dossier']['tree_mb']:.0f} / "
            f"{largest['lean']['tree_mb']:.0f} MB"
            if "lean" in largest and "tree_mb" in largest["dossier"]
            else ""
        )
        lines.append(
            f"| peak memory at N=5000 <= {TARGET_RSS_LEAN}x the lean baseline's | not run "
            f"(BENCH_LARGE=1){mem} | not measured |"
        )
    huge = builds.get(HUGE_N)
    if huge:
        lines.append(
            f"| N={HUGE_N} builds (BENCH_HUGE=1) | {huge['dossier']['median']:.0f} s, "
            f"{huge['dossier']['ms_per_page']:.1f} ms/page, tree {huge['dossier']['tree_mb']:.0f}"
            f" MB, output {huge['dossier']['out_mb']:.0f} MB; lean "
            f"{huge['lean']['median']:.0f} s | reported |"
        )
    serve = data.get("serve")
    if serve:
        ratio = serve["ratio"]
        correct = not serve["dossier"]["problems"]
        lines.append(
            f"| serve --dirty rebuild after one edit at N={serve['n']} <= {TARGET_SERVE}x "
            f"plain MkDocs | {serve['dossier']['median_build']:.2f} s / "
            f"{serve['lean']['median_build']:.2f} s (lean baseline) = {ratio:.2f} | "
            f"{_met(ratio <= TARGET_SERVE)} |"
        )
        lines.append(
            f"| serve --dirty: affected entity pages rebuilt and correct | "
            f"{'all checks passed' if correct else '; '.join(serve['dossier']['problems'])} | "
            f"{_met(correct)} |"
        )
    else:
        lines.append("| serve --dirty | not run (--skip-serve) | not measured |")
    lines += _peer_targets(data.get("peer"))
    features = data.get("features")
    if features:
        base = features["everything"]
        lines += [
            "",
            f"## What each feature costs (N={data.get('features_n', 2000)}, one cold build each)",
            "",
            "CPU is the build's and its worker's; a feature's cost is the difference from "
            "`everything` (one run each: differences under a second are noise). Memory: peak "
            "RSS of the `mkdocs` process, peak PSS of the tree, and the worker's part of that "
            "peak (its unshared pages).",
            "",
            "| build | wall s | CPU s | CPU saved | peak RSS | tree | worker | tree saved |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, run in features.items():
            memory = (
                f"{run['rss_mb']:.0f} MB | {run['tree_mb']:.0f} MB | "
                f"{run['children_mb']:.0f} MB | {base['tree_mb'] - run['tree_mb']:+.0f} MB"
                if "tree_mb" in run and "tree_mb" in base
                else "| | |"
            )
            lines.append(
                f"| {name} | {run['wall']:.1f} | {run['cpu']:.1f} | "
                f"{base['cpu'] - run['cpu']:+.1f} | {memory} |"
            )
    if serve:
        lines += [
            "",
            f"## `mkdocs serve --dirty` at N={serve['n']}",
            "",
            f"Edit of `{serve['article']}`: a mention of `{serve['added']}` added, every "
            f"mention of `{serve['removed']}` removed (edit 1), the article restored (edit 2), "
            "edit 1 again (edit 3). A rebuild lasts from serve's `Building documentation...` to "
            "its `Reloading browsers`; wall = from the write to the reload (watcher included). "
            "The article and the two entity pages are fetched over HTTP after each rebuild and "
            "checked (the new mention's anchor listed on X's page, the article gone from Y's "
            "page, and back after the restore).",
            "",
            "| site | first build | rebuilds (s) | median | wall median | HTML files rewritten |",
            "|---|---|---|---|---|---|",
        ]
        for variant in ("dossier", "lean"):
            s = serve[variant]
            rebuilds = ", ".join(f"{r['build']:.2f}" for r in s["rebuilds"])
            written = ", ".join(str(r["pages_rewritten"]) for r in s["rebuilds"])
            lines.append(
                f"| {variant} | {s['first_build_reported']:.1f} s | {rebuilds} | "
                f"{s['median_build']:.2f} | {s['median_wall']:.2f} | {written} |"
            )
    engine_runs = data.get("engine") or {}
    if engine_runs:
        lines += [
            "",
            "## The plugin's own work, without MkDocs (tests/engine_work.py, in-process)",
            "",
            "load_dossier (read, scan, resolve, index, geocode), then every article's mentions, "
            "panel, related articles, map and JSON-LD, every entity page, the indexes and exports.",
            "",
            "| N | load_dossier | articles | entity pages | indexes+exports | total "
            "| ms per item |",
            "|---|---|---|---|---|---|---|",
        ]
        for n, t in sorted(engine_runs.items(), key=lambda kv: int(kv[0])):
            items = t["articles_n"] + t["entities_n"]
            lines.append(
                f"| {n} | {t['load_dossier']:.2f} | {t['articles']:.2f} | "
                f"{t['entity_pages']:.2f} | {t['indexes_exports']:.2f} | {t['total']:.2f} | "
                f"{t['total'] * 1000 / items:.2f} |"
            )
    prof = data.get("profile")
    if prof:
        hooks = prof["hooks"]
        p = prof["profile"]
        lines += [
            "",
            f"## Where the plugin's time goes (N={data['profile_n']}, in-process build)",
            "",
            f"Plain build {hooks['total']:.1f} s; time inside the plugin's hooks (wall, no "
            "profiler):",
            "",
            "| hook | seconds | calls |",
            "|---|---|---|",
        ]
        for name, seconds in sorted(hooks["hooks"].items(), key=lambda kv: -kv[1]):
            lines.append(f"| {name} | {seconds:.2f} | {hooks['calls'][name]} |")
        lines.append(
            f"| **all hooks** | **{sum(hooks['hooks'].values()):.2f}** "
            f"({sum(hooks['hooks'].values()) / hooks['total'] * 100:.0f}% of the build) | |"
        )
        lines += [
            "",
            f"Under cProfile the build took {p['total']:.1f} s (profiler overhead included: "
            "read shares, not absolute times). Own time in mkdocs_dossier: "
            f"{p['dossier_own_time']:.1f} s; in Python-Markdown: {p['markdown_own_time']:.1f} s. "
            "Per hook (cumulative):",
            "",
            "| hook | cumulative s |",
            "|---|---|",
        ]
        for name, seconds in p["hooks"].items():
            lines.append(f"| {name} | {seconds:.2f} |")
        for title, key in (("by cumulative time", "by_cumtime"), ("by own time", "by_tottime")):
            lines += [
                "",
                f"Top functions of mkdocs_dossier {title}:",
                "",
                "| cumulative s | own s | calls | function |",
                "|---|---|---|---|",
            ]
            for where, calls, tt, ct in p[key][:20]:
                lines.append(f"| {ct:.2f} | {tt:.2f} | {calls} | `{where}` |")
        lines += [
            "",
            "Outside code called directly from mkdocs_dossier (cumulative):",
            "",
            "| cumulative s | calls | function |",
            "|---|---|---|",
        ]
        for where, calls, ct in p["external_under_dossier"][:15]:
            lines.append(f"| {ct:.2f} | {calls} | `{where}` |")
    lines += _memory_section(data.get("memory"), data.get("profile_n"))
    lines += _maps_section(data.get("maps"))
    lines += _peer_section(data.get("peer"))
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


MAP_REPEAT = 3  # rounds of the map time, each a cold and a warm run of both codes


def _maps_section(maps: dict | None) -> list[str]:
    """The map time of this code and of the code before issue 16 (bench/maps.py), and
    issue 16's target: at most half of the latter."""
    if not maps or not maps.get("current"):
        return []

    def runs(seconds: list[float]) -> str:
        return ", ".join(f"{s:.2f}" for s in seconds)

    lines = [
        "",
        f"## Map time (issue 16), N={maps['n']} (bench/maps.py, in-process, CPU s)",
        "",
        "Every map the plugin's own work draws, timed cold, and again with each extent's "
        "geometry (basemap, water, name spots) already made, which leaves the work of each "
        "map (placing, writing); this code and the code before issue 16 "
        f"({map_bench.BEFORE[:7]}: one 640 x 400 drawing, no context layers), alternating, "
        "on one corpus.",
        "",
        "| code | maps | cold runs | cold median | geometry made: median | ms a map |",
        "|---|---|---|---|---|---|",
    ]
    medians = {}
    for name, label in (
        ("before", f"{map_bench.BEFORE[:7]}, before issue 16"),
        ("current", "this code"),
    ):
        run = maps.get(name)
        if not run:
            continue
        cold = statistics.median(run["cold"])
        medians[name] = cold
        warm = statistics.median(run["warm"]) if run["warm"] else float("nan")
        lines.append(
            f"| {label} | {run['maps']} | {runs(run['cold'])} | {cold:.2f} | {warm:.2f} | "
            f"{1000 * cold / max(run['maps'], 1):.2f} |"
        )
    if "before" in medians:
        limit = medians["before"] / 2
        ok = medians["current"] <= limit
        lines += [
            "",
            f"Target: at most half of the map time before issue 16, {limit:.2f} s: "
            f"{medians['current']:.2f} s, {_met(ok)}.",
        ]
    else:
        lines += ["", f"The code before issue 16 was not measured: {maps.get('before_error')}."]
    return lines


def _memory_section(memory: dict | None, n: int | None) -> list[str]:
    """What the main process's objects hold, by owner, in the dossier's build and the
    lean baseline's (bench/prof.py `memory`)."""
    if not memory or "dossier" not in memory:
        return []
    dossier, lean = memory["dossier"], memory.get("lean", {})
    owners = list(dossier["end"]["groups"])
    owners += [o for o in lean.get("end", {}).get("groups", {}) if o not in owners]

    def cell(run: dict, point: str, owner: str) -> str:
        value = run.get(point, {}).get("groups", {}).get(owner)
        return f"{value:.1f}" if value is not None else ""

    lines = [
        "",
        f"## Where the memory goes (N={n}, in-process build under tracemalloc)",
        "",
        "Python objects alive in the main process, in MB, by who allocated them (the "
        "allocating frame: a part of the plugin, or the library): once the plugins' "
        "`on_files` has run, and when the build ends (before `on_post_build`). The worker's "
        "unshared pages are not in these figures (see the features table: its part of the "
        "tree's peak); nor is what the allocator keeps but Python no longer uses.",
        "",
        "| owner | dossier after on_files | dossier at the end | lean at the end |",
        "|---|---|---|---|",
    ]
    for owner in owners:
        lines.append(
            f"| {owner} | {cell(dossier, 'files', owner)} | {cell(dossier, 'end', owner)} | "
            f"{cell(lean, 'end', owner)} |"
        )
    total = lean.get("end", {}).get("traced_mb")
    lines.append(
        f"| **all** | **{dossier['files']['traced_mb']:.1f}** | "
        f"**{dossier['end']['traced_mb']:.1f}** | "
        + (f"**{total:.1f}** |" if total is not None else "|")
    )
    peaks = f"traced peak: dossier {dossier['traced_peak_mb']:.0f} MB"
    if "traced_peak_mb" in lean:
        peaks += f", lean {lean['traced_peak_mb']:.0f} MB"
    lines += ["", peaks + "."]
    return lines


def _peer_targets(peer: dict | None) -> list[str]:
    """The Quartz rows of the targets table (BENCH_PEERS=1)."""
    if peer is None:
        return ["| the peer, Quartz (`BENCH_PEERS=1`) | not run | not measured |"]
    name = f"Quartz {peer['version']}"
    if "skipped" in peer:
        return [
            f"| the peer, {name} (`BENCH_PEERS=1`) | not run: {peer['skipped']} | not measured |"
        ]
    d, q = peer["dossier"], peer["quartz"]
    return [
        f"| {name} / dossier wall time at N={peer['n']} >= {peers.TARGET_SPEED:.0f} | "
        f"{q['median']:.1f} s / {d['median']:.1f} s = {peer['speed']:.2f} | "
        f"{_met(peer['speed'] >= peers.TARGET_SPEED)} |",
        f"| dossier / {name} peak memory at N={peer['n']} <= {peers.TARGET_MEMORY} | "
        f"{d['tree_mb']:.0f} / {q['tree_mb']:.0f} MB = {peer['memory']:.2f} | "
        f"{_met(peer['memory'] <= peers.TARGET_MEMORY)} |",
    ]


def _peer_section(peer: dict | None) -> list[str]:
    """The Quartz section of the report: both sites' runs side by side."""
    if not peer or "skipped" in peer:
        return []
    lines = [
        "",
        f"## The peer: Quartz {peer['version']} at N={peer['n']} (`BENCH_PEERS=1`)",
        "",
        f"Quartz {peer['version']} (commit {peer['commit'][:10]}, stock `quartz.config.ts`, "
        f"Node {peer['node']}) built the same corpus as a vault (tests/synthetic.py "
        "`generate_quartz`: mentions as `[[slug|label]]`, one note per entity), alternating "
        "with the dossier's build (bench/peers.py). Quartz parses in worker threads; its "
        "pages are its notes, folder, tag and alias pages. Memory: peak RSS of the process; "
        "tree: peak summed PSS of the process and its children.",
        "",
        "| site | pages | wall s (runs) | median s | CPU s | peak RSS | tree | output |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ("dossier", "quartz"):
        v = peer[name]
        runs = ", ".join(f"{w:.1f}" for w in v["walls"])
        lines.append(
            f"| {name} | {v['pages']} | {runs} | {v['median']:.1f} | {v['cpu']:.1f} | "
            f"{v['rss_mb']:.0f} MB | {v['tree_mb']:.0f} MB | {v['out_mb']:.0f} MB |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="dossier vs plain MkDocs benchmark")
    sizes = "500,2000" + (",5000" if os.environ.get("BENCH_LARGE") == "1" else "")
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-profile", action="store_true")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--skip-features", action="store_true")
    parser.add_argument("--skip-maps", action="store_true")
    parser.add_argument("--serve-n", type=int, default=2000)
    parser.add_argument("--profile-n", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from the last results.json"
    )
    parser.add_argument(
        "--redo-profile",
        action="store_true",
        help="measure the profile again into the last results.json, then rewrite the report",
    )
    parser.add_argument(
        "--redo-features",
        action="store_true",
        help="measure the feature builds again into the last results.json, then rewrite the report",
    )
    parser.add_argument(
        "--redo-maps",
        action="store_true",
        help="measure the map time again into the last results.json, then rewrite the report",
    )
    args = parser.parse_args()
    work = Path(os.environ.get("BENCH_WORK", HERE / "work"))
    redo = args.redo_profile or args.redo_features or args.redo_maps
    if args.report_only or redo:
        data = json.loads((work / "results.json").read_text())
        if args.redo_maps:
            data["maps"] = map_bench.measure(args.profile_n, MAP_REPEAT, work)
            data.setdefault("redone", {})["maps"] = _when()
        if args.redo_features:
            data["features"] = measure_features(args.profile_n, work)
            data["features_n"] = args.profile_n
            data.setdefault("redone", {})["features"] = _when()
        if args.redo_profile:
            measure_profile(data, args.profile_n, work)
            data.setdefault("redone", {})["profile"] = _when()
        if redo:
            (work / "results.json").write_text(json.dumps(data, indent=1, default=str))
        write_report(args.out, report(data))
        print(f"wrote {args.out}")
        return
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data: dict = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "repeat": args.repeat,
        "builds": [],
        "engine": {},
    }
    for n in [int(x) for x in args.sizes.split(",") if x]:
        print(f"N={n}: corpus and builds", flush=True)
        data["builds"].append(measure_builds(n, work, args.repeat))
        print(f"N={n}: the plugin's own work, in-process", flush=True)
        data["engine"][str(n)] = run_json(
            ["tests/engine_work.py", str(work / f"n{n}" / "dossier"), "--json"]
        )
    if not args.skip_features:
        print(f"N={args.profile_n}: one build per feature turned off", flush=True)
        corpus.generate(args.profile_n, work / f"n{args.profile_n}")
        data["features"] = measure_features(args.profile_n, work)
        data["features_n"] = args.profile_n
    if os.environ.get("BENCH_PEERS") == "1":
        print(f"N={args.profile_n}: the peer, Quartz, alternating with the dossier", flush=True)
        data["peer"] = peers.measure_peer(
            args.profile_n, work, args.repeat, build_once, count_pages
        )
    if os.environ.get("BENCH_HUGE") == "1":
        print(f"N={HUGE_N}: corpus and one build each of the dossier and lean", flush=True)
        data["builds"].append(measure_builds(HUGE_N, work, 1, ("dossier", "lean")))
    if not args.skip_profile:
        print(f"N={args.profile_n}: hook times, cProfile and memory", flush=True)
        corpus.generate(args.profile_n, work / f"n{args.profile_n}")
        measure_profile(data, args.profile_n, work)
    if not args.skip_serve:
        print(f"N={args.serve_n}: mkdocs serve --dirty", flush=True)
        data["serve"] = serve_dirty.run(args.serve_n, work)
    if not args.skip_maps:
        print(f"N={args.profile_n}: the map time, this code and before issue 16", flush=True)
        data["maps"] = map_bench.measure(args.profile_n, MAP_REPEAT, work)
    data["took"] = time.perf_counter() - started
    (work / "results.json").write_text(json.dumps(data, indent=1, default=str))
    write_report(args.out, report(data))
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
