"""Deterministic synthetic corpus for the speed and scale benchmark.

`generate(n, out)` writes two MkDocs sites under `out/` from one seeded model:

- `out/dossier/`: N articles (~600 words, ~20 `[[...]]` mentions each: plain, labelled,
  aliases, typed, typed stubs, statements as `> — [[Name]], statement`, a few unresolved)
  and entries in `dossier/` for people, organizations, places (coordinates over the
  Iraq/Iran region) and events (date, place, participants), in proportion to N;
  `plugins: [search, dossier]`.
- `out/baseline/`: the same articles with every mention as a plain Markdown link, and one
  hand-written Markdown page per entity (entries and stubs) carrying what the dossier page
  shows as text: facts, body, timeline, every mention with its sentence, statements,
  related entities, nearby places; the four type indexes as Markdown;
  `plugins: [search]`.
- `out/lean/`: the lean baseline: the same linked articles and one page per entity
  carrying only its mention list (each article linked, each mention's sentence), and the
  four type indexes; `plugins: [search]`. What a site without the plugin minimally needs.

Both sites: theme material with `font: false`, the same Markdown extensions, and the same
navigation (home plus the four type indexes). The same seed and N give byte-identical
files. Run `python tests/synthetic.py N OUT` to write one corpus. The benchmark (bench/)
and the tests that guard its claims (test_scaling, test_serve_dirty, test_dirty) share it.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

VERSION = 2  # bump when the output changes, so cached corpora are regenerated
SEED = 20201220

FOLDERS = {"person": "people", "org": "organizations", "place": "places", "event": "events"}
INDEX_TITLES = {"person": "People", "org": "Organizations", "place": "Places", "event": "Events"}


def _split(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


# Region of the places: Iraq and western Iran.
LAT_RANGE = (29.5, 37.3)
LON_RANGE = (39.0, 56.0)

SYLLABLES = _split(
    "ka ri ma sa lo ne du ha zi ba ro te fa mi na gu la shi da vo qa ra ji ya mu ta ki "
    "so be hu ze ni wa lu fi go pe ra de mo hi su"
)
FIRST_NAMES = _split(
    "Ahmad Ali Hassan Hussein Karim Layla Maryam Nadia Omar Rasha Saeed Samir Tariq "
    "Yusuf Zainab Farid Hamid Jalal Khalid Mahmoud Mona Nour Rami Salma Walid Amir Dana "
    "Hadi Ibrahim Jamal Leila Majid Nasser Reza Sara Shirin Yasmin Zahra Bijan Dariush "
    "John Mary Robert Susan David Karen Michael Linda James Patricia"
)
ROLES = _split(
    "minister spokesman commander governor ambassador analyst lawmaker envoy general "
    "adviser cleric judge reporter diplomat"
)
ORG_ADJ = _split(
    "National Northern Southern Eastern Western Central Popular Islamic Federal Joint "
    "Independent United Regional Provincial Supreme Revolutionary Coalition Border Civil "
    "Republican Democratic Free Allied Special Tribal Interim Unified Patriotic "
    "Strategic Reform"
)
ORG_NOUN = _split(
    "Reconstruction Security Mobilization Defense Oil Water Energy Justice Intelligence "
    "Election Trade Media Rescue Transport Health Relief Resistance Development Border "
    "Finance Education Labour Press Heritage Aviation Customs Veterans Youth Planning "
    "Communications"
)
ORG_KIND = _split(
    "Council Ministry Front Brigade Authority Agency Commission Party Movement Office "
    "Committee Service"
)
PLACE_SUFFIX = ["abad", "shahr", "iyah", "kand", "dar", "an", "ah", ""]
PLACE_KINDS = ["city", "city", "city", "town", "base", "district", "village"]
INCIDENTS = _split(
    "rocket attack|drone strike|protest|ceasefire talks|bombing|summit|election|raid|"
    "prisoner exchange|pipeline explosion|border clash|embassy closure",
    sep="|",
)
SOURCES = ["Axios", "Reuters", "AP", "AFP", "Al-Monitor", "Rudaw", "BBC", "Dossier desk"]
SECTIONS = ["World", "Politics", "Security", "Background", "Economy"]
TAGS = ["Iraq", "Iran", "diplomacy", "militias", "oil", "elections", "security", "timeline"]
WORDS = _split(
    "the officials said that a group of local residents reported heavy fighting near "
    "northern outskirts where government forces had been deployed since last week after "
    "several attacks on convoys and checkpoints along main road leading toward capital "
    "while diplomats urged restraint and called for talks between rival factions who "
    "have long disputed control over oil revenues and border crossings in region "
    "according to statement released on Tuesday by spokesman for ministry which also "
    "denied any role in incident but promised full investigation into what happened and "
    "pledged support for families affected by violence during recent months of unrest "
    "analysts warned escalation could threaten fragile agreement reached earlier this "
    "year under pressure from neighbouring states and international partners seeking "
    "stability ahead of elections planned for autumn amid economic crisis rising prices "
    "shortages of electricity and water across southern provinces"
)
MONTHS = _split(
    "January February March April May June July August September October November December"
)


@dataclass
class Ent:
    """One entity of the synthetic model (an entry, or a stub created by a typed mention)."""

    type: str
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    fields: dict = field(default_factory=dict)
    body: list = field(default_factory=list)  # paragraphs: list of (text, mention or None)
    stub: bool = False
    coords: tuple[float, float] | None = None
    date: str | None = None  # events
    links: dict[str, list[Ent]] = field(default_factory=dict)  # place, participants, ...

    @property
    def id(self) -> str:
        return f"{self.type}:{self.slug}"

    @property
    def path(self) -> str:
        return f"{FOLDERS[self.type]}/{self.slug}.md"


@dataclass
class Men:
    """One mention as written: the target text inside `[[...]]` and what it shows."""

    ent: Ent | None  # None: unresolved on purpose
    target: str  # inside the brackets
    label: str  # what the reader sees


@dataclass
class Art:
    slug: str
    title: str
    date: str
    source: str
    section: str
    authors: list[str]
    summary: str
    tags: list[str]
    about: list[Ent]  # front matter `entities:`
    blocks: list  # ("p", [pieces]) | ("quote", [pieces], Men, note) | ("h2", text) | ("li", [...])

    @property
    def path(self) -> str:
        return f"articles/{self.slug}.md"


def key(text: str) -> str:
    """The dossier's matching key for ASCII names: lowercase letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Model:
    """The whole synthetic world for one N: entities, articles, and who mentions whom."""

    def __init__(self, n: int, seed: int = SEED):
        self.n = n
        self.rng = random.Random(seed * 100003 + n)
        self.keys: set[str] = set()
        self.entities: dict[str, list[Ent]] = {t: [] for t in FOLDERS}
        self.stubs: dict[str, Ent] = {}
        self.articles: list[Art] = []
        self._make_entities()
        self._make_articles()

    # --- entities -------------------------------------------------------------------------

    def _unique(self, make) -> str:
        for _ in range(1000):
            name = make()
            if key(name) not in self.keys and slugify(name):
                self.keys.add(key(name))
                return name
        raise RuntimeError("name space exhausted")

    def _word(self, parts: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

    def _make_entities(self) -> None:
        rng, n = self.rng, self.n
        counts = {
            "person": max(8, n // 4),
            "org": max(4, n // 10),
            "place": max(6, n // 8),
            "event": max(4, n // 8),
        }
        # Two countries lead the places, as Iraq and Iran lead every story from there.
        for name, alias, coords, iso in (
            ("Iraq", "Republic of Iraq", (33.0, 43.7), "IQ"),
            ("Iran", "Islamic Republic of Iran", (32.5, 53.7), "IR"),
        ):
            self.keys.update({key(name), key(alias)})
            place = Ent("place", slugify(name), name, [alias], f"Country ({iso}).")
            place.fields = {"kind": "country", "country": iso}
            place.coords = coords
            self.entities["place"].append(place)
        while len(self.entities["place"]) < counts["place"]:
            name = self._unique(lambda: self._word(2) + rng.choice(PLACE_SUFFIX))
            aliases = []
            alt = "Al-" + name
            if key(alt) not in self.keys:
                self.keys.add(key(alt))
                aliases.append(alt)
            lat = round(rng.uniform(*LAT_RANGE), 4)
            lon = round(rng.uniform(*LON_RANGE), 4)
            kind = rng.choice(PLACE_KINDS)
            country = "IQ" if lon < 46.5 else "IR"
            place = Ent("place", slugify(name), name, aliases, f"A {kind} in {country}.")
            place.fields = {"kind": kind, "country": country}
            place.coords = (lat, lon)
            self.entities["place"].append(place)
        for _ in range(counts["person"]):
            last = self._unique(lambda: self._word(rng.choice((2, 3))))
            first = rng.choice(FIRST_NAMES)
            name = f"{first} {last}"
            self.keys.add(key(name))
            role = rng.choice(ROLES)
            person = Ent("person", slugify(name), name, [last], f"{role.capitalize()}.")
            person.fields = {"role": role, "nationality": rng.choice(["Iraqi", "Iranian"])}
            self.entities["person"].append(person)
        for _ in range(counts["org"]):
            name = self._unique(
                lambda: f"{rng.choice(ORG_ADJ)} {rng.choice(ORG_NOUN)} {rng.choice(ORG_KIND)}"
            )
            aliases = []
            acronym = "".join(w[0] for w in name.split())
            if key(acronym) not in self.keys:
                self.keys.add(key(acronym))
                aliases.append(acronym)
            org = Ent("org", slugify(name), name, aliases, f"{name.split()[-1]} in the region.")
            org.fields = {"kind": name.split()[-1].lower(), "country": rng.choice(["IQ", "IR"])}
            self.entities["org"].append(org)
        for index, org in enumerate(self.entities["org"]):
            if index > 3 and rng.random() < 0.3:
                org.links["parent"] = [self.entities["org"][rng.randrange(index)]]
        for person in self.entities["person"]:
            person.links["affiliations"] = rng.sample(self.entities["org"], rng.choice((0, 1, 2)))
        for _ in range(counts["event"]):
            place = rng.choice(self.entities["place"][2:])
            year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
            incident = rng.choice(INCIDENTS)
            name = self._unique(
                lambda place=place, incident=incident, year=year, month=month: (
                    (f"{place.name} {incident} of {MONTHS[month - 1]} {year}")
                    if rng.random() < 0.9
                    else f"{place.name} {incident} {rng.randint(2, 99)}"
                )
            )
            event = Ent(
                "event", slugify(name), name, [], f"{incident.capitalize()} in {place.name}."
            )
            event.date = f"{year:04d}-{month:02d}-{day:02d}"
            event.links["place"] = [place]
            people = rng.sample(self.entities["person"], rng.randint(1, 3))
            orgs = rng.sample(self.entities["org"], rng.randint(0, 2))
            event.links["participants"] = people + orgs
            self.entities["event"].append(event)
        # Zipf-like popularity per type: a few entities appear in most articles.
        self.weights = {
            t: list(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(ents))))
            for t, ents in self.entities.items()
        }
        # Entry bodies: a few sentences, sometimes with mentions of others.
        for ents in self.entities.values():
            for ent in ents:
                if rng.random() < 0.6:
                    ent.body = [
                        self._sentence(
                            self._mention_of(self._pick(t)) if rng.random() < 0.6 else None
                        )
                        for t in rng.sample(list(FOLDERS), 2)
                    ]
        # Typed mentions of names without an entry create stubs: their pool.
        self.stub_pool: list[tuple[str, str]] = []
        for _ in range(max(4, n // 20)):
            self.stub_pool.append(
                ("person", self._unique(lambda: f"{rng.choice(FIRST_NAMES)} {self._word(3)}"))
            )
        for _ in range(max(2, n // 40)):
            self.stub_pool.append(
                ("org", self._unique(lambda: f"{self._word(2)} {rng.choice(ORG_KIND)}"))
            )

    def _pick(self, kind: str) -> Ent:
        cum = self.weights[kind]
        index = bisect.bisect_left(cum, self.rng.random() * cum[-1])
        return self.entities[kind][min(index, len(cum) - 1)]

    # --- text -----------------------------------------------------------------------------

    def _words(self, count: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(count))

    def _sentence(self, mention: Men | None, length: int = 14) -> list:
        """A sentence as pieces: text and at most one mention."""
        words = self._words(length).split()
        words[0] = words[0].capitalize()
        if mention is None:
            return [" ".join(words) + "."]
        cut = self.rng.randint(1, len(words) - 1)
        return [" ".join(words[:cut]) + " ", mention, " " + " ".join(words[cut:]) + "."]

    def _mention_of(self, ent: Ent, first: bool = True) -> Men:
        """A mention of `ent` in one of the forms editors use."""
        roll = self.rng.random()
        if ent.aliases and (roll < 0.2 or (not first and roll < 0.5)):
            alias = self.rng.choice(ent.aliases)
            return Men(ent, alias, alias)
        if roll < 0.35:
            label = ent.name.split()[-1] if ent.type == "person" else ent.name.lower()
            return Men(ent, f"{ent.name}|{label}", label)
        if roll < 0.45:
            return Men(ent, f"{ent.type}:{ent.name}", ent.name)
        return Men(ent, ent.name, ent.name)

    def _stub(self) -> Men:
        kind, name = self.rng.choice(self.stub_pool)
        ent = self.stubs.get(f"{kind}:{slugify(name)}")
        if ent is None:
            ent = Ent(kind, slugify(name), name, stub=True, summary="")
            self.stubs[ent.id] = ent
        return Men(ent, f"{kind}:{name}", name)

    def _make_articles(self) -> None:
        rng, n = self.rng, self.n
        start = 2015 * 12
        for index in range(n):
            month = start + index * (10 * 12) // max(n, 1)
            date = f"{month // 12:04d}-{month % 12 + 1:02d}-{rng.randint(1, 28):02d}"
            chosen: dict[str, Ent] = {}
            for kind, count in (("person", 5), ("org", 3), ("place", 4), ("event", 2)):
                for _ in range(count):
                    ent = self._pick(kind)
                    chosen.setdefault(ent.id, ent)
            ents = list(chosen.values())
            mentions: list[Men] = []
            seen: set[str] = set()
            for ent in ents:
                mentions.append(self._mention_of(ent, first=True))
                seen.add(ent.id)
            while len(mentions) < 18:
                ent = rng.choice(ents)
                mentions.append(self._mention_of(ent, first=False))
            if rng.random() < 0.5:
                mentions.append(self._stub())
            if rng.random() < 0.1:
                # A misspelt name: an unresolved mention with a did-you-mean hint.
                victim = rng.choice(self.entities["person"])
                wrong = victim.name[:-1] + ("x" if victim.name[-1] != "x" else "y")
                if key(wrong) not in self.keys:
                    mentions.append(Men(None, wrong, wrong))
            rng.shuffle(mentions)
            speakers = [e for e in ents if e.type in ("person", "org")][:2]
            blocks: list = []
            # ~600 words: 36 sentences of ~15 words in 7 paragraphs, 2 statements, a heading.
            queue = list(mentions)
            for p in range(7):
                if p == 4:
                    blocks.append(("h2", self._words(4).capitalize()))
                sentences = []
                for _ in range(5):
                    sentences.append(self._sentence(queue.pop() if queue else None))
                    if queue and rng.random() < 0.25:
                        sentences.append(self._sentence(queue.pop(), 8))
                blocks.append(("p", [piece for s in sentences for piece in (s + [" "])][:-1]))
                if p in (2, 5) and speakers:
                    speaker = speakers.pop(0)
                    quote = self._sentence(None, 20)
                    note = rng.choice(["statement", "tweet", "interview", "press conference"])
                    blocks.append(("quote", quote, self._mention_of(speaker, first=False), note))
            while queue:
                blocks.append(("li", self._sentence(queue.pop(), 10)))
            title_ent = ents[0]
            title = f"{title_ent.name}: {self._words(5)} ({index + 1})"
            art = Art(
                slug=f"{date}-{slugify(self._words(4))}-{index + 1}",
                title=title,
                date=date,
                source=rng.choice(SOURCES),
                section=rng.choice(SECTIONS),
                authors=[f"{rng.choice(FIRST_NAMES)} {self._word(2)}"],
                summary=self._words(18).capitalize() + ".",
                tags=rng.sample(TAGS, 2),
                about=[self._pick("place")] + ([self._pick("event")] if rng.random() < 0.5 else []),
                blocks=blocks,
            )
            self.articles.append(art)

    # --- derived data for the baseline's pages ----------------------------------------------

    def all_entities(self) -> list[Ent]:
        found = [e for ents in self.entities.values() for e in ents] + list(self.stubs.values())
        return sorted(found, key=lambda e: e.id)

    def mentions_by_entity(self) -> dict[str, list[tuple[Art, Men, str]]]:
        """entity id -> (article, mention, plain sentence), in text order."""
        found: dict[str, list] = defaultdict(list)
        for art in self.articles:
            for sentence, men in iter_sentences(art):
                if men.ent is not None:
                    found[men.ent.id].append((art, men, sentence))
            for ent in art.about:
                found[ent.id].append((art, Men(ent, ent.name, ent.name), art.summary))
        return found


def iter_sentences(art: Art):
    """(plain sentence with the label in bold, mention) for every mention of an article."""
    for block in art.blocks:
        if block[0] == "h2":
            continue
        if block[0] == "quote":
            yield f"— **{block[2].label}**, {block[3]}", block[2]
            continue
        pieces = block[1]
        sentence_start = 0
        for i, piece in enumerate(pieces):
            if isinstance(piece, Men):
                # The sentence: pieces from the last full stop up to the next one.
                j = i + 1
                while j < len(pieces) and not (
                    isinstance(pieces[j], str) and pieces[j].endswith(".")
                ):
                    j += 1
                text = "".join(
                    p if isinstance(p, str) else f"**{p.label}**" if p is piece else p.label
                    for p in pieces[sentence_start : j + 1]
                )
                yield text.strip(), piece
            elif piece.endswith(". ") or piece == " ":
                sentence_start = i + 1


# --- writing ------------------------------------------------------------------------------


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _front_matter(data: dict) -> str:
    lines = ["---"]
    for name, value in data.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            lines.append(f"{name}: [{', '.join(_yaml_str(str(v)) for v in value)}]")
        else:
            lines.append(
                f"{name}: {value if isinstance(value, (int, float)) else _yaml_str(str(value))}"
            )
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _rel(from_path: str, to_path: str) -> str:
    depth = from_path.count("/")
    return "../" * depth + to_path


def _piece(piece, mode: str, from_path: str, shared: frozenset[str] = frozenset()) -> str:
    """A piece of text as written in `mode`. `shared`: the slugs more than one note of a
    Quartz vault has; a wikilink to one of them names its folder too, as Quartz resolves
    a bare name only when it is unique."""
    if isinstance(piece, str):
        return piece
    if mode == "dossier":
        return f"[[{piece.target}]]"
    if piece.ent is None:
        return piece.label
    if mode == "quartz":
        ent = piece.ent
        return f"[[{ent.path[:-3] if ent.slug in shared else ent.slug}|{piece.label}]]"
    return f"[{piece.label}]({_rel(from_path, piece.ent.path)})"


def article_text(art: Art, mode: str, shared: frozenset[str] = frozenset()) -> str:
    """The Markdown of an article: `[[...]]` mentions (dossier), plain links (baseline) or
    wikilinks (quartz; `shared` as for `_piece`)."""
    front = {
        "title": art.title,
        "date": art.date,
        "source": art.source,
        "section": art.section,
        "authors": art.authors,
        "summary": art.summary,
        "tags": art.tags,
    }
    if mode == "dossier":
        front["entities"] = [f"{e.type}:{e.name}" for e in art.about]
    else:
        front["about"] = [e.name for e in art.about]
    if mode == "quartz":  # the field Quartz shows as a page's description
        front["description"] = front.pop("summary")
    out = [_front_matter(front)]
    for block in art.blocks:
        if block[0] == "h2":
            out.append(f"## {block[1]}\n\n")
        elif block[0] == "p":
            out.append("".join(_piece(p, mode, art.path, shared) for p in block[1]) + "\n\n")
        elif block[0] == "li":
            out.append("- " + "".join(_piece(p, mode, art.path, shared) for p in block[1]) + "\n")
        elif block[0] == "quote":
            quote = "".join(_piece(p, mode, art.path, shared) for p in block[1])
            speaker = _piece(block[2], mode, art.path, shared)
            out.append(f"> {quote}\n> — {speaker}, {block[3]}\n\n")
    return "".join(out).rstrip("\n") + "\n"


def entry_text(ent: Ent) -> str:
    """An editor's entry file (dossier side)."""
    front: dict = {"name": ent.name, "aliases": ent.aliases, "summary": ent.summary}
    front.update(ent.fields)
    if ent.type == "person" and ent.links.get("affiliations"):
        front["affiliations"] = [e.name for e in ent.links["affiliations"]]
    if ent.type == "org" and ent.links.get("parent"):
        front["parent"] = ent.links["parent"][0].name
    if ent.type == "place":
        text = _front_matter(front).replace(
            "---\n\n", f"coordinates: [{ent.coords[0]}, {ent.coords[1]}]\n---\n\n"
        )
        return text + _body_text(ent, "dossier")
    if ent.type == "event":
        front["date"] = ent.date
        front["place"] = ent.links["place"][0].name
        front["participants"] = [e.name for e in ent.links["participants"]]
    return _front_matter(front) + _body_text(ent, "dossier")


def _body_text(ent: Ent, mode: str, shared: frozenset[str] = frozenset()) -> str:
    if not ent.body:
        return ""
    return " ".join("".join(_piece(p, mode, ent.path, shared) for p in s) for s in ent.body) + "\n"


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def baseline_entity_page(ent: Ent, model: Model, mentions, co, events_of, places) -> str:
    """A hand-written Markdown page carrying what the dossier page shows, as text."""
    link = lambda e: f"[{e.name}]({_rel(ent.path, e.path)})"  # noqa: E731
    out = [f"---\ntitle: {_yaml_str(ent.name)}\n---\n\n# {ent.name}\n\n"]
    out.append(f"[{INDEX_TITLES[ent.type]}]({_rel(ent.path, FOLDERS[ent.type] + '/index.md')})\n\n")
    if ent.aliases:
        out.append("Also known as " + ", ".join(ent.aliases) + "\n\n")
    if ent.summary:
        out.append(ent.summary + "\n\n")
    facts = [f"- **{k.capitalize()}**: {v}" for k, v in ent.fields.items()]
    for name, targets in ent.links.items():
        if targets:
            facts.append(f"- **{name.capitalize()}**: " + ", ".join(link(e) for e in targets))
    if ent.date:
        facts.insert(0, f"- **Date**: {ent.date}")
    if ent.coords:
        facts.append(f"- **Coordinates**: {ent.coords[0]:.4f}, {ent.coords[1]:.4f}")
    if facts:
        out.append("\n".join(facts) + "\n\n")
    mine = mentions.get(ent.id, [])
    articles = list(dict.fromkeys(a.slug for a, _, _ in mine))
    out.append(f"{len(mine)} mentions in {len(articles)} articles\n\n")
    body = _body_text(ent, "baseline")
    if body:
        out.append(body + "\n")
    timeline = [(e.date, e.name, _rel(ent.path, e.path)) for e in events_of.get(ent.id, [])]
    if ent.type == "event":
        timeline.append((ent.date, ent.name, _rel(ent.path, ent.path)))
    by_art = {a.slug: a for a, _, _ in mine}
    timeline += [(a.date, a.title, _rel(ent.path, a.path)) for a in by_art.values()]
    if timeline:
        out.append("## Timeline\n\n")
        for date, title, href in sorted(timeline):
            out.append(f"- {date} [{title}]({href})\n")
        out.append("\n")
    if mine:
        out.append("## Mentions\n\n")
        out += _mention_list(ent, mine, lambda art: f" · {art.date} · {art.source}")
        out.append("\n")
    quotes = [(a, s) for a, m, s in mine if s.startswith("— ")]
    if quotes:
        out.append("## Statements\n\n")
        for art, _ in quotes:
            out.append(
                f"> {art.summary}\n>\n> — {ent.name}, [{art.title}]({_rel(ent.path, art.path)})\n\n"
            )
    related = sorted(co.get(ent.id, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    if related:
        out.append("## Often mentioned with\n\n")
        lookup = {e.id: e for e in model.all_entities()}
        for other, count in related:
            out.append(f"- {link(lookup[other])} {count} articles\n")
        out.append("\n")
    if ent.type == "place" and ent.coords and ent.fields.get("kind") != "country":
        near = sorted(
            (_haversine(ent.coords, p.coords), p.slug, p)
            for p in places
            if p is not ent and p.coords and p.fields.get("kind") != "country"
        )[:8]
        out.append("## Nearby places\n\n")
        for km, _, p in near:
            out.append(f"- {link(p)} — {km:.0f} km\n")
    return "".join(out)


def lean_entity_page(ent: Ent, mentions) -> str:
    """The lean baseline's page: a title and the entity's mentions, grouped by article."""
    out = [f"---\ntitle: {_yaml_str(ent.name)}\n---\n\n# {ent.name}\n\n"]
    out += _mention_list(ent, mentions.get(ent.id, []), lambda art: "")
    return "".join(out)


def _mention_list(ent: Ent, mine: list, about) -> list[str]:
    """Markdown lines of an entity's mentions: each article (newest first, linked, then
    `about(article)`), its mentions' sentences under it."""
    by_art = {a.slug: a for a, _, _ in mine}
    grouped: dict[str, list] = defaultdict(list)
    for art, _men, sentence in mine:
        grouped[art.slug].append(sentence)
    lines = []
    for slug in sorted(grouped, key=lambda s: (by_art[s].date, s), reverse=True):
        art = by_art[slug]
        lines.append(f"- [{art.title}]({_rel(ent.path, art.path)}){about(art)}\n")
        lines += [f"    - {sentence}\n" for sentence in grouped[slug]]
    return lines


def baseline_index(kind: str, ents: list[Ent], mentions) -> str:
    out = [f"---\ntitle: {INDEX_TITLES[kind]}\n---\n\n# {INDEX_TITLES[kind]}\n\n"]
    for ent in sorted(
        ents,
        key=lambda e: (
            (e.date or "", e.name.casefold()) if kind == "event" else (e.name.casefold(), e.slug)
        ),
    ):
        count = len(mentions.get(ent.id, []))
        date = f"{ent.date} " if ent.date else ""
        out.append(f"- {date}[{ent.name}]({ent.slug}.md) — {ent.summary} ({count} mentions)\n")
    return "".join(out)


CONFIG = """\
site_name: Benchmark {title} N={n}
docs_dir: content
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
{plugins}
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
not_in_nav: |
  /articles/
  /people/
  /places/
  /organizations/
  /events/
validation:
  links:
    anchors: ignore
nav:
  - Home: index.md
  - People: people/index.md
  - Organizations: organizations/index.md
  - Places: places/index.md
  - Events: events/index.md
"""

HOME = """\
# Benchmark dossier

A synthetic story with {n} articles. See the [people](people/index.md),
[organizations](organizations/index.md), [places](places/index.md) and
[events](events/index.md).
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(n: int, out: Path, seed: int = SEED, baseline: bool = True) -> dict:
    """Write `out/dossier`, `out/baseline` and `out/lean` for N articles; returns a summary.

    With `baseline=False` only the dossier site is written (the regression test's use).
    """
    stamp = out / "VERSION"
    expected = f"{VERSION} {seed} {n} {int(baseline)}\n"
    if stamp.exists() and stamp.read_text() == expected:
        return {"cached": True}
    if out.exists():
        shutil.rmtree(out)
    model = Model(n, seed)
    dossier = out / "dossier"
    _write(
        dossier / "mkdocs.yml",
        CONFIG.format(title="dossier", n=n, plugins="  - search\n  - dossier"),
    )
    _write(dossier / "content" / "index.md", HOME.format(n=n))
    _write(dossier / "dossier" / "geocache.yml", "places: {}\n")
    for art in model.articles:
        _write(dossier / "content" / art.path, article_text(art, "dossier"))
    for ents in model.entities.values():
        for ent in ents:
            _write(dossier / "dossier" / ent.path, entry_text(ent))
    if baseline:
        _write_baseline(model, out / "baseline")
        _write_lean(model, out / "lean")
    total_mentions = sum(
        sum(1 for p in b[1] if isinstance(p, Men)) + (1 if b[0] == "quote" else 0)
        for a in model.articles
        for b in a.blocks
        if b[0] in ("p", "li", "quote")
    )
    words = sum(len(article_text(a, "baseline").split()) for a in model.articles) / max(n, 1)
    summary = {
        "articles": n,
        "entries": sum(len(v) for v in model.entities.values()),
        "stubs": len(model.stubs),
        "entities": len(model.all_entities()),
        "mentions": total_mentions,
        "words_per_article": round(words),
    }
    stamp.write_text(expected)
    (out / "SUMMARY").write_text(" ".join(f"{k}={v}" for k, v in summary.items()) + "\n")
    return summary


def _write_baseline(model: Model, baseline: Path) -> None:
    """The plain-MkDocs twin: linked articles and one hand-written page per entity."""
    n = model.n
    _write(baseline / "mkdocs.yml", CONFIG.format(title="baseline", n=n, plugins="  - search"))
    _write(baseline / "content" / "index.md", HOME.format(n=n))
    for art in model.articles:
        _write(baseline / "content" / art.path, article_text(art, "baseline"))
    # One hand-written page per entity the dossier generates a page for (entries, stubs).
    mentions = model.mentions_by_entity()
    co: dict[str, Counter] = defaultdict(Counter)
    for art in model.articles:
        ids = list(
            dict.fromkeys(
                [m.ent.id for _, m in iter_sentences(art) if m.ent] + [e.id for e in art.about]
            )
        )
        for a in ids:
            for b in ids:
                if a != b:
                    co[a][b] += 1
    events_of: dict[str, list[Ent]] = defaultdict(list)
    for event in model.entities["event"]:
        for other in event.links["place"] + event.links["participants"]:
            events_of[other.id].append(event)
    everything = model.all_entities()
    for ent in everything:
        _write(
            baseline / "content" / ent.path,
            baseline_entity_page(ent, model, mentions, co, events_of, model.entities["place"]),
        )
    for kind, folder in FOLDERS.items():
        ents = [e for e in everything if e.type == kind]
        _write(baseline / "content" / folder / "index.md", baseline_index(kind, ents, mentions))


def _write_lean(model: Model, lean: Path) -> None:
    """The lean baseline: linked articles, one mention list per entity, the indexes."""
    _write(lean / "mkdocs.yml", CONFIG.format(title="lean", n=model.n, plugins="  - search"))
    _write(lean / "content" / "index.md", HOME.format(n=model.n))
    for art in model.articles:
        _write(lean / "content" / art.path, article_text(art, "baseline"))
    mentions = model.mentions_by_entity()
    everything = model.all_entities()
    for ent in everything:
        _write(lean / "content" / ent.path, lean_entity_page(ent, mentions))
    for kind, folder in FOLDERS.items():
        ents = [e for e in everything if e.type == kind]
        _write(lean / "content" / folder / "index.md", baseline_index(kind, ents, mentions))


QUARTZ_HOME = """\
---
title: Benchmark dossier
---

A synthetic story with {n} articles: its articles, people, organizations, places and events.
"""


def generate_quartz(n: int, out: Path, seed: int = SEED) -> Path:
    """Write the corpus of `generate(n, ...)` as a Quartz vault in `out/quartz` (cached by
    its own stamp); returns the vault's folder."""
    vault = out / "quartz"
    stamp = out / "QUARTZ-VERSION"  # beside the vault: Quartz would publish a file in it
    expected = f"{VERSION} {seed} {n} quartz\n"
    if stamp.exists() and stamp.read_text() == expected:
        return vault
    if vault.exists():
        shutil.rmtree(vault)
    _write_quartz(Model(n, seed), vault)
    stamp.write_text(expected)
    return vault


def _write_quartz(model: Model, vault: Path) -> None:
    """The peer's vault (bench/peers.py): the same articles with every mention as
    `[[slug|label]]`, one note per entity (an entry's front matter and body, or a stub's
    bare title) and a home note. Quartz makes its own backlinks, folder and tag pages."""
    everything = model.all_entities()
    seen = Counter(e.slug for e in everything) + Counter(a.slug for a in model.articles)
    shared = frozenset(slug for slug, count in seen.items() if count > 1)
    _write(vault / "index.md", QUARTZ_HOME.format(n=model.n))
    for art in model.articles:
        _write(vault / art.path, article_text(art, "quartz", shared))
    for ent in everything:
        front: dict = {"title": ent.name, "aliases": ent.aliases, "description": ent.summary}
        if not ent.stub:
            front.update(ent.fields)
            if ent.date:
                front["date"] = ent.date
        _write(vault / ent.path, _front_matter(front) + _body_text(ent, "quartz", shared))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output folder (gets dossier/, baseline/ and lean/)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(generate(args.n, args.out, args.seed))


if __name__ == "__main__":
    main()
