"""Parsing built pages to prove that no input text became markup or script.

Used by the bad-input corpus and the escaping tests. A page passes when:
- it parses with html.parser and every `<a>` (in HTML and in inline SVG) is closed;
- no element or attribute comes from a payload: no `on*` attribute anywhere, no element
  whose name only a payload would bring (`img` with `src="x"`, `iframe`, `object`,
  `embed`), no `javascript:` URL;
- every `<script>` is either JSON-LD that parses as JSON, or one of the theme's scripts
  (`src=` or inline code that mentions no payload marker).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: Text that only an injected payload would put into a script or a URL.
PAYLOAD_MARKERS = ("alert(", "onerror", "onload")
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    line: int


@dataclass
class PageScan(HTMLParser):
    """Every element with its attributes, script bodies, text, and nesting problems."""

    elements: list[Element] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        self._open_a = 0
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.elements.append(Element(tag, dict(attrs), line))
        if tag == "a":
            if self._open_a:
                self.problems.append(f"line {line}: <a> inside <a>")
            self._open_a += 1
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs), self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            if not self._open_a:
                self.problems.append(f"line {self.getpos()[0]}: </a> without <a>")
            else:
                self._open_a -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)

    def finish(self) -> PageScan:
        self.close()
        if self._open_a:
            self.problems.append(f"{self._open_a} <a> never closed")
        if self._script is not None:
            self.problems.append("<script> never closed")
        return self


def scan_page(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    return parser.finish()


def injected(page: PageScan) -> list[str]:
    """What on this page looks like a payload that became markup or script."""
    found = list(page.problems)
    for element in page.elements:
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"line {element.line}: <{element.tag} {name}=...>")
            if value and value.strip().lower().startswith("javascript:"):
                found.append(f"line {element.line}: <{element.tag} {name}={value!r}>")
        if element.tag in FORBIDDEN_ELEMENTS:
            found.append(f"line {element.line}: <{element.tag}>")
        if element.tag == "img" and element.attrs.get("src") == "x":
            found.append(f"line {element.line}: <img src=x>")
    for attrs, body in page.scripts:
        if attrs.get("type") == "application/ld+json":
            try:
                json.loads(body)
            except ValueError as exc:
                found.append(f"JSON-LD does not parse: {exc}: {body[:200]!r}")
            if "</" in body or "<script" in body.lower():
                found.append(f"JSON-LD holds markup: {body[:200]!r}")
        elif any(marker in body for marker in PAYLOAD_MARKERS):
            found.append(f"script with payload: {body[:200]!r}")
    return found


def site_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def injected_in_site(site: Path) -> dict[str, list[str]]:
    """Pages of a built site with injected markup, and what was found on each."""
    report = {}
    for path in site_pages(site):
        found = injected(scan_page(path.read_text(encoding="utf-8")))
        if found:
            report[path.relative_to(site).as_posix()] = found
    return report
