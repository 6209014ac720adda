"""Page parts made ahead, in a second process, while MkDocs converts the pages' Markdown.

MkDocs runs on one core. Once the dossier is loaded (`on_files`), a build knows every
part it will generate that does not need a page's own HTML: entity pages' sections (map,
timeline, mentions, statements, related, nearby, JSON-LD), articles' panels and the type
indexes. `Batch` hands them to one worker process, forked so that it shares the loaded
dossier instead of copying or pickling it. The worker makes them in chunks from the last
page MkDocs will render backwards, while the main process converts Markdown and then
renders pages from the first forwards: a page whose part is made takes it, and a page
whose part is not made yet makes it itself (its chunk is withdrawn from the worker if it
has not started it). Neither process ever waits for the other, so a busy machine that
starves the worker costs no more than a single-process build, and the two meet
somewhere in the middle. Each part is made by the same function either way, so the
pages are byte-identical to a single-process build (tests/test_parallel.py).

A chunk comes back compressed (zlib at its fastest level: 3.7x smaller on the benchmark
corpus, where level 6 gave 4.7x for four times the worker's time) and is opened when its
first page asks: the parts the worker made ahead wait in this process, and waiting
compressed they take about a quarter of the memory.

Where a process cannot be forked safely (no `fork` start method, one core, other threads
running), or the worker dies or raises, `get` returns None and the page makes its part
itself: the fallback is the single-process build.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import threading
import zlib
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

#: Parts per chunk: small enough that little is made twice where the two processes
#: meet, large enough that sending each result back costs little.
CHUNK = 16

#: Below this many parts, a worker costs more (its start, the results' transfer) than it saves.
MIN_JOBS = 64

_TAKEN = object()  # in an opened chunk, where a part was handed out

# The jobs a forked worker runs: set before the worker starts, inherited by fork.
_WORK: list[list[Callable[[], Any]]] = []


def _run_chunk(index: int) -> bytes:
    """Run chunk `index` of the inherited jobs (in the worker): its parts, pickled and
    compressed."""
    made = [job() for job in _WORK[index]]
    return zlib.compress(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL), 1)


def can_fork() -> bool:
    """True where a forked worker can run beside this process on a core of its own, and
    forking is safe: no other thread runs (another plugin's) that could hold a lock the
    worker would then wait for forever."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        (cores or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


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
        self.futures: list[Future[bytes]] = []
        self.opened: dict[int, list[Any]] = {}  # chunks opened, while parts are left
        self.left = [len(c) for c in chunks]  # parts of each chunk not handed out yet
        self.taken = 0  # parts handed to pages
        self.executor: ProcessPoolExecutor | None = None
        _WORK = chunks
        # Forked with the collector's objects frozen, the worker's collections never walk
        # (and so never copy) the pages of the dossier it shares with this process.
        frozen_here = gc.get_freeze_count() == 0
        if frozen_here:
            gc.freeze()
        try:
            self.executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            )
            futures = {i: self.executor.submit(_run_chunk, i) for i in reversed(range(len(chunks)))}
            self.futures = [futures[i] for i in range(len(chunks))]
        except (OSError, ValueError, RuntimeError):
            self.close()  # no process here: every page makes its own parts
        finally:
            if frozen_here:
                gc.unfreeze()  # (the worker was forked at the first submit)

    def get(self, key: Hashable) -> Any | None:
        """The part made for `key`, or None: not made yet (the caller makes it), not
        asked for, taken already, or the worker failed. A part is handed out once, and
        then no longer kept here."""
        where = self.where.get(key)
        if where is None or not self.futures:
            return None
        index, slot = where
        chunk = self.opened.get(index)
        if chunk is None:
            future = self.futures[index]
            if not future.done():
                future.cancel()  # not started: the worker skips it; running: its result waits
                return None
            if not self.left[index]:
                return None  # every part of it was handed out
            try:
                chunk = pickle.loads(zlib.decompress(future.result()))
            except Exception:  # a dead worker, an error in a job, or withdrawn
                return None
            self.opened[index] = chunk
        made = chunk[slot]
        if made is _TAKEN:
            return None
        chunk[slot] = _TAKEN
        if made is not None:
            self.taken += 1
        self.left[index] -= 1
        if not self.left[index]:
            del self.opened[index]
        return made

    def close(self) -> None:
        """Stop the worker (done or not) and let go of the inherited jobs."""
        global _WORK
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.futures = []
        _WORK = []
