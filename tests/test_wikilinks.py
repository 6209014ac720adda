"""The wiki-link syntax people bring from Obsidian, Foam, Quartz and roamlinks, in a
real build: `[[Page]]`, `[[folder/Page]]`, `[[Page#Heading]]`, `[[#Heading]]`,
`[[Entity#Section]]`, `![[Entity]]`."""

from __future__ import annotations

import html
import re
from pathlib import Path

from sitebuild import run_build, write_tree

FILES = {
    "content/index.md": "# Home\n",
    "content/notes/alpha-note.md": "---\ntitle: Alpha Page\n---\n\n# Alpha\n\n## Some Heading\n",
    "content/other/alpha-note.md": "---\ntitle: Other Alpha\n---\n\nElsewhere.\n",
    "content/notes/links.md": """\
        ---
        title: Links
        ---

        ## Local part

        By name [[alpha-note]], by path [[other/alpha-note]], by title [[Alpha Page]],
        with a section [[Alpha Page#Some Heading|the heading]], on this page
        [[#Local part]], a block [[#^abc123|the block]].

        [[Ana Ruiz#Early life|Her youth]] and [[Ana Ruiz#Nowhere]].

        ![[Ana Ruiz]]
        """,
    "dossier/people/ana-ruiz.md": """\
        ---
        name: Ana Ruiz
        summary: Harbour master.
        ---

        ## Early life

        Born by the sea.
        """,
}


def _links(page: str) -> list[tuple[str, str, str]]:
    found = re.findall(r'<a class="(dossier-[a-z-]+)[^"]*"[^>]*href="([^"]*)"[^>]*>(.*?)</a>', page)
    return [(cls, href, text) for cls, href, text in found]


def test_page_links_headings_sections_and_cards(build_dossier):
    build = build_dossier(FILES)
    assert build.returncode == 0, build.log
    assert [w for w in build.warnings() if "dossier" in w or "mention" in w] == []
    page = build.page("notes/links.html")
    article = page[page.index('<article class="md-content__inner') :]
    assert _links(article)[:7] == [
        ("dossier-page-link", "alpha-note.html", "alpha-note"),  # same folder first
        ("dossier-page-link", "../other/alpha-note.html", "other/alpha-note"),
        ("dossier-page-link", "alpha-note.html", "Alpha Page"),
        ("dossier-page-link", "alpha-note.html#some-heading", "the heading"),
        ("dossier-page-link", "#local-part", "Local part"),
        ("dossier-mention", "../people/ana-ruiz.html#early-life", "Her youth"),
        ("dossier-mention", "../people/ana-ruiz.html", "Ana Ruiz"),  # the card links too
    ]
    # The person's later mention is not a link again, but keeps its anchor.
    assert re.search(r'<span class="dossier-mention dossier-person"[^>]* id="m-person-ana', article)
    assert "the block" in article and 'href="#^abc123"' not in article
    assert 'id="local-part"' in article
    assert 'id="some-heading"' in build.page("notes/alpha-note.html")
    assert 'id="early-life"' in build.page("people/ana-ruiz.html")
    card = re.search(r'<span class="dossier-embed dossier-person">.*?</span></span>', article)
    assert card and "Harbour master." in card.group() and "Person" in card.group()


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


def test_image_embeds_show_the_file_or_say_it_is_missing(build_dossier):
    files = {
        "content/index.md": "# Home\n",
        "content/img/pic.png": PNG,
        "content/notes/images.md": """\
            ---
            title: Images
            ---

            ![[pic.png|100]] ![[img/pic.png|100x80]] ![[pic.png|A harbour]] ![[gone.png]]
            """,
    }
    build = build_dossier(files)
    assert build.returncode == 0, build.log
    page = build.page("notes/images.html")
    images = re.findall(r'<img class="dossier-file"[^>]*>', page)
    assert images == [
        '<img class="dossier-file" src="../img/pic.png" alt="" width="100">',
        '<img class="dossier-file" src="../img/pic.png" alt="" width="100" height="80">',
        '<img class="dossier-file" src="../img/pic.png" alt="A harbour">',
    ]
    assert "![[gone.png]]" in html.unescape(page)
    warnings = [w for w in build.warnings() if "missing-file" in w]
    assert warnings == [
        'WARNING -  content/notes/images.md:5:66: warning: no file "gone.png" in docs_dir '
        "to show here [missing-file]"
    ]
    from mkdocs_dossier.cli.check import run_check
    from mkdocs_dossier.site import load_site

    diagnostics, _ = run_check(load_site(build.root / "mkdocs.yml"))
    assert [d.code for d in diagnostics] == ["missing-file"]


def test_image_embeds_in_a_table_and_with_a_style_hint_show_the_file(build_dossier):
    # Obsidian's help vault writes both: `\|` in a table cell, `#outline` after the name.
    files = {
        "content/index.md": "# Home\n",
        "content/img/pic.png": PNG,
        "content/notes/table.md": """\
            ---
            title: Table
            ---

            | Shown | As |
            |-------|----|
            | ![[pic.png\\|100]] | ![[pic.png#outline\\|100x80]] |

            ![[pic.png#outline]] and [[pic.png\\|a link to a file is text]].
            """,
    }
    build = build_dossier(files)
    assert build.returncode == 0, build.log
    assert [w for w in build.warnings() if "dossier" in w or "mention" in w] == []
    page = build.page("notes/table.html")
    assert re.findall(r'<img class="dossier-file"[^>]*>', page) == [
        '<img class="dossier-file" src="../img/pic.png" alt="" width="100">',
        '<img class="dossier-file" src="../img/pic.png" alt="" width="100" height="80">',
        '<img class="dossier-file" src="../img/pic.png" alt="">',
    ]
    assert "<td>" in page and "pic.png#outline" not in page


def test_a_labels_inline_markdown_shows_in_headings_and_unresolved_mentions(tmp_path: Path):
    write_tree(
        tmp_path,
        {
            "content/a.md": (
                "---\ntitle: A\n---\n\n## About [[Ana Ruiz|the `mayor` *herself*]]\n\n"
                "[[Nobody Known|`code` here]] and [[Ana Ruiz|**bold** name]].\n"
            ),
            "dossier/people/ana-ruiz.md": "---\nname: Ana Ruiz\n---\n",
        },
    )
    build = run_build(tmp_path)
    assert build.returncode == 0, build.log
    page = (build.site / "a.html").read_text(encoding="utf-8")
    heading = re.search(r"<h2[^>]*>(.*?)</h2>", page, re.S)
    assert heading is not None
    assert "the <code>mayor</code> <em>herself</em>" in heading.group(1)
    assert "<code>code</code> here" in page  # the unresolved mention's label, as text reads
    assert "&#96;" not in page and "`" not in page.split("<article")[1].split("</article>")[0]
    assert "<strong>bold</strong> name</a>" in page
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', page, re.S)
    assert toc is not None and "About the mayor herself" in " ".join(
        re.sub(r"<[^>]+>", " ", toc.group(0)).split()
    )
