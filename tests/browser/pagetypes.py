"""One page of every kind the sample site has, for the checks that go page type by page
type (tests/browser/test_axe.py, tests/browser/test_screenshots.py).

A page type is a file of the built site and, for states a reader reaches by doing
something (the search box with results), the steps that lead there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = "articles/2020-12-23-us-considering-closing-iraqi-embassy.html"
SEARCH_QUERY = "Baghdad"
#: The colour scheme Material shows (body[data-md-color-scheme]) for each preference.
SCHEMES = {"light": "default", "dark": "slate"}
#: How long Material may take to follow a new colour-scheme preference.
FOLLOW_MS = 2_000


def _show_search_results(page) -> None:
    """Open Material's search with its keyboard shortcut (any width) and type a query."""
    page.keyboard.press("/")
    page.keyboard.type(SEARCH_QUERY)  # Material reads key events, not `fill`'s input event
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    # The phone overlay grows as a CSS transition, wider than the page until it ends.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")


@dataclass(frozen=True)
class PageType:
    """A kind of page a reader meets: its name in test ids and file names, its page."""

    name: str
    path: str
    #: What the reader does once the page has loaded, to reach the state checked.
    then: Callable[[object], None] | None = None
    #: Whether a screenshot shows the whole page (False: states shown over the screen,
    #: such as search, whose phone overlay is a scaled circle far wider than the page).
    full_page: bool = True

    def open(self, reader) -> None:
        """Load the page in `reader` (tests/browser/conftest.py's Reader) and act."""
        reader.open(self.path)
        if self.then is not None:
            self.then(reader.page)

    @property
    def slug(self) -> str:
        """`name` as a file-name part."""
        return self.name.replace(" ", "-")


#: A person the sample's articles mention who has no entry in dossier/people/.
STUB = "people/ameer-al-mohammedaw.html"

PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", "index.html"),
    PageType("article", SEED),
    PageType("person", "people/mike-pompeo.html"),
    PageType("place", "places/baghdad.html"),
    PageType("organization", "organizations/quds-force.html"),
    PageType("event", "events/killing-of-qasem-soleimani.html"),
    PageType("stub", STUB),
    PageType("people index", "people/index.html"),
    PageType("places index", "places/index.html"),
    PageType("organizations index", "organizations/index.html"),
    PageType("events index", "events/index.html"),
    PageType("404", "404.html"),
    PageType("search results", "index.html", then=_show_search_results, full_page=False),
)


def show_scheme(page, scheme: str) -> str | None:
    """Switch the open page to the colour-scheme preference `scheme` (light, dark) without
    reloading it; what went wrong if Material did not follow, else None."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # as conftest: lazily

    page.emulate_media(color_scheme=scheme)
    try:
        page.wait_for_function(
            "scheme => document.body.dataset.mdColorScheme === scheme",
            arg=SCHEMES[scheme],
            timeout=FOLLOW_MS,
        )
    except PlaywrightTimeout:
        shown = page.evaluate("document.body.dataset.mdColorScheme")
        return f"asked for {scheme}, the page shows {shown!r} (Material's scripts not running?)"
    return None


def has_entry(path: str) -> bool:
    """Whether the entity page `path` (people/x.html) has an entry in dossier/."""
    folder, name = path.split("/")
    return (ROOT / "dossier" / folder / name.replace(".html", ".md")).is_file()


class PageCheckFailed(AssertionError):
    """What a page-type check found wrong; the only failure a known-failure mark expects,
    so a missing tool, a timeout or a request off the disk still fails for real."""


def by_type(expected_failures: dict[str, str]) -> list:
    """PAGE_TYPES as pytest parameters, with a strict xfail on the names given (name ->
    reason): known failures in code another change fixes, which then turn them red."""
    unknown = set(expected_failures) - {t.name for t in PAGE_TYPES}
    assert not unknown, f"no such page type: {unknown}"
    return [
        pytest.param(
            t,
            id=t.slug,
            marks=[
                pytest.mark.xfail(
                    strict=True, raises=PageCheckFailed, reason=expected_failures[t.name]
                )
            ]
            if t.name in expected_failures
            else [],
        )
        for t in PAGE_TYPES
    ]


def entry_summary(folder: str, slug: str) -> str:
    """The `summary` an editor wrote in dossier/<folder>/<slug>.md."""
    text = (ROOT / "dossier" / folder / f"{slug}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])["summary"]


# A map marker the pointer can reach (scrolled into view, not covered): its entity and spot.
HITTABLE_MARKER = """() => {
    for (const a of document.querySelectorAll("svg.dossier-map a[data-entity^='place:']")) {
        const dot = a.querySelector('circle') || a;
        dot.scrollIntoView({block: 'center'});
        const r = dot.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && a.contains(hit)) return {entity: a.getAttribute('data-entity'), x, y};
    }
    return null;
}"""
