"""What a page tells search engines and link previews: meta descriptions, canonical,
Open Graph and Twitter tags, sitemap.xml, typed JSON-LD authors, and a 404 page that
finds its stylesheets from disk and under a project subpath."""

from __future__ import annotations

import html
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest
from mkdocs_dossier.pages.meta import first_sentence, relative_404
from sitebuild import Build, copy_sample, run_build
from test_jsonld_schema import blocks

SITE_URL = "https://example.org/project/"
ARTICLE = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
_META = re.compile(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"')


def head_meta(page: str) -> dict[str, list[str]]:
    """The head's `<meta name|property=... content=...>` values, unescaped, by name."""
    head = page.split("</head>", 1)[0]
    found: dict[str, list[str]] = {}
    for name, content in _META.findall(head):
        found.setdefault(name, []).append(html.unescape(content))
    return found


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Build:
    """The sample built with `site_url` set to a GitHub Pages project address."""
    root = tmp_path_factory.mktemp("published")
    copy_sample(root, "enabled: true")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_url: ""' in config
    (root / "mkdocs.yml").write_text(config.replace('site_url: ""', f"site_url: {SITE_URL}"))
    build = run_build(root, strict=True)
    assert build.returncode == 0, build.log
    return build


def test_stub_description_is_for_readers(sample_site):
    meta = head_meta(sample_site.page("people/ameer-al-mohammedaw.html"))
    assert meta["description"] == [
        "Ameer Al Mohammedaw is mentioned in 1 article of "
        "Dossier: rocket attacks on the U.S. embassy in Baghdad."
    ]
    (block,) = blocks(sample_site.site)["people/ameer-al-mohammedaw.html"]
    assert "no entry yet" not in str(block).lower()
    assert block["description"] == meta["description"][0]


def test_entity_and_article_descriptions(sample_site):
    person = head_meta(sample_site.page("people/mike-pompeo.html"))
    assert person["description"] == ["U.S. Secretary of State (2018-2021)."]
    article = head_meta(sample_site.page(ARTICLE))
    assert article["description"][0].startswith("The United States weighs closing its embassy")
    index = head_meta(sample_site.page("people/index.html"))["description"][0]
    assert index.startswith("8 people in Dossier: rocket attacks")


def test_an_article_without_summary_is_described_by_its_first_sentence(build_dossier):
    build = build_dossier(
        {
            "content/news/a.md": """\
                ---
                title: Bridge
                date: 2024-05-01
                ---

                *Photo: the bridge at dawn.*

                Mayor [[Ana Ruiz]] of the U.S. town opened the bridge on Monday. It took
                three years.
                """,
            "content/news/b.md": """\
                ---
                title: Tunnel
                description: Tunnel <b>works</b> & "delays"
                ---

                The tunnel is late.
                """,
        }
    )
    assert build.returncode == 0, build.log
    first = head_meta(build.page("news/a.html"))["description"]
    assert first == ["Mayor Ana Ruiz of the U.S. town opened the bridge on Monday."]
    # Front matter wins, escaped exactly once for the attribute.
    page = build.page("news/b.html")
    assert head_meta(page)["description"] == ['Tunnel <b>works</b> & "delays"']
    assert "<b>works" not in page.split("</head>")[0]
    # No site_url: no canonical, Open Graph or Twitter tags, and an empty sitemap.
    assert 'rel="canonical"' not in page and "og:" not in page and "twitter:" not in page
    assert "<url>" not in (build.site / "sitemap.xml").read_text(encoding="utf-8")


def test_open_graph_twitter_and_canonical_with_site_url(published):
    page = published.page(ARTICLE)
    url = SITE_URL + ARTICLE
    assert f'<link rel="canonical" href="{url}">' in page
    meta = head_meta(page)
    assert meta["og:type"] == ["article"] and meta["og:url"] == [url]
    assert meta["og:title"] == ["U.S. considering closing Iraqi embassy after rocket attack"]
    assert meta["og:site_name"] == ["Dossier: rocket attacks on the U.S. embassy in Baghdad"]
    assert meta["og:description"] == meta["description"] == meta["twitter:description"]
    assert meta["article:published_time"] == ["2020-12-23"]
    assert meta["twitter:card"] == ["summary"]
    entity = head_meta(published.page("people/mike-pompeo.html"))
    assert entity["og:type"] == ["website"] and entity["og:title"] == ["Mike Pompeo"]
    assert "article:published_time" not in entity


def test_jsonld_addresses_are_absolute_with_site_url(published):
    found = blocks(published.site)
    (person,) = found["people/mike-pompeo.html"]
    assert person["@id"] == SITE_URL + "people/mike-pompeo.html#entity"
    assert person["url"] == SITE_URL + "people/mike-pompeo.html"
    (home,) = found["index.html"]
    items = [e["item"]["url"] for e in home["mainEntity"]["itemListElement"]]
    assert SITE_URL + ARTICLE in items


def test_sitemap_lists_every_page_with_site_url(published):
    sitemap = (published.site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    pages = {
        SITE_URL + p.relative_to(published.site).as_posix()
        for p in published.site.rglob("*.html")
        if p.name != "404.html"
    }
    assert listed == pages
    assert SITE_URL + "people/ameer-al-mohammedaw.html" in listed  # a stub's page
    assert SITE_URL + "places/index.html" in listed


def test_a_byline_is_a_person_and_the_source_an_organization(build_dossier):
    build = build_dossier(
        {
            "content/a.md": """\
                ---
                title: Bridge
                date: 2024-05-01
                source: Daily Planet
                authors: [Lois Lane, Daily Planet, Perry White]
                ---

                Mayor [[Ana Ruiz]] opened the bridge.
                """,
            "dossier/people/perry-white.md": "---\nname: Perry White\n---\n",
        }
    )
    (article,) = blocks(build.site)["a.html"]
    assert article["publisher"] == {"@type": "Organization", "name": "Daily Planet"}
    assert article["author"] == [
        {"@type": "Person", "name": "Lois Lane"},
        {"@type": "Organization", "name": "Daily Planet"},
        {
            "@type": "Person",
            "@id": "people/perry-white.html#entity",
            "url": "people/perry-white.html",
            "name": "Perry White",
        },
    ]


def _asset_urls(page: str) -> list[str]:
    head = page.split("</head>", 1)[0]
    return re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="([^"]+)"', head)


