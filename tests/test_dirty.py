"""`mkdocs serve --dirty`: an edit rebuilds exactly the entity pages it affects."""

from __future__ import annotations

import os
import subprocess
from dataclasses import field, fields, make_dataclass
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.index.build import Dossier, build_index
from mkdocs_dossier.index.changes import Affected, Snapshot, affected, snapshot
from mkdocs_dossier.model import Article, Entity
from mkdocs_dossier.read.articles import ArticleSource, read_article
from mkdocs_dossier.read.entries import read_entry
from sitebuild import BASE_CONFIG, MKDOCS, write_tree

FILES = {
    "content/a.md": "---\ntitle: A\ndate: 2021-01-01\n---\n\n[[Ann]] met [[Carl]].\n",
    "content/b.md": "---\ntitle: B\ndate: 2021-01-02\n---\n\n[[Dora]] alone.\n",
    "dossier/people/ann.md": "---\nname: Ann\nsummary: First.\n---\n",
    "dossier/people/bob.md": "---\nname: Bob\nsummary: Second.\n---\n",
    "dossier/people/carl.md": "---\nname: Carl\n---\n",
    "dossier/people/dora.md": "---\nname: Dora\n---\n",
}


def stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def touch_later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = path.stat().st_mtime + 5
    os.utime(path, (later, later))


def test_dirty_rebuild_rewrites_the_affected_entity_pages_only(tmp_path: Path):
    write_tree(tmp_path, FILES)
    (tmp_path / "mkdocs.yml").write_text(BASE_CONFIG.format(directory_urls="false"))
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    site = tmp_path / "site"
    before = stamps(site)
    assert "Ann" in (site / "people/ann.html").read_text()

    # The edit drops Ann, keeps Carl, and adds Bob.
    touch_later(
        tmp_path / "content/a.md", "---\ntitle: A\ndate: 2021-01-01\n---\n\n[[Bob]] met [[Carl]].\n"
    )
    build(config, dirty=True)
    after = stamps(site)
    rewritten = {page for page in after if after[page] != before.get(page)}
    assert {"a.html", "people/ann.html", "people/bob.html", "people/carl.html"} <= rewritten
    assert "people/dora.html" not in rewritten and "b.html" not in rewritten
    assert 'href="../a.html#m-person-bob-1"' in (site / "people/bob.html").read_text()
    assert "a.html#m-person-ann-1" not in (site / "people/ann.html").read_text()

    # An entry edit may show on any page: every entity page is written again.
    touch_later(tmp_path / "dossier/people/dora.md", "---\nname: Dora\nsummary: New.\n---\n")
    build(config, dirty=True)
    final = stamps(site)
    assert all(
        final[p] != after[p] for p in final if p.startswith("people/") and p != "people/index.html"
    )


def test_affected_is_everything_without_a_previous_build_or_after_an_entry_edit():
    current = Snapshot({"a.md": {"person:ann": ("x", 1)}}, "entities-1")
    assert affected(None, current) is None
    assert affected(Snapshot(current.articles, "entities-0"), current) is None
    assert affected(current, current) == Affected()
    removed = Snapshot({}, "entities-1")
    assert affected(current, removed) == Affected({"person:ann"}, {"person"})


def test_a_reworded_mention_affects_its_page_but_not_the_index():
    before = Snapshot({"a.md": {"person:ann": ("x", 1), "place:rome": ("y", 2)}}, "e")
    after = Snapshot({"a.md": {"person:ann": ("x2", 1), "place:rome": ("y", 2)}}, "e")
    # Without the dossiers, Rome (co-mentioned, contribution unchanged) is rebuilt too.
    assert affected(before, after) == Affected({"person:ann", "place:rome"}, set())


def _generated(site: Path) -> dict[str, bytes]:
    """What the dossier generates: entity and index pages, dossier.json, places.geojson."""
    found = {}
    for folder in ("people", "organizations", "places", "events"):
        for page in (site / folder).glob("*.html"):
            found[page.relative_to(site).as_posix()] = page.read_bytes()
    for name in ("dossier.json", "places.geojson"):
        found[name] = (site / name).read_bytes()
    return found


