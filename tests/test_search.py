"""What site search indexes, and how the generated sections reach the written pages.

Search indexes each entity page's header and entry body, and each article's text; the
sections that quote or draw what is indexed elsewhere (mention lists, timelines,
statements, maps, article panels) are added after the search plugin has read the page.
"""

from __future__ import annotations

import json

from sitebuild import BASE_CONFIG, Build

ENTRY = """\
---
name: Ana Ruiz
aliases: [Ana R.]
summary: Spokeswoman for the port authority.
---
Ana Ruiz joined the port authority in 2015.
"""
ARTICLE = """\
---
title: Port strike
date: 2021-03-04
---
Talks collapsed overnight, said [[Ana Ruiz]], at the harbour gates.
"""


def _docs(build: Build) -> dict[str, str]:
    index = json.loads(build.page("search/search_index.json"))
    return {doc["location"]: doc["title"] + " " + doc["text"] for doc in index["docs"]}


def test_search_finds_entity_pages_by_their_facts_and_articles_by_their_text(
    sample_site: Build,
) -> None:
    assert sample_site.returncode == 0, sample_site.log
    docs = _docs(sample_site)
    qaani = docs["people/ismail-qaani.html"]
    for fact in ("Ismail Qaani", "Esmail Ghaani", "succeeded Soleimani", "Commander of the Quds"):
        assert fact in qaani
    assert "Republic of Iraq" in docs["places/iraq.html"]
    article = "".join(text for loc, text in docs.items() if "brief-who-is-who" in loc)
    assert "flew to Baghdad" in article
    # The sentence is indexed with its article, not again under every entity it names.
    elsewhere = [loc for loc, text in docs.items() if "flew to Baghdad" in text]
    assert all("brief-who-is-who" in loc for loc in elsewhere), elsewhere


def test_written_pages_carry_their_sections_once(sample_site: Build) -> None:
    page = sample_site.page("people/ismail-qaani.html")
    for section in ("dossier-map", "dossier-timeline", "dossier-mentions", "dossier-related"):
        assert page.count(f'id="{section}"') == 1, section
    assert "flew to" in page  # a mention's sentence, in the mention list
    article = sample_site.page("articles/brief-who-is-who.html")
    assert article.count('id="dossier-in-this-article"') == 1
    for html in sample_site.site.rglob("*.html"):
        assert "<!--dossier-sections-" not in html.read_text(encoding="utf-8"), html


HOOKS_CONFIG = BASE_CONFIG.format(directory_urls="false") + "hooks:\n  - hooks.py\n"


def _build_with_hooks(build_dossier, hooks: str) -> Build:
    """The one-entry, one-article dossier, built with `hooks` as an MkDocs hooks file."""
    files = {
        "hooks.py": hooks,
        "dossier/people/ana-ruiz.md": ENTRY,
        "content/articles/strike.md": ARTICLE,
    }
    return build_dossier(files, config=HOOKS_CONFIG)


def test_plugins_after_ours_see_the_whole_page(build_dossier) -> None:
    hooks = """\
        def on_post_page(output, page, config):
            seen = 'id="dossier-mentions"' in output
            return output.replace("</body>", f"<!-- sections seen: {seen} --></body>")
    """
    build = _build_with_hooks(build_dossier, hooks)
    assert build.returncode == 0, build.log
    assert "<!-- sections seen: True -->" in build.page("people/ana-ruiz.html")


def test_a_plugin_that_drops_the_marker_gets_a_warning_not_a_broken_build(build_dossier) -> None:
    hooks = """\
        import re

        def on_page_context(context, page, config, nav):
            page.content = re.sub(r"<!--.*?-->", "", page.content or "")
            return context
    """
    build = _build_with_hooks(build_dossier, hooks)
    assert build.returncode == 0, build.log
    assert (
        "people/ana-ruiz.md: the page lost its dossier sections (another plugin removed"
        in build.log
    )
    page = build.page("people/ana-ruiz.html")
    assert "Spokeswoman for the port authority." in page
    assert 'id="dossier-mentions"' not in page
