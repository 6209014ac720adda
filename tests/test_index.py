"""The index across builds: order-free stubs, reused resolutions, records, the heap."""

from __future__ import annotations

import gc
import json
import time

from mkdocs_dossier.exports.formats import dossier_json
from mkdocs_dossier.heap import MAX_SKIPPED, Heap
from mkdocs_dossier.index.build import Resolutions, build_index
from mkdocs_dossier.pages.links import Links
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.entries import read_entry


def person(slug: str, name: str, aliases: str = "[]"):
    text = f"---\nname: {name}\naliases: {aliases}\n---\n"
    entity, problems = read_entry(text.encode(), f"dossier/people/{slug}.md", "person", slug)
    assert problems == []
    return entity


def article(name: str, body: str, title: str | None = None):
    raw = f"---\ntitle: {title or name}\ndate: 2021-05-01\n---\n\n{body}\n".encode()
    return read_article(raw, f"{name}.md", f"content/{name}.md")


def people():
    return [person("ann-lee", "Ann Lee"), person("bo-chen", "Bo Chen", "[Chen]")]


def test_a_plain_mention_finds_a_stub_typed_in_a_later_article():
    sources = [article("a", "Met [[Getty Images]]."), article("b", "Photo: [[org:Getty Images]].")]
    dossier = build_index(people(), sources, [])
    first = dossier.by_uri["a.md"].mentions[0]
    assert first.entity_id == "org:getty-images"
    assert not [d for d in dossier.diagnostics if d.code == "unresolved-mention"]
    # The stub comes from the first file that types it.
    assert dossier.entities["org:getty-images"].first_named[0] == "content/b.md"


def _resolved(dossier):
    return {
        a.src_uri: (
            [(m.entity_id, m.anchor, m.context, m.label) for m in a.mentions],
            [(s.entity_id, s.text, s.anchor) for s in a.statements],
        )
        for a in dossier.articles
    }


def test_unchanged_articles_are_reused_while_the_names_hold():
    a = article("a", "[[Ann Lee]] met [[Chen]].\n\n> We agreed.\n> — [[Bo Chen]], statement")
    b = article("b", "[[Bo Chen]] alone, with [[Nobody Known]].")
    memo = Resolutions()
    first = build_index(people(), [a, b], [], memo)
    assert memo.reused == 0

    edited = article("b", "[[Bo Chen]] and [[Ann Lee]].")
    second = build_index(people(), [a, edited], [], memo)
    assert memo.reused == 1  # a, not the edited b
    assert second.by_uri["a.md"] is first.by_uri["a.md"]
    assert _resolved(second) == _resolved(build_index(people(), [a, edited], []))
    assert second.mention_count("person:ann-lee") == 2

    # A new alias can change what any article resolves to: nothing is reused.
    renamed = [person("ann-lee", "Ann Lee"), person("bo-chen", "Bo Chen", "[Chen, Nobody Known]")]
    third = build_index(renamed, [a, edited], [], memo)
    assert memo.reused == 1
    assert third.by_uri["a.md"] is not first.by_uri["a.md"]
    assert _resolved(third) == _resolved(build_index(renamed, [a, edited], []))


def test_the_sources_are_never_changed_by_resolution():
    a = article("a", "[[Ann Lee]] met [[Chen]].")
    build_index(people(), [a], [])
    assert a.article.mentions == [] and a.article.statements == []


def test_dossier_json_keeps_records_of_unchanged_articles_and_one_per_line():
    a, b = article("a", "[[Ann Lee]]."), article("b", "[[Bo Chen]].")
    memo = Resolutions()
    links = Links.for_site([], False)
    records: dict = {}
    first = build_index(people(), [a, b], [], memo)
    text = dossier_json(first, links, records)
    assert json.loads(text)["articles"][0]["title"] == "a"
    assert text.splitlines()[:2] == ["{", '"articles": [']
    retitled = article("a", "[[Ann Lee]].", title="A, retitled")
    second = build_index(people(), [retitled, b], [], memo)
    assert records["b.md"][0] is second.by_uri["b.md"]  # kept
    again = dossier_json(second, links, records)
    assert again == dossier_json(second, links)
    assert json.loads(again)["articles"][0]["title"] == "A, retitled"


def test_the_heap_freezes_for_a_build_and_lets_go_after_it():
    heap = Heap()
    heap.freeze()
    assert gc.get_freeze_count() > 0
    heap.release()
    assert gc.get_freeze_count() == 0


def test_serve_collects_once_idle_unless_a_build_starts_first():
    heap = Heap(idle_seconds=0.05)
    heap.freeze()
    heap.release()  # the build ended: collect once idle
    deadline = time.monotonic() + 5
    while heap._timer is not None and heap._timer.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert heap.frozen and gc.get_freeze_count() > 0  # collected, survivors frozen again
    heap.release()
    heap.cancel()  # a build started before the idle spell ended
    time.sleep(0.1)
    assert heap.frozen
    heap.idle_seconds = None
    heap.release()
    assert gc.get_freeze_count() == 0


def test_back_to_back_rebuilds_collect_after_a_few_skipped_idle_spells():
    heap = Heap(idle_seconds=60)  # never idle long enough in this test
    full: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    try:
        for _ in range(MAX_SKIPPED - 1):
            heap.freeze()  # a build has loaded its dossier
            heap.release()  # ... and ended; the next one starts at once
            heap.cancel()
        assert heap.frozen and heap.skipped == MAX_SKIPPED - 1
        heap.freeze()
        heap.release()
        gc.callbacks.append(count)
        heap.cancel()  # one skip too many: collect now
        gc.callbacks.remove(count)
        assert full and not heap.frozen and heap.skipped == 0
    finally:
        heap.idle_seconds = None
        heap.release()
