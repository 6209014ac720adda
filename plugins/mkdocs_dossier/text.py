"""Names and text: the matching key, slugs, escaping, relative URLs, reading sources."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from functools import lru_cache

#: Letters that NFKD does not decompose into ASCII, and what they become.
TRANSLITERATION: dict[str, str] = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "ł": "l",
    "Ł": "L",
    "þ": "th",
    "Þ": "Th",
    "ı": "i",
    "ʿ": "",
    "ʾ": "",
    "’": "",
    "'": "",
}
_TRANSLIT = str.maketrans(TRANSLITERATION)


def ascii_fold(text: str) -> str:
    """The text transliterated to ASCII where Latin letters allow (accents dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Matching key: case, accents, punctuation and spacing ignored.

    `Al-Kadhimi`, `al kadhimi` and `Al Kādhimī` share the key `alkadhimi`. Scripts with
    no ASCII form keep their letters (casefolded), so they still match themselves.
    Remembered: a build asks for the same few thousand names tens of thousands of times.
    """
    folded = ascii_fold(text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


#: Slugs an entity cannot have: `<folder>/index.md` is the type's index page.
_RESERVED_SLUGS = {"index": "x-index"}


#: Longest slug: file names are limited to 255 bytes, and `<slug>.html` must fit.
MAX_SLUG = 96


def slugify(text: str) -> str:
    """Lowercase ASCII slug of `[a-z0-9-]`, never empty, never `index`, at most
    MAX_SLUG characters (a longer one is cut and ends in a hash of the whole text)."""
    slug = _SLUG_JUNK.sub("-", ascii_fold(text).lower()).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"
    if slug:
        return _RESERVED_SLUGS.get(slug, slug)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"x-{digest}"


# Characters Python-Markdown would act on inside inline HTML or text we emit into the
# Markdown source; as numeric references they pass through untouched.
_MD_ACTIVE = {ord(ch): f"&#{ord(ch)};" for ch in "&<>\"'|[]()`*_\\!#~^{}$="}


def md_escape(text: str) -> str:
    """Escape text for HTML we splice into Markdown source: nothing in it stays active."""
    return text.translate(_MD_ACTIVE)


def h(text: object) -> str:
    """Escape for HTML text and double- or single-quoted attributes."""
    return html.escape(str(text), quote=True)


def relative_url(from_url: str, to_url: str) -> str:
    """Link from the page served at `from_url` to `to_url` (both site-relative).

    Site URLs hold no `.` or `..` segments, so plain segment arithmetic gives what
    posixpath.relpath would, at a fraction of the cost (it runs for every link).
    """
    to_path, _, fragment = to_url.partition("#")
    from_dir = from_url if from_url.endswith("/") else from_url.rpartition("/")[0]
    here = [part for part in from_dir.split("/") if part]
    there = [part for part in to_path.split("/") if part]
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:])
    if not rel:
        rel = "./"
    elif to_path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return f"{rel}#{fragment}" if fragment else rel


def read_source(raw: bytes) -> tuple[str, bool]:
    """Decode a source file as MkDocs does (UTF-8, BOM dropped, newlines unified).

    Returns the text and whether the bytes were valid UTF-8; invalid bytes become U+FFFD.
    """
    try:
        text = raw.decode("utf-8-sig")
        valid = True
    except UnicodeDecodeError:
        text = raw.decode("utf-8-sig", errors="replace")
        valid = False
    return text.replace("\r\n", "\n").replace("\r", "\n"), valid


def line_col(text: str, offset: int, line_starts: list[int] | None = None) -> tuple[int, int]:
    """1-based (line, column) of `offset` in `text`."""
    import bisect

    starts = line_starts if line_starts is not None else line_offsets(text)
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def line_offsets(text: str) -> list[int]:
    """Offsets at which each line of `text` starts."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts
