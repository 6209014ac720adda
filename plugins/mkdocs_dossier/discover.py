"""`dossier annotate --discover`: names in an article that no entry has yet.

A name is a run of capitalised words (with the small words names keep inside them: "of",
"al", "bin"), outside code, links, mentions and the names of known entities. A run of
two words or more is a name wherever it stands; a single word must recur, or come after
a title, or be a place the gazetteer knows. Words that start sentences ("When", "The"),
month and day names, and adjectives of known places ("Iraqi", "Iranian") are not names.

The type is a guess from what news writes around a name: a title before it ("Gen.",
"President") makes a person, an organization's word in it ("Ministry", "Council",
"Party", "Forces") or capitals only ("NATO") an organization, a city or country of the
gazetteer a place; other runs of two or three words are guessed to be people. A single
word that is the last word of a person found here is that person ("Hossein Soleimani"
... "Soleimani").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .names import name_key
from .newsnames import WORD, NameTable, excluded_spans, find_matches
from .newsnames import surnames as _surnames
from .newswords import (
    FUNCTION_WORDS,
    ORGANIZATION_WORDS,
    PARTICLES,
    PLACE_WORDS,
    TITLE_WORD,
    TITLES,
)
from .places import gazetteer

#: Small words that stay inside a name between capitalised words.
_INNER = frozenset({"of", "the", "for", "de", "du", "la", "le", *PARTICLES})
_THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+\Z")
_GAZETTEER = "a place the gazetteer knows"
_TITLE_AT_END = re.compile(rf"(?<![\w.])(?:{TITLES})[ \t]*\Z")
_GAP = re.compile(r"[ \t]+|[ \t]*[-\u2010\u2011]")
_POSSESSIVE_END = re.compile(r"['’]s?\Z")
_DEMONYM_ENDINGS = ("ian", "an", "n", "i", "ese", "ish", "s")
_ORDINARY = frozenset({"editor", "note", "photo", "update", "updated", "breaking", "via"})


@dataclass
class Discovery:
    """A name with no entry, its guessed type, why, and where it occurs."""

    name: str
    type: str  # person, place or org
    why: str
    occurrences: list[tuple[int, int]] = field(default_factory=list)  # body offsets

    @property
    def target(self) -> str:
        """What a typed mention of it writes before `|`."""
        return f"{self.type}:{self.name}"


def discover(body: str, table: NameTable) -> list[Discovery]:
    """Names in `body` (a page's text without front matter) that no entity answers to,
    in order of first occurrence."""
    blocked = excluded_spans(body)
    blocked.extend((m.start, m.end) for m in find_matches(body, table))
    runs = []
    for start, end in _runs(body, sorted(blocked)):
        text = " ".join(body[start:end].split())
        key = name_key(text)
        if key and not table.names.get(key) and not table.registry.candidates(text):
            runs.append((start, end, text, key))
    lowercase = {name_key(w) for w in WORD.findall(body) if w[:1].islower()}
    counts = Counter(key for _, _, _, key in runs)
    found: dict[str, Discovery] = {}
    # People first, so that a surname alone ("Soleimani") joins its full name.
    surnames: dict[str, Discovery] = {}
    for start, _end, text, key in runs:
        words = WORD.findall(text)
        if len(words) > 1 and not any(w.lower() in _ORDINARY for w in words):
            kind, why = _guess(text, words, _titled(body, start), _after_the(body, start))
            entry = found.setdefault(key, Discovery(text, kind, why))
            if kind == "person":
                for short in _surnames(text):
                    surnames.setdefault(name_key(short), entry)
    for start, end, text, key in runs:
        person = surnames.get(key)
        if person is not None and name_key(person.name) != key:
            person.occurrences.append((start, end))
            continue
        if key in found:
            found[key].occurrences.append((start, end))
            continue
        if key in lowercase or key in FUNCTION_WORDS or _demonym(text, table):
            continue
        titled = _titled(body, start)
        kind, why = _guess(text, [text], titled, _after_the(body, start))
        if kind == "person" and not titled:
            kind, why = "org", "recurs"
        if counts[key] < 2 and why not in ("after a title", _GAZETTEER):
            continue
        found[key] = Discovery(text, kind, why, [(start, end)])
    result = [d for d in found.values() if d.occurrences]
    for item in result:
        item.occurrences.sort()
    result.sort(key=lambda d: d.occurrences[0])
    return result


def _titled(body: str, start: int) -> bool:
    return bool(_TITLE_AT_END.search(body, max(0, start - 40), start))


def _after_the(body: str, start: int) -> bool:
    """Whether "the" comes before: "the Green Zone" is no one's name."""
    return bool(_THE_BEFORE.search(body, max(0, start - 10), start))


def _runs(body: str, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words outside `blocked`, small inner
    words kept, split at titles and country names, sentence-starting words dropped."""
    runs: list[tuple[int, int]] = []
    current: list[re.Match[str]] = []
    span_index = 0

    def segment(words: list[re.Match[str]]) -> None:
        while words and words[-1].group().lower() in _INNER:
            words.pop()
        while words and (words[0].group().lower() in FUNCTION_WORDS or words[0].group() in _INNER):
            words.pop(0)
        if len(words) == 1 and len(words[0].group()) == 1:
            return  # an initial, or a letter of "U.S."
        if words:
            runs.append((words[0].start(), words[-1].end()))

    def close() -> None:
        # A title is not part of the name after it ("Prime Minister Ali Allawi"), nor a
        # country before a name ("Ambassador to Iraq Matthew Tueller").
        part: list[re.Match[str]] = []
        skip = 0
        for index, word in enumerate(current):
            if skip:
                skip -= 1
                continue
            text = word.group()
            if TITLE_WORD.match(text):
                segment(part)
                part = []
                following = [w.group() for w in current[index + 1 : index + 3]]
                if text == "Secretary" and following == ["of", "State"]:
                    skip = 2
                continue
            if len(current) > 1 and _country(text):
                segment(part)
                segment([word])
                part = []
                continue
            part.append(word)
        segment(part)
        current.clear()

    for word in WORD.finditer(body):
        while span_index < len(blocked) and blocked[span_index][1] <= word.start():
            span_index += 1
        inside = span_index < len(blocked) and blocked[span_index][0] < word.end()
        text = word.group()
        if current:
            gap = body[current[-1].end() : word.start()]
            if not _GAP.fullmatch(gap) or inside:
                close()
        if inside:
            continue
        capitalised = text[:1].isupper() and not text.isdigit()
        if capitalised or (current and text.lower() in _INNER):
            current.append(word)
        else:
            close()
        # A possessive or a full stop ends the name ("Soleimani's", "Baghdad.").
        after = body[word.end() : word.end() + 2]
        ends = after[:1] in '.,;:!?)"' or _POSSESSIVE_END.match(after[:2])
        if current and ends and not (len(text) <= 3 and after[:1] == "."):  # "Gen.", "U.S."
            close()
    close()
    return runs


def _guess(text: str, words: list[str], titled: bool, after_the: bool) -> tuple[str, str]:
    """The type a name most likely has, and the reason."""
    lowered = [w.lower() for w in words]
    if titled:
        return "person", "after a title"
    if lowered[-1] in PLACE_WORDS:
        return "place", "a place's word"
    if any(w in ORGANIZATION_WORDS for w in lowered):
        return "org", "an organization's word"
    if text.isupper() and len(text) >= 2:
        return "org", "in capitals"
    if _gazetteer_name(text):
        return "place", _GAZETTEER
    if after_the:
        return "org", 'after "the"'
    if len(words) > 1 and any(w in PARTICLES for w in lowered[1:-1]):
        return "person", "a name with a particle"
    if 2 <= len(words) <= 3:
        return "person", "a name of two or three words"
    return "org", "a name of several words"


def _gazetteer_name(text: str) -> bool:
    """Whether a country or the gazetteer's city is called `text` itself (not only
    among a city's thousands of alternate names)."""
    if _country(text):
        return True
    hit = gazetteer.lookup(text)
    return hit is not None and name_key(hit.display_name.split(",")[0]) == name_key(text)


@lru_cache(maxsize=4096)
def _country(word: str) -> bool:
    """Whether `word` is a country's name (`Iraq`), not its code."""
    return len(word) > 3 and gazetteer.country_code(word) is not None


def _demonym(word: str, table: NameTable) -> bool:
    """Whether `word` is the adjective of a known place or a country (`Iraqi`,
    `Iranian`, `American`)."""
    for ending in _DEMONYM_ENDINGS:
        if word.lower().endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            if table.names.get(name_key(stem)) or gazetteer.country_code(stem):
                return True
    return False
