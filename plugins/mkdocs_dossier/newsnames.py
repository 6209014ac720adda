"""How news text names known entities: the matcher behind `dossier annotate`.

An article introduces a person by full name and then says the surname: after "Mike
Pompeo" (or a mention of him), "Pompeo" is him. A title before a name ("Gen.", "President",
"Secretary of State") is not part of it but vouches for it, so "President Trump" is Donald
Trump even before his full name appears. A possessive ("Iran's", "Axios'") is the entity.
Transliterations of one name ("Suleimani", "Soleimani") share a `spelling_key`, and near
misses are caught with rapidfuzz; such a match names the spelling it varies. A name of
capitalised words has its initials too (`U.S.`, `IRGC`).

Some names are not enough on their own: an entry's `contextual_aliases` ("the president")
and the surnames derived here count only after the entity's full name appeared earlier in
the same article. And some matches are someone else: a surname after a different given
name ("Hossein Soleimani"), a role said of another ("the president of Iran", "the
president, Hassan Rouhani"), a generic alias located elsewhere ("In Jerusalem, the
embassy"). A place inside a longer name is not suggested alone: the longer name's own
distinctive end ("Embassy in Baghdad" of "US Embassy in Baghdad") is a name too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .index.resolve import Registry
from .model import Entity, Position
from .names import name_key, spelling_key
from .newswords import (
    FUNCTION_WORDS,
    GENERIC_WORDS,
    LONGER_NAME,
    PARTICLES,
    TITLE_BEFORE,
    TITLE_WORD,
)
from .read.grammar import MENTION_TEXT, parse_target, scan

#: A word: letters and digits (any script), with combining accents of decomposed text.
WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
#: What may sit between the words of one name: spaces, one line break, - . ' ’.
JOINER = re.compile(r"[ \t]*[-\u2010\u2011\u2013.'\u2019]?[.]?[ \t]*(?:\n[ \t]*)?")
#: Longest names considered, in words.
MAX_WORDS = 8

_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]\n]|\n(?![ \t]*\n))*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
)
_REF_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\n(?![ \t]*\n))*\]\[[^\[\]\n]*\]")
_ANCHOR = re.compile(r"<a\b[^>]*>.*?</a\s*>", re.DOTALL | re.IGNORECASE)

_SENTENCE_END = re.compile(r"[.!?:;\n]\s|\n")
_LOCATED = re.compile(r"\b[Ii]n[ \t]+([A-Z][\w'’-]*)")
_ROLE_AFTER = re.compile(r"(?:[ \t]+of\b|,?[ \t]+(?!I\b)[A-Z])")
_LOCATED_AFTER = re.compile(r"[ \t]+in[ \t]+([A-Z][\w'’-]*)")
_POSSESSIVE = re.compile(r"['’]s\b|(?<=[sS])['’](?!\w)")
# A capitalised word just before, or an abbreviation with its dot ("Gen.", "R."): a
# word and a full stop end the sentence before instead.
_CAPITALISED_BEFORE = re.compile(r"([A-Z][\w'’-]*|[A-Z][a-z]{0,3}\.)[ \t]+\Z")
#: Shortest spelling key compared by edit distance; shorter ones must be equal.
FUZZY_MIN = 6
#: Shortest spelling key of a name of several words, or of a place's or organization's,
#: that a variant may match ("Islamic Revolutionary Guards Corps").
FUZZY_LONG = 16
#: Least normalised Levenshtein similarity of two spelling keys that are one name.
FUZZY_SIMILARITY = 0.85


@dataclass(frozen=True)
class NameMatch:
    """One occurrence of a known entity's name in a text."""

    start: int
    end: int
    entity_id: str
    variant: str | None = None  # the entity's spelling this one varies, if not its own


@dataclass
class _Name:
    """What a matching key means for one entity."""

    entity_id: str
    written: str  # the name as the entry or the rule spells it
    contextual: bool  # counts only once the entity is introduced (or titled)
    surname: bool  # a last part of a person's name: not after another given name
    role: bool  # a common-noun name ("the president"): not when said of another


