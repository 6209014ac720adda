"""Regression guard: the dossier's own work grows linearly with the corpus.

The plugin's work without MkDocs, as the benchmark measures it (tests/engine_work.py:
load_dossier, then every article's mentions, panel and map, every entity page, the
indexes and exports), runs in-process on the benchmark's synthetic corpus
(tests/synthetic.py) at N and 4N articles, measured two ways:

- time per item (article or entity) at 4N within LIMIT times that at N: linear work gives
  about 1, an O(N^2) step that matters gives 2 to 4. Robust to a noisy machine: each size
  is timed up to ROUNDS times, alternating, the fastest run of each counts, and the test
  stops as soon as the ratio is within the limit;
  Both through a cold persistent build cache, as `mkdocs build` runs;
- calls per item of every function of the package (cProfile counts, deterministic):
  a function that is a visible share of the work must not be called more than
  CALL_GROWTH_LIMIT times as often per item at 4N (a loop over all names per unresolved
  mention, or over all articles per article, grows 4x per item when N grows 4x). This
  catches a quadratic loop long before it shows in the wall time of a small corpus.

Also here: the fast paths that keep the work linear give the same answers as the plain
algorithms they replace.
"""

from __future__ import annotations

import gc
import random
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import engine_work as engine
import pytest
import synthetic as corpus

SMALL, LARGE = 50, 200
LIMIT = 1.6
ROUNDS = 3
# Call counts: N and 8N, without maps (their cost per page is bounded by design).
CALL_SMALL, CALL_LARGE = 40, 320
CALL_GROWTH_LIMIT = 5.0  # per item, for 8x the items: linear ~1, quadratic ~8
CALL_SHARE = 0.001  # functions with at least this share of the package's calls at 8N
# Ranking related articles exactly is a similarity join: Dossier.related_articles counts
# shared entities over each entity's list of articles (Counter.update, in C), which grows
# faster than linearly in the worst case (ubiquitous entities); its Python-level calls are
# held here to less than quadratic growth.
RELATED_GROWTH_LIMIT = 7.0


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("scaling")
    found = {}
    for n in (SMALL, LARGE, CALL_SMALL, CALL_LARGE):
        corpus.generate(n, base / f"n{n}", baseline=False)
        found[n] = base / f"n{n}" / "dossier"
    return found


def _per_item(times: dict[str, float], stage: str = "total") -> float:
    return times[stage] / (times["articles_n"] + times["entities_n"])


@pytest.fixture
def quiet_heap():
    """Keep what earlier tests left in this process out of the garbage collector's passes:
    their cost grows with the whole heap, not with the corpus measured here."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def test_plugin_work_grows_linearly(sites, quiet_heap):
    engine.engine_work(sites[SMALL])  # warm up: imports, templates, basemap data
    best: dict[int, dict[str, float]] = {}
    ratio = float("inf")
    for _ in range(ROUNDS):
        for n in (SMALL, LARGE):
            engine.clear_caches()
            with tempfile.TemporaryDirectory() as cache:  # a cold persistent cache
                times = engine.engine_work(sites[n], cache=Path(cache))
            if n not in best or times["total"] < best[n]["total"]:
                best[n] = times
        ratio = _per_item(best[LARGE]) / _per_item(best[SMALL])
        if ratio <= LIMIT:
            break
    stages = {
        stage: round(_per_item(best[LARGE], stage) / _per_item(best[SMALL], stage), 2)
        for stage in ("load_dossier", "articles", "entity_pages", "indexes_exports")
    }
    assert ratio <= LIMIT, (
        f"time per item at N={LARGE} is {ratio:.2f}x that at N={SMALL} (limit {LIMIT}); "
        f"by stage: {stages}; seconds: {best}"
    )


def _calls(site: Path) -> tuple[dict[str, int], int]:
    """Calls of each function of the package during the engine's work, and the items."""
    import cProfile

    engine.clear_caches()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        with tempfile.TemporaryDirectory() as cache:  # a cold persistent cache
            times = engine.engine_work(site, maps=False, cache=Path(cache))
    finally:
        profiler.disable()
    return _package_calls(profiler), int(times["articles_n"] + times["entities_n"])


def _related_code() -> tuple[str, list[range]]:
    """The module and lines of Dossier.related_articles and its helper (their lambdas
    too), as `_calls` names them."""
    import inspect

    from mkdocs_dossier.index.build import Dossier

    spans = []
    for function in (Dossier.related_articles, Dossier._entity_set):
        lines, first = inspect.getsourcelines(function)
        spans.append(range(first, first + len(lines)))
    path = inspect.getsourcefile(Dossier).replace("\\", "/").split("/mkdocs_dossier/")[-1]
    return (path, spans)


def _package_calls(profiler) -> dict[tuple[str, int, str], int]:
    import pstats

    calls: dict[tuple[str, int, str], int] = {}
    for (filename, line, name), row in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        path = filename.replace("\\", "/")
        if "/mkdocs_dossier/" in path:
            calls[(path.split("/mkdocs_dossier/")[-1], line, name)] = row[1]
    return calls


def _super_linear(
    small: dict[tuple[str, int, str], int],
    large: dict[tuple[str, int, str], int],
    scale: float,
    limit: Callable[[tuple[str, int, str]], float],
) -> dict[str, float]:
    """Functions with at least CALL_SHARE of the large run's calls whose calls per item
    grew more than their `limit` from the small run (`scale`: the growth of the items)."""
    total = sum(large.values())
    growing = {}
    for where, count in large.items():
        growth = count / max(small.get(where, 0), 1) / scale
        if count >= CALL_SHARE * total and growth > limit(where):
            growing[f"{where[0]}:{where[1]} {where[2]}"] = round(growth, 2)
    return growing


