"""Page parts made by a second process (parallel.py): the same pages, a clean fallback."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import wait
from pathlib import Path

import pytest
import synthetic as corpus
from mkdocs_dossier import parallel
from sitebuild import build_log, tree_differences


def _pid_and(value: str) -> Callable[[], str]:
    return lambda: f"{os.getpid()}:{value}"


def _upper_unless_b(value: str) -> Callable[[], str]:
    def job() -> str:
        if value == "b":
            raise ValueError("cannot make b")
        return value.upper()

    return job


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_batch_is_drawn_by_another_process_and_keyed_by_its_inputs():
    jobs = {("p", i): _pid_and(str(i)) for i in range(10)}
    drawn = parallel.Batch(jobs, chunk=3)
    try:
        wait(drawn.futures)
        results = [drawn.get(("p", i)) for i in range(10)]
        assert drawn.get(("not", "asked")) is None
    finally:
        drawn.close()
    assert [r.split(":")[1] for r in results] == [str(i) for i in range(10)]
    assert {r.split(":")[0] for r in results} != {str(os.getpid())}
    assert drawn.taken == 10
    assert drawn.get(("p", 0)) is None  # handed out once, then let go


def _page_part(i: int) -> Callable[[], str]:
    return lambda: f'<svg class="dossier-map"><path d="M{i} 0l1 1z"/></svg>' * 2000


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_parts_made_ahead_wait_compressed_and_come_out_whole():
    jobs = {i: _page_part(i) for i in range(6)}
    expected = {i: job() for i, job in jobs.items()}
    drawn = parallel.Batch(jobs, chunk=2)
    try:
        wait(drawn.futures)
        waiting = sum(len(f.result()) for f in drawn.futures)
        assert waiting * 10 < sum(len(part) for part in expected.values())
        assert drawn.get(3) == expected[3]
        assert drawn.get(3) is None  # handed out once
        assert drawn.get(2) == expected[2]  # its chunk's other part, still there
        assert 1 not in drawn.opened  # the chunk is let go once every part is out
        assert [drawn.get(i) for i in (0, 1, 4, 5)] == [expected[i] for i in (0, 1, 4, 5)]
        assert drawn.opened == {}
    finally:
        drawn.close()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_failing_chunk_leaves_its_maps_to_the_page():
    jobs = {name: _upper_unless_b(name) for name in "abc"}
    drawn = parallel.Batch(jobs, chunk=2)
    try:
        wait(drawn.futures)
        assert drawn.get("c") == "C"  # another chunk
        assert drawn.get("a") is None  # same chunk as the failure: the page draws it
        assert drawn.get("b") is None
    finally:
        drawn.close()


def test_no_fork_means_no_batch(monkeypatch):
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert not parallel.can_fork()


def test_without_a_process_every_map_is_left_to_its_page(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    drawn = parallel.Batch({"a": lambda: "A"})
    assert drawn.get("a") is None
    drawn.close()


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_build_with_the_worker_writes_the_same_bytes_as_one_without(tmp_path: Path):
    corpus.generate(60, tmp_path / "corpus", baseline=False)
    site = tmp_path / "corpus" / "dossier"
    text = (site / "mkdocs.yml").read_text()
    assert "  - dossier\n" in text
    (site / "serial.yml").write_text(
        text.replace("  - dossier\n", "  - dossier:\n      parallel: false\n")
    )
    log = build_log(site, tmp_path / "parallel", "mkdocs.yml")
    serial_log = build_log(site, tmp_path / "serial", "serial.yml")
    made = [line for line in log.splitlines() if "made by a second process" in line]
    assert made, log[-2000:]
    taken, total = (int(word) for word in made[0].split("dossier: ")[1].split()[:3:2])
    # The worker makes parts from the last page back while MkDocs renders from the first:
    # how many it made depends on the machine's load, the pages never do.
    assert total >= parallel.MIN_JOBS and 0 <= taken <= total
    assert "made by a second process" not in serial_log
    assert tree_differences(tmp_path / "parallel", tmp_path / "serial") == []
    # The worker's maps are in the persistent cache, kept by the builds that use them.
    maps = list((site / ".cache/plugin/dossier").glob("maps-*/*"))
    assert maps
    build_log(site, tmp_path / "warm", "mkdocs.yml")
    assert sorted(maps) == sorted((site / ".cache/plugin/dossier").glob("maps-*/*"))
    assert tree_differences(tmp_path / "parallel", tmp_path / "warm") == []


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_a_part_not_made_yet_is_left_to_the_page_and_withdrawn_from_the_worker():
    gate = Path(tempfile.mkdtemp()) / "go"

    def slow(value: str) -> Callable[[], str]:
        def job() -> str:
            while not gate.exists():  # held until the test lets it go
                time.sleep(0.01)
            return value

        return job

    jobs = {i: slow(str(i)) for i in range(4)}
    drawn = parallel.Batch(jobs, chunk=1)  # the worker starts with the last one
    try:
        assert drawn.get(0) is None  # not made: the page makes it, the worker never will
        gate.touch()
        wait([f for f in drawn.futures if not f.cancelled()])
        assert drawn.futures[0].cancelled()
        assert [drawn.get(i) for i in (1, 2, 3)] == ["1", "2", "3"]
    finally:
        drawn.close()


def test_no_fork_beside_other_threads():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        other.join()
