"""Front-matter keys that MkDocs and Material print into a page's HTML.

MkDocs' theme templates do not autoescape `page.meta`: a `description:` written as a list,
or any `author:`, would reach the page as live markup, on every page where the value
shows (titles show in every page's navigation). So each key the theme reads must have
the type the theme expects. `problems` says which do not (the build and `dossier check`
report them as `bad-field` errors); `sanitize` is what the plugin hands the theme: text
escaped for HTML, names and paths only when they are plain names, addresses only when
relative or http(s), anything else dropped. Material also prints keys that plugins set
(`revision_date`, `git_revision_date_localized`, `git_creation_date_localized`) and the
redirect template's `location`: front matter can give them too, so they are checked alike.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

#: A name, or a path of names (`material/alert`): no dots, no spaces, no markup.
_NAME = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\Z")
_TEMPLATE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.html\Z")

Rule = Callable[[Any], tuple[Any, str | None]]


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, f"expected text, got {_what(value)}"
    try:
        text = str(value)
    except ValueError:  # an integer of more digits than Python will print
        return None, "expected text, got a number too long to show"
    return html.escape(text, quote=True), None


def _text_list(value: Any) -> tuple[Any, str | None]:
    items = [value] if isinstance(value, (str, int, float)) else value
    if not isinstance(items, list):
        return None, f"expected a list of text, got {_what(value)}"
    clean = []
    for index, item in enumerate(items):
        text, problem = _text(item)
        if problem:
            return None, f"item {index + 1}: {problem}"
        clean.append(text)
    return clean, None


def _pattern(pattern: re.Pattern[str], what: str) -> Rule:
    def rule(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, str) and pattern.match(value) and ".." not in value:
            return value, None
        return None, f"expected {what}, got {_what(value)}"

    return rule


def _names(value: Any) -> tuple[Any, str | None]:
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list) and all(isinstance(i, str) and _NAME.match(i) for i in items):
        return items, None
    return None, f"expected a list of names (e.g. [navigation, toc]), got {_what(value)}"


# `location`, which Material's redirect template prints into a <meta> refresh and into a
# script's string: a web address, relative or http(s), with nothing that could end the
# attribute or the string (quotes, angle brackets, backslashes, spaces, controls).
_URL = re.compile(r"[^\s\"'<>\\`\x00-\x1f\x7f-\x9f]+\Z")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _url(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _URL.match(value):
        scheme = _SCHEME.match(value)
        if scheme is None or scheme.group(1).lower() in ("http", "https"):
            return value, None
    return None, f"expected a relative or http(s) address, got {_what(value)}"


# What mkdocs-git-revision-date-localized-plugin puts in its keys (one <span> per date,
# the timeago one wrapping a second span): kept as it is, so the plugin can run before
# ours; anything else in those keys is printed as text.
_ATTR = r'"[^"<>&]*"'
_GIT_DATE = re.compile(
    rf'(?:<span class="git-revision-date-localized-plugin git-revision-date-localized-plugin-'
    rf'[a-z_]+" title={_ATTR}>(?:[^<>&]*|<span class="timeago" datetime={_ATTR} '
    rf"locale={_ATTR}></span>)</span>)+\Z"
)


def _revision_date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _GIT_DATE.match(value):
        return value, None
    if isinstance(value, (date, datetime)):
        return html.escape(str(value)), None
    return _text(value)


def _flag(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, f"expected true or false, got {_what(value)}"


def _search(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, dict):
        return None, f"expected a mapping (exclude, boost), got {_what(value)}"
    clean: dict[str, Any] = {}
    for key, item in value.items():
        if key == "exclude" and isinstance(item, bool) or key == "boost" and _finite(item):
            clean[key] = item
        elif key == "boost":
            return None, f"search: boost must be a finite number, got {_what(item)}"
        else:
            return None, f"search: unexpected {key!r}: {_what(item)}"
    return clean, None


def _finite(value: Any) -> bool:
    """A number the search index can hold: its JSON has no NaN or Infinity (browsers
    refuse them, and the whole site's search with them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer past the largest float
        return False


#: Every key MkDocs or Material prints from front matter, and what it must be.
THEME_KEYS: dict[str, Rule] = {
    "title": _text,
    "description": _text,
    "author": _text,
    "subtitle": _text,
    "authors": _text_list,
    "tags": _text_list,
    "status": _pattern(_NAME, "a status name"),
    "icon": _pattern(_NAME, "an icon name such as material/alert"),
    "template": _pattern(_TEMPLATE, "a template file name ending in .html"),
    "hide": _names,
    "search": _search,
    "comments": _flag,
    # Set by plugins, not editors, but printed raw when front matter gives them.
    "location": _url,
    "revision_date": _revision_date,
    "git_revision_date_localized": _revision_date,
    "git_creation_date_localized": _revision_date,
}


def problems(meta: dict[str, Any], keys: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """(key, message) for every theme key whose value the theme must not be given."""
    found = []
    for key, rule in THEME_KEYS.items():
        if key in meta and meta[key] is not None and (keys is None or key in keys):
            _, problem = rule(meta[key])
            if problem:
                found.append((key, problem))
    return found


def sanitize(meta: dict[str, Any]) -> dict[str, Any]:
    """`meta` with every theme key safe to print: escaped text, plain names, or gone."""
    safe = dict(meta)
    for key, rule in THEME_KEYS.items():
        if key not in safe:
            continue
        value, problem = rule(safe[key]) if safe[key] is not None else (None, "empty")
        if problem:
            del safe[key]
        else:
            safe[key] = value
    return safe


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, (int, float)) else type(value).__name__