def _update_calls(site: Path) -> tuple[dict[tuple[str, int, str], int], int]:
    """Calls of each function of the package in a `serve --dirty` rebuild's own work after
    one article is edited: the sources read again, the index updated, the change snapshot
    and the pages it affects."""
    import cProfile

    from mkdocs_dossier.index import changes
    from mkdocs_dossier.pipeline import BuildCache, load_dossier
    from mkdocs_dossier.site import load_site

    loaded = load_site(site.resolve() / "mkdocs.yml")
    cache = BuildCache()
    before = load_dossier(loaded.project, loaded.pages, cache)
    shot = changes.snapshot(before)
    edited = Path(sorted(path for _, path in loaded.pages if "/articles/" in path)[0])
    text = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(text + "\nEdited: [[Iraq]] once more.\n", encoding="utf-8")
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            after = load_dossier(loaded.project, loaded.pages, cache)
            current = changes.snapshot(after, shot)
            touched = changes.affected(shot, current, before, after)
        finally:
            profiler.disable()
    finally:
        edited.write_text(text, encoding="utf-8")
    assert touched.entities, "the edit must affect some entity page"
    assert cache.resolutions.updated, "the index must be updated, not made anew"
    return _package_calls(profiler), len(after.articles) + len(after.entities)


def test_no_function_is_called_super_linearly(sites):
    engine.engine_work(sites[CALL_SMALL], maps=False)  # imports and first-use caches
    small, small_items = _calls(sites[CALL_SMALL])
    large, large_items = _calls(sites[CALL_LARGE])
    scale = large_items / small_items
    related_file, related_spans = _related_code()

    def limit(where: tuple[str, int, str]) -> float:
        related = where[0] == related_file and any(where[1] in span for span in related_spans)
        return RELATED_GROWTH_LIMIT if related else CALL_GROWTH_LIMIT

    growing = _super_linear(small, large, scale, limit)
    assert not growing, (
        f"calls per item grow more than {CALL_GROWTH_LIMIT}x from N={CALL_SMALL} to "
        f"N={CALL_LARGE} ({scale:.1f}x the items): {growing}"
    )


def test_related_articles_match_exhaustive_ranking(sites):
    from mkdocs_dossier.index.build import entity_ids
    from mkdocs_dossier.pipeline import load_dossier
    from mkdocs_dossier.site import load_site

    site = load_site(sites[LARGE] / "mkdocs.yml")
    dossier = load_dossier(site.project, site.pages, locate=False)

    def exhaustive(article, limit):
        shared: dict[str, set[str]] = defaultdict(set)
        by_uri = {}
        for entity_id in entity_ids(article):
            for other in dossier.mentioned_in.get(entity_id, ()):
                if other.src_uri != article.src_uri:
                    shared[other.src_uri].add(entity_id)
                    by_uri[other.src_uri] = other
        ranked = sorted(
            shared.items(),
            key=lambda item: (
                -len(item[1]),
                -(by_uri[item[0]].date.sort_key[0] if by_uri[item[0]].date else 0),
                item[0],
            ),
        )
        return [(uri, sorted(ids)) for uri, ids in ranked[:limit]]

    for limit in (1, 5, 12):
        for article in dossier.articles:
            fast = [(a.src_uri, ids) for a, ids in dossier.related_articles(article, limit)]
            assert fast == exhaustive(article, limit), (article.src_uri, limit)


def _link_texts_reference(text: str) -> list[tuple[int, int, bool]]:
    """Link texts the slow way: from each `]` followed by `(` or `[`, walk back to its
    `[` counting brackets (escapes read left to right, a blank line stops the walk)."""
    escaped = [False] * (len(text) + 1)
    pos = 0
    while pos < len(text):
        if text[pos] == "\\":
            escaped[pos + 1] = True
            pos += 2
        else:
            pos += 1
    spans = []
    for close, ch in enumerate(text):
        if ch != "]" or escaped[close] or text[close + 1 : close + 2] not in ("(", "["):
            continue
        depth = 0
        for pos in range(close - 1, -1, -1):
            if text[pos] == "\n" and text[pos - 1 : pos] == "\n":
                break
            if escaped[pos] or text[pos] not in "[]":
                continue
            if text[pos] == "]":
                depth += 1
            elif depth:
                depth -= 1
            else:
                spans.append((pos, close + 1, text[pos - 1 : pos] == "!"))
                break
    return sorted(spans)


def test_link_texts_match_reference():
    from mkdocs_dossier.read import grammar

    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice("[]()\\\nab!") for _ in range(rng.randint(0, 30)))
        assert grammar.link_texts(text) == _link_texts_reference(text), text


def test_a_dirty_rebuild_after_one_edit_grows_at_most_linearly(sites):
    """`serve --dirty` after one edit: the index updated in place, the change snapshot and
    the affected pages. Linear work per item stays about 1 from N to 8N (the lists of an
    entity in half the articles are walked); a loop over all articles per article would
    grow about 8x."""
    _update_calls(sites[CALL_SMALL])  # imports and first-use caches
    small, small_items = _update_calls(sites[CALL_SMALL])
    large, large_items = _update_calls(sites[CALL_LARGE])
    scale = large_items / small_items
    growing = _super_linear(small, large, scale, lambda where: CALL_GROWTH_LIMIT)
    assert not growing, (
        f"a dirty rebuild's calls per item grow more than {CALL_GROWTH_LIMIT}x from "
        f"N={CALL_SMALL} to N={CALL_LARGE} ({scale:.1f}x the items): {growing}"
    )
