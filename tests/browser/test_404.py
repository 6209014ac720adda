"""The 404 page opened from disk: styled by the theme's and the plugin's stylesheets, its
navigation and search working, with zero requests off the disk (see conftest.py)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_404_is_styled_from_disk(reader, artifacts):
    page = reader.page
    reader.open("404.html")
    # Stylesheets it loaded (a link whose file is missing has no sheet, and the fixture
    # fails on any file the page could not load).
    loaded = page.evaluate(
        """() => [...document.querySelectorAll('link[rel=stylesheet]')]
            .filter(link => link.sheet !== null)
            .map(link => link.getAttribute('href'))"""
    )
    assert any(re.match(r"assets/stylesheets/main\.\w+\.min\.css", s) for s in loaded), loaded
    assert "assets/dossier/dossier.css" in loaded
    # Material's stylesheet laid the header out: a fixed bar, not an unstyled list.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    assert page.locator("h1", has_text="404").count() == 1
    page.screenshot(path=str(artifacts / "404-1280-light.png"))
    page.locator(".md-tabs a", has_text="People").first.click()
    page.wait_for_url(re.compile(r"/people/index\.html$"))