def test_404_addresses_are_relative_without_site_url(sample_site):
    page = sample_site.page("404.html")
    assert not re.search(r'(?:href|src)="/', page)
    assert '"base": "."' in page
    for url in _asset_urls(page):
        assert (sample_site.site / url).is_file(), url


class _ProjectSite(SimpleHTTPRequestHandler):
    """Serves a built site under /project/, with its 404.html for missing pages, as
    GitHub Pages serves a project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith("/project/"):
            return "/nonexistent"
        return super().translate_path(path[len("/project") :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        pass


@contextmanager
def project_server(site: Path) -> Iterator[str]:
    """`http://127.0.0.1:PORT/project/` serving `site`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_ProjectSite, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/project/"
    finally:
        server.shutdown()
        server.server_close()


def _not_found(url: str) -> str:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(url, timeout=10)
    assert raised.value.code == 404
    return raised.value.read().decode("utf-8")


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


@pytest.mark.parametrize(
    ("which", "missing"),
    [
        ("sample", "no-such-page.html"),  # no site_url: relative addresses
        ("published", "no-such-page.html"),  # site_url: rooted at /project/
        ("published", "people/deep/no-such-page.html"),
    ],
)
def test_404_assets_resolve_under_a_project_subpath(request, which, missing):
    build = request.getfixturevalue("sample_site" if which == "sample" else which)
    with project_server(build.site) as base:
        url = base + missing
        page = _not_found(url)
        assets = _asset_urls(page)
        assert any("stylesheets/main" in a for a in assets)
        for asset in assets:
            assert _status(urljoin(url, asset)) == 200, asset


@pytest.mark.parametrize(
    ("html_text", "sentence"),
    [
        ("<p><em>Photo: AP.</em></p><p>It rained. Then it stopped.</p>", "It rained."),
        ("<p>The U.S. Secretary spoke. Later more.</p>", "The U.S. Secretary spoke."),
        (
            "<p>Sen. Graham met Lt. Gen. Smith on Monday. He left.</p>",
            "Sen. Graham met Lt. Gen. Smith on Monday.",
        ),
        ('<p>She said "never." Then left.</p>', 'She said "never."'),
        ("<p>Costs rose 3.5 percent. Prices too.</p>", "Costs rose 3.5 percent."),
        ("<h2>Only a heading</h2>", ""),
    ],
)
def test_first_sentence(html_text, sentence):
    assert first_sentence(html_text) == sentence


def test_a_long_first_sentence_is_cut_at_a_word():
    text = first_sentence("<p>" + "word " * 100 + "</p>")
    assert len(text) <= 200 and text.endswith("word…")


def test_relative_404_keeps_other_addresses():
    page = (
        '<link href="/assets/a.css"><a href="//cdn.example/x">x</a><a href="https://e/">e</a>'
        '<script id="__config" type="application/json">{"base": "/", "search": "/s.js"}'
        "</script>"
    )
    assert relative_404(page) == (
        '<link href="assets/a.css"><a href="//cdn.example/x">x</a><a href="https://e/">e</a>'
        '<script id="__config" type="application/json">{"base": ".", "search": "s.js"}'
        "</script>"
    )