class NameTable:
    """Matching keys of every entity's names, the short names news derives from them,
    and how to write a mention."""

    def __init__(self, entities: Iterable[Entity]):
        self.entities = {e.id: e for e in entities}
        self.registry = Registry(list(self.entities.values()))
        self.names: dict[str, list[_Name]] = {}
        self.capitals: dict[tuple[str, str], bool] = {}  # (key, id) -> only in capitals
        self.dotted: set[str] = set()  # keys of abbreviations written with a final dot
        self.given: dict[str, set[str]] = {}  # person id -> spelling keys of given names
        self.name_words: dict[str, set[str]] = {}  # id -> keys of the words of its names
        self.spellings: dict[str, list[_Name]] = {}  # spelling key -> persons' names
        self.people = {  # full-name key -> person id
            name_key(e.name): e.id for e in self.entities.values() if e.type == "person"
        }
        for entity in self.entities.values():
            self._add_entity(entity)
        self.fuzzy_keys = sorted(k for k in self.spellings if len(k) >= FUZZY_MIN)
        self.targets = {i: self._target(e) for i, e in self.entities.items()}

    def _add_entity(self, entity: Entity) -> None:
        full = [entity.name] if entity.stub else [entity.name, *entity.aliases]
        contextual = [] if entity.stub else list(entity.fields.get("contextual_aliases", []))
        person = entity.type == "person"
        words = {name_key(w) for n in (*full, *contextual) for w in WORD.findall(n)}
        self.name_words[entity.id] = words
        name_words = WORD.findall(entity.name)
        for name in full:
            self._add(
                name, entity, contextual=False, surname=person and _is_suffix(name, name_words)
            )
        for name in contextual:
            self._add(name, entity, contextual=True, surname=False)
        if person:
            self.given[entity.id] = {
                spelling_key(found[0])
                for n in full
                if len(found := [w for w in WORD.findall(n) if not TITLE_WORD.match(w)]) > 1
            }
            for name in full:
                for short in surnames(name):
                    self._add(short, entity, contextual=True, surname=True)
        elif entity.type != "event":
            for short in _distinctive_ends(entity.name):
                if name_key(short) not in self.names:
                    self._add(short, entity, contextual=False, surname=False)
            for short in _initials(entity.name):
                others = self.names.get(name_key(short), [])
                if all(n.entity_id == entity.id for n in others):
                    self._add(short, entity, contextual=False, surname=False)

    def _add(self, name: str, entity: Entity, *, contextual: bool, surname: bool) -> None:
        key = name_key(name)
        if not key or len(WORD.findall(name)) > MAX_WORDS:
            return
        role = name[:1].islower()
        entry = _Name(entity.id, name, contextual, surname, role)
        if name.rstrip().endswith("."):
            self.dotted.add(key)
        existing = self.names.setdefault(key, [])
        if any(n.entity_id == entity.id and not n.contextual for n in existing):
            return  # an always-valid name of the entity already
        existing[:] = [n for n in existing if n.entity_id != entity.id]
        existing.append(entry)
        acronym = _is_acronym(name)
        previous = self.capitals.get((key, entity.id))
        self.capitals[(key, entity.id)] = acronym and previous is not False
        person_like = entity.type == "person" and len(key) >= 4
        if not role and (person_like or len(key) >= FUZZY_LONG):
            self.spellings.setdefault(spelling_key(name), []).append(entry)

    def lookup(
        self, key: str, written: str, introduced: set[str] = frozenset(), titled: bool = False
    ) -> _Name | None:
        """The one name `written` (with matching key `key`) is here, if exactly one: an
        always-valid name, or a contextual one of an introduced (or titled) entity."""
        return self._choose(self.names.get(key, ()), key, written, introduced, titled)

    def _choose(
        self,
        names: Sequence[_Name],
        key: str,
        written: str,
        introduced: set[str],
        titled: bool,
    ) -> _Name | None:
        valid = [n for n in names if not n.contextual or n.entity_id in introduced]
        if not valid and titled:
            valid = [n for n in names if n.surname]
        if len({n.entity_id for n in valid}) != 1:
            return None
        name = valid[0]
        if self.capitals.get((key, name.entity_id)) and not _is_acronym(written):
            return None
        if name.contextual and not name.role and not written[:1].isupper():
            return None  # "trump card", "a pompeo": a short proper name keeps its capital
        return name

    def variant(self, written: str, introduced: set[str], titled: bool) -> _Name | None:
        """A person's name that `written` spells another way (`Suleimani`, `Ghaani`)."""
        skey = spelling_key(written)
        names = self.spellings.get(skey)
        single = not re.search(r"\W", written.strip()) or len(skey) >= FUZZY_LONG
        if names is None and len(skey) >= FUZZY_MIN and single:
            best = process.extractOne(
                skey,
                self.fuzzy_keys,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=FUZZY_SIMILARITY,
            )
            # One letter changed inside a name, not at its end ("Pompeos" is not a spelling).
            same_ends = best and best[0][0] == skey[0] and best[0][-1] == skey[-1]
            names = self.spellings[best[0]] if same_ends else None
        if not names:
            return None
        return self._choose(names, "", written, introduced, titled)

    def _target(self, entity: Entity) -> str:
        """The shortest text that resolves to `entity` in a `[[...]]`."""
        options = [entity.name, entity.slug]
        if entity.stub:
            options = []
        for text in options:
            if self._resolves(text, entity):
                return text
        return f"{entity.type}:{entity.name if entity.stub else entity.slug}"

    def _resolves(self, text: str, entity: Entity) -> bool:
        if any(mark in text for mark in ("[", "]", "|", "\n")):
            return False
        target, problems = parse_target(text, Position(1, 1), "")
        if target is None or problems or target.type is not None or target.name != text:
            return False
        return self.registry.candidates(text) == [entity.id]