def test_dirty_rebuilds_match_a_clean_build_after_every_edit(tmp_path: Path):
    """Reused resolutions, skipped pages and cached records give the pages a full build
    of the same sources gives, edit after edit."""
    import serve_harness as serve_dirty
    import synthetic as corpus

    corpus.generate(24, tmp_path / "corpus", baseline=False)
    live = tmp_path / "corpus" / "dossier"
    model = corpus.Model(24)
    edit = serve_dirty.choose_edit(model)
    article = live / "content" / "articles" / f"{edit.article.slug}.md"
    original = article.read_text(encoding="utf-8")
    other = sorted((live / "content" / "articles").glob("*.md"))[0]
    assert other != article
    config = load_config(str(live / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)

    steps = [
        (article, edit.apply(original, "dossier")),  # a mention added, others removed
        (article, original),  # restored
        (other, other.read_text(encoding="utf-8").replace('title: "', 'title: "Late ', 1)),
        (article, original.replace(".", ". Meanwhile [[org:Brand New Desk]] said little.", 1)),
        (article, original.rstrip("\n") + "\n\nNothing else.\n"),  # the stub is gone again
    ]
    for number, (path, text) in enumerate(steps, 1):
        touch_later(path, text)
        config = load_config(str(live / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
        build(config, dirty=True)
        # The clean build runs in a process of its own: MkDocs hands the same plugin
        # instance to every config loaded in this one.
        clean = tmp_path / f"clean-{number}"
        subprocess.run(
            [*MKDOCS, "build", "--site-dir", str(clean)],
            cwd=live,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True,
            check=True,
        )
        served, expected = _generated(tmp_path / "served"), _generated(clean)
        assert served.keys() >= expected.keys()
        differ = sorted(name for name in expected if served[name] != expected[name])
        assert not differ, f"step {number}: dirty rebuild differs from a clean build: {differ}"


def _person(slug: str, name: str) -> Entity:
    text = f"---\nname: {name}\n---\n".encode()
    entity, problems = read_entry(text, f"dossier/people/{slug}.md", "person", slug)
    assert problems == []
    return entity


def _article(body: str) -> ArticleSource:
    raw = f"---\ntitle: A\ndate: 2021-05-01\n---\n\n{body}\n".encode()
    return read_article(raw, "a.md", "content/a.md")


def _dossier(body: str = "[[Ann]] met [[Bo]].\n\n> Fine.\n> — [[Ann]]") -> Dossier:
    return build_index([_person("ann", "Ann"), _person("bo", "Bo")], [_article(body)], [])


def _with(value: object, cls: type, **extra: object) -> object:
    """`value` as an instance of its subclass `cls`, with `extra` for the added fields."""
    return cls(**{f.name: getattr(value, f.name) for f in fields(value)}, **extra)


def test_a_field_added_to_entity_is_compared_without_changing_changes():
    coloured = make_dataclass("Coloured", [("colour", str, field(default=""))], bases=(Entity,))
    dossier = _dossier()
    ann = dossier.entities["person:ann"]
    dossier.entities["person:ann"] = _with(ann, coloured, colour="red")
    before = snapshot(dossier)
    dossier.entities["person:ann"] = _with(ann, coloured, colour="red")
    assert affected(before, snapshot(dossier)) == Affected()
    dossier.entities["person:ann"] = _with(ann, coloured, colour="blue")
    assert affected(before, snapshot(dossier)) is None  # entity data: every page


def test_a_field_added_to_article_affects_the_pages_of_what_it_mentions():
    subtitled = make_dataclass(
        "Subtitled", [("subtitle", str, field(default=""))], bases=(Article,)
    )
    dossier = _dossier()
    article = dossier.articles[0]
    dossier.articles = [_with(article, subtitled, subtitle="Old")]
    before = snapshot(dossier)
    dossier.articles = [_with(article, subtitled, subtitle="New")]
    assert affected(before, snapshot(dossier)) == Affected({"person:ann", "person:bo"}, set())


def test_what_only_moves_in_the_source_is_not_compared():
    first = _dossier()
    before = snapshot(first)
    # Lines above every mention and statement: their offsets and positions move, and
    # no page shows those.
    moved = _dossier("Intro.\n\n[[Ann]] met [[Bo]].\n\n> Fine.\n> — [[Ann]]")
    assert affected(before, snapshot(moved), first, moved) == Affected()
    reworded = _dossier("[[Ann]] met [[Bo]].\n\n> Fine, thanks.\n> — [[Ann]]")
    assert affected(before, snapshot(reworded), first, reworded) == Affected({"person:ann"})
