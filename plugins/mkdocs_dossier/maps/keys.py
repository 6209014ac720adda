"""What identifies a map: within one build (`map_key`) and in the persistent cache
(`map_digest`, a digest of everything it is drawn from)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
