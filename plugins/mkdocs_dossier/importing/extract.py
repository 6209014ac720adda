"""One page in, one ImportedArticle out: trafilatura reads it, we tidy its Markdown.

trafilatura (Apache-2.0) finds the article in the page and its metadata (title, date,
authors, site name, canonical URL, description). Its Markdown is good but not clean on
real pages; `tidy_markdown` fixes what it gets wrong there, each fix named below.
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = ["ImportedArticle", "extract_article", "same_page", "tidy_markdown", "web_address"]


@dataclass
class ImportedArticle:
    """An article as read from a page: its front-matter fields and its Markdown body."""

    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    summary: str | None = None
    body: str = ""

    def front_matter(self) -> dict[str, Any]:
        """The article fields (types.ARTICLE_FIELDS) that were found, in the SPEC's order."""
        values: dict[str, Any] = {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "authors": self.authors or None,
            "url": self.url,
            "summary": self.summary,
        }
        return {key: value for key, value in values.items() if value}

    def missing(self) -> list[str]:
        """What could not be found, in an editor's words (empty when everything was)."""
        wanting = [
            ("title", "no title"),
            ("date", "no publication date"),
            ("authors", "no authors"),
            ("source", "no site name"),
            ("url", "no canonical URL"),
            ("summary", "no description"),
            ("body", "no article text"),
        ]
        return [words for attr, words in wanting if not getattr(self, attr)]


def extract_article(html: bytes | str, page_url: str | None = None) -> ImportedArticle:
    """The article in `html` (fetched from `page_url`, when it was). Fields it could not
    find are left empty; `ImportedArticle.missing()` lists them."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=page_url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=True,
        include_links=True,
    )
    if document is None:  # no main text; trafilatura keeps no metadata then
        return ImportedArticle(url=web_address(page_url))
    title = _one_line(document.title)
    url = web_address(_absolute(document.url, page_url)) or web_address(page_url)
    body = unicodedata.normalize("NFC", _markdown(document.body))
    return ImportedArticle(
        title=title,
        date=document.date or None,
        authors=_authors(document.author),
        source=_one_line(document.sitename) or _one_line(document.hostname),
        url=url,
        summary=_one_line(document.description),
        body=tidy_markdown(body, url or page_url, title),
    )


def _markdown(body: Any) -> str:
    """trafilatura's Markdown of its `body` tree, with block quotes as `>` blocks (its
    Markdown writes a quote as plain paragraphs, losing that it was quoted)."""
    from lxml import etree
    from trafilatura.xml import xmltotxt

    blocks: list[str] = []
    run = etree.Element("body")
    for child in list(body):
        if child.tag != "quote":
            run.append(child)
            continue
        if len(run):
            blocks.append(xmltotxt(run, True))
            run = etree.Element("body")
        child.tag, child.tail = "body", None
        quoted = xmltotxt(child, True).strip()
        if quoted:
            blocks.append("\n".join(f"> {line}".rstrip() for line in quoted.splitlines()))
    if len(run):
        blocks.append(xmltotxt(run, True))
    return "\n\n".join(blocks)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text and text.strip() else None


def _authors(text: str | None) -> list[str]:
    # trafilatura joins several authors with "; ".
    return [name for name in (_one_line(part) for part in (text or "").split(";")) if name]


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    return urljoin(base, url) if base else url


def web_address(url: str | None) -> str | None:
    """`url` without its fragment if it is an http(s) address, else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return urlunsplit(parts._replace(fragment=""))


def same_page(url: str | None) -> str:
    """The key two addresses of one article share: host in lower case, http = https, no
    fragment, no trailing slash. Empty for what is not an http(s) address."""
    address = web_address(url)
    if not address:
        return ""
    parts = urlsplit(address)
    path = parts.path.rstrip("/")
    return urlunsplit(("", parts.netloc.lower(), path, parts.query, "")).lstrip("/")


# --- trafilatura's Markdown, tidied ----------------------------------------------------

