"""Names as the dossier compares and files them: the matching key and slugs.

One folding serves resolution, slugs, the gazetteer and country names: each character's
form is decided once (_forms). Latin letters lose their accents and become ASCII
(`Al Kādhimī` -> `Al Kadhimi`, `Straße` -> `Strasse`, `Đà Nẵng` -> `Da Nang`), digits of
every script become ASCII digits, and punctuation and signs go. Letters of other scripts
are transliterated by anyascii (ISC licence) where the text must be ASCII: slugs
(ascii_fold: `Владимир Путин` -> `vladimir-putin`, `北京` -> `beijing`). Matching keys
keep them as their script writes them (name_key: `Москва` -> `москва`), because
transliteration merges names that are different: `李明` and `黎明` are both `LiMing`, and
keyed by transliteration 43 of the gazetteer's 34,000 city names found another city
(`Hamar` -> Samara, `Lund` -> Luanda). An entity named in two scripts lists the other
spelling as an alias; its transliterated slug matches as well.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from functools import cache, lru_cache

from anyascii import anyascii


@cache
def _forms(char: str) -> tuple[str, str]:
    """A non-ASCII character as it is in keys (letters and digits, lower case) and in ASCII
    text. Compatibility forms (full-width, ligatures, superscripts) count as what they
    stand for, and accents go."""
    # Apostrophes join the letters around them (anyascii writes ʿayn, hamza and ʻokina as
    # ` or '), as they do in ASCII names (`O'Brien` -> `obrien`).
    transliterated = anyascii(char)
    written = transliterated.translate(_APOSTROPHES)
    if unicodedata.category(char) == "Nd":
        return str(unicodedata.digit(char)), written
    if not char.isalnum() or (
        transliterated and not written and unicodedata.category(char) == "Lm"
    ):
        return "", written  # accents, punctuation, signs; apostrophes (ʼ, ʿ, ʻ)
    if unicodedata.name(char, "").startswith("LATIN "):
        return _NOT_KEY.sub("", written.lower()), written
    # Another script: its letters as written, case and accents aside (`ή` -> `η`).
    decomposed = unicodedata.normalize("NFKD", char)
    letters = "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
    return letters.casefold(), written


_NOT_KEY = re.compile(r"[^0-9a-z]+")


class _Forms(dict):
    """Each character's form, computed on first sight (a form is one character's: a text's
    is that of its characters put together)."""

    def __init__(self, which: int):
        super().__init__()
        self.which = which

    def __missing__(self, code: int) -> str:
        form = self[code] = _forms(chr(code))[self.which]
        return form


_APOSTROPHES = {ord("'"): None, ord("`"): None}
_KEY_FORMS = _Forms(0)
_ASCII_FORMS = _Forms(1)


def _ascii_forms(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return error.object[error.start : error.end].translate(_ASCII_FORMS), error.end


def _key_forms(error: UnicodeError) -> tuple[bytes, int]:
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start : error.end].translate(_KEY_FORMS)
    return run.encode("utf-8", "surrogatepass"), error.end


# Encoding to ASCII with these error handlers is the fast way through a long text: the
# codec copies ASCII at C speed and hands over only the runs of other characters, which
# str.translate looks up in the table of forms (the gazetteer's four megabytes of names
# fold in about a quarter of a second on a slow machine).
codecs.register_error("mkdocs_dossier.ascii", _ascii_forms)
codecs.register_error("mkdocs_dossier.key", _key_forms)


def ascii_fold(text: str) -> str:
    """The text in ASCII: Latin letters without accents, other scripts transliterated,
    apostrophes dropped (`O'Brien` -> `OBrien`), word breaks kept.

    What slugify and the country lookup (places.countries) start from."""
    folded = text.encode("ascii", "mkdocs_dossier.ascii")
    return folded.translate(None, b"'`").decode("ascii")


# ASCII bytes that are neither letters, digits nor the newline separating names; never
# part of a multi-byte UTF-8 sequence, so deleting them from the encoded text is safe.
_ASCII_JUNK = bytes(i for i in range(128) if not chr(i).isalnum() and i != 10)


def name_keys(text: str) -> list[str]:
    """name_key of each line of `text`, lines kept: for folding hundreds of thousands of
    names (the gazetteer's) in a few passes over one string, at C speed."""
    folded = text.encode("ascii", "mkdocs_dossier.key").lower().translate(None, _ASCII_JUNK)
    return folded.decode("utf-8", "surrogatepass").split("\n")


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Matching key: case, accents, punctuation and spacing ignored.

    `Al-Kadhimi`, `al kadhimi` and `Al Kādhimī` share the key `alkadhimi`. Scripts other
    than Latin keep their letters (`Москва` -> `москва`), so they match as written. Empty
    for a name with no letters or digits (`...`, `🙂`).
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


# How one name is spelled across transliterations, applied in order to a name_key: the
# consonants romanisations of Arabic and Persian write differently (q/gh, dh/z, kh/k), then
# the vowels they disagree on (e/i, o/u), then doubled letters.
_SPELLINGS = (
    ("kh", "k"),
    ("gh", "g"),
    ("q", "g"),
    ("dh", "z"),
    ("ph", "f"),
    ("w", "v"),
    ("y", "i"),
    ("e", "i"),
    ("o", "u"),
)
_DOUBLED = re.compile(r"(.)\1+")


def spelling_key(text: str) -> str:
    """A key that transliteration variants of one name share: `Soleimani` and `Suleimani`
    are `sulimani`, `Qaani` and `Ghaani` are `gani`, `Kadhimi` and `Kazemi` are `kazimi`.

    Coarser than name_key: what annotate's spelling-variant index (newsnames.py) compares,
    never what resolves a mention."""
    key = name_key(text)
    for written, spoken in _SPELLINGS:
        key = key.replace(written, spoken)
    return _DOUBLED.sub(r"\1", key)
