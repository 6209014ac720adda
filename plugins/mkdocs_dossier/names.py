"""Names as the dossier compares and files them: the matching key and slugs.

One folding (ascii_fold) serves resolution, slugs, the gazetteer and country names:
accents dropped, Latin letters that do not decompose transliterated (TRANSLITERATION).
Keys then fold case and keep letters and digits only; slugs and country names keep
word breaks.
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


def _decompose(text: str) -> str:
    """`text` with TRANSLITERATION applied, then NFKD-decomposed (accents split off)."""
    # One replace per letter rather than str.translate: just as exact (no replacement
    # holds a letter of the table) and far faster on the gazetteer's few megabytes.
    for char, replacement in TRANSLITERATION.items():
        if char in text:
            text = text.replace(char, replacement)
    return text if text.isascii() else unicodedata.normalize("NFKD", text)


def ascii_fold(text: str) -> str:
    """The text transliterated to ASCII where Latin letters allow (accents dropped).

    The one folding of names: name_key, name_keys, slugify and the country lookup
    (places.countries) all start from it."""
    decomposed = _decompose(text)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# ASCII bytes that are neither letters, digits nor the newline separating names; never
# part of a multi-byte UTF-8 sequence, so deleting them from the encoded text is safe.
_ASCII_JUNK = bytes(i for i in range(128) if not chr(i).isalnum() and i != 10)
# Non-ASCII characters that are not letters or digits (`\w` is `isalnum()` plus `_`, and
# `_` is ASCII junk already gone): accents split off by NFKD among them.
_OTHER_JUNK = re.compile(r"[^\x00-\x7f\w]+")
# The one combining mark casefold() turns into a letter (iota subscript -> ι); ascii_fold
# drops it as an accent, so it goes before casefolding.
_YPOGEGRAMMENI = "\u0345"


def name_keys(text: str) -> list[str]:
    """name_key of each line of `text`, lines kept: for folding hundreds of thousands of
    names (the gazetteer's) in a few passes over one string, at C speed.

    Equal to ascii_fold, then casefold, then letters and digits only: the accents NFKD
    splits off are neither, so they go with the punctuation instead of one by one."""
    folded = _decompose(text).replace(_YPOGEGRAMMENI, "").casefold()
    folded = (
        folded.encode("utf-8", "surrogatepass")
        .translate(None, _ASCII_JUNK)
        .decode("utf-8", "surrogatepass")
    )
    if not folded.isascii():
        folded = _OTHER_JUNK.sub("", folded)
    return folded.split("\n")


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Matching key: case, accents, punctuation and spacing ignored.

    `Al-Kadhimi`, `al kadhimi` and `Al Kādhimī` share the key `alkadhimi`. Scripts with
    no ASCII form keep their letters (casefolded), so they still match themselves.
    Remembered: a build asks for the same few thousand names tens of thousands of times.
    """
    return name_keys(text.replace("\n", " "))[0]


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


#: Slugs an entity cannot have: `<folder>/index.md` is the type's index page.
#: Names a page cannot have: `index` (each type folder's index page) and the device names
#: Windows refuses as file names, with any extension (`con.html`, `lpt1.html`).
RESERVED_SLUGS = frozenset(
    {"index", "con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


#: Longest slug: file names are limited to 255 bytes, and `<slug>.html` must fit.
MAX_SLUG = 96


def slugify(text: str) -> str:
    """Lowercase ASCII slug of `[a-z0-9-]`, never empty, never reserved (`index`, `con`...
    become `x-index`, `x-con`), at most MAX_SLUG characters (a longer one is cut and ends
    in a hash of the whole text)."""
    slug = _SLUG_JUNK.sub("-", ascii_fold(text).lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest(text)}"
    if slug:
        return f"x-{slug}" if slug in RESERVED_SLUGS else slug
    return f"x-{digest(text)}"


def digest(text: str) -> str:
    """Eight hex digits that tell one text from another, the same in every build."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
