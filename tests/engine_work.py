"""The dossier's own work on a corpus, in-process and without MkDocs rendering or Markdown.

`engine_work(site)` does what the plugin does per build, minus MkDocs: read and resolve
every source (`load_dossier`; the pages are those MkDocs would build, collected by
`site.load_site` before the clock starts), then render every article's mentions and
panel (with its related articles and map), every entity page (facts, map, timeline,
mentions, statements, related, nearby, JSON-LD), the four type indexes and the exports.
It returns seconds per stage, so the regression test and the benchmark can compare N
with 4N.
"""

from __future__ import annotations

import time
from pathlib import Path


def clear_caches() -> None:
    """Drop the engine's in-process caches (every module of the maps package, name keys,
    relative links) so each run starts cold. (bench/maps.py also clears older code's
    caches with it: it asks for no module by name but these.)"""
    import importlib
    import pkgutil

    from mkdocs_dossier import maps, names
    from mkdocs_dossier.pages import links

    drawing = [
        importlib.import_module(f"{maps.__name__}.{info.name}")
        for info in pkgutil.iter_modules(maps.__path__)
    ]
    for module in (*drawing, names, links):
        for name in dir(module):
            clear = getattr(getattr(module, name), "cache_clear", None)
            if callable(clear):
                clear()


def engine_work(site: Path, maps: bool = True, cache: Path | None = None) -> dict[str, float]:
    """Seconds per stage of the plugin's work on the dossier site at `site`; with `cache`
    (a folder), through a persistent build cache there, saved at the end, as
    `mkdocs build` does."""
    from mkdocs_dossier import diskcache
    from mkdocs_dossier.exports import formats as exports
    from mkdocs_dossier.exports import jsonld
    from mkdocs_dossier.maps import draw as geomaps
    from mkdocs_dossier.maps.keys import CachedMaps
    from mkdocs_dossier.model import TYPE_FOLDERS
    from mkdocs_dossier.pages import render
    from mkdocs_dossier.pages.links import Links
    from mkdocs_dossier.pipeline import BuildCache, load_dossier
    from mkdocs_dossier.site import load_site

    loaded = load_site(site.resolve() / "mkdocs.yml")
    project, pages = loaded.project, loaded.pages
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = times.get(name, 0.0) + now - clock
        clock = now

    store = diskcache.Store.load(cache) if cache is not None else None
    build_cache = BuildCache()
    build_cache.sources.store = store
    dossier = load_dossier(project, pages, build_cache)
    links = Links.for_site(list(dossier.entities), False)
    for src_uri, _ in pages:
        links.articles[src_uri] = links.url_of(src_uri)
    lap("load_dossier")
    cached = CachedMaps(store, links, geomaps.draw) if store is not None else None

    def draw(places, page_url, title):
        if not maps:
            return ""
        if cached is not None:
            return cached.draw(places, page_url, title)
        return geomaps.draw(places, links, page_url, title)

    for article in dossier.articles:
        url = links.articles[article.src_uri]
        render.render_mentions(
            article.body, article.mentions, dossier, links, url, article.rewrites
        )
        place_ids = dict.fromkeys(
            m.entity_id
            for m in article.mentions
            if m.entity_id and m.entity_id.startswith("place:")
        )
        map_html = draw([(dossier.entities[i], False) for i in place_ids], url, "Places")
        render.article_panel(article, dossier, links, url, map_html)
        jsonld.page_script(
            dossier, links, article.src_uri, url, index_type=None, homepage=False, name=""
        )
    lap("articles")
    places = dossier.of_type("place")
    neighbours = geomaps.Neighbours(places)
    for entity in dossier.entities.values():
        url = links.entities[entity.id]
        body, _ = render.render_mentions(
            entity.body, entity.body_mentions, dossier, links, url, entity.body_rewrites
        )
        near = neighbours.of(entity) if entity.type == "place" else []
        data = jsonld.entity_jsonld(entity, dossier, links, "", url)
        render.entity_page(entity, dossier, links, url, body, draw, near, data)
    lap("entity_pages")
    for kind, folder in TYPE_FOLDERS.items():
        url = links.url_of(f"{folder}/index.md")
        map_html = draw([(p, False) for p in places], url, "All places") if kind == "place" else ""
        render.index_page(kind, dossier, links, url, map_html)
        jsonld.page_script(dossier, links, "", url, index_type=kind, homepage=False, name="")
    jsonld.page_script(
        dossier, links, "index.md", "index.html", index_type=None, homepage=True, name=""
    )
    exports.dossier_json(dossier, links)
    exports.places_geojson(dossier, links)
    if store is not None:
        store.save()
    lap("indexes_exports")
    times["total"] = sum(times.values())
    times["articles_n"] = len(dossier.articles)
    times["entities_n"] = len(dossier.entities)
    times["mentions_n"] = sum(len(a.mentions) for a in dossier.articles)
    return times


def main() -> None:
    import sys

    site = Path(sys.argv[1])
    clear_caches()
    times = engine_work(site, maps="--no-maps" not in sys.argv)
    if "--json" in sys.argv:
        import json

        print(json.dumps(times))
        return
    for name, value in times.items():
        print(f"{name:16} {value:9.3f}")


if __name__ == "__main__":
    main()