def _is_acronym(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(letters) <= 6


def _is_suffix(name: str, full_words: Sequence[str]) -> bool:
    """Whether `name` is the last words of the full name (an alias like "Pompeo")."""
    words = [name_key(w) for w in WORD.findall(name)]
    full = [name_key(w) for w in full_words]
    return 0 < len(words) < len(full) and full[-len(words) :] == words


def surnames(name: str) -> list[str]:
    """The short forms news uses for a person named `name`: the last word, and the last
    word with its particle (`Al-Kadhimi` and `Kadhimi` of `Mustafa Al-Kadhimi`)."""
    found = list(WORD.finditer(name))
    words = [m for m in found if not TITLE_WORD.match(m.group())]
    if len(words) < 2 or len(words[-1].group()) < 3 or not words[-1].group()[:1].isupper():
        return []
    result = [words[-1].group()]
    if len(words) > 2 and words[-2].group().lower() in PARTICLES:
        result.append(name[words[-2].start() : words[-1].end()])
    return result


def _initials(name: str) -> list[str]:
    """The abbreviations news writes for a name of capitalised words: `US` and `U.S.`
    of "United States", `IRGC` of "Islamic Revolutionary Guard Corps". Matched in
    capitals only, as every acronym is."""
    words = [w for w in WORD.findall(name) if w.lower() not in FUNCTION_WORDS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return []
    letters = [w[0] for w in words]
    return ["".join(letters), ".".join(letters) + "."]


def _distinctive_ends(name: str) -> list[str]:
    """The last words of an organization's or place's name that still name it alone
    ("Embassy in Baghdad" of "US Embassy in Baghdad"): two words or more, starting with
    a capital, not all generic ("Air Base")."""
    found = list(WORD.finditer(name))
    result = []
    for first in range(1, len(found) - 1):
        part = [m.group() for m in found[first:]]
        if all(w.lower() in GENERIC_WORDS for w in part) or part[0].lower() in FUNCTION_WORDS:
            continue
        if not part[0][:1].isupper() and not part[-1][:1].isupper():
            continue  # "consulate in Basra" names it, "backed militias" does not
        if (
            part[0].lower() in GENERIC_WORDS
            and all(w.lower() in GENERIC_WORDS for w in part[:-1])
            and len(part) == 2
        ):
            continue  # "Guard Corps"-like leftovers
        result.append(name[found[first].start() :])
    return result


def excluded_spans(body: str) -> list[tuple[int, int]]:
    """Where no suggestion may fall: what the grammar protects (code, comments, tags,
    `<script>`/`<style>`/`<textarea>`, attr_list braces, URLs, e-mail addresses,
    footnote references, reference and abbreviation definitions), mentions, links."""
    scanned = scan(body, "")
    spans = list(scanned.protected)
    spans.extend((m.start, m.end) for m in scanned.mentions)
    spans.extend((start, end) for start, end, _ in scanned.labels)
    for pattern in (MENTION_TEXT, _INLINE_LINK, _REF_LINK, _ANCHOR):
        spans.extend(match.span() for match in pattern.finditer(body))
    # An unclosed `[[` hides the rest of its line from suggestions too.
    for at in scanned.strays:
        line_end = body.find("\n", at)
        spans.append((at, len(body) if line_end == -1 else line_end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mentioned_ids(body: str, table: NameTable) -> list[tuple[int, str]]:
    """(offset, entity id) of the `[[...]]` already in `body` that resolve to one entity."""
    found = []
    for raw in scan(body, "").mentions:
        ids = table.registry.candidates(raw.target.name, raw.target.type)
        if len(ids) == 1:
            found.append((raw.start, ids[0]))
    return found


def find_matches(
    body: str, table: NameTable, mentions: Sequence[tuple[int, str]] | None = None
) -> list[NameMatch]:
    """Every occurrence of a known name in `body`, in text order, longest first, with
    the rules of this module; `mentions` are the body's `[[...]]` (mentioned_ids)."""
    excluded = excluded_spans(body)
    if mentions is None:
        mentions = mentioned_ids(body, table)
    pending = sorted(mentions)
    introduced: set[str] = set()
    words = list(WORD.finditer(body))
    keys = [name_key(m.group()) for m in words]
    found: list[NameMatch] = []
    index = span_index = mention_index = 0
    while index < len(words):
        start = words[index].start()
        while mention_index < len(pending) and pending[mention_index][0] < start:
            introduced.add(pending[mention_index][1])
            mention_index += 1
        while span_index < len(excluded) and excluded[span_index][1] <= start:
            span_index += 1
        limit = excluded[span_index][0] if span_index < len(excluded) else len(body)
        titled = bool(TITLE_BEFORE.search(body, max(0, start - 40), start))
        best = _longest(body, words, keys, index, limit, table, introduced, titled)
        if best is None or not _plausible(body, best, table):
            index += 1
            continue
        end = best.end
        possessive = _POSSESSIVE.match(body, end)
        if possessive and possessive.end() <= limit:
            end = possessive.end()
        elif best.key in table.dotted and body.startswith(".", end) and end < limit:
            end += 1  # `U.S.` keeps its final dot
        found.append(NameMatch(start, end, best.name.entity_id, best.variant))
        introduced.add(best.name.entity_id)
        if best.name.entity_id.startswith("event:"):
            # "the killing of Qasem Soleimani" names him in full too.
            introduced.update(i for k, i in table.people.items() if k in best.key)
        while index < len(words) and words[index].start() < end:
            index += 1
    return found


@dataclass
class _Candidate:
    start: int
    end: int
    key: str
    name: _Name
    variant: str | None


def _longest(
    body: str,
    words: Sequence[re.Match[str]],
    keys: Sequence[str],
    index: int,
    limit: int,
    table: NameTable,
    introduced: set[str],
    titled: bool,
) -> _Candidate | None:
    """The longest known name (else spelling variant) starting at word `index`."""
    start = words[index].start()
    best: _Candidate | None = None
    variant: _Candidate | None = None
    key = ""
    for last in range(index, min(index + MAX_WORDS, len(words))):
        if last > index:
            gap = body[words[last - 1].end() : words[last].start()]
            if not JOINER.fullmatch(gap):
                break
        key += keys[last]
        end = words[last].end()
        if limit < end:
            break  # the name would run into code, a link or a mention
        written = body[start:end]
        name = table.lookup(key, written, introduced, titled)
        if name is not None:
            best = _Candidate(start, end, key, name, None)
        elif (
            key not in table.names
            and last - index < 4
            and written[:1].isupper()
            # A variant counts where no name does, or where it is a long name that
            # reaches further ("Iran-backed militias" over "Iran").
            and (best is None or len(key) >= FUZZY_LONG)
        ):
            other = table.variant(written, introduced, titled)
            if other is not None:
                variant = _Candidate(start, end, key, other, other.written)
    if best is not None and variant is not None and variant.end > best.end:
        return variant
    return best or variant


def _plausible(body: str, candidate: _Candidate, table: NameTable) -> bool:
    """Whether a match is not someone or something else (a different given name, a role
    said of another, a generic name placed elsewhere)."""
    name = candidate.name
    start = candidate.start
    if name.surname and not _same_given_name(body, start, name, table):
        return False
    if name.role:
        after = body[candidate.end : candidate.end + 60]
        if _ROLE_AFTER.match(after):
            return False
        own = table.name_words.get(name.entity_id, set())
        located = _LOCATED_AFTER.match(after)
        if located and _elsewhere(located[1], own):
            return False
        sentence = _sentence_before(body, start)
        if any(_elsewhere(m[1], own) for m in _LOCATED.finditer(sentence)):
            return False
    kind = name.entity_id.partition(":")[0]
    if kind in ("place", "org") and LONGER_NAME.match(body, candidate.end):
        written_words = {name_key(w) for w in WORD.findall(body[candidate.end :][:40])[:1]}
        if not written_words & table.name_words.get(name.entity_id, set()):
            return False
    return True


def _elsewhere(word: str, own: set[str]) -> bool:
    """Whether "in <word>" places a generic name somewhere that is not its own."""
    key = name_key(word)
    return key not in own and key not in FUNCTION_WORDS


def _same_given_name(body: str, start: int, name: _Name, table: NameTable) -> bool:
    """False when the capitalised words before a surname are another person's given
    names ("Hossein Soleimani" is not Qasem Soleimani); titles, initials, the entity's
    own given names and sentence-starting words are fine."""
    before = _CAPITALISED_BEFORE.search(body, max(0, start - 40), start)
    if before is None or TITLE_BEFORE.search(body, max(0, start - 40), start):
        return True
    word = before[1]
    if TITLE_WORD.match(word) or word.rstrip(".").lower() in FUNCTION_WORDS:
        return True
    if re.fullmatch(r"[A-Z]\.?", word) or _POSSESSIVE.search(word):
        return True
    return spelling_key(word) in table.given.get(name.entity_id, set())


def _sentence_before(body: str, start: int) -> str:
    """The text of the sentence before `start`."""
    window = body[max(0, start - 200) : start]
    ends = list(_SENTENCE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def find_names(body: str, table: NameTable) -> list[tuple[int, int, str]]:
    """(start, end, entity id) of every name find_matches finds in `body`."""
    return [(m.start, m.end, m.entity_id) for m in find_matches(body, table)]
