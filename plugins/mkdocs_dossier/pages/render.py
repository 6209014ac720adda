"""HTML of the generated parts: entity pages, type indexes, article panels, mention links.

Generated pages skip Markdown: only an entry's own body is converted (by MkDocs); all the
rest is rendered here from templates, with every editor-supplied text escaped.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import Any, NamedTuple

import jinja2
from markdown.extensions.toc import slugify as toc_slugify
from markupsafe import Markup

from ..index.build import Dossier, entity_ids
from ..index.ranking import map_places, related_entities
from ..index.timeline import events_by_year, timeline_years
from ..model import Article, Entity, Mention
from ..places.countries import country_by_iso2
from ..read.grammar import blocks, inline_markdown
from ..types import TYPE_LABELS, TYPES, entity_type
from .html import escape_html, md_escape
from .links import Links, relative_url

#: Draws a map: (places as (entity, focus) pairs, page url, the page's entity or the
#: caption of a map of many places) -> HTML ("" for none).
MapDrawer = Callable[[list[tuple[Entity, bool]], str, "Entity | str"], str]


#: Where the shipped templates are found: `dossier/<name>` (the site's override first)
#: and `dossier/base/<name>` (always the shipped one, for an override to extend).
TEMPLATE_PREFIX = "dossier"


@lru_cache(maxsize=8)
def environment(
    overrides: str | None = None, date_style: str = "medium", permalink: str = ""
) -> jinja2.Environment:
    """The templates of the generated parts, looked up as `dossier/entity.html` and so on.

    With `overrides` (the theme's custom_dir), `<overrides>/dossier/<name>` replaces the
    shipped template of that name, the way the theme's own partials are overridden; it
    may `{% extends "dossier/base/<name>" %}` and change only some blocks. Dates go
    through the `date` filter in `date_style`; generated section headings get
    `permalink` (the toc extension's symbol) as their permanent link, if any.
    """
    shipped = jinja2.PackageLoader("mkdocs_dossier.pages", "templates")
    found: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"base": shipped})]
    if overrides:
        found.append(jinja2.FileSystemLoader(os.path.join(overrides, TEMPLATE_PREFIX)))
    found.append(shipped)
    env = jinja2.Environment(
        loader=jinja2.PrefixLoader({TEMPLATE_PREFIX: jinja2.ChoiceLoader(found)}),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["TYPE_LABELS"] = TYPE_LABELS
    env.globals["PERMALINK"] = permalink
    env.globals["hover_text"] = hover_text
    env.globals["section_heading"] = lambda id, text, target=None: section_heading(
        id, str(text), permalink, target or id
    )
    env.filters["date"] = lambda value: value.display(date_style) if value else ""
    env.globals["DATE_STYLE"] = date_style
    return env


class Content(NamedTuple):
    """A generated page's HTML in the order it is shown: `head + sections + tail`.

    `head` and `tail` are what site search indexes (an entity's name, facts and entry
    body; an article's text). `sections` are the parts that quote, count or draw what is
    indexed on other pages (mention lists, timelines, statements, maps, panels); the
    plugin adds them after the search plugin has read the page.
    """

    head: str
    sections: str = ""
    tail: str = ""

    @property
    def html(self) -> str:
        return self.head + self.sections + self.tail


PAGE_BLOCKS = ("head", "sections", "tail")
SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def shipped(name: str, templates: jinja2.Environment) -> bool:
    """Whether the site renders `name` with the shipped template (not an override)."""
    template = templates.get_template(f"{TEMPLATE_PREFIX}/{name}")
    return os.path.dirname(template.filename or "") == SHIPPED


def _render_blocks(
    name: str,
    templates: jinja2.Environment,
    blocks: Sequence[str] = PAGE_BLOCKS,
    **variables: Any,
) -> Content:
    """Render a template's `head`, `sections` and `tail` blocks (those of them in
    `blocks`; the others are "") with one set of variables."""
    template = templates.get_template(f"{TEMPLATE_PREFIX}/{name}")
    context = template.new_context(variables)
    if os.path.dirname(template.filename or "") != SHIPPED:
        # An override, which may extend the shipped template: rendering it once gathers
        # the blocks it inherits (each block's list starts with its most derived version).
        whole = "".join(template.root_render_func(context))
        if not any(block in context.blocks for block in PAGE_BLOCKS):
            return Content(whole)  # an override without the blocks: all of it searchable
    return Content(
        *(
            "".join(context.blocks[block][0](context))
            if block in context.blocks and block in blocks
            else ""
            for block in PAGE_BLOCKS
        )
    )


@dataclass
class Fact:
    label: str
    text: str = ""
    links: list[tuple[str, str | None]] | None = None  # (name, href)


def facts(
    entity: Entity, dossier: Dossier, links: Links, page_url: str, date_style: str = "medium"
) -> list[Fact]:
    """The infobox's facts, as readers read them: the fields its type shows
    (types.Field.fact), in the order of the type's fields; targets and countries linked
    to their pages, Wikidata ids to Wikidata, coordinates as `33.32° N, 44.37° E`."""
    found: list[Fact] = []
    etype = entity_type(entity.type)
    for field in etype.facts:
        label = field.fact or ""
        if field.is_target:
            ids = entity.links.get(field.key)
            if ids:
                items = [(dossier.entities[i].name, links.entity(i, page_url)) for i in ids]
                found.append(Fact(label, links=items))
            continue
        value = field.value(entity)
        if not value:
            continue
        if field.kind == "coordinates":
            found.append(Fact(label, text=coordinates_text(value[0], value[1])))
        elif field.kind == "date":
            text = value.display(date_style)
            until = etype.field(field.until) if field.until else None
            end = until.value(entity) if until else None
            if end:
                text += f" – {end.display(date_style)}"
            found.append(Fact(label, text=text))
        elif field.kind == "country":
            name, place = country_place(str(value), dossier)
            href = links.entity(place.id, page_url) if place and place is not entity else None
            found.append(Fact(label, links=[(name, href)]))
        elif field.kind == "wikidata":
            found.append(Fact(label, links=[(str(value), WIKIDATA + str(value))]))
        else:
            found.append(Fact(label, text=str(value)))
    return found


WIKIDATA = "https://www.wikidata.org/wiki/"


def coordinates_text(lat: float, lon: float) -> str:
    """`33.32° N, 44.37° E`: hemispheres, not signs; two decimals (about a kilometre)."""
    north = "N" if lat >= 0 else "S"
    east = "E" if lon >= 0 else "W"
    return f"{abs(lat):.2f}° {north}, {abs(lon):.2f}° {east}"


def country_place(code: str, dossier: Dossier) -> tuple[str, Entity | None]:
    """The country's name for an ISO code (the code itself if unknown) and the dossier's
    place of that country, if it has one (an entry of kind country with that code, or of
    the country's name)."""
    country = country_by_iso2(code)
    name = country.name if country else code
    places = dossier.country_places()
    return name, places.get(code.strip().upper()) or places.get(name.casefold())


def mention_link(entity: Entity, label: str, anchor: str, href: str | None) -> str:
    """The inline HTML spliced into Markdown for a mention in a heading (where the table
    of contents reads the text) or on a page that cannot take tokens."""
    tag = "a" if href is not None else "span"
    link = f' href="{md_escape(href)}"' if href is not None else ""
    return (
        f'<{tag} class="dossier-mention dossier-{entity.type}" '
        f'data-entity="{md_escape(entity.id)}" id="{md_escape(anchor)}"{link} '
        f'title="{md_escape(hover_text(entity))}">{inline_markdown(label, md_escape)}</{tag}>'
    )


def section_heading(id: str, text: str, permalink: str, target: str) -> Markup:
    """A generated section's `<h2>`, with the permanent link (to `#target`) the toc
    extension gives the page's own headings when `permalink` is set."""
    link = (
        f'<a class="headerlink" href="#{escape_html(target)}" title="Permanent link">'
        f"{escape_html(permalink)}</a>"
        if permalink
        else ""
    )
    return Markup(f'<h2 id="{escape_html(id)}">{escape_html(text)}{link}</h2>')


def hover_text(entity: Entity) -> str:
    """What a mention's `title` says without scripts: the summary, else name and type."""
    return entity.summary or f"{entity.name} ({TYPE_LABELS[entity.type][0].lower()})"


def mention_html(
    entity: Entity, label: str, anchor: str, href: str | None, embed: bool = False
) -> str:
    """A mention in the finished HTML: a link (its label may hold inline Markdown), a
    `<span>` with the same attributes when it is not linked (`href` None), or for
    `![[Entity]]` a card with the entity's type and summary."""
    tag = "a" if href is not None else "span"
    link = f' href="{escape_html(href)}"' if href is not None else ""
    link = (
        f'<{tag} class="dossier-mention dossier-{entity.type}" '
        f'data-entity="{escape_html(entity.id)}" id="{escape_html(anchor)}"{link} '
        f'title="{escape_html(hover_text(entity))}">{inline_markdown(label)}</{tag}>'
    )
    if not embed:
        return link
    summary = (
        f'<span class="dossier-embed-summary">{escape_html(entity.summary)}</span>'
        if entity.summary
        else ""
    )
    kind = escape_html(TYPE_LABELS[entity.type][0])
    return (
        f'<span class="dossier-embed dossier-{entity.type}">{link}'
        f'<span class="dossier-embed-type">{kind}</span>{summary}</span>'
    )


def heading_id(text: str) -> str:
    """The id Python-Markdown's table of contents gives a heading with this text (the last
    of a `Heading#Subheading` path, as Obsidian writes them)."""
    return toc_slugify(text.rsplit("#", 1)[-1], "-")


@lru_cache(maxsize=4096)
def entity_sections(body: str) -> frozenset[str]:
    """Ids of the headings of an entry's body, for `[[Entity#Section]]`."""
    return frozenset(heading_id(match.group(1)) for match in _ATX_HEADING.finditer(body))


_ATX_HEADING = re.compile(r"(?m)^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")


_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")


def _file_embed(
    mention: Mention, links: Links, page_url: str, tokens: MentionTokens | None
) -> str | None:
    """`![[image.png|100x80]]` as the image (`|text` is its alt text)."""
    if tokens is None or mention.file is None:
        return None
    src = relative_url(page_url, mention.file)
    label = mention.target.label or ""
    size = _SIZE.fullmatch(label)
    attrs = ""
    if size:
        attrs = f' width="{size.group(1)}"' + (
            f' height="{size.group(2)}"' if size.group(2) else ""
        )
        label = ""
    return tokens.token(
        f'<img class="dossier-file" src="{escape_html(src)}" alt="{escape_html(label)}"{attrs}>'
    )


def _page_link(mention: Mention, links: Links, page_url: str, tokens: MentionTokens | None) -> str:
    """`[[Page]]`, `[[folder/Page#Section]]`, `[[#Heading]]`: a plain link to a page."""
    anchor = heading_id(mention.target.fragment) if mention.target.fragment else None
    if mention.page:
        href = links.article(mention.page, page_url, anchor)
    else:
        href = f"#{anchor}" if anchor else None
    if href is None:
        return inline_markdown(mention.label, md_escape)
    if tokens is None:
        return (
            f'<a class="dossier-page-link" href="{md_escape(href)}">'
            f"{inline_markdown(mention.label, md_escape)}</a>"
        )
    html = (
        f'<a class="dossier-page-link" href="{escape_html(href)}">'
        f"{inline_markdown(mention.label)}</a>"
    )
    return tokens.token(html)


#: Private-use characters that may mark a mention's place in the Markdown handed over.
_MARKS = [chr(code) for code in range(0xE000, 0xE100)]


class MentionTokens:
    """The HTML of one page's mentions, to put back where their tokens came through.

    Each mention goes through Python-Markdown as a token of private-use characters and
    digits, which no Markdown rule touches: the page costs Markdown no more than plain
    text, however many mentions it has (inline HTML costs it quadratic time)."""

    def __init__(self, mark: str):
        self.mark = mark
        self.html: list[str] = []
        self.pattern = re.compile(f"{mark}([0-9]+){mark}")

    def token(self, html: str) -> str:
        self.html.append(html)
        return f"{self.mark}{len(self.html) - 1}{self.mark}"

    def restore(self, html: str) -> str:
        """`html` with every token replaced by its mention's HTML."""
        if self.mark not in html:
            return html
        found = self.html
        return self.pattern.sub(lambda match: found[int(match.group(1))], html)


def render_mentions(
    markdown: str,
    mentions: list[Mention],
    dossier: Dossier,
    links: Links,
    page_url: str,
    rewrites: Sequence[tuple[int, int, str | None]] = (),
    linking: str = "first",
) -> tuple[str, MentionTokens | None]:
    """Markdown with each scanned mention replaced by a token (a link or a span after
    Markdown), a heading's by inline HTML, an unresolved one by its label; the scan's
    rewrites applied (labels where markup cannot go, stray brackets neutralised).

    `linking` says which mentions of an entity are links: the `first` on the page, the
    first in each `section`, or `all`. The others are spans with the same attributes,
    anchors included. Mentions in headings are not links unless `all`, and do not count
    as the first (a heading is no place for a link)."""
    mark = next((m for m in _MARKS if m not in markdown), None)
    tokens = MentionTokens(mark) if mark is not None else None
    edits: list[tuple[int, int, str]] = []
    linked: set[str] = set()
    sections = [start for start, _ in blocks(markdown).headings] if linking == "section" else []
    next_section = 0
    for mention in mentions:
        if mention.in_front_matter:
            continue
        if mention.file is not None:
            original = markdown[mention.start : mention.end]
            shown = _file_embed(mention, links, page_url, tokens) if mention.file else None
            edits.append((mention.start, mention.end, shown or md_escape(original)))
            continue
        if mention.page is not None:
            inline = None if mention.heading else tokens  # headings: read by the TOC
            edits.append((mention.start, mention.end, _page_link(mention, links, page_url, inline)))
            continue
        entity = dossier.entities.get(mention.entity_id or "")
        href = links.entity(entity.id, page_url) if entity else None
        if href is not None and entity is not None and mention.target.fragment:
            section = heading_id(mention.target.fragment)
            if section in entity_sections(entity.body):
                href += f"#{section}"
        if entity is None or href is None or not mention.anchor:
            # Unresolved: its label, with its inline Markdown, as the text reads.
            label = (
                tokens.token(inline_markdown(mention.label))
                if tokens is not None and not mention.heading
                else inline_markdown(mention.label, md_escape)
            )
            edits.append((mention.start, mention.end, label))
            continue
        while next_section < len(sections) and sections[next_section] <= mention.start:
            next_section += 1
            linked.clear()  # a new section: its first mention is a link again
        if linking != "all" and not mention.embed:
            if mention.heading or entity.id in linked:
                href = None
            else:
                linked.add(entity.id)
        if tokens is None or mention.heading:
            edits.append(
                (
                    mention.start,
                    mention.end,
                    mention_link(entity, mention.label, mention.anchor, href),
                )
            )
        else:
            html = mention_html(entity, mention.label, mention.anchor, href, mention.embed)
            edits.append((mention.start, mention.end, tokens.token(html)))
    # A stray `[` goes through as a token too: Python-Markdown stashes every character
    # reference (`&#91;`) and its placeholders cost it quadratic time on a page full of
    # them. Headings keep the reference (MkDocs reads their text before tokens return).
    stray = "&#91;"
    headings: list[tuple[int, int]] = []
    if tokens is not None and any(label is None for _, _, label in rewrites):
        stray = tokens.token(stray)
        headings = blocks(markdown).headings
    heading_starts = [start for start, _ in headings]
    for start, end, label in rewrites:
        if label is not None:
            edits.append((start, end, md_escape(label)))
            continue
        at = bisect_right(heading_starts, start) - 1
        in_heading = at >= 0 and start < headings[at][1]
        edits.append((start, end, "&#91;" if in_heading else stray))
    edits.sort()
    parts: list[str] = []
    pos = 0
    for start, end, replacement in edits:
        parts.append(markdown[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(markdown[pos:])
    return "".join(parts), tokens if tokens is not None and tokens.html else None


def entity_page(
    entity: Entity,
    dossier: Dossier,
    links: Links,
    page_url: str,
    body_html: str,
    draw_map: MapDrawer | None = None,
    nearby: list[tuple[Entity, str]] | None = None,
    jsonld: str = "",
    templates: jinja2.Environment | None = None,
    blocks: Sequence[str] = PAGE_BLOCKS,
) -> Content:
    """The whole content of an entity's page (Material adds the frame around it), or the
    parts of it in `blocks`: the `head` (facts and the entry's text) and `tail` need the
    page's HTML, the `sections` (map, timeline, mentions...) only the dossier."""
    mentions = dossier.mentions.get(entity.id, [])
    by_article: dict[str, list] = {}
    for article, mention in mentions:
        by_article.setdefault(article.src_uri, []).append(mention)
    articles = {a.src_uri: a for a, _ in mentions}
    ordered = sorted(articles.values(), key=_newest_first)
    templates = templates or environment()
    variables: dict[str, Any] = {}
    if "sections" in blocks:
        neighbours = [other for other, _ in (nearby or [])]
        variables = {
            "map_html": (
                draw_map(map_places(entity, dossier, neighbours), page_url, entity)
                if draw_map
                else ""
            ),
            "timeline": timeline_years(dossier, entity),
            "mention_years": [
                (year, list(group))
                for year, group in groupby(ordered, key=lambda a: a.date.year if a.date else None)
            ],
            "by_article": by_article,
            "statements": sorted(
                dossier.statements.get(entity.id, []),
                key=lambda pair: _newest_first(pair[0]),
            ),
            "related": related_entities(entity, dossier),
            "nearby": nearby or [],
            "jsonld": jsonld,
        }
    return _render_blocks(
        "entity.html",
        templates,
        blocks,
        e=entity,
        type_label=TYPE_LABELS[entity.type][0],
        index_url=links.index(entity.type, page_url),
        facts=facts(entity, dossier, links, page_url, templates.globals["DATE_STYLE"])
        if "head" in blocks
        else [],
        body_html=body_html,
        articles=ordered,
        dossier=dossier,
        mention_count=len(mentions),
        links=links,
        page_url=page_url,
        **variables,
    )


def index_page(
    kind: str,
    dossier: Dossier,
    links: Links,
    page_url: str,
    map_html: str = "",
    templates: jinja2.Environment | None = None,
) -> Content:
    """A type's index: every entity with summary and mention count (events as a timeline)."""
    entities = sorted(dossier.of_type(kind), key=lambda e: (e.name.casefold(), e.slug))
    years, undated = events_by_year(dossier) if kind == "event" else ([], [])
    return _render_blocks(
        "index.html",
        templates or environment(),
        kind=kind,
        title=TYPE_LABELS[kind][1],
        entities=entities,
        years=years,
        undated=undated,
        dossier=dossier,
        links=links,
        page_url=page_url,
        map_html=map_html,
    )


def article_panel(
    article: Article,
    dossier: Dossier,
    links: Links,
    page_url: str,
    map_html: str = "",
    templates: jinja2.Environment | None = None,
) -> str:
    """'In this article' (entities by type, with counts), its map and related articles."""
    counts: dict[str, int] = {}
    for mention in article.mentions:
        if mention.entity_id:
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + (
                0 if mention.in_front_matter else 1
            )
    groups = []
    for kind in TYPES:
        members = [dossier.entities[i] for i in entity_ids(article) if i.startswith(kind + ":")]
        if members:
            members.sort(key=lambda e: (-counts[e.id], e.name.casefold()))
            groups.append((kind, members))
    about = {m.entity_id: m.anchor for m in article.mentions if m.in_front_matter}
    related = dossier.related_articles(article)
    if not groups and not related:
        return ""
    template = (templates or environment()).get_template(f"{TEMPLATE_PREFIX}/article_panel.html")
    return template.render(
        groups=groups,
        counts=counts,
        about=about,
        related=related,
        dossier=dossier,
        links=links,
        page_url=page_url,
        map_html=map_html,
    )


def article_header(
    article: Article,
    h1: bool,
    tags: bool = True,
    templates: jinja2.Environment | None = None,
) -> str:
    """An article's header: section, the title as `<h1>` when the page has none, byline,
    source linked to the original, date and update, tags; "" when it has none of them."""
    byline = list(article.authors)
    if article.source and [a.casefold() for a in byline] == [article.source.casefold()]:
        byline = []  # `authors: [Axios]` with `source: Axios`: the source says it once
    fields = (article.source, article.original_url, article.date, article.updated)
    if not (h1 or byline or any(fields) or article.section or (tags and article.tags)):
        return ""
    template = (templates or environment()).get_template(f"{TEMPLATE_PREFIX}/article_header.html")
    return template.render(article=article, h1=h1, byline=byline, tags=article.tags if tags else [])


def _newest_first(article: Article) -> tuple:
    key = article.date.sort_key if article.date else (0, 0, 0)
    return (tuple(-k for k in key), article.title.casefold(), article.src_uri)