#: A Markdown link whose label may hold escaped brackets (`[\[1\]](...)`).
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
#: Link targets kept: web addresses, mail, spots on the page.
_SAFE_TARGET = re.compile(r"(?:https?://|mailto:|#)", re.IGNORECASE)
#: A `<` that is not one of trafilatura's own `<sup>`, `<sub>` (escaped or not).
_RAW_TAG = re.compile(r"\\?<(?!/?su[pb]>)")
#: A reference-note label: `\[1\]`, `\[note 2\]`, `1`.
_NOTE_LABEL = re.compile(r"\\\[[^\]]{1,12}\\\]|\d{1,3}")
#: HTML's legacy entities that need no `;` (`&sect`, `&para`, `&copy`...), by character.
_LEGACY_ENTITIES = {
    char: name
    for name, char in html.entities.html5.items()
    if not name.endswith(";") and not char.isascii()
}
#: Such a character where a query parameter's name should start (`§ion=`).
_UNESCAPED = re.compile(
    "(" + "|".join(re.escape(char) for char in _LEGACY_ENTITIES) + r")(?=[\w.-]*=)"
)
_EMPTY_SUP = re.compile(r"<sup>\s*</sup>")
#: Block starts that are not a running paragraph.
_NOT_PROSE = re.compile(r"(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\||```|<)")
_SENTENCE_END = ".!?:;…\"'”’»)]*_"


def tidy_markdown(text: str, page_url: str | None, title: str | None) -> str:
    """trafilatura's Markdown with what it gets wrong on real pages put right (block
    quotes are put right before, in `_markdown`):

    - links to a spot on the page itself lose their target: a paragraph of just one
      ("Jump to navigation") and note markers (`[1]`) go, other labels stay as text;
    - a query the page wrote `?a=1&amp;section=2` comes out as `§ion=2` (`&sect` read
      as an entity): in link targets, where such characters are never raw, the `&name`
      is put back;
    - a heading that repeats the title goes (the page shows the title already);
    - a link followed straight by a word gets its lost space back;
    - a sentence cut in two paragraphs where a link began (text loose in a `div`, as
      Blogger writes it) is joined again;
    - a `<` of the page's text comes out backslashed, which Python-Markdown does not
      unescape: `<img onerror=...>` written in an article would become a tag. Every `<`
      but those of trafilatura's own `<sup>`/`<sub>` becomes `&lt;`, and a link to
      anything but http(s), mailto or a spot on the page keeps only its text;
    - no-break spaces (`&nbsp;` between sentences) become spaces, so names read and
      match as the editor types them;
    - blocks are separated by exactly one blank line, as Python-Markdown needs.
    """
    text = _RAW_TAG.sub("&lt;", text.replace("\u00a0", " "))
    page = same_page(page_url)

    def unlink(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if not _SAFE_TARGET.match(target):  # `javascript:`, `data:`...: the text only
            return label
        if not _points_into(target, page):
            return f"[{label}]({_repair_query(target)})"
        return "" if _NOTE_LABEL.fullmatch(label) else label

    blocks: list[str] = []
    for raw in re.split(r"\n\s*\n", text):
        alone = _LINK.fullmatch(raw.strip())
        if alone and _points_into(alone.group(2), page):  # "Jump to navigation"
            continue
        block = _EMPTY_SUP.sub("", _LINK.sub(unlink, raw)).strip("\n")
        block = re.sub(r"(\]\([^()\s]*\))(?=\w)", r"\1 ", block)
        if not block.strip():
            continue
        if not blocks and title and _is_title(block, title):
            continue
        if blocks and _continues(blocks[-1], block):
            blocks[-1] = blocks[-1].rstrip() + " " + block.lstrip()
            continue
        blocks.append(block.rstrip())
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _points_into(target: str, page: str) -> bool:
    """Whether a link `target` is a spot on this page (`#x`, or the page's URL + `#x`)."""
    if target.startswith("#"):
        return True
    if "#" not in target:
        return False
    before = target.split("#", 1)[0]
    key = same_page(before)
    # trafilatura resolves `#x` against the site's root: count that as this page too.
    root = key.split("/", 1)[0] if key else ""
    return bool(key) and (key == page or (key == root and page.startswith(root)))


def _repair_query(target: str) -> str:
    """`target` with `&sect`... put back in its query, where they were parameter names."""
    address, mark, query = target.partition("?")
    if not mark:
        return target
    return address + mark + _UNESCAPED.sub(lambda m: "&" + _LEGACY_ENTITIES[m.group(1)], query)


def _is_title(block: str, title: str) -> bool:
    heading = re.fullmatch(r"#{1,6}\s+(.*)", block.strip())
    return bool(heading) and heading.group(1).strip().casefold() == title.strip().casefold()


def _continues(previous: str, block: str) -> bool:
    """Whether `block` is the rest of the sentence `previous` broke off."""
    if _NOT_PROSE.match(previous) or _NOT_PROSE.match(block):
        return False
    if "\n" in previous.strip() or previous.rstrip().endswith(tuple(_SENTENCE_END)):
        return False
    first = block.lstrip()[:1]
    return first == "[" or first.islower()
