"""Markdown written by others (tests/realworld, sources and licences in its README),
built with the plugin and without it.

- No traceback, and every `article#anchor` an entity page links to exists.
- Differential: each page's content built with the plugin equals the same page built
  without it from sources where only the mentions were replaced (a resolved mention by a
  placeholder word, an unresolved one or one where markup cannot go by its label): the
  plugin changes nothing outside the mentions themselves.
- Wikipedia's `[[1]](#cite_note-1)` citations stay links.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from mkdocs_dossier.names import slugify
from mkdocs_dossier.pages.html import md_escape
from mkdocs_dossier.pipeline import load_dossier
from mkdocs_dossier.read import frontmatter
from mkdocs_dossier.read.grammar import scan
from mkdocs_dossier.read.sources import Project
from sitebuild import run_build

CORPUS = Path(__file__).parent / "realworld"
PLACEHOLDER = "DOSSIERMENTION"


def _pages(docs: Path) -> list[tuple[str, str]]:
    return sorted((p.relative_to(docs).as_posix(), str(p)) for p in docs.rglob("*.md"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(project, dossier, with plugin, without plugin) for the corpus."""
    root = tmp_path_factory.mktemp("realworld")
    shutil.copytree(CORPUS / "docs", root / "docs")
    config = (CORPUS / "mkdocs.yml").read_text(encoding="utf-8")
    config += "use_directory_urls: false\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    # An entry for every plain name the pages mention, so their mentions become links.
    names: dict[str, str] = {}
    for _, path in _pages(root / "docs"):
        text, fm = frontmatter.read(Path(path).read_bytes(), path)
        for mention in scan(fm.body, path).mentions:
            if mention.target.type is None:
                names.setdefault(slugify(mention.target.name), mention.target.name)
    folder = root / "dossier" / "organizations"
    folder.mkdir(parents=True)
    for slug, name in names.items():
        (folder / f"{slug}.md").write_text(f"---\nname: {name!r}\n---\n", encoding="utf-8")
    with_plugin = run_build(root)
    project = Project(root, root / "docs", root / "dossier", root / "dossier" / "geocache.yml")
    dossier = load_dossier(project, _pages(root / "docs"), locate=False)

    # The same pages without the plugin, only the mentions replaced.
    plain = tmp_path_factory.mktemp("realworld-plain")
    shutil.copytree(CORPUS / "docs", plain / "docs")
    for article in dossier.articles:
        edits = []
        for mention in article.mentions:
            if mention.in_front_matter:
                continue
            resolved = (
                (mention.entity_id is not None and mention.anchor)
                or (mention.page is not None and (mention.page or mention.target.fragment))
                or mention.file
            )
            shown = mention.label
            if mention.file is not None:
                shown = article.body[mention.start : mention.end]  # not found: as written
            edits.append(
                (mention.start, mention.end, PLACEHOLDER if resolved else md_escape(shown))
            )
        edits.extend((s, e, md_escape(label)) for s, e, label in article.rewrites if label)
        body = article.body
        parts, pos = [], 0
        for start, end, text in sorted(edits):
            parts += [body[pos:start], text]
            pos = end
        parts.append(body[pos:])
        path = plain / "docs" / article.src_uri
        original = path.read_text(encoding="utf-8")
        head = original[: len(original) - len(body)] if original.endswith(body) else ""
        path.write_text(head + "".join(parts), encoding="utf-8")
    plain_config = config.replace("  - dossier\n", "")
    assert plain_config != config
    without = run_build(plain, config=plain_config)
    return project, dossier, with_plugin, without


_CONTENT = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
_MENTION = re.compile(
    r'<span class="dossier-embed[^"]*">.*?<span class="dossier-embed-type">[^<]*</span>'
    r'(?:<span class="dossier-embed-summary">[^<]*</span>)?</span>'
    r'|<a class="dossier-(?:mention|page-link)[^"]*"[^>]*>.*?</a>'
    r'|<span class="dossier-mention[^"]*"[^>]*>.*?</span>'
    r'|<img class="dossier-file"[^>]*>',
    re.S,
)
_HEADING_ID = re.compile(r'(<h[1-6]) id="[^"]*"')
_PERMALINK = re.compile(r'<a class="headerlink" href="#[^"]*"')
_PANEL = re.compile(
    r'<aside class="dossier-panel".*|<script type="application/ld\+json">.*'
    r'|<div id="dossier-cards"[^>]*></div>',
    re.S,
)
# The article header: its title is the theme's <h1> (what the page shows without the
# plugin); the rest (byline, dates, tags) is the plugin's own.
_HEADER = re.compile(r'<header class="dossier-article-header">.*?</header>', re.S)
_H1 = re.compile(r"<h1>.*?</h1>", re.S)


