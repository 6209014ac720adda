"""The MkDocs adapter: MkDocs events in, engine calls out, nothing else."""

from __future__ import annotations

import logging
import os
import secrets
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import diskcache, navigation, offline, parallel
from .config import DossierConfig
from .diagnostics import problem
from .exports import formats as exports
from .exports import jsonld
from .files import display_path
from .heap import GcFreeze
from .index import changes
from .index.build import Dossier
from .maps import draw as maps
from .maps import keys as map_keys
from .model import TYPE_FOLDERS, Article, Diagnostic, Entity, Position
from .pages import a11y, cards, csp, meta, render
from .pages.html import escape_html
from .pages.links import Links
from .pipeline import BuildCache, load_dossier
from .read import pagemeta
from .read.sources import Project, symlink_loops

log = logging.getLogger("mkdocs.plugins.dossier")

ASSETS = (
    "dossier.css",
    "dossier-map.css",
    "dossier-cards.css",
    "dossier-cards.js",
    offline.POLYFILL_NAME,
)
#: Scripts every page loads (the polyfill is Material's to load, as a polyfill); the
#: counts script is written by each build.
SCRIPTS = (cards.COUNTS_NAME, "dossier-cards.js")
ASSET_DIR = "assets/dossier"


class DossierPlugin(BasePlugin[DossierConfig]):
    """Turns annotated articles and entries into linked dossier pages."""

    def __init__(self) -> None:
        self.cache = BuildCache()
        self.dossier: Dossier | None = None
        self.links = Links()
        self.project: Project | None = None
        self.entity_pages: dict[str, Entity] = {}  # src_uri -> entity
        self.index_pages: dict[str, str] = {}  # src_uri -> type
        self.site_url = ""
        self.templates = render.environment()
        self.neighbours: maps.Neighbours | None = None  # this build's places, for "Nearby"
        self.nearest: dict[str, list[tuple[Entity, str]]] = {}  # place id -> its nearest
        self.hover_cards: cards.Cards | None = None  # this build's cards, made once each
        self.gc_freeze = GcFreeze()
        # dossier.json's article records, kept across rebuilds (exports.dossier_json).
        self.json_records: dict[str, tuple[Article, str, str]] = {}
        # Sections waiting for on_post_page, and the comment that marks their place.
        self.sections: dict[str, str] = {}
        # Mentions waiting for on_page_content, by page (render.MentionTokens).
        self.tokens: dict[str, render.MentionTokens] = {}
        self.slot = f"<!--dossier-sections-{secrets.token_hex(8)}-->"
        # Set by `dossier check` (site.py): stop at on_files with the pages to index.
        self.collect_only = False
        self.pages: list[tuple[str, str]] = []
        self.files: list[str] = []  # the other files of docs_dir, for `![[image.png]]`
        self.theme_tags = False  # the theme's tags plugin shows an article's tags
        self.active: Any = None  # the nav item lit for the entity page being rendered
        self.config_diagnostics: list[Diagnostic] = []
        self.batch: parallel.Batch | None = None  # page parts made by a second process
        self.site_name = ""
        self.store: diskcache.Store | None = None  # the persistent cache of `mkdocs build`
        self.cached_maps: map_keys.CachedMaps | None = None  # maps through the store
        self.maps_by_reference = False  # the worker hands maps back as cache references

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its source cache) across rebuilds.
        self.command = command
        self.dirty = dirty
        self.snapshot: changes.Snapshot | None = None
        # `serve` collects the last build's garbage once the editor pauses.
        self.gc_freeze = GcFreeze(idle_seconds=1.0 if command == "serve" else None)

    # Before the offline plugin (priority 0): it adds the external unpkg.com worker shim
    # to extra.polyfills unless an "iframe-worker" polyfill is already listed, and ours is.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.gc_freeze.cancel()
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        self.project = Project(
            root=root,
            docs_dir=Path(config.docs_dir).resolve(),
            entries_dir=(root / self.config.entries_dir).resolve(),
            geocache=(root / self.config.geocache).resolve(),
        )
        self.site_url = config.site_url or ""
        # The site may override the generated parts' templates (custom_dir/dossier/).
        toc_config = config.mdx_configs.get("toc") or {}
        permalink = toc_config.get("permalink") if "toc" in config.markdown_extensions else None
        self.templates = render.environment(
            config.theme.custom_dir,
            self.config.date_style,
            "¶" if permalink is True else (permalink or "") if isinstance(permalink, str) else "",
        )
        self.theme_tags = any(name.endswith("tags") for name in config.plugins)
        self.config_diagnostics = []
        for name in ASSETS:
            path = f"{ASSET_DIR}/{name}"
            if name.endswith(".css") and path not in config.extra_css:
                config.extra_css.append(path)
        for name in SCRIPTS:
            path = f"{ASSET_DIR}/{name}"
            if path not in map(str, config.extra_javascript):
                config.extra_javascript.append(path)
        offline_plugins = [config.plugins.get(name) for name in offline.OFFLINE_PLUGINS]
        if any(
            p is not None and getattr(getattr(p, "config", None), "enabled", True)
            for p in offline_plugins
        ):
            # Search from file:// needs a Worker stand-in; ship ours, not unpkg.com's.
            config.extra["polyfills"] = offline.add_polyfill(config.extra.get("polyfills"))
            self.config_diagnostics = offline.network_diagnostics(config)
        for diagnostic in self.config_diagnostics:
            log.warning(diagnostic.format())
        # MkDocs collects pages next, following folder links: a loop would crash it.
        _stop_on(symlink_loops(self.project.docs_dir, root))
        return config

    # Runs after other plugins have added or dropped files, so we index what gets built.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.project is None:
            return None
        self.pages = [
            (f.src_uri, f.abs_src_path)
            for f in files.documentation_pages()
            if f.abs_src_path and not f.generated_by
        ]
        docs_dir = str(self.project.docs_dir) + os.sep
        self.files = [
            f.src_uri
            for f in files
            if not f.is_documentation_page()
            and f.abs_src_path
            and f.abs_src_path.startswith(docs_dir)
        ]
        if self.collect_only:
            return None
        self._end_batch()  # a serve rebuild that followed a failed one
        if self.config.cache and getattr(self, "command", None) == "build":
            self.store = diskcache.Store.load(self.project.root / self.config.cache_dir)
        self.cache.sources.store = self.store
        dossier = load_dossier(self.project, self.pages, self.cache, files=self.files)
        previous, self.dossier = self.dossier, dossier
        self.links = Links.for_site(list(dossier.entities), config.use_directory_urls)
        self.cached_maps = None
        if self.store is not None:
            self.cached_maps = map_keys.CachedMaps(self.store, self.links, maps.draw)
        self.hover_cards = cards.Cards(dossier, self.links)
        for f in files.documentation_pages():
            self.links.articles[f.src_uri] = f.url
            article = dossier.by_uri.get(f.src_uri)
            if article is not None and article.repaired_text is not None:
                # MkDocs stops the build on bytes that are not UTF-8; we reported them
                # (bad-encoding) and let it render the text with U+FFFD in their place.
                f.content_string = article.repaired_text
        for diagnostic in dossier.diagnostics:
            log.warning(diagnostic.format())
        # Python-Markdown would crash on these pages: stop with the reason instead.
        _stop_on([d for d in dossier.diagnostics if d.code == "too-deep"])
        self.entity_pages = {}
        self.index_pages = {}
        self.sections = {}
        self.tokens = {}
        self.neighbours = None
        touched = None
        if getattr(self, "dirty", False):
            # `serve --dirty`: rebuild only the generated pages the edit can have changed.
            current = changes.snapshot(dossier, self.snapshot)
            touched = changes.affected(self.snapshot, current, previous, dossier)
            self.snapshot = current
        for entity in dossier.entities.values():
            if files.get_file_from_path(entity.src_uri) is not None:
                continue  # reported as hidden-entity-page
            self.entity_pages[entity.src_uri] = entity
            changed = touched is None or entity.id in touched.entities
            files.append(
                # No content: MkDocs would read front matter out of the entry's body (a
                # `Key: value` first line, a `---` block); on_page_markdown gives the body.
                (File if changed else _UnchangedPage).generated(
                    config, entity.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
                )
            )
        for entity_type, folder in TYPE_FOLDERS.items():
            src_uri = f"{folder}/index.md"
            if files.get_file_from_path(src_uri) is None:
                self.index_pages[src_uri] = entity_type
                changed = touched is None or entity_type in touched.types
                files.append(
                    (File if changed else _UnchangedPage).generated(config, src_uri, content="")
                )
        if self.config.exports:
            for name, text in (
                ("dossier.json", exports.dossier_json(dossier, self.links, self.json_records)),
                ("places.geojson", exports.places_geojson(dossier, self.links)),
            ):
                if files.get_file_from_path(name) is None:
                    files.append(File.generated(config, name, content=text))
        assets = Path(__file__).parent / "assets"
        for name in ASSETS:
            files.append(
                File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(assets / name))
            )
        counts = cards.counts_script(dossier)
        files.append(File.generated(config, f"{ASSET_DIR}/{cards.COUNTS_NAME}", content=counts))
        self.site_name = config.site_name
        # Not under `serve`: its server threads make forking unsafe, and a `--dirty`
        # rebuild has few pages to make.
        serving = getattr(self, "command", None) == "serve"
        if self.config.parallel and not serving and parallel.can_fork():
            # The worker's maps come back as references into the persistent cache where
            # the shipped templates place them as they are (an override might not).
            self.maps_by_reference = all(
                render.shipped(name, self.templates)
                for name in ("entity.html", "index.html", "article_panel.html")
            )
            jobs = self._jobs(files)
            if len(jobs) >= parallel.MIN_JOBS:
                self.batch = parallel.Batch(jobs)
        if self.config.freeze_gc:
            # The dossier lives until the build ends: see heap.py.
            self.gc_freeze.freeze()
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._end_batch()
        if self.store is not None:
            log.debug(
                f"dossier: persistent cache: {self.store.hits} items reused, "
                f"{self.store.misses} computed"
            )
            try:
                self.store.save()
            except OSError as error:
                log.warning(f"dossier: cannot write the build cache: {error}")
            self.store = self.cache.sources.store = self.cached_maps = None
        self.gc_freeze.release()

    def on_build_error(self, *, error: Exception) -> None:
        self._end_batch()
        # Not saved: the cache keeps what the last complete build wrote.
        self.store = self.cache.sources.store = self.cached_maps = None
        self.gc_freeze.release()

    def _end_batch(self) -> None:
        if self.batch is not None:
            log.debug(
                f"dossier: {self.batch.taken} of {len(self.batch.where)} page parts "
                "made by a second process"
            )
            self.batch.close()
            self.batch = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.enabled and self.project is not None:
            for path in (self.project.entries_dir, self.project.geocache):
                if path.exists():
                    server.watch(str(path))
        return server

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.dossier is None:
            return None
        src_uri = page.file.src_uri
        entity = self.entity_pages.get(src_uri)
        if entity is not None:
            page.meta = {"title": escape_html(entity.name)}  # description: on_page_context
            # The entry body may mention others: render those like an article's.
            markdown, tokens = render.render_mentions(
                entity.body,
                entity.body_mentions,
                self.dossier,
                self.links,
                page.url,
                entity.body_rewrites,
                self.config.linking,
            )
            if tokens is not None:
                self.tokens[src_uri] = tokens
            return markdown
        if src_uri in self.index_pages:
            page.meta["title"] = escape_html(render.TYPE_LABELS[self.index_pages[src_uri]][1])
            return ""
        # Themes print front matter unescaped (<title>, navigation, <meta> tags...): hand
        # them only safe values. Wrong types were reported as bad-field when read.
        page.meta = pagemeta.sanitize(page.meta)
        for key, message in _missing_theme_files(page.meta, config):
            # Jinja would stop the build on a template or icon the theme does not have.
            assert self.project is not None
            path = display_path(page.file.abs_src_path or src_uri, self.project.root)
            position = Position(_front_matter_line(page.file.content_string, key), 1)
            log.warning(problem("bad-field", path, position, f"{key}: {message}").format())
            del page.meta[key]
        article = self.dossier.by_uri.get(src_uri)
        if article is None or not (article.mentions or article.rewrites):
            return None
        # MkDocs strips the newlines after front matter; anything else means another plugin
        # changed the text and our offsets no longer hold.
        shift = len(article.body) - len(markdown)
        if shift < 0 or article.body[shift:] != markdown:
            log.warning(f"{article.path}: text changed by another plugin; mentions left as written")
            return None
        markdown, tokens = render.render_mentions(
            article.body,
            article.mentions,
            self.dossier,
            self.links,
            page.url,
            article.rewrites,
            self.config.linking,
        )
        if tokens is not None:
            self.tokens[src_uri] = tokens
        return markdown[shift:]

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        tokens = self.tokens.pop(page.file.src_uri, None)
        return tokens.restore(html) if tokens is not None else None

    # Pages get their generated parts here, one at a time, not in on_page_content: MkDocs
    # keeps every page's content from that event to the end of the build. Priority 100
    # runs before the search plugin, which indexes the page without its sections.
    @event_priority(100)
    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any] | None:
        if not self.config.enabled or self.dossier is None:
            return None
        src_uri = page.file.src_uri
        description = meta.page_description(
            self.dossier,
            src_uri,
            entity=self.entity_pages.get(src_uri),
            index_type=self.index_pages.get(src_uri),
            homepage=page.is_homepage,
            given=unescape(str(page.meta.get("description") or "")),  # escaped by sanitize
            html=page.content or "",
            site_name=config.site_name,
        )
        if description:
            # Material prints it unescaped into <meta name="description">.
            page.meta["description"] = escape_html(description)
        content = self._content(page, page.content or "")
        if content is None:
            return None
        if page.file.src_uri in self.entity_pages or page.file.src_uri in self.index_pages:
            page.toc = navigation.with_sections(page.toc, content.sections, page.title)
            self.active = navigation.activate_index(nav, self.index_uri(page.file.src_uri))
        # The hover cards of the entities the page links, shipped with it (no request).
        if self.hover_cards is not None:
            cards_html = self.hover_cards.block(content.html)
            content = content._replace(sections=content.sections + cards_html)
        if content.sections:
            self.sections[page.file.src_uri] = content.sections
            page.content = content.head + self.slot + content.tail
        else:
            page.content = content.html
        return context

    # Before plugins that rewrite the finished HTML (minifiers and the like).
    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.config.enabled and self.dossier is not None:
            src_uri = page.file.src_uri
            description = unescape(
                str(page.meta.get("description") or config.site_description or "")
            )
            head = ""
            if self.config.jsonld:  # an entity's block is in its page's content
                head += jsonld.page_script(
                    self.dossier,
                    self.links,
                    src_uri,
                    page.url,
                    index_type=self.index_pages.get(src_uri),
                    homepage=page.is_homepage,
                    name=config.site_name,
                    site_url=self.site_url,
                    description=description,
                )
            if self.site_url and page.canonical_url:
                article = None if src_uri in self.entity_pages else self.dossier.by_uri.get(src_uri)
                head += meta.social_tags(
                    url=page.canonical_url,
                    title=unescape(page.title or ""),
                    description=description,
                    site_name=config.site_name,
                    article=article,
                )
            output = meta.add_to_head(output, head)
        if self.config.enabled:
            output = a11y.name_search_dialog(output)
        if self.config.enabled and self.config.csp:
            if (page.content or "") not in output:
                log.warning(f"{page.file.src_uri}: {csp.UNPLACED}")
            output = csp.protect(output, page.content or "", page.markdown or "")
        if self.active is not None:
            self.active.active = False  # the type's tab, lit while its entity page rendered
            self.active = None
        sections = self.sections.pop(page.file.src_uri, None)
        if sections is None:
            return output
        before, slot, after = output.partition(self.slot)
        if not slot and page.meta.get("template") in _NO_CONTENT_TEMPLATES:
            return output  # the page's template shows no content: nothing to place
        if not slot:
            log.warning(
                f"{page.file.src_uri}: the page lost its dossier sections "
                "(another plugin removed the HTML comment that marks their place)"
            )
            return output
        page.content = (page.content or "").replace(self.slot, "", 1)
        return before + sections + after

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not self.config.enabled or not template_name.endswith(".html"):
            return None
        if template_name == "404.html" and not self.site_url:
            # MkDocs roots its addresses at "/": from disk, the file system's root.
            output_content = meta.relative_404(output_content)
        output_content = a11y.name_search_dialog(output_content)
        if self.config.csp:
            output_content = csp.protect(output_content, "")  # 404.html: the theme's alone
        return output_content

    def index_uri(self, src_uri: str) -> str | None:
        """The src_uri of the index of an entity page's type (None for other pages)."""
        entity = self.entity_pages.get(src_uri)
        return f"{TYPE_FOLDERS[entity.type]}/index.md" if entity is not None else None

    def _content(self, page: Page, html: str) -> render.Content | None:
        """The page's generated parts around `html` (its Markdown as HTML), if it has any."""
        assert self.dossier is not None
        src_uri = page.file.src_uri
        entity = self.entity_pages.get(src_uri)
        if entity is not None:
            made = self._made(("entity", src_uri))
            if made is not None and render.shipped("entity.html", self.templates):
                # The sections came from the worker; the head and tail need the page.
                parts = render.entity_page(
                    entity,
                    self.dossier,
                    self.links,
                    page.url,
                    html,
                    templates=self.templates,
                    blocks=("head", "tail"),
                )
                return parts._replace(sections=made.sections)
            return self._entity_content(entity, page.url, html)
        entity_type = self.index_pages.get(src_uri)
        if entity_type is not None:
            made = self._made(("index", src_uri))
            return made if made is not None else self._index_content(entity_type, page.url)
        article = self.dossier.by_uri.get(src_uri)
        if article is None:
            return None
        header = render.article_header(
            article, "<h1" not in html, not self.theme_tags, self.templates
        )
        if header:
            html = _after_h1(html, header)
        if not article.mentions:
            return render.Content(html) if header else None
        extra = ""
        if self.config.article_panel:
            made = self._made(("panel", src_uri))
            extra += made if made is not None else self._article_panel(article, page.url)
        return render.Content(html, extra)

    def _entity_content(
        self, entity: Entity, url: str, html: str, blocks: tuple[str, ...] = render.PAGE_BLOCKS
    ) -> render.Content:
        """An entity page's content (or the parts of it in `blocks`)."""
        assert self.dossier is not None
        data = ""
        if self.config.jsonld and "sections" in blocks:
            # The description on_page_context gives the page (escaped there, read back).
            description = meta.entity_description(entity, self.dossier, self.site_name)
            description = unescape(escape_html(description)) if description else ""
            data = jsonld.entity_jsonld(
                entity, self.dossier, self.links, self.site_url, url, description
            )
        return render.entity_page(
            entity,
            self.dossier,
            self.links,
            url,
            html,
            self._drawer() if self.config.maps else None,
            self._near(entity),
            data,
            self.templates,
            blocks,
        )

    def _index_content(self, entity_type: str, url: str) -> render.Content:
        """A type's index page, with the map of every place on the Places index."""
        assert self.dossier is not None
        map_html = ""
        if entity_type == "place" and self.config.maps:
            places = [(p, False) for p in self.dossier.of_type("place")]
            map_html = self._drawer()(places, url, "All the dossier's places")
        return render.index_page(
            entity_type, self.dossier, self.links, url, map_html, self.templates
        )

    def _article_panel(self, article: Article, url: str) -> str:
        """An article's "In this article" panel, its map and related articles."""
        assert self.dossier is not None
        map_html = ""
        if self.config.maps:
            place_ids = dict.fromkeys(
                m.entity_id
                for m in article.mentions
                if m.entity_id and m.entity_id.startswith("place:")
            )
            places = [(self.dossier.entities[i], False) for i in place_ids]
            map_html = self._drawer()(places, url, "Places in this article")
        return render.article_panel(
            article, self.dossier, self.links, url, map_html, self.templates
        )

    def _near(self, entity: Entity) -> list[tuple[Entity, str]]:
        """A place's nearest places, with distance and bearing ("Nearby" and its map)."""
        if entity.type != "place":
            return []
        assert self.dossier is not None
        if self.neighbours is None:
            self.neighbours = maps.Neighbours(self.dossier.of_type("place"))
            self.nearest = {}
        found = self.nearest.get(entity.id)
        if found is None:
            found = self.nearest[entity.id] = self.neighbours.of(entity)
        return found

    def _jobs(self, files: Files) -> dict[tuple[str, str], Any]:
        """The page parts a worker can make ahead (none needs the page's own HTML), keyed
        as `_content` asks for them, in the order MkDocs renders the pages. Each job gives
        (the part, the maps the persistent cache now holds for it)."""
        assert self.dossier is not None
        jobs: dict[tuple[str, str], Any] = {}
        dirty = getattr(self, "dirty", False)
        for f in files.documentation_pages():
            if dirty and not f.is_modified():
                continue  # `serve --dirty` does not render this page again
            src_uri, url = f.src_uri, f.url
            entity = self.entity_pages.get(src_uri)
            if entity is not None:
                jobs[("entity", src_uri)] = partial(
                    self._job, self._entity_content, entity, url, "", ("sections",)
                )
            elif src_uri in self.index_pages:
                jobs[("index", src_uri)] = partial(
                    self._job, self._index_content, self.index_pages[src_uri], url
                )
            elif self.config.article_panel:
                article = self.dossier.by_uri.get(src_uri)
                if article is not None and article.mentions:
                    jobs[("panel", src_uri)] = partial(self._job, self._article_panel, article, url)
        return jobs

    def _job(self, make: Any, *args: Any) -> tuple[Any, list[str]]:
        """Run `make(*args)` in the worker, noting the cached maps it used or drew (and,
        where the shipped templates place them, giving them as references into the
        cache: see `_made`)."""
        cached = self.cached_maps
        if cached is None:
            return make(*args), []
        cached.noted = []
        cached.by_reference = self.maps_by_reference
        try:
            return make(*args), cached.noted
        finally:
            cached.by_reference = False

    def _made(self, key: tuple[str, str]) -> Any | None:
        """A part the worker made for this page, its maps read from the cache (None: the
        page makes it)."""
        made = self.batch.get(key) if self.batch is not None else None
        if made is None:
            return None
        part, noted = made
        if self.store is None:
            return part
        self.store.keep("maps", noted)
        if isinstance(part, str):
            return map_keys.with_maps(part, self.store)
        texts = [map_keys.with_maps(text, self.store) for text in part]
        return None if None in texts else type(part)(*texts)

    def _drawer(self) -> render.MapDrawer:
        if self.cached_maps is not None:
            return self.cached_maps.draw
        links = self.links

        def draw(places: list[tuple[Entity, bool]], page_url: str, subject: Entity | str) -> str:
            return maps.draw(places, links, page_url, subject)

        return draw


