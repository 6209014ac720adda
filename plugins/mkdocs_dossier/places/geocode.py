"""`dossier geocode`: fill dossier/geocache.yml for places that have no coordinates.

Each place is looked up once: the offline gazetteer first, then, only when asked
(`online=True`), a geopy geocoder (Nominatim unless told otherwise). Online use follows
Nominatim's usage policy: an identifying User-Agent, at most one request a second,
timeouts, a few retries with backoff on transient errors (honouring `Retry-After`), and
nothing already in the cache is ever lost: the file is rewritten atomically after every
online answer and once more on the way out, whatever the way out is.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from ..model import Diagnostic, Position
from . import gazetteer
from .geocache import CacheEntry, load_geocache, write_geocache

__all__ = [
    "GeocodeReport",
    "GeocodeSetupError",
    "PlaceQuery",
    "geocode_places",
    "query_for",
]

#: Consecutive places failing on transient errors before we stop asking the service.
MAX_TRANSIENT_STREAK = 3
#: Longest `Retry-After` we wait out; a longer one ends the online part of the run.
MAX_RETRY_AFTER_SECONDS = 300.0
#: Ceiling of the exponential backoff between retries.
MAX_BACKOFF_SECONDS = 60.0


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


class GeocodeSetupError(Exception):
    """The run cannot start (bad options, unreadable cache); nothing was asked or written."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


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
        service = _OnlineService(
            provider_name,
            _make_geocoder(
                provider_name, endpoint, scheme, user_agent, timeout, geocoder_options or {}
            ),
            timeout=timeout,
            retries=max(0, retries),
            throttle=_Throttle(min_delay_seconds, clock, sleep),
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
        self, places: Sequence[PlaceQuery], service: _OnlineService | None, provider: str
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
            Diagnostic(
                place.path,
                place.position.line,
                place.position.col,
                "warning",
                "geocode-failed",
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


# --------------------------------------------------------------------------- online


@dataclass
class _Answer:
    coordinates: tuple[float, float] | None = None
    display_name: str = ""
    reason: str = ""
    transient: bool = False  # worth asking again later
    fatal: bool = False  # asking about other places will fail the same way


class _Throttle:
    """At most one request per `min_delay` seconds, on an injectable clock and sleep."""

    def __init__(
        self, min_delay: float, clock: Callable[[], float], sleep: Callable[[float], Any]
    ) -> None:
        self.min_delay = max(0.0, min_delay)
        self.clock = clock
        self.sleep = sleep
        self.last: float | None = None

    def wait(self) -> None:
        """Sleep until the next request may go, and book it."""
        now = self.clock()
        if self.last is not None:
            wait = self.last + self.min_delay - now
            if wait > 0:
                self.sleep(wait)
                now = self.clock()
        self.last = now


def _make_geocoder(
    provider: str,
    endpoint: str | None,
    scheme: str | None,
    user_agent: str | None,
    timeout: float,
    options: Mapping[str, Any],
) -> Any:
    """The geopy geocoder for `provider`, or GeocodeSetupError saying what to fix."""
    from geopy.exc import ConfigurationError, GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    agent = (user_agent or "").strip()
    if not agent or agent.lower().startswith("geopy/"):
        raise GeocodeSetupError(
            "online geocoding needs a User-Agent that identifies your newsroom, e.g. "
            "--user-agent 'example-desk-dossier/1.0 (desk@example.org)' "
            "(Nominatim's usage policy; geopy's default is refused)"
        )
    try:
        geocoder_class = get_geocoder_for_service(provider)
    except GeocoderNotFound as exc:
        raise GeocodeSetupError(f"unknown geocoding provider {provider!r}: {exc}") from exc
    kwargs: dict[str, Any] = {
        "user_agent": agent,
        "timeout": timeout,
        "adapter_factory": _adapter_without_retries,
    }
    if endpoint:
        domain, endpoint_scheme = _split_endpoint(endpoint)
        kwargs["domain"] = domain
        if endpoint_scheme and not scheme:
            kwargs["scheme"] = endpoint_scheme
    if scheme:
        kwargs["scheme"] = scheme
    kwargs.update(options)
    try:
        return geocoder_class(**kwargs)
    except (ConfigurationError, TypeError, ValueError) as exc:
        raise GeocodeSetupError(f"cannot set up the {provider} geocoder: {exc}") from exc


def _adapter_without_retries(*, proxies: Any, ssl_context: Any) -> Any:
    """geopy's HTTP adapter with its own retries off: we retry, throttled and visible.

    geopy's default RequestsAdapter lets urllib3 retry twice inside one call: read
    timeouts silently tripled, and a 429's Retry-After slept for real, unseen by our
    one-request-a-second limiter.
    """
    from geopy.adapters import RequestsAdapter, URLLibAdapter

    if RequestsAdapter.is_available:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)


def _split_endpoint(endpoint: str) -> tuple[str, str | None]:
    """(domain, scheme) from `host[:port][/path]` or a full `scheme://host...` URL."""
    text = endpoint.strip()
    if "://" not in text:
        return text.rstrip("/"), None
    parts = urlsplit(text)
    return (parts.netloc + parts.path).rstrip("/"), parts.scheme or None


class _OnlineService:
    """A geopy geocoder asked politely: throttled, retried, every failure explained."""

    def __init__(
        self,
        provider: str,
        geocoder: Any,
        *,
        timeout: float,
        retries: int,
        throttle: _Throttle,
        sleep: Callable[[float], Any],
        min_delay_seconds: float,
        out: TextIO,
    ) -> None:
        self.provider = provider
        self.geocoder = geocoder
        self.timeout = timeout
        self.retries = retries
        self.throttle = throttle
        self.sleep = sleep
        self.base_delay = max(1.0, min_delay_seconds)
        self.out = out

    def ask(self, query: str, country: str | None) -> _Answer:
        """One place, with up to `retries` more attempts on transient errors."""
        from geopy.exc import GeocoderRateLimited, GeopyError

        kwargs: dict[str, Any] = {"exactly_one": True, "timeout": self.timeout}
        if country and self._is_nominatim():
            kwargs["country_codes"] = country.strip().lower()
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            self.throttle.wait()
            try:
                location = self.geocoder.geocode(query, **kwargs)
            except GeopyError as exc:
                reason, transient, fatal = _explain(exc, self.timeout)
                if not transient:
                    return _Answer(reason=reason, fatal=fatal)
                if attempt == attempts:
                    tries = f"{attempts} attempts" if attempts > 1 else "1 attempt"
                    return _Answer(reason=f"{reason} (gave up after {tries})", transient=True)
                delay = min(self.base_delay * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                if isinstance(exc, GeocoderRateLimited) and exc.retry_after is not None:
                    if exc.retry_after > MAX_RETRY_AFTER_SECONDS:
                        why = f"{reason}; the service asks to wait {exc.retry_after:.0f} s"
                        return _Answer(reason=why, fatal=True)
                    delay = max(float(exc.retry_after), self.throttle.min_delay)
                self.out.write(f"    {reason}; retry {attempt}/{self.retries} in {delay:g} s\n")
                self.out.flush()
                self.sleep(delay)
                continue
            except Exception as exc:  # noqa: BLE001 - a provider's own bug is one failure
                return _Answer(reason=f"unexpected {type(exc).__name__}: {exc}")
            return _read_location(location, self.provider, query)
        raise AssertionError("unreachable")  # pragma: no cover

    def _is_nominatim(self) -> bool:
        from geopy.geocoders import Nominatim

        return isinstance(self.geocoder, Nominatim)

    def close(self) -> None:
        """Close the geocoder's connections (its adapter's keep-alive pool)."""
        adapter = getattr(self.geocoder, "adapter", None)
        exit_ = getattr(adapter, "__exit__", None)
        if exit_ is not None:
            # Closing must not hide the run's result.
            with contextlib.suppress(Exception):
                exit_(None, None, None)


def _read_location(location: Any, provider: str, query: str) -> _Answer:
    if location is None:
        return _Answer(reason=f"no result from {provider} for {query!r}")
    if isinstance(location, list):  # a provider ignoring exactly_one
        if not location:
            return _Answer(reason=f"no result from {provider} for {query!r}")
        location = location[0]
    try:
        lat = float(location.latitude)
        lon = float(location.longitude)
    except (AttributeError, TypeError, ValueError):
        return _Answer(reason=f"{provider} answered without usable coordinates")
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return _Answer(reason=f"{provider} answered out-of-range coordinates {lat}, {lon}")
    return _Answer(coordinates=(lat, lon), display_name=str(getattr(location, "address", "") or ""))


def _explain(exc: Exception, timeout: float) -> tuple[str, bool, bool]:
    """(why, transient, fatal) for a geopy error.

    Transient: timeouts, unreachable service, HTTP 429 and 5xx (geopy maps 503/504 to
    GeocoderTimedOut, other 5xx to a bare GeocoderServiceError chained to the HTTP
    error). Fatal: the service refuses us (401/403, quota, configuration), so asking
    about other places is pointless. Anything else fails this place only.
    """
    from geopy.exc import (
        ConfigurationError,
        GeocoderAuthenticationFailure,
        GeocoderInsufficientPrivileges,
        GeocoderQuotaExceeded,
        GeocoderRateLimited,
        GeocoderServiceError,
        GeocoderTimedOut,
        GeocoderUnavailable,
    )

    status = getattr(exc.__cause__, "status_code", None)
    http = f"HTTP {status}: " if status else ""
    if isinstance(exc, GeocoderRateLimited):
        return "rate limited (HTTP 429)", True, False
    if isinstance(exc, GeocoderTimedOut):
        if status:
            return f"{http}service overloaded", True, False
        return f"timed out after {timeout:g} s", True, False
    if isinstance(exc, GeocoderUnavailable):
        return f"service unavailable: {exc}", True, False
    if isinstance(
        exc,
        (
            GeocoderAuthenticationFailure,
            GeocoderInsufficientPrivileges,
            GeocoderQuotaExceeded,
            ConfigurationError,
        ),
    ):
        return f"{http}{type(exc).__name__}: {exc}", False, True
    if type(exc) is GeocoderServiceError:
        # No status: a connection-level failure; 5xx: the server's trouble. Both pass.
        if status is None:
            return f"service error: {exc}", True, False
        return f"HTTP {status} from the service", int(status) >= 500, False
    return f"{http}{type(exc).__name__}: {exc}", False, False
