"""`mkdocs serve --dirty`, end to end: after an article is edited, the entity pages it
affects are rebuilt and correct, and only those are written.

One real `mkdocs serve --dirty` on a small benchmark corpus (tests/synthetic.py), driven
by the benchmark's harness (tests/serve_harness.py): an article gains a mention of X and
loses every mention of Y, is restored, then edited again; after each rebuild the article
and the pages of X and Y are fetched over HTTP from the served site, and the HTML files
written by the rebuild are listed from serve's build folder. (MkDocs' dirty mode rebuilds
only files it sees as modified, and a File.generated with content always is: the plugin
marks the pages of entities an edit cannot have changed as unmodified; tests/test_dirty.py
covers the rule in-process.)
"""

from __future__ import annotations

import pytest
import serve_harness as serve_dirty
import synthetic as corpus

N = 30


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("serve-dirty")
    corpus.generate(N, work / f"n{N}", baseline=False)
    model = corpus.Model(N)
    edit = serve_dirty.choose_edit(model)
    result = serve_dirty.measure(
        work / f"n{N}" / "dossier", "dossier", edit, first_build_timeout=300, rebuild_timeout=120
    )
    return model, edit, result


def test_affected_entity_pages_are_rebuilt_and_correct(served):
    _, edit, result = served
    assert len(result["rebuilds"]) == 3
    assert result["problems"] == []
    for rebuild in result["rebuilds"]:
        rewritten = set(rebuild["rewritten"] or ())
        for ent in (edit.added, edit.removed):
            assert f"{corpus.FOLDERS[ent.type]}/{ent.slug}.html" in rewritten
        assert f"articles/{edit.article.slug}.html" in rewritten


def test_unaffected_entity_pages_are_kept(served):
    model, edit, result = served
    mentioned = {men.ent.id for _, men in corpus.iter_sentences(edit.article) if men.ent}
    mentioned |= {ent.id for ent in edit.article.about} | {edit.added.id}
    entity_pages = {
        f"{corpus.FOLDERS[ent.type]}/{ent.slug}.html": ent.id for ent in model.all_entities()
    }
    for rebuild in result["rebuilds"]:
        assert rebuild["rewritten"] is not None, "serve's build folder not found"
        rewritten = set(rebuild["rewritten"])
        needless = sorted(
            page for page, ent in entity_pages.items() if page in rewritten and ent not in mentioned
        )
        assert not needless, f"edit {rebuild['step']} rewrote unaffected pages: {needless}"
