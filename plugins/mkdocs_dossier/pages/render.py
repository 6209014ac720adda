"""HTML of the generated parts: entity pages, type indexes, article panels, mention links.

Generated pages skip Markdown: only an entry's own body is converted (by MkDocs); all the
rest is rendered here from templates, with every editor-supplied text escaped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import jinja2

from ..index.build import Dossier, entity_ids
from ..index.ranking import map_places, related_entities
from ..index.timeline import entity_timeline, events_by_year
from ..model import Article, Entity, Mention
from ..types import TYPE_LABELS, TYPES, entity_type
from .html import md_escape
from .links import Links

#: Draws a map: (places as (entity, focus) pairs, page url, title) -> HTML ("" for none).
MapDrawer = Callable[[list[tuple[Entity, bool]], str, str], str]


#: Where the shipped templates are found: `dossier/<name>` (the site's override first)
#: and `dossier/base/<name>` (always the shipped one, for an override to extend).
TEMPLATE_PREFIX = "dossier"


@lru_cache(maxsize=8)
def environment(overrides: str | None = None) -> jinja2.Environment:
    """The templates of the generated parts, looked up as `dossier/entity.html` and so on.

    With `overrides` (the theme's custom_dir), `<overrides>/dossier/<name>` replaces the
    shipped template of that name, the way the theme's own partials are overridden; it
    may `{% extends "dossier/base/<name>" %}` and change only some blocks.
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


def _render_blocks(name: str, templates: jinja2.Environment, **variables: Any) -> Content:
    """Render a template's `head`, `sections` and `tail` blocks with one set of variables."""
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
            "".join(context.blocks[block][0](context)) if block in context.blocks else ""
            for block in PAGE_BLOCKS
        )
    )


@dataclass
class Fact:
    label: str
    text: str = ""
    links: list[tuple[str, str | None]] | None = None  # (name, href)


def facts(entity: Entity, dossier: Dossier, links: Links, page_url: str) -> list[Fact]:
    """The header's facts: the fields its type shows (types.Field.fact), in the order of
    the type's fields, targets linked."""
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
            text = f"{value[0]:.4f}, {value[1]:.4f}"
        elif field.kind == "date":
            text = value.display()
            until = etype.field(field.until) if field.until else None
            end = until.value(entity) if until else None
            if end:
                text += f" – {end.display()}"
        else:
            text = str(value)
        found.append(Fact(label, text=text))
    return found


def mention_link(entity: Entity, label: str, anchor: str, href: str | None) -> str:
    """The inline HTML spliced into Markdown for one resolved mention.

    Without `href` (a mention inside a link's text, where a link may not nest) it is a
    `<span>` that still carries the anchor the entity page points at.
    """
    tag = "a" if href is not None else "span"
    link = f' href="{md_escape(href)}"' if href is not None else ""
    return (
        f'<{tag} class="dossier-mention dossier-{entity.type}" '
        f'data-entity="{md_escape(entity.id)}" id="{md_escape(anchor)}"{link} '
        f'title="{md_escape(entity.summary or entity.name)}">{md_escape(label)}</{tag}>'
    )


_LINK_TEXT_REACH = 1000  # how far around a mention we look for an enclosing [text](url)


def inside_link_text(markdown: str, start: int, end: int) -> bool:
    """Whether `markdown[start:end]` sits in the text of a Markdown link `[...](...)`.

    Walks out from the mention over brackets only (found with str.find/rfind, so the
    text between them costs nothing), within `_LINK_TEXT_REACH` characters and the
    paragraph (a blank line ends the search).
    """
    low = max(0, start - _LINK_TEXT_REACH)
    depth = 0
    rfind = markdown.rfind
    opening, closing, newline = (
        rfind("[", low, start),
        rfind("]", low, start),
        rfind("\n", low, start),
    )
    while True:
        pos = max(opening, closing, newline)
        if pos < 0:
            return False
        if pos == newline:
            if markdown[pos - 1 : pos] == "\n":
                return False
            newline = rfind("\n", low, pos)
        elif pos == closing:
            depth += 1
            closing = rfind("]", low, pos)
        else:
            opening = rfind("[", low, pos)
            if pos == 0 or markdown[pos - 1] != "\\":
                if depth == 0:
                    break
                depth -= 1
    depth = 0
    high = min(len(markdown), end + _LINK_TEXT_REACH)
    find = markdown.find
    opening, closing, newline = find("[", end, high), find("]", end, high), find("\n", end, high)
    while True:
        found = [p for p in (opening, closing, newline) if p >= 0]
        if not found:
            return False
        pos = min(found)
        if pos == newline:
            if markdown[pos + 1 : pos + 2] == "\n":
                return False
            newline = find("\n", pos + 1, high)
        elif pos == opening:
            depth += 1
            opening = find("[", pos + 1, high)
        else:
            if depth == 0:
                return markdown[pos + 1 : pos + 2] in ("(", "[")
            depth -= 1
            closing = find("]", pos + 1, high)


def render_mentions(
    markdown: str, mentions: list[Mention], dossier: Dossier, links: Links, page_url: str
) -> str:
    """Markdown with each scanned mention replaced: a link, or its label as plain text."""
    parts: list[str] = []
    pos = 0
    for mention in mentions:
        if mention.in_front_matter:
            continue
        parts.append(markdown[pos : mention.start])
        entity = dossier.entities.get(mention.entity_id or "")
        href = links.entity(entity.id, page_url) if entity else None
        if entity is not None and href is not None and mention.anchor:
            if inside_link_text(markdown, mention.start, mention.end):
                href = None
            parts.append(mention_link(entity, mention.label, mention.anchor, href))
        else:
            parts.append(md_escape(mention.label))
        pos = mention.end
    parts.append(markdown[pos:])
    return "".join(parts)


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
) -> Content:
    """The whole content of an entity's page (Material adds the frame around it)."""
    mentions = dossier.mentions.get(entity.id, [])
    by_article: dict[str, list] = {}
    for article, mention in mentions:
        by_article.setdefault(article.src_uri, []).append(mention)
    articles = {a.src_uri: a for a, _ in mentions}
    ordered = sorted(articles.values(), key=_newest_first)
    related = related_entities(entity, dossier)
    statements = sorted(
        dossier.statements.get(entity.id, []),
        key=lambda pair: _newest_first(pair[0]),
    )
    neighbours = [other for other, _ in (nearby or [])]
    map_html = (
        draw_map(map_places(entity, dossier, neighbours), page_url, entity.name) if draw_map else ""
    )
    return _render_blocks(
        "entity.html",
        templates or environment(),
        e=entity,
        type_label=TYPE_LABELS[entity.type][0],
        index_url=links.index(entity.type, page_url),
        facts=facts(entity, dossier, links, page_url),
        body_html=body_html,
        map_html=map_html,
        timeline=entity_timeline(dossier, entity),
        articles=ordered,
        by_article=by_article,
        statements=statements,
        related=related,
        nearby=nearby or [],
        mention_count=len(mentions),
        links=links,
        page_url=page_url,
        jsonld=jsonld,
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


def _newest_first(article: Article) -> tuple:
    key = article.date.sort_key if article.date else (0, 0, 0)
    return (tuple(-k for k in key), article.title.casefold(), article.src_uri)
