"""Sources in, article files out: what `dossier import` does, without MkDocs.

A source is an http(s) URL, a saved page, a folder of saved pages, or an RSS/Atom feed
(a URL or a file; its entries' links are fetched). Each article found either becomes a
new file `<articles>/<date>-<slug>.md`, or is skipped because an article with its URL is
already in the dossier, or fails with the reason; `Outcome` records which.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from ..files import display_path
from ..names import slugify
from ..read import frontmatter as source_frontmatter
from .extract import ImportedArticle, extract_article, same_page
from .fetch import Fetcher, FetchError

#: Saved pages a folder source contributes (what browsers save a page as).
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_WEB = re.compile(r"https?://", re.IGNORECASE)


@dataclass
class Outcome:
    """How one article from one source ended: written, skipped, or failed."""

    origin: str  # the source as the editor gave it; for a feed's entry, with its link
    path: Path | None = None  # the new file
    skipped: str = ""  # why nothing was written though nothing went wrong
    error: str = ""  # why it could not be imported
    missing: list[str] = field(default_factory=list)  # what the new file lacks


def known_urls(pages: Iterable[tuple[str, str]], root: Path) -> dict[str, str]:
    """The `url` of every page in the dossier that has one, keyed as `same_page` keys it,
    with the page's path from the project root."""
    known: dict[str, str] = {}
    for _, path in pages:
        try:
            raw = Path(path).read_bytes()
        except OSError:
            continue  # the build reports unreadable pages; nothing to compare here
        _, fm = source_frontmatter.read(raw, path)
        url = fm.data.get("url")
        key = same_page(url) if isinstance(url, str) else ""
        if key:
            known.setdefault(key, display_path(path, root))
    return known


class Importer:
    """Turns sources into article files under `articles_dir`, never overwriting one."""

    def __init__(
        self,
        articles_dir: Path,
        root: Path,
        known: dict[str, str],
        fetcher: Callable[[], Fetcher],
    ) -> None:
        self.articles_dir = articles_dir
        self.root = root
        self.known = known
        self._make_fetcher = fetcher
        self._fetcher: Fetcher | None = None

    def run(self, sources: Iterable[str]) -> Iterator[Outcome]:
        """Each source's outcomes, as they happen."""
        try:
            for source in sources:
                yield from self._source(source)
        finally:
            if self._fetcher is not None:
                self._fetcher.close()

    @property
    def fetcher(self) -> Fetcher:
        """The HTTP client, made at the first URL (local files need no network)."""
        if self._fetcher is None:
            self._fetcher = self._make_fetcher()
        return self._fetcher

    def _source(self, source: str) -> Iterator[Outcome]:
        if _WEB.match(source):
            try:
                page = self.fetcher.get(source)
            except FetchError as exc:
                yield Outcome(source, error=str(exc))
                return
            if not _readable_type(page.content_type):
                yield Outcome(source, error=f"not a web page or feed ({page.content_type})")
                return
            yield from self._document(source, page.content, page.url)
            return
        path = Path(source)
        if path.is_dir():
            pages = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in PAGE_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not pages:
                yield Outcome(source, error="no saved pages (.html, .htm) in this folder")
            for page_path in pages:
                yield from self._file(page_path)
            return
        if path.is_file():
            yield from self._file(path)
            return
        yield Outcome(source, error="no such file or folder, and not an http(s) URL")

    def _file(self, path: Path) -> Iterator[Outcome]:
        origin = display_path(path, self.root)
        try:
            content = path.read_bytes()
        except OSError as exc:
            yield Outcome(origin, error=f"cannot read: {exc.strerror or exc}")
            return
        yield from self._document(origin, content, None)

    def _document(self, origin: str, content: bytes, url: str | None) -> Iterator[Outcome]:
        if looks_like_feed(content):
            yield from self._feed(origin, content, url)
        else:
            yield self._article(origin, content, url, ImportedArticle())

    def _feed(self, origin: str, content: bytes, feed_url: str | None) -> Iterator[Outcome]:
        import feedparser

        feed = feedparser.parse(content)
        if not feed.entries:
            why = getattr(feed, "bozo_exception", None)
            yield Outcome(origin, error=f"a feed without entries{f' ({why})' if why else ''}")
            return
        for entry in feed.entries:
            link = entry.get("link") or ""
            link = urljoin(feed_url, link) if feed_url else link
            label = f"{origin} -> {link or entry.get('title', '(untitled entry)')}"
            if not _WEB.match(link):
                yield Outcome(label, error="the entry has no http(s) link to its article")
                continue
            already = self.known.get(same_page(link))
            if already:  # asked for nothing: the link alone says it is here
                yield Outcome(label, skipped=f"already in the dossier: {already}")
                continue
            try:
                page = self.fetcher.get(link)
            except FetchError as exc:
                yield Outcome(label, error=str(exc))
                continue
            yield self._article(label, page.content, page.url, _from_entry(entry))

    def _article(
        self, origin: str, html: bytes, url: str | None, hints: ImportedArticle
    ) -> Outcome:
        """Extract, check against the dossier, write. `hints` (from a feed entry) fill
        what the page itself does not say."""
        try:
            article = extract_article(html, url)
        except Exception as exc:  # noqa: BLE001 - one unreadable page fails alone
            return Outcome(origin, error=f"cannot read the page: {type(exc).__name__}: {exc}")
        for attr in ("title", "date", "authors", "summary"):
            if not getattr(article, attr):
                setattr(article, attr, getattr(hints, attr))
        if article.date and not _ISO_DATE.match(article.date):
            article.date = None
        if not article.body.strip():
            return Outcome(origin, error="no article text found in the page")
        if not article.title:
            return Outcome(origin, error="no title found in the page")
        key = same_page(article.url)
        if key and key in self.known:
            return Outcome(origin, skipped=f"already in the dossier: {self.known[key]}")
        try:
            path = write_article(article, self.articles_dir)
        except OSError as exc:
            shown = display_path(self.articles_dir, self.root)
            return Outcome(origin, error=f"cannot write in {shown}: {exc.strerror or exc}")
        if key:
            self.known[key] = display_path(path, self.root)
        missing = [m for m in article.missing() if m not in {"no title", "no article text"}]
        return Outcome(origin, path=path, missing=missing)


