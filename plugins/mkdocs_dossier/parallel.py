"""Page parts made ahead, in a second process, while MkDocs converts the pages' Markdown.

MkDocs runs on one core. Once the dossier is loaded (`on_files`), a build knows every
part it will generate that does not need a page's own HTML: entity pages' sections (map,
timeline, mentions, statements, related, nearby, JSON-LD), articles' panels and the type
indexes. `Batch` hands them to one worker process, forked so that it shares the loaded
dossier instead of copying or pickling it; it makes them in chunks, in the order MkDocs
renders the pages, while the main process converts Markdown, and a page takes its part
from there (waiting for its chunk if it is not made yet). Each part is made by the same
function either way, so the pages are byte-identical to a single-process build
(tests/test_parallel.py).

Where a process cannot be forked (no `fork` start method, one core, a worker that dies or
raises), `get` returns None and the page makes its part itself: the fallback is the
single-process build.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

#: Parts per chunk: small enough that the first pages wait little, large enough that
#: sending each result back costs little.
CHUNK = 32

#: Below this many parts, a worker costs more (its start, the results' transfer) than it saves.
MIN_JOBS = 64

# The jobs a forked worker runs: set before the worker starts, inherited by fork.
_WORK: list[list[Callable[[], Any]]] = []


def _run_chunk(index: int) -> list[Any]:
    """Run chunk `index` of the inherited jobs (in the worker)."""
    return [job() for job in _WORK[index]]


def can_fork() -> bool:
    """True where a forked worker can run beside this process on a core of its own."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class Batch:
    """Jobs known up front, by key, run by one forked worker."""

    def __init__(self, jobs: dict[Hashable, Callable[[], Any]], chunk: int = CHUNK) -> None:
        """`jobs` maps each part's key to the function that makes it, in the order the
        pages will ask for them."""
        global _WORK
        self.where: dict[Hashable, tuple[int, int]] = {}
        chunks: list[list[Callable[[], Any]]] = []
        for key, job in jobs.items():
            if not chunks or len(chunks[-1]) >= chunk:
                chunks.append([])
            self.where[key] = (len(chunks) - 1, len(chunks[-1]))
            chunks[-1].append(job)
        self.futures: list[Future[list[Any]]] = []
        self.taken = 0  # parts handed to pages
        self.executor: ProcessPoolExecutor | None = None
        _WORK = chunks
        try:
            self.executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            )
            self.futures = [self.executor.submit(_run_chunk, i) for i in range(len(chunks))]
        except (OSError, ValueError, RuntimeError):
            self.close()  # no process here: every page makes its own parts

    def get(self, key: Hashable) -> Any | None:
        """The part made for `key`, or None (not asked for, taken already, or the worker
        failed); a part is handed out once, and then no longer kept here."""
        where = self.where.get(key)
        if where is None or not self.futures:
            return None
        try:
            chunk = self.futures[where[0]].result()
        except Exception:  # a dead worker (BrokenProcessPool) or an error in a job
            return None
        made, chunk[where[1]] = chunk[where[1]], None
        if made is not None:
            self.taken += 1
        return made

    def close(self) -> None:
        """Stop the worker (done or not) and let go of the inherited jobs."""
        global _WORK
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.futures = []
        _WORK = []
