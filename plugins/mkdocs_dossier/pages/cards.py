"""Hover cards: the data a page ships for the entities it links, read by dossier-cards.js.

A page carries its cards inline, as JSON holding only the entities its content links
to, so a card shows from disk with no request. The JSON sits in an attribute of a hidden
element, `<div id="dossier-cards" hidden data-cards='...'>`, not in a
`<script type="application/json">`: Material's instant navigation re-inserts every
inline `<script>` of a new page without its `type`, which would run the JSON as code
(and drop the element's id). Nothing here is a script, so a Content-Security-Policy
has nothing to allow.

Budget: each card is at most `CARD_BYTES` bytes of JSON (long texts are shortened with
an ellipsis) and a page ships at most `MAX_CARDS` cards, the first linked in reading
order: at most `MAX_CARDS * CARD_BYTES` bytes, plus `BLOCK_OVERHEAD`, per page. The
counts ("12 mentions in 3 articles") come from one script for the whole site
(`counts_script`, about 45 bytes an entity), loaded once and cached by the browser.

Plain Python: the adapter hands in a page's rendered content.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from ..index.build import Dossier
from ..model import Entity
from ..types import TYPE_LABELS
from .links import Links
from .render import facts

#: The site's counts script, next to the plugin's other assets.
COUNTS_NAME = "dossier-counts.js"

#: The id of the element whose `data-cards` dossier-cards.js reads.
BLOCK_ID = "dossier-cards"

#: The most bytes one card's JSON (its id, key and value) may take.
CARD_BYTES = 400

#: The most cards one page ships; later entities keep their `title` text.
MAX_CARDS = 100

#: Bytes of the element around its cards: the tag, the type labels, the brackets.
BLOCK_OVERHEAD = 256

#: Shown on a card opened by a tap on a link: the next tap follows it.
TAP_HINT = "Tap again to open"

#: Longest shown texts, in characters, before the byte budget trims further.
NAME_CHARS = 80
SUMMARY_CHARS = 200
FACT_CHARS = 80

# The elements dossier-cards.js gives a card: links that name an entity, and mentions
# (a link, or a `<span>` where a mention is not linked). Maps have their own labels.
# The attribute as the plugin writes it; starting with a literal keeps the search fast.
_ENTITY_ATTR = re.compile(r"""data-entity=(?:"([^"]*)"|'([^']*)')""")
_CLASS_ATTR = re.compile(r"""\sclass=["']([^"']*)""")


def linked_entities(content: str) -> list[str]:
    """Ids of the entities `content` links or mentions, in reading order, each once.

    Counted are `<a data-entity>` and `.dossier-mention` elements outside inline SVG,
    the same elements the script gives a card.
    """
    found: dict[str, None] = {}
    maps = list(_svg_spans(content))
    # From each data-entity attribute back to its tag: a page has far fewer of those
    # than tags. Attribute values the plugin writes are escaped: no `<` or `>` in them.
    for attr in _ENTITY_ATTR.finditer(content):
        at = attr.start()
        if any(start <= at < end for start, end in maps):
            continue
        tag = content[content.rfind("<", 0, at) : at]
        name = tag[1:].split(None, 1)[0].lower() if len(tag) > 1 else ""
        if name == "span":
            classes = _CLASS_ATTR.search(tag)
            if classes is None or "dossier-mention" not in classes.group(1).split():
                continue
        elif name != "a":
            continue
        found.setdefault(html.unescape(attr.group(1) or attr.group(2) or ""), None)
    return list(found)


def _svg_spans(content: str) -> Iterator[tuple[int, int]]:
    """Where inline `<svg>` elements (the maps) start and end."""
    start = content.find("<svg")
    while start != -1:
        end = content.find("</svg>", start)
        end = len(content) if end == -1 else end + len("</svg>")
        yield start, end
        start = content.find("<svg", end)


def counts_text(mentions: int, articles: int) -> str:
    """'12 mentions in 3 articles', as the entity page says it."""
    return (
        f"{mentions} mention{'' if mentions == 1 else 's'} "
        f"in {articles} article{'' if articles == 1 else 's'}"
    )


