"""`dossier import` (README, "Import articles"): saved pages, folders, feeds and URLs
become article files with their front matter; nothing is overwritten or imported twice.

The saved pages are real ones from four publishers (tests/importing/README.md); the
feed and the web pages are served on 127.0.0.1 by a scripted server, including a slow
one and a failing one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import frontmatter
import markdown
import pytest
from mkdocs_dossier.cli import main
from mkdocs_dossier.importing.extract import extract_article, tidy_markdown
from sitebuild import MKDOCS

HERE = Path(__file__).resolve().parent
PAGES = HERE / "importing"
DOSSIER = str(Path(sys.executable).parent / "dossier")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

WIKIMEDIA = PAGES / "wikimediafoundation.org.turkey.html"
PYTHON_BLOG = PAGES / "blog.python.org.html"
WIKIPEDIA = PAGES / "en.wikipedia.org.tsne.html"
CREATIVE_COMMONS = PAGES / "creativecommons.org.html"

#: A page written for these tests: it names entries of the site `dossier init` makes.
FERRY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Ferry strike ends in Rotterdam | Harbour Daily</title>
<meta property="og:title" content="Ferry strike ends in Rotterdam">
<meta property="og:site_name" content="Harbour Daily">
<meta property="og:description" content="Crews return after a week.">
<meta name="author" content="Jo Smit">
<meta property="article:published_time" content="2024-06-10T08:00:00Z">
<link rel="canonical" href="{url}">
</head><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>Ferry strike ends in Rotterdam</h1>
<p>The week-long strike at the Maas Ferry Company ended on Monday, when crews in
Rotterdam voted to accept the new rota. Ana Ruiz, the company's director, thanked the
passengers for their patience.</p>
<h2>What changes</h2>
<ul><li>Night crossings resume on Tuesday.</li><li>Fares stay as they were.</li></ul>
<blockquote><p>We are glad to be back on the water.</p></blockquote>
<p>Read <a href="https://example.org/rota">the new rota</a> for the details.</p>
</article><footer>© Harbour Daily</footer></body></html>
"""


def ferry_page(url: str) -> bytes:
    return FERRY_PAGE.format(url=url).encode("utf-8")


# --- a scripted web server on 127.0.0.1 -------------------------------------------------


@dataclass
class Reply:
    """One scripted answer to a path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    trickle: float = 0.0  # if set, the body goes one byte per this many seconds
    headers: tuple[tuple[str, str], ...] = ()


class WebServer:
    """A real HTTP server on a free port: each path answers from its script (the last
    reply repeating) and every request is recorded with its User-Agent."""

    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                replies = server.script.get(self.path) or [Reply(404, b"not found")]
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply.delay and server.release.wait(reply.delay):
                    return
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    self.end_headers()
                    if not reply.trickle:
                        self.wfile.write(reply.body)
                    for index in range(len(reply.body) if reply.trickle else 0):
                        if server.release.wait(reply.trickle):
                            return
                        self.wfile.write(reply.body[index : index + 1])
                        self.wfile.flush()
                except OSError:  # the client gave up
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, path: str, *replies: Reply) -> str:
        """Script `path`; its full URL."""
        self.script[path] = list(replies)
        return self.url + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebServer]:
    """A running WebServer; proxies cleared so requests stay on 127.0.0.1."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    server = WebServer()
    server.thread.start()
    yield server
    server.release.set()
    server.httpd.shutdown()
    server.httpd.server_close()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (title, link, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for title, link, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Harbour Daily</title><link>https://example.org/</link>{entries}"
        "</channel></rss>"
    ).encode()


# --- a new site, and the command run in it ----------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A dossier made by `dossier init` (its one article has no `url`)."""
    root = tmp_path / "site"
    assert main(["init", str(root)]) == 0
    return root


