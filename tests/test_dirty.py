"""`mkdocs serve --dirty`: an edit rebuilds exactly the entity pages it affects."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.changes import Snapshot, affected
from sitebuild import BASE_CONFIG, write_tree

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
    current = Snapshot({"a.md": ("x", frozenset({"person:ann"}))}, "entities-1")
    assert affected(None, current) is None
    assert affected(Snapshot(current.articles, "entities-0"), current) is None
    assert affected(current, current) == set()
    removed = Snapshot({}, "entities-1")
    assert affected(current, removed) == {"person:ann"}
