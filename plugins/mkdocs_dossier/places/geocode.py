"""`dossier geocode`: fill dossier/geocache.yml for places that have no coordinates.

Each place is looked up once: the offline gazetteer first, then, only when asked
(`online=True`), a geopy geocoder (Nominatim unless told otherwise; how it is asked is
places/geoservice.py). Nothing already in the cache is ever lost: the file is rewritten
atomically after every online answer and once more on the way out, whatever the way out
is. The run reports what it found, what failed and why, as it goes and at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..diagnostics import problem
from ..model import Diagnostic, Position
from . import gazetteer
from .geocache import CacheEntry, load_geocache, write_geocache
from .geoservice import GeocodeSetupError, OnlineService, Throttle, make_geocoder

__all__ = ["GeocodeReport", "PlaceQuery", "geocode_places", "query_for"]

#: Consecutive places failing on transient errors before we stop asking the service.
MAX_TRANSIENT_STREAK = 3


@dataclass
class PlaceQuery:
    """A place entry without coordinates: what to ask, and where to point on failure."""

    slug: str
    name: str
    query: str  # query_for(name, country, geocode field)
    country: str | None
    aliases: list[str]
    position: Position  # of the entry (or its `geocode`/`name` field) for diagnostics
    path: str  # entry path relative to the project root


@dataclass
class GeocodeReport:
    """What a run did: slugs found, failures with why, slugs already cached."""

    found: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # dry run: would be asked online
    providers: dict[str, str] = field(default_factory=dict)  # slug -> who answered
    written: bool = False  # the cache file was rewritten


def query_for(name: str, country: str | None, geocode_field: str | None) -> str:
    """The query for a place: its `geocode` field, else `Name, CC`, else just its name."""
    if isinstance(geocode_field, str) and geocode_field.strip():
        return " ".join(geocode_field.split())
    clean = " ".join(str(name).split())
    if isinstance(country, str) and country.strip():
        return f"{clean}, {country.strip().upper()}"
    return clean


def geocode_places(
    places: Sequence[PlaceQuery],
    cache_path: Path,
    *,
    online: bool = False,
    provider: str = "nominatim",
    endpoint: str | None = None,
    scheme: str | None = None,
    user_agent: str | None = None,
    dry_run: bool = False,
    timeout: float = 10.0,
    retries: int = 2,
    min_delay_seconds: float = 1.0,
    out: TextIO = sys.stderr,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Any] = time.sleep,
    today: date | None = None,
    cache_display_path: str | None = None,
    geocoder_options: Mapping[str, Any] | None = None,
) -> GeocodeReport:
    """Look up every place not yet in the geocache and record what was found.

    `endpoint` is the service's host (`nominatim.example.org`, `127.0.0.1:8080`) or a
    URL (`http://127.0.0.1:8080`); `geocoder_options` go to the geopy class as they are
    (e.g. `api_key` for providers that need one). Raises GeocodeSetupError, before any
    request or write, when the cache has errors or the online options are unusable.
    """
    display = cache_display_path or str(cache_path)
    entries, cache_diagnostics = load_geocache(cache_path, display)
    if cache_diagnostics:
        # Even a warning (an unknown top-level key) names text a rewrite would drop.
        raise GeocodeSetupError(
            f"{display} has problems; fix them first so rewriting it loses nothing",
            cache_diagnostics,
        )
    provider_name = provider.strip().lower()
    service = None
    if online:
        service = OnlineService(
            provider_name,
            make_geocoder(
                provider_name, endpoint, scheme, user_agent, timeout, geocoder_options or {}
            ),
            timeout=timeout,
            retries=max(0, retries),
            throttle=Throttle(min_delay_seconds, clock, sleep),
            sleep=sleep,
            min_delay_seconds=min_delay_seconds,
            out=out,
        )
    run = _Run(entries, cache_path, display, dry_run, today or date.today(), out)
    try:
        run.geocode(places, service, provider_name)
    except BaseException as exc:
        kept = "" if dry_run else "; what was found so far is saved"
        out.write(f"geocode: stopped by {type(exc).__name__}{kept}\n")
        raise
    finally:
        run.save()
        if service is not None:
            service.close()
    run.summarize()
    return run.report


# --------------------------------------------------------------------------- the run


class _Run:
    """One pass over the places, holding the cache and saving it as answers come in."""

    def __init__(
        self,
        entries: dict[str, CacheEntry],
        cache_path: Path,
        display: str,
        dry_run: bool,
        today: date,
        out: TextIO,
    ) -> None:
        self.entries = entries
        self.cache_path = cache_path
        self.display = display
        self.dry_run = dry_run
        self.today = today
        self.out = out
        self.dirty = False
        self.report = GeocodeReport()

    def geocode(
        self, places: Sequence[PlaceQuery], service: OnlineService | None, provider: str
    ) -> None:
        total = len(places)
        stopped: str | None = None  # why the online service is no longer asked
        streak = 0
        for number, place in enumerate(places, 1):
            prefix = f"[{number}/{total}] {place.slug} ..."
            cached = self.entries.get(place.slug)
            if cached is not None and (not cached.query or cached.query == place.query):
                self.report.skipped.append(place.slug)
                self._say(f"{prefix} already in the geocache")
                continue
            if not place.query.strip():
                self._failed(prefix, place, "nothing to ask: no name and no geocode query")
                continue
            hit = _gazetteer_hit(place)
            if hit is not None:
                entry = CacheEntry(
                    slug=place.slug,
                    query=place.query,
                    coordinates=(hit.lat, hit.lon),
                    provider="gazetteer",
                    display_name=hit.display_name,
                    retrieved=self.today,
                )
                self._found(prefix, entry)
                continue
            if service is None:
                reason = f"not in the offline gazetteer (use --online to ask {provider})"
                self._failed(prefix, place, reason)
                continue
            if self.dry_run:
                self.report.pending.append(place.slug)
                self._say(f"{prefix} would ask {provider} for {place.query!r}")
                continue
            if stopped is not None:
                self._failed(prefix, place, f"not asked: {stopped}")
                continue
            self._say(f"{prefix} asking {provider} for {place.query!r}")
            answer = service.ask(place.query, place.country)
            if answer.coordinates is not None:
                streak = 0
                entry = CacheEntry(
                    slug=place.slug,
                    query=place.query,
                    coordinates=answer.coordinates,
                    provider=provider,
                    display_name=answer.display_name,
                    retrieved=self.today,
                )
                self._found(prefix, entry)
                self.save()  # an online answer cost a request: keep it at once
                continue
            self._failed(prefix, place, answer.reason)
            streak = streak + 1 if answer.transient else 0
            if answer.fatal:
                stopped = f"{provider} refused an earlier request ({answer.reason})"
            elif streak >= MAX_TRANSIENT_STREAK:
                stopped = f"{provider} failed {streak} places in a row"

    def _found(self, prefix: str, entry: CacheEntry) -> None:
        self.entries[entry.slug] = entry
        self.dirty = True
        self.report.found.append(entry.slug)
        self.report.providers[entry.slug] = entry.provider
        lat, lon = entry.coordinates
        verb = "would add" if self.dry_run else "found"
        name = f" {entry.display_name}" if entry.display_name else ""
        self._say(f"{prefix} {verb} ({entry.provider}) {lat:.3f}, {lon:.3f}{name}")

    def _failed(self, prefix: str, place: PlaceQuery, reason: str) -> None:
        self.report.failed.append((place.slug, reason))
        self.report.diagnostics.append(
            problem(
                "geocode-failed",
                place.path,
                Position(place.position.line, place.position.col),
                f"no coordinates for {place.name!r} (query {place.query!r}): {reason}",
            )
        )
        self._say(f"{prefix} failed: {reason}")

    def save(self) -> None:
        """Write the cache if anything was added since the last write (never in a dry run)."""
        if self.dirty and not self.dry_run:
            write_geocache(self.cache_path, self.entries)
            self.dirty = False
            self.report.written = True

    def summarize(self) -> None:
        report = self.report
        by_provider: dict[str, int] = {}
        for slug in report.found:
            name = report.providers[slug]
            by_provider[name] = by_provider.get(name, 0) + 1
        sources = ", ".join(f"{count} {name}" for name, count in sorted(by_provider.items()))
        found = f"{len(report.found)} found" + (f" ({sources})" if sources else "")
        line = f"geocode: {found}, {len(report.failed)} failed, {len(report.skipped)} skipped"
        self._say(line + " (already in the geocache)")
        if self.dry_run:
            asked = f"; would ask about {len(report.pending)} online" if report.pending else ""
            self._say(f"dry run: nothing written to {self.display}{asked}")
        elif report.written:
            self._say(f"wrote {self.display}")
        if report.failed:
            self._say("failures:")
            for diagnostic in report.diagnostics:
                self._say(f"  {diagnostic.format()}")

    def _say(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()


def _gazetteer_hit(place: PlaceQuery) -> gazetteer.GazetteerHit | None:
    """The offline answer for a place, if its query is one the gazetteer can answer.

    The default query (name, country) looks up the name and aliases. An editor's own
    `geocode` query is looked up only when it is `Town` or `Town, Country`; anything
    finer (`Street, Town, Country`, `Al Asad Air Base`) is for an online geocoder.
    """
    if place.query == query_for(place.name, place.country, None):
        return gazetteer.lookup(place.name, place.country, place.aliases)
    head, comma, tail = place.query.rpartition(",")
    if not comma:
        return gazetteer.lookup(place.query, place.country)
    if "," in head:
        return None
    code = gazetteer.country_code(tail)
    return gazetteer.lookup(head, code) if code else None
