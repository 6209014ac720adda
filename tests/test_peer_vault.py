"""The benchmark's peer corpus (bench/peers.py): the synthetic story written as a Quartz
vault must be the same corpus as the dossier's, with every mention a wikilink Quartz
resolves to one note. Quartz itself is not needed here (bench/peers.py builds it)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import synthetic as corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import peers  # noqa: E402
import run as bench  # noqa: E402

WIKILINK = re.compile(r"\[\[([^\]|]+)\|([^\]]+)\]\]")


def _notes(vault: Path) -> dict[str, Path]:
    return {p.relative_to(vault).with_suffix("").as_posix(): p for p in vault.rglob("*.md")}


def test_the_vault_holds_every_article_and_entity_and_every_link_resolves(tmp_path):
    n = 60
    vault = corpus.generate_quartz(n, tmp_path)
    model = corpus.Model(n)
    notes = _notes(vault)
    # Every article and every entity the dossier makes a page for, at the same path.
    expected = {a.path[:-3] for a in model.articles} | {e.path[:-3] for e in model.all_entities()}
    assert set(notes) == expected | {"index"}
    # Quartz resolves a bare name when one note has it, else a path from the root.
    names = Counter(key.rsplit("/", 1)[-1] for key in notes)
    links = 0
    for path in notes.values():
        for target, label in WIKILINK.findall(path.read_text(encoding="utf-8")):
            links += 1
            if "/" in target:
                assert target in notes, (path, target)
            else:
                assert names[target] == 1, (path, target)
            assert label.strip()
    # As many links as the dossier corpus has resolved mentions of articles and entries.
    corpus.generate(n, tmp_path / "d", baseline=False)
    dossier = tmp_path / "d" / "dossier"
    written = sum(p.read_text(encoding="utf-8").count("[[") for p in dossier.rglob("*.md"))
    unresolved = sum(
        1
        for art in model.articles
        for block in art.blocks
        if block[0] != "h2"
        for piece in list(block[1]) + ([block[2]] if block[0] == "quote" else [])
        if isinstance(piece, corpus.Men) and piece.ent is None
    )
    assert links == written - unresolved


def test_a_shared_slug_is_linked_by_its_path(tmp_path):
    """Two notes with one file name: links to them name their folder."""
    model = corpus.Model(30)
    person = model.entities["person"][0]
    place = model.entities["place"][0]
    place.slug = person.slug  # the same file name in people/ and places/
    vault = tmp_path / "quartz"
    corpus._write_quartz(model, vault)
    text = "".join(p.read_text(encoding="utf-8") for p in vault.rglob("*.md"))
    targets = {t for t, _ in WIKILINK.findall(text)}
    assert person.slug not in targets
    assert f"people/{person.slug}" in targets or f"places/{place.slug}" in targets
    assert f"places/{person.slug}" in set(_notes(vault))


def test_the_vault_is_cached_and_the_same_each_time(tmp_path):
    first = corpus.generate_quartz(20, tmp_path / "a")
    second = corpus.generate_quartz(20, tmp_path / "b")
    read = lambda v: {k: p.read_bytes() for k, p in _notes(v).items()}  # noqa: E731
    assert read(first) == read(second)
    stamp = tmp_path / "a" / "QUARTZ-VERSION"
    before = stamp.stat().st_mtime_ns
    corpus.generate_quartz(20, tmp_path / "a")
    assert stamp.stat().st_mtime_ns == before
    assert not (first / "QUARTZ-VERSION").exists()  # not published as a file of the site


def test_without_quartz_the_benchmark_says_why_and_measures_nothing(tmp_path, monkeypatch):
    """No sources (or the wrong release): the peer is skipped with its reason, the
    report's target rows say "not measured", and no build is attempted."""

    def no_build(*_args):
        raise AssertionError("nothing is built without Quartz")

    monkeypatch.setenv("BENCH_QUARTZ", str(tmp_path / "missing"))
    found = peers.measure_peer(20, tmp_path, 1, no_build, no_build)
    assert "skipped" in found
    assert "package.json" in found["skipped"] or "Node" in found["skipped"]
    rows = bench._peer_targets(found)
    assert len(rows) == 1 and "not measured" in rows[0] and found["skipped"] in rows[0]
    assert bench._peer_section(found) == []

    other = tmp_path / "quartz"
    other.mkdir()
    (other / "package.json").write_text('{"name": "@jackyzha0/quartz", "version": "4.4.0"}')
    monkeypatch.setenv("BENCH_QUARTZ", str(other))
    found = peers.measure_peer(20, tmp_path, 1, no_build, no_build)
    assert "4.4.0" in found["skipped"] or "Node" in found["skipped"]
