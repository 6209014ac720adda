"""What identifies a map: within one build (`map_key`) and in the persistent cache
(`map_digest`, a digest of everything it is drawn from); `CachedMaps` draws through that
cache, and in the worker (parallel.py) hands maps back as references into it
(`with_maps` puts them in)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..files import content_key
from ..model import Entity
from ..pages.links import Links


def map_key(places: Sequence[tuple[Any, bool]], page_url: str, subject: Any) -> tuple:
    """What identifies a map: its page, its places (and which are the subject) and its
    subject (an entity, by id, or a caption)."""
    return (
        page_url,
        tuple((place.id, focus) for place, focus in places),
        subject if isinstance(subject, str) else subject.id,
    )


def map_digest(
    places: Sequence[tuple[Entity, bool]],
    links: Links,
    page_url: str,
    subject: Entity | str,
    memo: dict[int, bytes],
) -> bytes:
    """A digest of everything a map is drawn from, for the persistent cache: the page,
    every place and the subject in full (each entity's every field, digested once per
    build in `memo`), and the address each place links to."""

    def whole(entity: Entity) -> bytes:
        found = memo.get(id(entity))
        if found is None:
            found = memo[id(entity)] = content_key(entity.id, repr(entity))
        return found

    parts: list[str | bytes] = [page_url]
    for place, focus in places:
        parts += [whole(place), "1" if focus else "0", links.entity(place.id, page_url)]
    parts.append("caption " + subject if isinstance(subject, str) else b"entity " + whole(subject))
    return content_key(*parts)


class TextStore(Protocol):
    """The persistent cache's text tables (diskcache.Store)."""

    def lookup(self, table: str, key: bytes) -> str | None: ...

    def holds(self, table: str, key: bytes) -> bool: ...

    def read(self, table: str, key: bytes) -> str | None: ...

    def put(self, table: str, key: bytes, text: str) -> None: ...


#: A map's place in a part the worker made: the map is in the persistent cache under
#: this digest. NUL-bracketed, so that no map or ordinary text looks like one; a part
#: whose reference finds no map in the cache is made again by its page (`with_maps`).
REFERENCE = "\x00dossier-map:{}\x00"
_REFERENCES = re.compile("\x00dossier-map:([0-9a-f]+)\x00")


def with_maps(text: str, store: TextStore) -> str | None:
    """`text` with each map reference (`REFERENCE`) replaced by the map the cache holds
    under it; None when one is not there any more (the caller makes its part anew)."""
    if "\x00dossier-map:" not in text:
        return text
    missing = False

    def mapped(match: re.Match[str]) -> str:
        nonlocal missing
        found = store.read("maps", bytes.fromhex(match.group(1)))
        if found is None:
            missing = True
            return ""
        return found

    text = _REFERENCES.sub(mapped, text)
    return None if missing else text


Drawer = Callable[[list[tuple[Entity, bool]], Links, str, "Entity | str"], str]


class CachedMaps:
    """Maps taken from the persistent cache, or drawn by `draw` and kept there. `noted`
    lists the cache entries used since it was last emptied (a worker's job reports them
    to the process that saves the cache).

    With `by_reference` (set in the worker), a map comes back as a `REFERENCE` to the
    cache entry, which holds it already: the part the worker sends back then carries a
    few bytes instead of the map, which the page's process reads from the cache
    (`with_maps`) instead of unpacking it from the worker's reply."""

    def __init__(self, store: TextStore, links: Links, draw: Drawer) -> None:
        self.store, self.links, self.draw_map = store, links, draw
        self.digests: dict[tuple, bytes] = {}  # map_key -> map_digest, this build
        self.entities: dict[int, bytes] = {}  # id(entity) -> its digest, this build
        self.noted: list[str] = []
        self.by_reference = False

    def draw(self, places: list[tuple[Entity, bool]], page_url: str, subject: Entity | str) -> str:
        key = map_key(places, page_url, subject)
        digest = self.digests.get(key)
        if digest is None:
            digest = self.digests[key] = map_digest(
                places, self.links, page_url, subject, self.entities
            )
        self.noted.append(digest.hex())
        if self.by_reference and self.store.holds("maps", digest):
            return REFERENCE.format(digest.hex())
        drawn = self.store.lookup("maps", digest)
        if drawn is None:
            drawn = self.draw_map(places, self.links, page_url, subject)
            self.store.put("maps", digest, drawn)
        return REFERENCE.format(digest.hex()) if self.by_reference else drawn
