"""Link integrity of the built sample site: every internal link, asset and #anchor resolves.

Pages are read with html.parser. Internal URLs must be relative (a root-relative "/x"
breaks the site opened from disk); external ones (http, https, mailto...) are skipped
but collected, and the plugin's own output must contain none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from sitebuild import ROOT as SAMPLE

#: Attributes holding a URL, on any element (html and inline SVG).
URL_ATTRS = ("href", "src", "xlink:href", "poster", "action")
#: Elements that never have an end tag.
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip
#: Folders of the generated entity and index pages.
GENERATED = ("people/", "places/", "organizations/", "events/")
SKIP_SCHEMES = ("data", "javascript", "blob", "about")


@dataclass
class Link:
    page: str  # site-relative path of the page holding the link
    line: int
    tag: str
    attr: str
    url: str
    in_plugin_output: bool  # inside the plugin's markup (generated page body or dossier-*)


@dataclass
class Parsed:
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self, page: str, generated: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.generated = generated
        self.out = Parsed()
        self.stack: list[tuple[str, bool]] = []  # (tag, inside plugin output)

    def _inside(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, self_closing=tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, self_closing=True)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool):
        values = {k: v for k, v in attrs if v is not None}
        classes = values.get("class", "").split()
        ours = (
            self._inside()
            or any(c.startswith("dossier") for c in classes)
            or (self.generated and tag == "article")
        )
        if "id" in values:
            self.out.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.out.anchors.add(values["name"])
        line = self.getpos()[0]
        for attr in URL_ATTRS:
            url = values.get(attr)
            if url is None:
                continue
            if tag == "form" and attr == "action":
                continue
            self.out.links.append(Link(self.page, line, tag, attr, url, ours))
        if not self_closing:
            self.stack.append((tag, ours))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


@cache
def _parse(path: Path, rel: str) -> Parsed:
    parser = _PageParser(rel, generated=rel.startswith(GENERATED))
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.out


@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    assert sample_site.returncode == 0, sample_site.log
    return sample_site.site


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Parsed]:
    found = {
        p.relative_to(site).as_posix(): _parse(p, p.relative_to(site).as_posix())
        for p in sorted(site.rglob("*.html"))
    }
    assert len(found) > 20
    return found


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) and parts.scheme not in SKIP_SCHEMES


def _resolve(page: str, url: str) -> tuple[str, str]:
    """(site-relative target path, fragment) of a relative `url` found on `page`."""
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    if not parts.path:
        return page, fragment
    base = PurePosixPath(page).parent
    target = PurePosixPath(*(base / unquote(parts.path)).parts)
    resolved: list[str] = []
    for part in target.parts:
        if part == "..":
            if not resolved:
                return "../" + str(target), fragment  # climbs out of the site
            resolved.pop()
        elif part != ".":
            resolved.append(part)
    path = "/".join(resolved)
    if parts.path.endswith("/"):
        path = f"{path}/index.html" if path else "index.html"
    return path, fragment


def test_every_internal_link_and_anchor_resolves(site, pages):
    problems: list[str] = []
    checked = 0
    for page, parsed in pages.items():
        for link in parsed.links:
            url = link.url.strip()
            scheme = urlsplit(url).scheme
            if not url or scheme in SKIP_SCHEMES or _is_external(url):
                continue
            where = f"{page}:{link.line}: <{link.tag} {link.attr}={url!r}>"
            if url.startswith("/"):
                # 404.html is served for any missing path, so MkDocs writes its URLs
                # from the site root; on every other page they would break file://.
                if page != "404.html":
                    problems.append(f"{where}: root-relative URL breaks the site read from disk")
                    continue
                target, fragment = _resolve("", url.lstrip("/"))
            else:
                target, fragment = _resolve(page, url)
            checked += 1
            file = site / target
            if target.startswith("../") or not file.is_file():
                problems.append(f"{where}: no file {target}")
                continue
            if fragment and target.endswith(".html"):
                anchors = pages[target].anchors if target in pages else set()
                if fragment not in anchors:
                    problems.append(f"{where}: no #{fragment} in {target}")
    assert checked > 500, checked
    assert problems == [], "\n".join(problems)


def test_plugin_output_links_off_the_site_only_to_originals_and_wikidata(pages):
    # Readers may follow an article's header to its original (front matter `url`) and an
    # infobox's Wikidata id to Wikidata; the plugin links nowhere else off the site.
    originals = {
        line.split(":", 1)[1].strip()
        for path in SAMPLE.joinpath("content").rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("url:")
    }
    external = sorted(
        {
            f"{link.page}:{link.line}: {link.url}"
            for parsed in pages.values()
            for link in parsed.links
            if link.in_plugin_output
            and _is_external(link.url)
            and link.url not in originals
            and not re.fullmatch(r"https://www\.wikidata\.org/wiki/Q[0-9]+", link.url)
        }
    )
    assert external == [], "\n".join(external)
    assert originals, "the sample's articles link their originals"


def test_every_export_url_and_mention_anchor_exists(site, pages):
    data = json.loads((site / "dossier.json").read_text(encoding="utf-8"))
    linked = {
        _resolve(page, link.url)[0]
        for page, parsed in pages.items()
        for link in parsed.links
        if link.tag == "a" and not _is_external(link.url) and page != link.url
    }
    problems: list[str] = []
    for entity in data["entities"]:
        if entity["url"] not in pages:
            problems.append(f"{entity['id']}: no page {entity['url']}")
        elif entity["url"] not in linked:
            problems.append(f"{entity['id']}: no page links to {entity['url']}")
    for article in data["articles"]:
        page = pages.get(article["url"])
        if page is None:
            problems.append(f"article {article['url']}: no page")
            continue
        for mention in article["mentions"]:
            if mention["anchor"] not in page.anchors:
                problems.append(f"{article['url']}: no #{mention['anchor']} ({mention['entity']})")
    assert problems == [], "\n".join(problems)
