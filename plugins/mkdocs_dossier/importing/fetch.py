"""Pages and feeds from the web, asked for as `dossier geocode` asks its geocoder.

The same manners as places/geoservice.py, with its Throttle and limits: a User-Agent
that names the tool, at most one request per `min_delay` seconds, one deadline for the
whole of a request (a server that trickles a byte at a time cannot hold us), a few
retries with exponential backoff on transient failures (timeouts, lost connections,
HTTP 429 and 5xx), `Retry-After` honoured up to MAX_RETRY_AFTER_SECONDS, and every
failure said in words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, TextIO

from ..places.geoservice import MAX_BACKOFF_SECONDS, MAX_RETRY_AFTER_SECONDS, Throttle

#: What we tell web servers we are (a newsroom adds its contact with --user-agent).
USER_AGENT = f"mkdocs-dossier/{version('mkdocs-dossier')} (dossier import)"
#: The largest page we read; an article page is far smaller.
MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass
class Page:
    """What a server sent: the address it ended at (after redirects), bytes and type."""

    url: str
    content: bytes
    content_type: str


class FetchError(Exception):
    """A page could not be had; the message says why in words."""


class _Transient(Exception):
    """A failure worth another try."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Fetcher:
    """HTTP GET done politely: throttled, deadlined, retried, every failure explained."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = 20.0,
        retries: int = 2,
        min_delay: float = 1.0,
        out: TextIO,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        import requests

        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.timeout = timeout
        self.retries = max(0, retries)
        self.throttle = Throttle(min_delay, clock, sleep)
        self.base_delay = max(1.0, min_delay)
        self.clock = clock
        self.sleep = sleep
        self.out = out

    def get(self, url: str) -> Page:
        """The page at `url`, after up to `retries` more attempts; FetchError if none."""
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            self.throttle.wait()
            try:
                return self._once(url)
            except _Transient as exc:
                reason = str(exc)
                if attempt == attempts:
                    tries = f"{attempts} attempts" if attempts > 1 else "1 attempt"
                    raise FetchError(f"{reason} (gave up after {tries})") from None
                delay = min(self.base_delay * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
                if exc.retry_after is not None:
                    if exc.retry_after > MAX_RETRY_AFTER_SECONDS:
                        raise FetchError(
                            f"{reason}; the server asks to wait {exc.retry_after:.0f} s"
                        ) from None
                    delay = max(exc.retry_after, self.throttle.min_delay)
                self.out.write(f"    {reason}; retry {attempt}/{self.retries} in {delay:g} s\n")
                self.out.flush()
                self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str) -> Page:
        import requests
        from geopy.adapters import get_retry_after

        deadline = time.monotonic() + self.timeout
        try:
            response = self.session.get(
                url, timeout=(self.timeout, self.timeout), stream=True, allow_redirects=True
            )
        except requests.Timeout:
            raise _Transient(f"timed out after {self.timeout:g} s") from None
        except requests.ConnectionError as exc:
            raise _Transient(f"cannot connect: {_root_cause(exc)}") from None
        except requests.RequestException as exc:
            raise FetchError(f"cannot ask for it: {_root_cause(exc)}") from None
        with response:
            status = response.status_code
            if status == 429 or status >= 500:
                why = f"HTTP {status} from the server"
                if status == 429:
                    why = "rate limited (HTTP 429)"
                raise _Transient(why, get_retry_after(response.headers))
            if status >= 400:
                raise FetchError(f"HTTP {status} {response.reason or ''}".rstrip())
            content = self._body(response, deadline)
        return Page(response.url, content, response.headers.get("Content-Type", ""))

    def _body(self, response: Any, deadline: float) -> bytes:
        """The body, read in chunks against the request's one deadline."""
        import requests

        raw = response.raw
        read = getattr(raw, "read1", raw.read)  # read1 returns whatever has arrived
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise _Transient(f"no complete answer within {self.timeout:g} s")
                chunk = read(_CHUNK, decode_content=True)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"larger than {MAX_BYTES // (1024 * 1024)} MB; not read")
                chunks.append(chunk)
        except (requests.RequestException, OSError, _urllib3_errors()) as exc:
            raise _Transient(f"connection lost while reading: {_root_cause(exc)}") from None

    def close(self) -> None:
        """Close the keep-alive connections."""
        self.session.close()


def _urllib3_errors() -> type[Exception]:
    from urllib3.exceptions import HTTPError

    return HTTPError


def _root_cause(exc: BaseException) -> str:
    """The innermost reason of a chained requests/urllib3 error, in one line."""
    seen = exc
    while seen.__cause__ is not None or (seen.__context__ is not None and not seen.args):
        seen = seen.__cause__ or seen.__context__  # type: ignore[assignment]
    reason = getattr(seen, "reason", None) or seen
    return " ".join(str(reason).split()) or type(seen).__name__
