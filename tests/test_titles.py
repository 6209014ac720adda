"""A page without `title:` is titled as MkDocs titles it (first H1, then the file name),
everywhere the dossier names it: checked against MkDocs' own Page.title, and in a build."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs_dossier.read.articles import read_article
from mkdocs_dossier.read.titles import page_title

# src_uri -> Markdown body: the ways a page starts that decide MkDocs' title.
PAGES = {
    "atx.md": "# Plain title\n\ntext",
    "no-space.md": "#NoSpace\n",
    "blanks.md": "\n\n  \n# After blanks #\n",
    "setext.md": "Setext Title\n===\n\nbody",
    "setext-h2.md": "Setext two\n---\n",
    "h2-first.md": "## Sub first\n# Then h1",
    "para-first.md": "Intro para\n\n# Later",
    "markup.md": "# *Emph* and **strong** and `code *x*` and [link](x.md) and ![alt](i.png)",
    "entities.md": "# A & B &amp; C < D",
    "escapes.md": "# Escaped \\*stars\\* and \\# hash",
    "comment-first.md": "<!-- c -->\n# After comment",
    "reference-first.md": "[ref]: http://example.com\n# After reference",
    "reference-link.md": "# [ref link][ref]\n\n[ref]: http://example.com",
    "inline-html.md": "# Title <small>tag</small>",
    "indented.md": "    # indented code",
    "empty-h1.md": "#\n",
    "closing-hashes.md": "# Trailing hashes ###\n",
    "underscores.md": "# snake_case_name and _under_",
    "attr-list.md": "# Title {#custom-id}",
    "two-lines.md": "# Heading\nwith second line",
    "list-first.md": "* list\n\n# h",
    "autolink.md": "# Autolink <http://example.com>",
    "my-page.md": "no heading here",
    "notitle.md": "",
    "Mixed_Case-name.md": "",
    "README.md": "",
    "sub/index.md": "",
}


def mkdocs_title(tmp_path: Path, src_uri: str, body: str) -> str:
    """The title MkDocs itself gives the page (a Material site's extensions on)."""
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "t",
            "docs_dir": str(tmp_path),
            "markdown_extensions": ["toc", "tables", "fenced_code", "attr_list"],
        }
    )
    config.validate()
    path = tmp_path / src_uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    file = File(src_uri, str(tmp_path), str(tmp_path / "site"), False)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    assert page.title is not None
    return html.unescape(page.title)  # MkDocs' title is HTML; ours is text


@pytest.mark.parametrize(("src_uri", "body"), list(PAGES.items()))
def test_title_is_the_one_mkdocs_gives(tmp_path: Path, src_uri: str, body: str):
    assert page_title(body, src_uri) == mkdocs_title(tmp_path, src_uri, body)


@pytest.mark.parametrize(
    ("src_uri", "title"),
    [("notitle.md", "Notitle"), ("my-page.md", "My page"), ("index.md", "Home")],
)
def test_file_names_become_titles(src_uri: str, title: str):
    assert page_title("Some text.\n", src_uri) == title


def test_a_mention_in_the_h1_counts_as_its_label():
    assert page_title("# [[Ana Ruiz|The mayor]] speaks", "a.md") == "The mayor speaks"
    assert page_title("# [[person:Tom Oduya]] arrives", "a.md") == "Tom Oduya arrives"
    assert page_title("# [[Ana *Ruiz*]] and \\[[x]]", "a.md") == "Ana Ruiz and [[x]]"
    assert page_title("# [[nope:X]]", "a.md") == "[[nope:X]]"  # unknown type: no mention


def test_article_model_takes_the_title_front_matter_h1_file_name():
    def title(text: str, src_uri: str = "news/notitle.md") -> str:
        source = read_article(text.encode(), src_uri, f"content/{src_uri}")
        return source.article.title

    assert title("---\ntitle: Given\n---\n# Heading\n") == "Given"
    assert title("---\ndate: 2021-01-01\n---\n\n# The *heading*\n") == "The heading"
    assert title("---\ndate: 2021-01-01\n---\n\nNo heading.\n") == "Notitle"
    assert title("Text.\n", "news/my-page.md") == "My page"


