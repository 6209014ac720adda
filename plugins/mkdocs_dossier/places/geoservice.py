"""The online geocoder of `dossier geocode`: a geopy geocoder asked politely.

Nominatim's usage policy, followed for every provider: an identifying User-Agent, at
most one request a second (Throttle), timeouts, a few retries with backoff on transient
errors (honouring `Retry-After`), and every failure explained in words (`_explain`).
Which places to ask and what to do with the answers is places/geocode.py.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit

from ..model import Diagnostic

__all__ = ["Answer", "GeocodeSetupError", "OnlineService", "Throttle", "make_geocoder"]

#: Longest `Retry-After` we wait out; a longer one ends the online part of the run.
MAX_RETRY_AFTER_SECONDS = 300.0
#: Ceiling of the exponential backoff between retries.
MAX_BACKOFF_SECONDS = 60.0


class GeocodeSetupError(Exception):
    """The run cannot start (bad options, unreadable cache); nothing was asked or written."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


@dataclass
class Answer:
    """What the service said about one place: coordinates, or why not."""

    coordinates: tuple[float, float] | None = None
    display_name: str = ""
    reason: str = ""
    transient: bool = False  # worth asking again later
    fatal: bool = False  # asking about other places will fail the same way


class Throttle:
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


def make_geocoder(
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
        inner = RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    else:
        inner = URLLibAdapter(proxies=proxies, ssl_context=ssl_context)
    return _deadline_adapter(inner, proxies=proxies, ssl_context=ssl_context)


def _deadline_adapter(inner: Any, **options: Any) -> Any:
    """`inner` with one deadline for a whole request: connect, headers and body.

    An HTTP client's timeout bounds each read, so a server that sends a byte every few
    seconds holds a request as long as it likes. Here the request runs in a daemon thread;
    when `timeout` seconds have passed without a complete answer, the caller gets
    GeocoderTimedOut and moves on (the abandoned thread ends with the connection)."""
    from geopy.adapters import BaseSyncAdapter
    from geopy.exc import GeocoderTimedOut

    class Deadline(BaseSyncAdapter):
        def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
            return within(inner.get_json, url, timeout, headers)

        def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
            return within(inner.get_text, url, timeout, headers)

        def __exit__(self, *exc: Any) -> Any:
            return inner.__exit__(*exc)

    def within(call: Callable[..., Any], url: str, timeout: float, headers: Any) -> Any:
        outcome: list[tuple[bool, Any]] = []

        def run() -> None:
            try:
                outcome.append((True, call(url, timeout=timeout, headers=headers)))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                outcome.append((False, exc))

        worker = threading.Thread(target=run, name="dossier-geocode", daemon=True)
        worker.start()
        worker.join(timeout)
        if not outcome:
            raise GeocoderTimedOut(f"no complete answer within {timeout:g} s")
        ok, value = outcome[0]
        if ok:
            return value
        raise value

    return Deadline(**options)


def _split_endpoint(endpoint: str) -> tuple[str, str | None]:
    """(domain, scheme) from `host[:port][/path]` or a full `scheme://host...` URL."""
    text = endpoint.strip()
    if "://" not in text:
        return text.rstrip("/"), None
    parts = urlsplit(text)
    return (parts.netloc + parts.path).rstrip("/"), parts.scheme or None


class OnlineService:
    """A geopy geocoder asked politely: throttled, retried, every failure explained."""

    def __init__(
        self,
        provider: str,
        geocoder: Any,
        *,
        timeout: float,
        retries: int,
        throttle: Throttle,
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

    def ask(self, query: str, country: str | None) -> Answer:
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
                    return Answer(reason=reason, fatal=fatal)
                if attempt == attempts:
                    tries = f"{attempts} attempts" if attempts > 1 else "1 attempt"
                    return Answer(reason=f"{reason} (gave up after {tries})", transient=True)
                delay = min(self.base_delay * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                if isinstance(exc, GeocoderRateLimited) and exc.retry_after is not None:
                    if exc.retry_after > MAX_RETRY_AFTER_SECONDS:
                        why = f"{reason}; the service asks to wait {exc.retry_after:.0f} s"
                        return Answer(reason=why, fatal=True)
                    delay = max(float(exc.retry_after), self.throttle.min_delay)
                self.out.write(f"    {reason}; retry {attempt}/{self.retries} in {delay:g} s\n")
                self.out.flush()
                self.sleep(delay)
                continue
            except Exception as exc:  # noqa: BLE001 - a provider's own bug is one failure
                return Answer(reason=f"unexpected {type(exc).__name__}: {exc}")
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


def _read_location(location: Any, provider: str, query: str) -> Answer:
    if location is None:
        return Answer(reason=f"no result from {provider} for {query!r}")
    if isinstance(location, list):  # a provider ignoring exactly_one
        if not location:
            return Answer(reason=f"no result from {provider} for {query!r}")
        location = location[0]
    try:
        lat = float(location.latitude)
        lon = float(location.longitude)
    except (AttributeError, TypeError, ValueError):
        return Answer(reason=f"{provider} answered without usable coordinates")
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return Answer(reason=f"{provider} answered out-of-range coordinates {lat}, {lon}")
    return Answer(coordinates=(lat, lon), display_name=str(getattr(location, "address", "") or ""))


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
