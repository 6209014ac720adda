"""The opt-in garbage-collector freeze (heap.py, the `freeze_gc` option): what it
freezes, when it lets go, and that the plugin freezes nothing unless asked."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.heap import MAX_SKIPPED, GcFreeze
from sitebuild import BASE_CONFIG, write_tree


def test_it_freezes_for_a_build_and_lets_go_after_it():
    freezer = GcFreeze()
    freezer.freeze()
    assert gc.get_freeze_count() > 0
    freezer.release()
    assert gc.get_freeze_count() == 0


def test_serve_collects_once_idle_unless_a_build_starts_first():
    freezer = GcFreeze(idle_seconds=0.05)
    freezer.freeze()
    freezer.release()  # the build ended: collect once idle
    deadline = time.monotonic() + 5
    while freezer._timer is not None and freezer._timer.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert freezer.frozen and gc.get_freeze_count() > 0  # collected, survivors frozen again
    freezer.release()
    freezer.cancel()  # a build started before the idle spell ended
    time.sleep(0.1)
    assert freezer.frozen
    freezer.idle_seconds = None
    freezer.release()
    assert gc.get_freeze_count() == 0


def test_serve_collects_each_builds_garbage_once_idle_without_freezing():
    freezer = GcFreeze(idle_seconds=0.05)
    full: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(info["collected"])

    gc.callbacks.append(count)
    try:
        cycle: list = []
        cycle.append(cycle)  # garbage only a full collection frees
        del cycle
        freezer.release()  # a build ended, nothing frozen
        deadline = time.monotonic() + 5
        while not full and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        gc.callbacks.remove(count)
    assert full and full[0] >= 1  # collected while idle, not in the next build
    assert not freezer.frozen and gc.get_freeze_count() == 0


def test_back_to_back_rebuilds_collect_after_a_few_skipped_idle_spells():
    freezer = GcFreeze(idle_seconds=60)  # never idle long enough in this test
    full: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    try:
        for _ in range(MAX_SKIPPED - 1):
            freezer.freeze()  # a build has loaded its dossier
            freezer.release()  # ... and ended; the next one starts at once
            freezer.cancel()
        assert freezer.frozen and freezer.skipped == MAX_SKIPPED - 1
        freezer.freeze()
        freezer.release()
        gc.callbacks.append(count)
        freezer.cancel()  # one skip too many: collect now
        gc.callbacks.remove(count)
        assert full and not freezer.frozen and freezer.skipped == 0
    finally:
        freezer.idle_seconds = None
        freezer.release()


@pytest.mark.parametrize("option", [None, False, True])
def test_the_plugin_freezes_only_when_asked(tmp_path: Path, monkeypatch, option):
    write_tree(
        tmp_path,
        {
            "content/a.md": "---\ntitle: A\n---\n\n[[Ann]] spoke.\n",
            "dossier/people/ann.md": "---\nname: Ann\n---\n",
        },
    )
    text = BASE_CONFIG.format(directory_urls="false")
    if option is not None:
        text = text.replace("  - dossier\n", f"  - dossier:\n      freeze_gc: {option}\n")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    build(config)
    assert (tmp_path / "site/people/ann.html").is_file()
    assert calls == (["freeze", "unfreeze"] if option else [])