FILES = {
    "content/index.md": "# Home\n",
    "content/news/notitle.md": """\
        ---
        date: 2021-03-04
        ---

        [[Ana Ruiz]] visited [[Riverton]] on Monday.
        """,
    "content/news/headed.md": """\
        ---
        date: 2021-03-05
        ---

        # [[Ana Ruiz|Mayor Ruiz]] opens the *bridge* & more

        [[Ana Ruiz]] was in [[Riverton]] again.
        """,
    "dossier/people/ana-ruiz.md": "---\nname: Ana Ruiz\n---\n",
    "dossier/places/riverton.md": "---\nname: Riverton\ncoordinates: [10.5, 20.25]\n---\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitebuild import run_build, write_tree

    root = tmp_path_factory.mktemp("titles")
    write_tree(root, FILES)
    build = run_build(root)
    assert build.returncode == 0, build.log
    return build


def test_dossier_json_has_the_mkdocs_titles(site):
    data = json.loads((site.site / "dossier.json").read_text(encoding="utf-8"))
    titles = {a["url"]: a["title"] for a in data["articles"]}
    assert titles == {
        "news/notitle.html": "Notitle",
        "news/headed.html": "Mayor Ruiz opens the bridge & more",
    }


def _jsonld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_jsonld_headline_and_the_page_title_agree(site):
    for path, title in [
        ("news/notitle.html", "Notitle"),
        ("news/headed.html", "Mayor Ruiz opens the bridge & more"),
    ]:
        page = site.page(path)
        assert _jsonld(page)["headline"] == title
        # MkDocs titled the page the same way.
        shown = re.search(r"<title>(.*?)</title>", page)
        assert shown is not None and html.unescape(shown.group(1)) == f"{title} - Test dossier"


def test_entity_pages_and_related_articles_name_articles_by_title(site):
    person = site.page("people/ana-ruiz.html")
    assert ">Notitle</a>" in person
    assert ">Mayor Ruiz opens the bridge &amp; more</a>" in person
    assert "notitle.md" not in person and "headed.md" not in person
    related = site.page("news/headed.html").split('id="dossier-related-articles"')[1]
    assert ">Notitle</a>" in related
    assert "notitle.md" not in related


# H1s where the one grammar (read/grammar.py) and a simpler reading of `[[...]]` differ.
TRICKY_H1S = [
    "[[Ana Ruiz|Title [with] brackets]] speaks",  # balanced brackets in the label
    "[[1]] and [[Ana Ruiz]](x.md) and [[1, 2], [3, 4]]",  # prose and link text, no mentions
    "[[Ana Ruiz|`code` label]] and [[Nobody|*emphasis*]]",  # labels as a heading shows them
    "[[Ana Ruiz#Early life]] and [[#Local]] and [[https://example.org]]",
    "[see [[Ana Ruiz|her]]](https://example.org) and [[ stray",  # label only; a stray [[
]


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory):
    from sitebuild import run_build, write_tree

    root = tmp_path_factory.mktemp("tricky-titles")
    files = {
        "content/index.md": "# Home\n",
        "dossier/people/ana-ruiz.md": FILES["dossier/people/ana-ruiz.md"],
    }
    for number, heading in enumerate(TRICKY_H1S):
        files[f"content/t{number}.md"] = f"# {heading}\n\n## Local\n\nText on [[Ana Ruiz]].\n"
    write_tree(root, files)
    build = run_build(root)
    assert build.returncode == 0, build.log
    return build


def test_a_heading_title_agrees_with_mkdocs_where_the_grammar_is_subtle(tricky_site):
    data = json.loads((tricky_site.site / "dossier.json").read_text(encoding="utf-8"))
    listed = {a["url"]: a["title"] for a in data["articles"]}
    for number in range(len(TRICKY_H1S)):
        url = f"t{number}.html"
        page = tricky_site.page(url)
        shown = re.search(r"<title>(.*?)</title>", page)
        assert shown is not None
        assert f"{listed[url]} - Test dossier" == html.unescape(shown.group(1)), url
        assert _jsonld(page)["headline"] == listed[url]
