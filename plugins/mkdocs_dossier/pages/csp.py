"""The opt-in Content-Security-Policy: a `<meta>` that lets a page run only its own code.

A page may run the scripts the theme and the plugin wrote into it, and load nothing but
files of the site itself. An inline script is allowed by the hash of its exact text, and
only a script the theme or the plugin put there gets one: one that sits outside the
page's rendered content (`page.content`, where the editor's Markdown and the generated
sections are) and whose text does not also occur in the page's Markdown. Raw HTML in
an article, which Markdown passes through by design, is content: a `<script>` or an
`onerror=` in it gets no hash and the browser refuses to run it.

Plain Python: the adapter hands in the finished page, its content and its Markdown.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

#: The policy, each directive as tight as the sample site allows in Chromium, from file://
#: and over HTTP (tests/browser/test_csp_enforced.py). `{scripts}` takes the page's script
#: hashes.
#: Under file:// Chromium lets 'self' match every file: URL (a file page's origin is
#: opaque); over HTTP it is the site's origin. Either way nothing comes from the network.
DIRECTIVES: tuple[tuple[str, str], ...] = (
    # Fonts, the search index (fetched over HTTP), the search worker, frames: the site's.
    ("default-src", "'self'"),
    # No inline script but the theme's own, by hash; no eval, no event-handler attributes.
    ("script-src", "'self'{scripts}"),
    # Material and the plugin need no <style> element or style="" attribute.
    ("style-src", "'self'"),
    # Material's stylesheet draws its icons as data: SVG masks.
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    # No page needs <base>; one smuggled in could move relative script URLs.
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
)

#: Why a page's theme scripts may be refused: the theme did not print its content as is.
UNPLACED = (
    "the page's content is not in the finished page as the theme rendered it (another "
    "plugin changed it?), so the Content-Security-Policy allows none of its inline scripts"
)

# An element's tag and attributes, and a script element with its text. The HTML parser
# ends a script at the first `</script`; the pattern does the same.
_SCRIPT = re.compile(r"<script\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(.*?)</script\s*>", re.I | re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"\s*<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)

# Script types the browser runs (the HTML standard's JavaScript MIME types, and module);
# anything else (application/json, application/ld+json) is data, never run.
_JS_TYPES = {
    "",
    "module",
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}


def protect(html: str, content: str, markdown: str = "") -> str:
    """`html` (a finished page) with its Content-Security-Policy `<meta>` first in `<head>`.

    `content` is the page's rendered content as the theme printed it into `html`, and
    `markdown` its Markdown source: scripts inside the one, or whose text is in the
    other, get no hash. A page without `<head>` is returned unchanged.
    """
    head = _HEAD.search(html)
    if head is None:
        return html
    at = head.end()
    charset = _CHARSET.match(html, at)
    if charset is not None:
        # Browsers look for the charset in a page's first 1024 bytes: keep it first.
        at = charset.end()
    meta = (
        f'<meta http-equiv="Content-Security-Policy" content="{policy(html, content, markdown)}">'
    )
    return html[:at] + meta + html[at:]


def policy(html: str, content: str, markdown: str = "") -> str:
    """The page's policy: `DIRECTIVES` with the hashes of its theme's inline scripts."""
    hashes = "".join(
        f" '{digest}'"
        for digest in sorted(set(map(sha256, theme_scripts(html, content, markdown))))
    )
    return "; ".join(f"{name} {value.format(scripts=hashes)}" for name, value in DIRECTIVES)


def theme_scripts(html: str, content: str, markdown: str = "") -> list[str]:
    """The text of each inline script in `html` that runs and that the theme or plugin
    wrote: outside every copy of `content`, and not found in `markdown`.

    When `content` is not in `html` at all, where the page's content lies is unknown and
    no script qualifies.
    """
    spans = list(_spans(html, content))
    if content and not spans:
        return []
    found = []
    for match in _SCRIPT.finditer(html):
        start, end = match.span()
        if any(start < stop and begin < end for begin, stop in spans):
            continue
        attrs = _attributes(match.group(1))
        if "src" in attrs or not _runs(attrs):
            continue
        text = match.group(2)
        if not text.strip() or text in markdown:
            continue
        found.append(text)
    return found


def sha256(script: str) -> str:
    """The CSP source that allows an inline script with this text (`sha256-...`).

    The browser hashes the text after parsing, where line breaks are LF and NUL is
    U+FFFD; the hash is of that text as UTF-8.
    """
    text = script.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _runs(attrs: dict[str, str]) -> bool:
    """Whether the browser runs a script with these attributes (HTML: "prepare the
    script element"); a data block, such as JSON-LD, is not run."""
    kind = attrs.get("type")
    if kind is None and attrs.get("language"):
        kind = "text/" + attrs["language"]
    return (kind or "").strip().lower() in _JS_TYPES


def _spans(html: str, content: str) -> Iterable[tuple[int, int]]:
    """Where `content` occurs in `html`, every time."""
    if not content:
        return
    at = html.find(content)
    while at != -1:
        yield at, at + len(content)
        at = html.find(content, at + len(content))


def _attributes(text: str) -> dict[str, str]:
    """A start tag's attributes, names lowercased; the first of a repeated name wins, as
    in the browser."""
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        name = match.group(1).lower()
        value = next((g for g in match.group(2, 3, 4) if g is not None), "")
        attrs.setdefault(name, value)
    return attrs