def _content(page: str) -> str:
    match = _CONTENT.search(page)
    assert match, "no article content"
    text = _HEADER.sub(lambda m: "".join(_H1.findall(m.group(0))), match.group(1))
    text = _PANEL.sub("", text)
    text = _MENTION.sub(PLACEHOLDER, text)
    text = _HEADING_ID.sub(r"\1", text)
    text = _PERMALINK.sub('<a class="headerlink"', text)
    text = html.unescape(text).replace("\u00b6", "")
    return re.sub(r"[ \t]*\n\s*", "\n", text).strip()


def test_the_corpus_builds_without_a_traceback(builds):
    _, dossier, with_plugin, without = builds
    assert with_plugin.returncode == 0, with_plugin.log[-3000:]
    assert without.returncode == 0, without.log[-3000:]
    assert "Traceback" not in with_plugin.log
    assert len(dossier.articles) >= 60
    assert sum(len(a.mentions) for a in dossier.articles) >= 200


def test_the_plugin_changes_nothing_outside_the_mentions(builds):
    _, dossier, with_plugin, without = builds
    differing = []
    for article in dossier.articles:
        rel = article.src_uri[:-3] + ".html"
        if rel.rsplit("/", 1)[-1].lower() == "readme.html":
            rel = rel[: -len("readme.html")] + "index.html"
        a = _content(with_plugin.page(rel))
        b = _content(without.page(rel))
        if a != b:
            differing.append(rel)
    assert differing == []


def test_every_anchor_an_entity_page_links_to_exists(builds):
    _, _, with_plugin, _ = builds
    site = with_plugin.site
    ids: dict[Path, set[str]] = {}
    missing = []
    checked = 0
    for page in (site / "organizations").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#]+\.html)#(m-[^"]+)"', text):
            target = (page.parent / unquote(html.unescape(href[0]))).resolve()
            if target not in ids:
                found = target.read_text(encoding="utf-8") if target.exists() else ""
                ids[target] = set(re.findall(r'id="([^"]+)"', found))
            checked += 1
            if href[1] not in ids[target]:
                missing.append((page.name, href))
    assert checked >= 100
    assert missing == []


def test_wikipedia_citations_stay_links(builds):
    _, _, with_plugin, _ = builds
    page = with_plugin.page("wikipedia/planning-poker.html")
    assert re.search(r'<a href="#cite_note-1">\[1\]</a>', page)
    assert "(#cite_note-1)" not in page


_DIAGNOSTIC = re.compile(
    r"^WARNING -  (docs/.+?\.md):(\d+):(\d+): (?:warning|error): (.*) \[([a-z-]+)\]$"
)
#: Codes about one `[[...]]`: their position is where it opens.
_AT_MENTION = {
    "unresolved-mention",
    "protected-mention",
    "unclosed-mention",
    "empty-mention",
    "missing-file",
    "unknown-type",
}


def test_diagnostics_point_at_what_they_are_about(builds):
    project, _, with_plugin, _ = builds
    checked: dict[str, int] = {}
    wrong = []
    for line in with_plugin.log.splitlines():
        found = _DIAGNOSTIC.match(line)
        if found is None:
            continue
        path, row, col, message, code = found.groups()
        lines = (project.root / path).read_text(encoding="utf-8").split("\n")
        at = lines[int(row) - 1][int(col) - 1 :]
        if code in _AT_MENTION:
            ok = at.startswith(("[[", "![[")) and (
                code != "missing-file" or message.split('"')[1] in at
            )
        else:  # a front-matter field: the position is on its value
            ok = bool(at.strip())
        checked[code] = checked.get(code, 0) + 1
        if not ok:
            wrong.append((line, at[:40]))
    assert wrong == []
    assert {"protected-mention", "unclosed-mention", "missing-file", "bad-field"} <= set(checked)
