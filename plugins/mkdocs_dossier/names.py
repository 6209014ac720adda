"""Names as the dossier compares and files them: the matching key and slugs.

One folding serves resolution, slugs and the gazetteer: accents dropped, Latin letters
that do not decompose transliterated (TRANSLITERATION), case folded.
"""

from __future__ import annotations

import hashlib
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
