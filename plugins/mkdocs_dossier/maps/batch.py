"""Maps drawn ahead, in a second process, while MkDocs converts the pages' Markdown.

MkDocs runs on one core. A build knows every map it will draw once the dossier is loaded
(`on_files`): the places, the page and the subject of each. `MapBatch` hands that list to
one worker process, forked so that it shares the loaded dossier without copying or
pickling it, which draws the maps in chunks while the main process converts Markdown;
the page that needs a map takes it from there (waiting for its chunk if it is not drawn
yet). Drawing is a pure function of its inputs, so the pages are byte-identical to a
build that draws every map itself (tests/test_parallel.py).

Where a process cannot be forked (no `fork` start method, one core, a worker that dies or
raises), `get` returns None and the caller draws the map itself: the fallback is the
single-process build.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..files import content_key
from ..model import Entity
from ..pages.links import Links

#: Maps per chunk: small enough that the first pages wait little, large enough that
#: sending each result back costs little.
CHUNK = 48

#: Below this many maps, a worker costs more (its start, the results' transfer) than it saves.
MIN_MAPS = 64

# The batch a forked worker draws from: set before the worker starts, inherited by fork.
_WORK: list[Sequence[tuple[Any, ...]]] = []
_DRAW: Callable[..., str] | None = None


def _draw_chunk(index: int) -> list[str]:
    """Draw chunk `index` of the inherited batch (runs in the worker)."""
    assert _DRAW is not None
    return [_DRAW(*args) for args in _WORK[index]]


def map_key(places: Sequence[tuple[Any, bool]], page_url: str, subject: Any) -> tuple:
    """What identifies a map: its page, its places (and which are the subject) and its
    subject (an entity, by id, or a caption)."""
    return (
        page_url,
        tuple((place.id, focus) for place, focus in places),
        subject if isinstance(subject, str) else subject.id,
    )


def map_digest(
    places: Sequence[tuple[Entity, bool]],
    links: Links,
    page_url: str,
    subject: Entity | str,
    memo: dict[int, bytes],
) -> bytes:
    """A digest of everything a map is drawn from, for the persistent cache: the page,
    every place and the subject in full (each entity's every field, digested once per
    build in `memo`), and the address each place links to."""

    def whole(entity: Entity) -> bytes:
        found = memo.get(id(entity))
        if found is None:
            found = memo[id(entity)] = content_key(entity.id, repr(entity))
        return found

    parts: list[str | bytes] = [page_url]
    for place, focus in places:
        parts += [whole(place), "1" if focus else "0", links.entity(place.id, page_url)]
    parts.append("caption " + subject if isinstance(subject, str) else b"entity " + whole(subject))
    return content_key(*parts)


def can_fork() -> bool:
    """True where a forked worker can run beside this process on a core of its own."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class MapBatch:
    """Maps requested up front, keyed by their inputs, drawn by one forked worker."""

    def __init__(
        self,
        requests: dict[Hashable, tuple[Any, ...]],
        draw: Callable[..., str],
        chunk: int = CHUNK,
    ) -> None:
        """`requests` maps each map's key to the arguments of `draw` for it, in the order
        the pages will ask for them."""
        global _WORK, _DRAW
        self.where: dict[Hashable, tuple[int, int]] = {}
        chunks: list[list[tuple[Any, ...]]] = []
        for key, args in requests.items():
            if not chunks or len(chunks[-1]) >= chunk:
                chunks.append([])
            self.where[key] = (len(chunks) - 1, len(chunks[-1]))
            chunks[-1].append(args)
        self.futures: list[Future[list[str]]] = []
        self.taken = 0  # maps handed to pages
        self.executor: ProcessPoolExecutor | None = None
        _WORK, _DRAW = chunks, draw
        try:
            self.executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("fork")
            )
            self.futures = [self.executor.submit(_draw_chunk, i) for i in range(len(chunks))]
        except (OSError, ValueError, RuntimeError):
            self.close()  # no process here: every map is drawn by its page

    def get(self, key: Hashable) -> str | None:
        """The map drawn for `key`, or None (not requested, or the worker failed)."""
        where = self.where.get(key)
        if where is None or not self.futures:
            return None
        try:
            chunk = self.futures[where[0]].result()
        except Exception:  # a dead worker (BrokenProcessPool) or an error while drawing
            return None
        drawn, chunk[where[1]] = chunk[where[1]], None  # the page keeps it from here
        if drawn is not None:
            self.taken += 1
        return drawn

    def close(self) -> None:
        """Stop the worker (drawn or not) and let go of the inherited batch."""
        global _WORK, _DRAW
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.futures = []
        _WORK, _DRAW = [], None
