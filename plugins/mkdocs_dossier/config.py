"""The plugin's options, as written under `- dossier:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .model import DATE_STYLES


class DossierConfig(Config):
    """Options of the dossier plugin."""

    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (e.g. `enabled: !ENV [DOSSIER, true]`)."""

    entries_dir = c.Type(str, default="dossier")
    """Folder of the editors' entries, relative to mkdocs.yml."""

    geocache = c.Type(str, default="dossier/geocache.yml")
    """The committed coordinates cache, relative to mkdocs.yml."""

    maps = c.Type(bool, default=True)
    """Draw SVG locator maps on article, entity and index pages."""

    article_panel = c.Type(bool, default=True)
    """Add the "In this article" panel, map and related articles to article pages."""

    exports = c.Type(bool, default=True)
    """Write dossier.json and places.geojson at the site root."""

    jsonld = c.Type(bool, default=True)
    """Embed schema.org JSON-LD in article and entity pages."""

    date_style = c.Choice(DATE_STYLES, default="medium")
    """How dates read on every page: `medium` "23 Dec 2020" (partial dates "Feb 2021",
    "2019"), `long` "23 December 2020", `us` "Dec 23, 2020", `iso` "2020-12-23"."""

    linking = c.Choice(("first", "section", "all"), default="first")
    """Which mentions of an entity are links: the `first` in each article (as an
    encyclopedia links), the first in each section, or `all`. Every mention keeps its
    anchor, so entity pages still point at each occurrence."""

    freeze_gc = c.Type(bool, default=False)
    """Keep Python's cyclic garbage collector off the objects alive once the dossier is
    loaded (`gc.freeze()`), until the build ends; `serve` collects and freezes again after
    a second without rebuilds. Large sites build and rebuild faster (bench/NOTES.md: an
    in-process rebuild of 2000 articles from 0.93 s to 0.67 s), but the freeze holds every
    object in the process, other plugins' too, so it is off unless asked for."""

    parallel = c.Type(bool, default=True)
    """Draw the maps in a second process while MkDocs converts the pages' Markdown, where
    the system can fork one and has two cores (the pages are the same either way)."""

    cache = c.Type(bool, default=True)
    """Keep what `mkdocs build` computed (parsed articles and entries, drawn maps) in
    `cache_dir`, so that the next build reuses what did not change. Safe to delete."""

    cache_dir = c.Type(str, default=".cache/plugin/dossier")
    """The persistent cache's folder, relative to mkdocs.yml."""

    csp = c.Type(bool, default=False)
    """Give every page a Content-Security-Policy `<meta>`: scripts only from the site and
    the theme's own inline scripts (by hash), nothing loaded from elsewhere; a `<script>`
    or event handler in an article's raw HTML is refused by the browser."""