def _after_h1(html: str, header: str) -> str:
    """`html` with `header` after its first `<h1>` (which the header holds when the page
    has none: the theme adds a title only to a page without one)."""
    end = html.find("</h1>") if "<h1" in html else -1
    if end == -1:
        return header + "\n" + html
    end += len("</h1>")
    return html[:end] + "\n" + header + html[end:]


#: Material templates that print no page content (a redirect, the 404 page).
_NO_CONTENT_TEMPLATES = frozenset({"redirect.html", "404.html"})


def _missing_theme_files(meta: dict[str, Any], config: MkDocsConfig) -> list[tuple[str, str]]:
    """(key, message) for a `template` or `icon` the theme has no file for (the blog's
    templates need the blog plugin): Jinja would stop the build on them."""
    found = []
    dirs = [Path(folder) for folder in config.theme.dirs]
    template = meta.get("template")
    if isinstance(template, str):
        blog = template.startswith("blog") and not any("blog" in name for name in config.plugins)
        if blog or not any((folder / template).is_file() for folder in dirs):
            found.append(("template", f'the theme has no template "{template}" to use'))
    icon = meta.get("icon")
    if isinstance(icon, str) and not any(
        (folder / ".icons" / f"{icon}.svg").is_file() for folder in dirs
    ):
        found.append(("icon", f'the theme has no icon "{icon}"'))
    return found


def _front_matter_line(text: str, key: str) -> int:
    """The line of `key:` in the front matter at the top of `text` (1 if not found)."""
    for number, line in enumerate(text.splitlines()[1:200], start=2):
        if line.startswith(f"{key}:"):
            return number
        if line.strip() in ("---", "..."):
            break
    return 1


def _stop_on(fatal: list[Diagnostic]) -> None:
    """End the build with these diagnostics as its message (MkDocs shows a PluginError as
    an error line and stops, where the crash it prevents would print a traceback)."""
    if fatal:
        raise PluginError("\n".join(d.format() for d in fatal))


class _UnchangedPage(File):
    """A generated page that a `--dirty` rebuild need not write again."""

    def is_modified(self) -> bool:
        return not os.path.isfile(self.abs_dest_path)
