"""Headless Chromium against the sample site opened from disk (file://).

Every request whose URL is not file:, data: or blob: is aborted and recorded; every
uncaught page error and every file the page asks for but cannot load is recorded too.
Each test ends by asserting all three lists are empty.

When Chromium (or Playwright) is missing the tests are skipped, unless
DOSSIER_REQUIRE_BROWSER=1 (CI sets it), in which case they fail and say why.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

#: Seconds any single wait may take; generous for slow CI, never reached when it works.
TIMEOUT_MS = 15_000


def _browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        hint = f" (found {found}; set DOSSIER_CHROMIUM)" if found else ""
        return (
            f"Chromium not found at {CHROMIUM}{hint}; install it with "
            "`apt-get install chromium` (or `make browser` as root)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed; run `pip install -e '.[test]'`"
    return None


def _require_browser(problem: str | None) -> None:
    if problem is None:
        return
    if os.environ.get("DOSSIER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (DOSSIER_REQUIRE_BROWSER=1) but: {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def site(sample_site) -> Path:
    """The built sample site (tests/conftest.py builds it once with --strict)."""
    assert sample_site.returncode == 0, f"mkdocs build --strict failed:\n{sample_site.log}"
    assert (sample_site.site / "index.html").is_file()
    return sample_site.site


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    _require_browser(_browser_problem())
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as error:
            _require_browser(f"Chromium at {CHROMIUM} did not start: {error}")
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Reader:
    """A browser tab on the site, with what it asked the network for and what broke."""

    page: object
    site: Path
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return (self.site / path).as_uri()

    def open(self, path: str) -> None:
        self.page.goto(self.url(path), wait_until="load")

    def site_path(self, url: str) -> str:
        """`url` (file://...) as a path relative to the site root, without query/hash."""
        root = self.site.as_uri() + "/"
        assert url.startswith(root), f"{url} is outside the site"
        return url[len(root) :].split("#", 1)[0].split("?", 1)[0]

    def check_clean(self) -> None:
        assert self.external == [], f"requests left the disk: {self.external}"
        assert self.errors == [], f"page errors: {self.errors}"
        assert self.missing == [], f"files the pages could not load: {self.missing}"

    def take_problems(self) -> dict[str, list[str]]:
        """What was recorded since the last call (requests off the disk, page errors,
        missing files), emptying the lists: for tabs that open many pages in turn."""
        taken = {
            "requests off the disk": list(self.external),
            "page errors": list(self.errors),
            "files the page could not load": list(self.missing),
        }
        for recorded in (self.external, self.errors, self.missing):
            recorded.clear()
        return taken


def _new_reader(browser, site: Path, **context_options) -> tuple[object, Reader]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    reader = Reader(page, site)

    def route(route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            reader.external.append(url)
            route.abort("blockedbyclient")

    def failed(request) -> None:
        # ERR_ABORTED: the page moved on before a load finished (e.g. the favicon).
        if request.url.startswith("file:") and "ERR_ABORTED" not in (request.failure or ""):
            reader.missing.append(f"{request.url} ({request.failure})")

    # On the context, so frames and the search worker's iframe are covered too.
    context.route("**/*", route)
    page.on("pageerror", lambda error: reader.errors.append(f"{page.url}: {error}"))
    page.on("requestfailed", failed)
    return context, reader


@pytest.fixture
def open_reader(browser, site) -> Iterator:
    """Factory: a fresh browser context (options as for `new_context`) -> Reader."""
    made: list[tuple[object, Reader]] = []

    def make(**context_options) -> Reader:
        context, reader = _new_reader(browser, site, **context_options)
        made.append((context, reader))
        return reader

    yield make
    for context, _ in made:
        context.close()
    for _, reader in made:
        reader.check_clean()


@pytest.fixture(scope="module")
def module_reader(browser, site) -> Iterator:
    """Factory like `open_reader`, for tabs a whole test module shares (opening page
    after page in one context is faster than a context per test). Nothing is checked
    when they close: each test takes its page's problems with `Reader.take_problems`."""
    contexts: list[object] = []

    def make(**context_options) -> Reader:
        context, reader = _new_reader(browser, site, **context_options)
        contexts.append(context)
        return reader

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def reader(open_reader) -> Reader:
    """A desktop-sized tab (1280x800)."""
    return open_reader(viewport={"width": 1280, "height": 800})


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
