"""The persistent build cache (.cache/plugin/dossier/): reused, never stale, safe to lose."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from mkdocs_dossier import diskcache
from sitebuild import MKDOCS, build_log, copy_sample, tree_differences

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CACHE = Path(".cache/plugin/dossier") / diskcache.FILE


def _build(site: Path, out: Path) -> tuple[int, int]:
    """`mkdocs build -v` of `site` into `out`: (items reused, items computed)."""
    log = build_log(site, out)
    found = re.search(r"persistent cache: (\d+) items reused, (\d+) computed", log)
    assert found, log[-2000:]
    return int(found.group(1)), int(found.group(2))


def _clean_build(site: Path, tmp: Path, name: str) -> Path:
    """The same project built from a copy without any cache."""
    fresh = tmp / f"fresh-{name}"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".cache", "out-*"))
    _build(fresh, fresh / "out")
    return fresh / "out"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    copy_sample(root, "parallel: false")
    return root


def test_a_second_build_reuses_everything_and_writes_the_same_site(site: Path):
    reused, computed = _build(site, site / "out-1")
    assert reused == 0 and computed > 30  # articles, the entries, maps
    assert (site / CACHE).is_file()
    reused, computed = _build(site, site / "out-2")
    assert computed == 0 and reused > 30
    assert tree_differences(site / "out-1", site / "out-2") == []


def _change(site: Path, change: str) -> None:
    if change == "article":
        # A mention added and a sentence changed: pages, maps and lists change.
        _edit(
            site / "content/articles/brief-who-is-who.md",
            "from [[Tel Aviv]].",
            "from [[Tel Aviv]] and [[Erbil]].",
        )
    elif change == "entry":
        _edit(site / "dossier/places/baghdad.md", "summary:", "summary: Edited.")
    elif change == "geocache":
        # A country's label point: the geocache comes before the country shapes.
        (site / "dossier/geocache.yml").write_text(
            "places:\n  yemen:\n    coordinates: [15.9, 47.1]\n", encoding="utf-8"
        )
    elif change == "config":
        _edit(site / "mkdocs.yml", "parallel: false", "parallel: false\n      date_style: iso")
    elif change == "corrupt cache":
        data = (site / CACHE).read_bytes()
        (site / CACHE).write_bytes(data[: len(data) // 2])
    elif change == "other package":
        # A cache written by another version of the plugin is not used (and is removed).
        _edit_fingerprint(site / CACHE)
        for folder in (site / CACHE).parent.glob("maps-*"):
            folder.rename(folder.with_name("maps-0123456789abcdef"))


def test_each_cached_build_after_a_change_equals_a_clean_build(site: Path, tmp_path: Path):
    before = site / "out-0"
    _build(site, before)
    for step, change in enumerate(
        ["article", "entry", "geocache", "config", "corrupt cache", "other package"], start=1
    ):
        _change(site, change)
        after = site / f"out-{step}"
        reused, computed = _build(site, after)
        expected = _clean_build(site, tmp_path, str(step))
        assert tree_differences(after, expected) == [], change
        if change == "other package":
            assert reused == 0, change
            assert not (site / CACHE).parent.joinpath("maps-0123456789abcdef").exists()
        elif change == "corrupt cache":
            assert reused > 0, change  # the maps are files of their own
        else:
            assert tree_differences(before, after) != [], change  # the change shows
            assert reused > 0, change  # what did not change came from the cache
        before = after


def _edit_fingerprint(path: Path) -> None:
    import pickle

    data = pickle.loads(path.read_bytes())
    data["fingerprint"] = "another version"
    path.write_bytes(pickle.dumps(data))


def test_a_deleted_cache_is_rebuilt(site: Path):
    _build(site, site / "out-1")
    shutil.rmtree(site / ".cache")
    reused, computed = _build(site, site / "out-2")
    assert reused == 0 and computed > 30
    assert tree_differences(site / "out-1", site / "out-2") == []


def test_cache_false_writes_no_cache(site: Path):
    _edit(site / "mkdocs.yml", "parallel: false", "parallel: false\n      cache: false")
    proc = subprocess.run(
        [*MKDOCS, "build", "-d", str(site / "out")], cwd=site, env=ENV, capture_output=True
    )
    assert proc.returncode == 0
    assert not (site / ".cache").exists()


def test_the_workers_maps_come_back_as_references_into_the_cache(tmp_path: Path):
    """In the worker, a map is drawn into the cache and handed back as a reference; the
    page's process puts the map back from the cache, and makes the part itself when the
    cache no longer holds it."""
    from mkdocs_dossier.maps.keys import REFERENCE, CachedMaps, with_maps
    from mkdocs_dossier.pages.render import Content
    from mkdocs_dossier.plugin import DossierPlugin

    store = diskcache.Store.load(tmp_path / "cache")
    drawn: list[str] = []

    def draw(places, links, page_url, subject) -> str:
        drawn.append(subject)
        return f"<figure>{subject} \u00e9\r\n</figure>"

    maps = CachedMaps(store, links=None, draw=draw)  # type: ignore[arg-type]
    maps.by_reference = True
    reference = maps.draw([], "places/a.html", "Places in this article")
    assert reference == REFERENCE.format(maps.noted[0]) and drawn == ["Places in this article"]
    assert maps.draw([], "places/a.html", "Places in this article") == reference
    assert drawn == ["Places in this article"]  # the second time, from the cache unread
    assert with_maps(f"<p>x</p>{reference}<p>y</p>", store) == (
        "<p>x</p><figure>Places in this article \u00e9\r\n</figure><p>y</p>"
    )

    class Batch:
        def __init__(self, part: object) -> None:
            self.part = part

        def get(self, key: object) -> object:
            return (self.part, list(maps.noted))

    plugin = DossierPlugin()
    plugin.store = store
    plugin.batch = Batch(Content("head", f"<section>{reference}</section>", "tail"))  # type: ignore[assignment]
    made = plugin._made(("entity", "places/a.md"))
    assert made == Content(
        "head", "<section><figure>Places in this article \u00e9\r\n</figure></section>", "tail"
    )
    plugin.batch = Batch(reference)  # type: ignore[assignment]
    assert plugin._made(("panel", "a.md")) == "<figure>Places in this article \u00e9\r\n</figure>"
    for path in (tmp_path / "cache").rglob(maps.noted[0]):
        path.unlink()
    assert plugin._made(("panel", "a.md")) is None  # the page draws its map itself
    assert maps.draw([], "places/b.html", "Another") != "<figure>Another \u00e9\r\n</figure>"
    maps.by_reference = False
    assert maps.draw([], "places/c.html", "Third") == "<figure>Third \u00e9\r\n</figure>"