def card(entity: Entity, dossier: Dossier, links: Links) -> dict[str, Any]:
    """One entity's card on the pages that link it: name, type, summary (none for a
    stub: its summary is the build's placeholder, not an editor's), first fact.

    All of it comes from the entity's entry, so a page's cards change only when entries
    do (and then every page is rebuilt, `--dirty` or not). Counts change with every
    article and come from the site's one counts script (`counts_script`).
    """
    found: dict[str, Any] = {"name": _shorten(entity.name, NAME_CHARS), "type": entity.type}
    if entity.summary and not entity.stub:
        found["summary"] = _shorten(entity.summary, SUMMARY_CHARS)
    # The fact's text only (its links are the page's business): any page URL will do.
    first = next(iter(facts(entity, dossier, links, links.entities.get(entity.id, ""))), None)
    if first is not None:
        text = ", ".join(name for name, _ in first.links) if first.links else first.text
        found["fact"] = [_shorten(first.label, FACT_CHARS), _shorten(text, FACT_CHARS)]
    return _fit(entity.id, found)


def counts_script(dossier: Dossier) -> str:
    """The site's `dossier-counts.js`: each mentioned entity's "12 mentions in 3
    articles", for the cards of every page.

    One file for the site, rewritten by every build: an edit to an article changes the
    counts of the entities it mentions, and pages that show their cards need not be
    written again (under `mkdocs serve --dirty` they are not).
    """
    counts = {}
    for entity_id in sorted(dossier.entities):
        pairs = dossier.mentions.get(entity_id, [])
        if pairs:
            articles = len({article.src_uri for article, _ in pairs})
            counts[entity_id] = counts_text(len(pairs), articles)
    data = json.dumps(counts, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return f"window.dossierCounts = {data};\n"


class Cards:
    """One build's hover cards: each entity's card made once, each page's block from
    the cards of the entities it links."""

    def __init__(self, dossier: Dossier, links: Links) -> None:
        self.dossier = dossier
        self.links = links
        self._json: dict[str, tuple[str, str]] = {}  # id -> (type, `"id":{card}`)

    def block(self, content: str) -> str:
        """The page's `<div id="dossier-cards" hidden data-cards='{...}'>`, or "" when
        `content` links no entity. The first `MAX_CARDS` entities it links get a card."""
        entities = self.dossier.entities
        ids = [i for i in linked_entities(content) if i in entities][:MAX_CARDS]
        if not ids:
            return ""
        made = [self._card_json(i) for i in sorted(ids)]
        labels = {kind: TYPE_LABELS[kind][0] for kind in sorted({kind for kind, _ in made})}
        rest = attribute_json({"tap": TAP_HINT, "types": labels})
        data = '{"cards":{' + ",".join(text for _, text in made) + "}," + rest[1:]
        return f"\n<div id=\"{BLOCK_ID}\" hidden data-cards='{data}'></div>"

    def _card_json(self, entity_id: str) -> tuple[str, str]:
        if entity_id not in self._json:
            entity = self.dossier.entities[entity_id]
            found = card(entity, self.dossier, self.links)
            self._json[entity_id] = (entity.type, attribute_json({entity_id: found})[1:-1])
        return self._json[entity_id]


def attribute_json(data: Any) -> str:
    """JSON that can stand in a single-quoted HTML attribute as it is: no `'`, `&`, `<`
    or `>` (they occur only inside strings, where JSON writes them as `\\u0027` etc.)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.translate(_ATTRIBUTE_ACTIVE)


# What would end or open markup in a single-quoted attribute, as JSON escapes.
_ATTRIBUTE_ACTIVE = {ord(ch): f"\\u{ord(ch):04x}" for ch in "'&<>"}


def card_bytes(entity_id: str, found: dict[str, Any]) -> int:
    """Bytes the card takes in the page's JSON: `"id":{...}` as UTF-8."""
    return len(attribute_json({entity_id: found}).encode("utf-8"))


def _fit(entity_id: str, found: dict[str, Any]) -> dict[str, Any]:
    """`found` with its longest texts shortened until it takes at most `CARD_BYTES`."""
    while card_bytes(entity_id, found) > CARD_BYTES:
        over = card_bytes(entity_id, found) - CARD_BYTES
        # Shorten the longest of the texts, by at least what is over (a character is at
        # least a byte; escapes make some take six).
        texts = [("summary", None), ("name", None), ("fact", 1), ("fact", 0)]
        key, index = max(
            (t for t in texts if t[0] in found),
            key=lambda t: len(found[t[0]] if t[1] is None else found[t[0]][t[1]]),
        )
        text = found[key] if index is None else found[key][index]
        if len(text) <= 1:
            break  # nothing left to shorten (an id alone over budget cannot occur)
        shorter = _shorten(text, max(1, len(text) - max(over, 1)))
        if index is None:
            found[key] = shorter
        else:
            found[key] = [*found[key]]
            found[key][index] = shorter
    return found


def _shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