def dossier_import(site: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(site / "mkdocs.yml"), "import", "--delay", "0", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def articles(site: Path) -> dict[str, frontmatter.Post]:
    """The new site's articles other than its example, by file name."""
    folder = site / "docs" / "articles"
    return {
        p.name: frontmatter.load(p)
        for p in sorted(folder.glob("*.md"))
        if p.name != "2024-05-02-night-ferry-returns.md"
    }


# --- extraction from real pages ----------------------------------------------------------


def test_news_page_gives_every_field_and_its_paragraphs_with_links():
    article = extract_article(WIKIMEDIA.read_bytes())
    assert article.front_matter() == {
        "title": "Access to Wikipedia restored in Turkey after more than two and a half years",
        "date": "2020-01-15",
        "source": "Wikimedia Foundation",
        "authors": ["Wikimedia Foundation"],
        "url": "https://wikimediafoundation.org/news/2020/01/15/access-to-wikipedia-restored-"
        "in-turkey-after-more-than-two-and-a-half-years/",
        "summary": article.summary,
    }
    assert article.summary.startswith("Today, on Wikipedia’s 19th birthday")
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Today, on Wikipedia’s 19th birthday")
    assert "“We are thrilled to be reunited with the people of Turkey,” said Katherine Maher" in (
        article.body
    )
    assert (
        "[26 December 2019 ruling](https://wikimediafoundation.org/news/2019/12/26/"
        in paragraphs[0]
    )
    assert len(paragraphs) >= 6
    assert article.missing() == []


def test_blogger_sentence_cut_at_a_link_is_joined_again():
    """Blogger writes text loose in a div; trafilatura breaks the paragraph where a link
    begins and drops the space after it."""
    article = extract_article(PYTHON_BLOG.read_bytes())
    assert (article.title, article.date, article.authors) == (
        "Python 3.6.0 is now available!",
        "2016-12-23",
        ["Ned Deily"],
    )
    assert (
        "See [the What’s New In Python 3.6 document]"
        "(https://docs.python.org/3.6/whatsnew/3.6.html) for more information." in article.body
    )
    assert "You can download Python 3.6.0 [here](" in article.body
    assert "\u00a0" not in article.body


def test_encyclopedia_page_keeps_headings_and_lists_without_page_chrome():
    article = extract_article(WIKIPEDIA.read_bytes())
    assert article.title == "T-distributed stochastic neighbor embedding"
    assert (
        article.url == "https://en.wikipedia.org/wiki/T-distributed_stochastic_neighbor_embedding"
    )
    body = article.body
    assert "\n## Software" in body and "\n## References" in body
    assert "\n- [ELKI](https://en.wikipedia.org/wiki/ELKI) contains tSNE" in body
    assert "\n1. ^" in body  # the numbered references
    assert "Jump to navigation" not in body  # a skip link, to a spot on the page
    assert "#cite_note" not in body  # note markers linking down the page
    assert not body.startswith("# ")  # the title is the page's, not repeated
    assert "action=edit&section=1" in body and "§ion" not in body
    assert "missing" not in article.missing() and article.missing() == [
        "no authors",
        "no description",
    ]


def test_site_page_keeps_its_headings_and_links():
    article = extract_article(CREATIVE_COMMONS.read_bytes())
    assert (article.title, article.source, article.url) == (
        "What we do - Creative Commons",
        "Creative Commons",
        "https://creativecommons.org/about/",
    )
    assert article.body.startswith("## What is Creative Commons?\n\n")
    assert "[staff, board](https://creativecommons.org/about/team/)" in article.body


def test_tidy_puts_back_what_extraction_gets_wrong():
    page = "https://news.example/a"
    raw = (
        "# Title\n\n[Skip to content](https://news.example#main)\n\n"
        "Read\n\n[the report](https://x.example/r?id=1\u00a7ion=2)for more.\n\n"
        "- a list\n\n- stays\n"
    )
    assert tidy_markdown(raw, page, "Title") == (
        "Read [the report](https://x.example/r?id=1&section=2) for more.\n\n- a list\n\n- stays\n"
    )


def test_markup_written_in_a_page_stays_text():
    """A page's text saying `<img onerror=...>` must not become a tag in the article."""
    page = (
        "<html><head><title>Tags</title></head><body><article><h1>Tags</h1><p>Readers wrote"
        " &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt; in"
        " the comments of this paragraph, which is long enough for the extractor to keep."
        ' See <a href="javascript:alert(3)">the form</a> and <a href="data:text/html,x">'
        "this</a>; 2<sup>10</sup> is 1024.</p></article></body></html>"
    )
    body = extract_article(page.encode(), "https://news.example/tags").body
    rendered = markdown.markdown(body)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;img src=x onerror=alert(2)&gt;" in rendered
    assert "javascript:" not in body and "data:" not in body
    assert "2<sup>10</sup> is 1024" in rendered


def test_tidy_keeps_only_web_mail_and_page_links():
    raw = "[a](javascript:alert(1)) [b](data:text/html,x) [c](mailto:desk@example.org)"
    assert tidy_markdown(raw, None, None) == "a b [c](mailto:desk@example.org)\n"


# --- the command --------------------------------------------------------------------------


def test_folder_import_writes_articles_that_build_strict_and_pass_check(site: Path, capsys):
    code, out, err = dossier_import(site, capsys, str(PAGES))
    assert code == 0, err
    written = articles(site)
    assert sorted(written) == [
        "2013-06-23-t-distributed-stochastic-neighbor-embedding.md",
        "2016-05-22-what-we-do-creative-commons.md",
        "2016-12-23-python-3-6-0-is-now-available.md",
        "2020-01-15-access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years.md",
    ]
    news = written[
        "2020-01-15-access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years.md"
    ]
    assert list(news.metadata) == ["title", "date", "source", "authors", "url", "summary"]
    assert str(news.metadata["date"]) == "2020-01-15"
    assert "docs/articles/2016-12-23-python-3-6-0-is-now-available.md: imported from " in out
    assert "2013-06-23-t-distributed-stochastic-neighbor-embedding.md: note: no authors, no " in err
    assert "dossier import: 4 articles imported, 0 already in the dossier, 0 not imported" in err

    check = subprocess.run(
        [DOSSIER, "check", "--strict"], cwd=site, env=ENV, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    build = subprocess.run(
        [*MKDOCS, "build", "--strict"], cwd=site, env=ENV, capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    page = (site / "site" / "articles" / "2016-12-23-python-3-6-0-is-now-available.html").read_text(
        encoding="utf-8"
    )
    assert 'href="https://docs.python.org/3.6/whatsnew/3.6.html"' in page


def test_an_article_already_in_the_dossier_is_skipped(site: Path, capsys):
    assert dossier_import(site, capsys, str(WIKIMEDIA))[0] == 0
    before = {name: post.content for name, post in articles(site).items()}
    code, out, err = dossier_import(site, capsys, str(WIKIMEDIA))
    assert code == 0  # nothing failed: it is there already
    assert out == ""
    assert f"{WIKIMEDIA}: skipped: already in the dossier: docs/articles/2020-01-15-" in err
    assert {name: post.content for name, post in articles(site).items()} == before


def test_a_taken_file_name_is_never_overwritten(site: Path, capsys):
    """Same date and title, another article (its own url): a numbered name."""
    folder = site / "docs" / "articles"
    taken = folder / "2016-12-23-python-3-6-0-is-now-available.md"
    taken.write_text("---\ntitle: Mine\n---\n\nMy notes.\n", encoding="utf-8")
    code, out, _ = dossier_import(site, capsys, str(PYTHON_BLOG))
    assert code == 0
    assert taken.read_text(encoding="utf-8") == "---\ntitle: Mine\n---\n\nMy notes.\n"
    assert "docs/articles/2016-12-23-python-3-6-0-is-now-available-2.md: imported" in out


def test_nothing_imported_exits_non_zero_and_says_why(site: Path, capsys, tmp_path: Path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Menu</title></head><body></body></html>")
    code, out, err = dossier_import(site, capsys, str(empty), str(tmp_path / "absent.html"))
    assert code == 1
    assert out == ""
    assert f"{empty}: error: no article text found in the page" in err
    assert "absent.html: error: no such file or folder, and not an http(s) URL" in err
    assert articles(site) == {}


def test_new_files_get_annotate_suggestions(site: Path, capsys, tmp_path: Path):
    page = tmp_path / "ferry.html"
    page.write_bytes(ferry_page("https://harbour.example/ferry-strike-ends"))
    code, out, err = dossier_import(site, capsys, str(page))
    assert code == 0, err
    name = "docs/articles/2024-06-10-ferry-strike-ends-in-rotterdam.md"
    assert f"{name}: imported from {page}" in out
    # `dossier annotate`'s own lines, for the entries `dossier init` wrote.
    suggestions = [line for line in out.splitlines() if line.endswith("[annotate]")]
    assert any('note: "Rotterdam" could be [[Rotterdam]]' in line for line in suggestions)
    assert any('note: "Ana Ruiz" could be [[Ana Ruiz]]' in line for line in suggestions)
    assert all(line.startswith(f"{name}:") for line in suggestions)
    post = frontmatter.load(site / name)
    assert post.metadata["source"] == "Harbour Daily"
    assert post.metadata["authors"] == ["Jo Smit"]
    assert "## What changes" in post.content
    assert "- Night crossings resume on Tuesday." in post.content
    assert "> We are glad to be back on the water." in post.content


def test_without_the_extra_it_says_what_to_install(site: Path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if not installed
    code, out, err = dossier_import(site, capsys, str(WIKIMEDIA))
    assert code == 2
    assert out == ""
    assert err == (
        "dossier import: needs trafilatura, which the optional extra brings: "
        "pip install 'mkdocs-dossier[import]'\n"
    )


# --- over HTTP ---------------------------------------------------------------------------


def test_feed_entries_are_fetched_and_known_ones_not_asked_for(site: Path, capsys, web):
    first = web.on("/news/ferry", Reply(body=ferry_page(web.url + "/news/ferry")))
    known = web.on("/news/old", Reply(body=b"never asked for"))
    (site / "docs" / "articles" / "old.md").write_text(
        f"---\ntitle: Old\ndate: 2024-01-01\nurl: {known}/\n---\n\nOld news.\n",
        encoding="utf-8",
    )
    feed = web.on(
        "/feed.xml",
        Reply(
            body=rss(
                [
                    ("Ferry strike ends", "/news/ferry", "Mon, 10 Jun 2024 08:00:00 GMT"),
                    ("Old", known, "Mon, 01 Jan 2024 08:00:00 GMT"),
                ]
            ),
            content_type="application/rss+xml",
        ),
    )
    code, out, err = dossier_import(site, capsys, feed)
    assert code == 0, err
    assert f"imported from {feed} -> {first}" in out
    assert f"{feed} -> {known}: skipped: already in the dossier: docs/articles/old.md" in err
    assert web.paths() == ["/feed.xml", "/news/ferry"]
    agents = {agent for _, agent in web.requests}
    assert len(agents) == 1 and agents.pop().startswith("mkdocs-dossier/")
    assert "2024-06-10-ferry-strike-ends-in-rotterdam.md" in articles(site)


def atom(title: str, link: str, updated: str) -> bytes:
    """An Atom feed of one entry."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Harbour Daily</title><id>urn:uuid:1</id><updated>2024-06-10T08:00:00Z</updated>"
        f'<entry><title>{title}</title><link href="{link}"/><id>urn:uuid:2</id>'
        f"<updated>{updated}</updated></entry></feed>"
    ).encode()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_saved_feed_file_fetches_its_entries(site: Path, capsys, web, tmp_path: Path, kind):
    link = web.on("/a", Reply(body=ferry_page(web.url + "/a")))
    feed = tmp_path / f"saved.{kind}"
    if kind == "rss":
        feed.write_bytes(rss([("Ferry", link, "Mon, 10 Jun 2024 08:00:00 GMT")]))
    else:
        feed.write_bytes(atom("Ferry", link, "2024-06-10T08:00:00Z"))
    code, out, err = dossier_import(site, capsys, str(feed))
    assert code == 0, err
    assert f"imported from {feed} -> {link}" in out


def test_a_failing_server_is_retried_after_its_retry_after(site: Path, capsys, web):
    url = web.on(
        "/busy",
        Reply(503, b"busy", headers=(("Retry-After", "0"),)),
        Reply(body=ferry_page("https://harbour.example/busy")),
    )
    code, out, err = dossier_import(site, capsys, url)
    assert code == 0, err
    assert "HTTP 503 from the server; retry 1/2 in 0 s" in err
    assert web.paths() == ["/busy", "/busy"]
    assert "imported from " + url in out


def test_a_server_that_keeps_failing_is_given_up_on(site: Path, capsys, web):
    url = web.on("/down", Reply(500, b"oops"))
    missing = web.on("/gone", Reply(404, b"gone"))
    code, out, err = dossier_import(site, capsys, "--retries", "1", url, missing)
    assert code == 1
    assert f"{url}: error: HTTP 500 from the server (gave up after 2 attempts)" in err
    assert f"{missing}: error: HTTP 404 Not Found" in err
    assert web.paths() == ["/down", "/down", "/gone"]  # a 404 is not retried
    assert out == ""


def test_a_slow_server_times_out(site: Path, capsys, web):
    url = web.on("/slow", Reply(delay=30, body=ferry_page("https://harbour.example/slow")))
    started = time.monotonic()
    code, _, err = dossier_import(site, capsys, "--timeout", "0.5", "--retries", "1", url)
    assert time.monotonic() - started < 10
    assert code == 1
    assert "timed out after 0.5 s; retry 1/1 in 1 s" in err
    assert f"{url}: error: timed out after 0.5 s (gave up after 2 attempts)" in err


def test_a_page_without_a_date_is_imported_without_one(site: Path, capsys, tmp_path: Path):
    page = tmp_path / "undated.html"
    undated = FERRY_PAGE.replace(
        '<meta property="article:published_time" content="2024-06-10T08:00:00Z">\n', ""
    )
    page.write_bytes(undated.format(url="https://harbour.example/undated").encode())
    code, out, err = dossier_import(site, capsys, str(page))
    assert code == 0, err
    name = "docs/articles/ferry-strike-ends-in-rotterdam.md"
    assert f"{name}: imported from {page}" in out
    assert f"{name}: note: no publication date in the page; add by hand" in err
    assert "date" not in frontmatter.load(site / name).metadata


def test_a_feed_without_entries_is_an_error(site: Path, capsys, tmp_path: Path):
    feed = tmp_path / "empty.xml"
    feed.write_bytes(rss([]))
    code, _, err = dossier_import(site, capsys, str(feed))
    assert code == 1
    assert f"{feed}: error: a feed without entries" in err


def test_a_trickling_server_cannot_hold_a_request_past_its_deadline(site: Path, capsys, web):
    """Each byte comes well within a read timeout; only the one deadline stops it."""
    body = ferry_page("https://harbour.example/trickle")
    url = web.on("/trickle", Reply(body=body, trickle=0.05))  # would take over 80 s
    started = time.monotonic()
    code, _, err = dossier_import(site, capsys, "--timeout", "1", "--retries", "0", url)
    assert time.monotonic() - started < 5
    assert code == 1
    assert f"{url}: error: no complete answer within 1 s (gave up after 1 attempt)" in err


def test_what_is_not_a_page_is_not_read(site: Path, capsys, web):
    url = web.on("/report.pdf", Reply(body=b"%PDF-1.7", content_type="application/pdf"))
    code, _, err = dossier_import(site, capsys, url)
    assert code == 1
    assert f"{url}: error: not a web page or feed (application/pdf)" in err


def test_the_folder_must_be_inside_docs_dir(site: Path, capsys):
    code, _, err = dossier_import(site, capsys, "--folder", "../elsewhere", str(WIKIMEDIA))
    assert code == 2
    assert err == "dossier import: --folder ../elsewhere is outside docs_dir\n"
