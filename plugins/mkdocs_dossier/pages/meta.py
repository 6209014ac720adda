"""What a page tells search engines and link previews: its description, Open Graph and
Twitter tags, and a 404 page that finds its stylesheets wherever it is opened.

Material prints `page.meta.description` into `<meta name="description">` unescaped (and
`<link rel="canonical">` when the site has a `site_url`); the adapter hands it the text
from here, escaped. The social tags need absolute addresses, so they are written only
when the site has a `site_url`.

Plain Python: the adapter hands in the finished page and what the engine knows of it.
"""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser

from ..index.build import Dossier
from ..model import Article, Entity
from ..types import entity_type

#: Longest description: search engines show about 155-160 characters.
MAX_DESCRIPTION = 200

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
# A caption or credit line: a paragraph that is one emphasised run.
_CAPTION = re.compile(r"\s*<(em|i)\b[^>]*>.*</\1>\s*\Z", re.S | re.I)
# A candidate sentence end: . ! or ? (and closing quotes) before a space and a capital
# letter, a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
# Words whose full stop ends no sentence: "Sen. Graham", "Lt. Gen. Smith".
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sen", "rep", "gov", "jr", "sr"}
    | {"prof", "capt", "maj", "sgt", "no", "vs"}
)
_HEAD_END = re.compile(r"</head\s*>", re.I)


class _Text(HTMLParser):
    """The text of an HTML fragment, markup dropped and character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "sup"):  # footnote markers are not text
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "sup") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    """`fragment` (HTML) as one line of plain text."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def first_sentence(html: str) -> str:
    """The first sentence of the first paragraph of text in `html` (captions skipped),
    shortened at a word to `MAX_DESCRIPTION` characters; "" if there is none."""
    for match in _PARAGRAPH.finditer(html):
        inner = match.group(1)
        if _CAPTION.match(inner):
            continue
        text = plain_text(inner)
        if not text:
            continue
        return shorten(text[: _sentence_end(text)])
    return ""


def _sentence_end(text: str) -> int:
    """Where the first sentence of `text` ends (its length if it is one sentence)."""
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"(\w+)\W*\Z", text[: match.start()])
        # "U.S. Secretary", "J. Smith", "Sen. Graham": an initial or an abbreviation.
        if (
            match.group(0)[0] == "."
            and word is not None
            and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS)
        ):
            continue
        return match.start() + len(match.group(0).rstrip())
    return len(text)


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def _mentioned_in(entity: Entity, dossier: Dossier, site_name: str) -> str:
    """A reader's description of an entity that has no entry, or no summary."""
    count = len(dossier.mentioned_in.get(entity.id, ()))
    where = f" of {site_name}" if site_name else ""
    if not count:
        return f"{entity.name} has a page in the dossier{where}."
    articles = "1 article" if count == 1 else f"{count} articles"
    return f"{entity.name} is mentioned in {articles}{where}."


def entity_description(entity: Entity, dossier: Dossier, site_name: str) -> str:
    """What a reader is told an entity is: its summary, else where it is mentioned (a
    stub's summary is editor wording, never shown as a description)."""
    if entity.summary and not entity.stub:
        return entity.summary
    return _mentioned_in(entity, dossier, site_name)


def article_description(article: Article | None, given: str, html: str) -> str:
    """An article's description: its front matter's `description:` (`given`), else its
    `summary:`, else the first sentence of its text."""
    if given:
        return given
    if article is not None and article.summary:
        return article.summary
    return first_sentence(html)


def page_description(
    dossier: Dossier,
    src_uri: str,
    *,
    entity: Entity | None,
    index_type: str | None,
    homepage: bool,
    given: str,
    html: str,
    site_name: str,
) -> str:
    """A page's description, plain text: an entity's, an index page's, an article's
    (`given`: its front matter's `description:`; `html`: its text); "" for the home page,
    which the theme gives the site's description."""
    if entity is not None:
        return entity_description(entity, dossier, site_name)
    if index_type is not None:
        return index_description(index_type, dossier, site_name)
    if homepage:
        return given
    return article_description(dossier.by_uri.get(src_uri), given, html)


def index_description(kind: str, dossier: Dossier, site_name: str) -> str:
    """The description of a type's index page: how many it lists, and the most named."""
    entities = dossier.of_type(kind)
    plural = entity_type(kind).plural.lower()
    ranked = sorted(
        (e for e in entities if not e.stub),
        key=lambda e: (-len(dossier.mentioned_in.get(e.id, ())), e.name),
    )
    where = f" in {site_name}" if site_name else ""
    text = f"{len(entities)} {plural}{where}"
    if ranked:
        text += ", among them " + ", ".join(e.name for e in ranked[:3])
    return shorten(text + ".")


def social_tags(
    *, url: str, title: str, description: str, site_name: str, article: Article | None
) -> str:
    """Open Graph and Twitter card `<meta>` tags for a page at the absolute `url`; an
    article with a date is an `article`, every other page a `website`."""
    dated = article is not None and article.date is not None
    tags = [
        ("property", "og:type", "article" if dated else "website"),
        ("property", "og:title", title),
        ("property", "og:url", url),
        ("property", "og:site_name", site_name),
    ]
    if description:
        tags.append(("property", "og:description", description))
    if dated:
        assert article is not None and article.date is not None
        tags.append(("property", "article:published_time", article.date.iso()))
        if article.updated:
            tags.append(("property", "article:modified_time", article.updated.iso()))
        if article.section:
            tags.append(("property", "article:section", article.section))
        tags.extend(("property", "article:tag", tag) for tag in article.tags)
    tags.append(("name", "twitter:card", "summary"))
    tags.append(("name", "twitter:title", title))
    if description:
        tags.append(("name", "twitter:description", description))
    return "".join(
        f'<meta {attr}="{name}" content="{escape(value, quote=True)}">'
        for attr, name, value in tags
        if value
    )


def add_to_head(html: str, markup: str) -> str:
    """`html` with `markup` at the end of its `<head>` (unchanged if it has none)."""
    if not markup:
        return html
    end = _HEAD_END.search(html)
    if end is None:
        return html
    return html[: end.start()] + markup + html[end.start() :]


# An href or src attribute whose value starts at the site's root path.
_ROOTED = re.compile(r"""(\s(?:href|src)=)(["'])/(?!/)""", re.I)
_CONFIG = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S | re.I
)


def relative_404(html: str) -> str:
    """The 404 page of a site without `site_url`, its addresses made relative.

    MkDocs gives 404.html the base URL `/` (the site's root path, since the page is
    served for missing pages at any depth): from disk that is the file system's root,
    and on a project site (`https://example.org/project/`) the host's. The page lives
    at the site's root, so the same addresses without the leading `/` work from disk
    and for a missing page at the top of any path. Material's `__config` carries the
    base and the search worker's address the same way.
    """
    html = _ROOTED.sub(r"\1\2", html)

    def config(match: re.Match[str]) -> str:
        try:
            data = json.loads(match.group(2))
        except ValueError:
            return match.group(0)
        if data.get("base") == "/":
            data["base"] = "."
        search = data.get("search")
        if isinstance(search, str) and search.startswith("/") and not search.startswith("//"):
            data["search"] = search[1:]
        text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        return match.group(1) + text + match.group(3)

    return _CONFIG.sub(config, html, count=1)