def _readable_type(content_type: str) -> bool:
    """Whether a response of this Content-Type may be a page or a feed (none said: try)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return not kind or kind.startswith("text/") or "html" in kind or "xml" in kind


def looks_like_feed(content: bytes) -> bool:
    """Whether `content` is an RSS or Atom feed rather than a page (by its first tag)."""
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    head = re.sub(rb"<\?xml[^>]*\?>|<!--.*?-->|<\?xml-stylesheet[^>]*\?>", b"", head, flags=re.S)
    return bool(re.match(rb"\s*<(rss|feed|rdf:rdf)[\s>]", head))


def _from_entry(entry: dict) -> ImportedArticle:
    """What a feed entry says of its article."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    date = dt.date(*parsed[:3]).isoformat() if parsed else None
    author = entry.get("author")
    return ImportedArticle(
        title=" ".join(str(entry.get("title", "")).split()) or None,
        date=date,
        authors=[" ".join(author.split())] if isinstance(author, str) and author.strip() else [],
    )


def write_article(article: ImportedArticle, folder: Path) -> Path:
    """Write `article` as `<folder>/<date>-<slug>.md` (`<slug>.md` without a date).

    Never overwrites: a name already taken — by a different article, since one with the
    same URL was skipped before — gets `-2`, `-3`... The file is created exclusively, so
    two runs at once cannot write the same name either."""
    import frontmatter

    values = article.front_matter()
    if article.date:
        values["date"] = dt.date.fromisoformat(article.date)  # YAML writes it unquoted
    post = frontmatter.Post(article.body, **values)
    text = frontmatter.dumps(post, sort_keys=False, width=1 << 30, allow_unicode=True) + "\n"
    stem = slugify(article.title or "")
    if article.date:
        stem = f"{article.date}-{stem}"
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        path = folder / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            return path
        except FileExistsError:
            number += 1
