"""One measured child process for the benchmark: wall and CPU seconds, peak RSS of the
process and peak proportional set size of its process tree. Shared by bench/run.py (MkDocs
builds) and bench/peers.py (Quartz builds), so both are measured the same way."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

SAMPLE_SECONDS = 0.1  # between two samples of a build's memory, at least
SAMPLE_SHARE = 10  # and ten times as long as the last sample took


def tree_pss_kb(pid: int) -> tuple[int, int]:
    """Proportional set size of `pid` and its descendants, and of `pid` alone, in KiB
    (shared pages counted once across them: a forked worker adds only what it does not
    share)."""
    total = own = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    total += pss
                    if current == pid:
                        own = pss
                    break
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, ValueError):
            continue
        stack += [int(child) for child in children]
    return total, own


def measured(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run `args` in `cwd` with its output in `log`, sampling the tree's memory every 0.1 s
    (less often while a sample costs more than a tenth of that: reading the PSS of a
    process of gigabytes takes tens of milliseconds, and the sampler would take a core
    from the build it measures): wall and CPU seconds (the process and the children it
    waited for), peak RSS of the process and peak PSS of its tree (MB), and the part of
    that peak in its children (a forked worker's unshared pages). Raises RuntimeError with
    the log's tail when the command fails."""
    peak = peak_children = 0
    with open(log, "w", encoding="utf-8") as handle:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            sampled = time.perf_counter()
            total, own = tree_pss_kb(proc.pid)
            if total > peak:
                peak, peak_children = total, total - own
            time.sleep(max(SAMPLE_SECONDS, (time.perf_counter() - sampled) * SAMPLE_SHARE))
        wall = time.perf_counter() - start
    code = proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if code != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        raise RuntimeError(f"{' '.join(args)} failed in {cwd} (exit {code}):\n{text[-3000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "tree_mb": peak / 1024,
        "children_mb": peak_children / 1024,
    }


def output_mb(folder: Path) -> float:
    """Size of every file under `folder`, in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def summary(runs: list[dict]) -> dict:
    """Runs of one site (from `measured`, with `out_mb`): every wall time, their median,
    the median CPU, the peaks of memory over all runs and the last run's output size."""
    walls = [r["wall"] for r in runs]
    return {
        "walls": walls,
        "median": statistics.median(walls),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "tree_mb": max(r["tree_mb"] for r in runs),
        "children_mb": max(runs, key=lambda r: r["tree_mb"])["children_mb"],  # at that peak
        "out_mb": runs[-1]["out_mb"],
    }
