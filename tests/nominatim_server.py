"""A scripted stand-in for Nominatim's /search API, served on 127.0.0.1 for tests.

Tests script replies per query (`server.on("Mosul, IQ", found(...), ...)`): each request
for that query takes the next reply, the last one repeating. Every request is recorded
with its path, parameters, User-Agent and the time on `server.clock` (tests set it to
their fake clock to check request spacing without sleeping).

Use the `nominatim` fixture: `from nominatim_server import nominatim_fixture  # noqa: F401`
in a test module, or register this module as a pytest plugin.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a result, no result, an HTTP error, or a stall."""

    kind: str  # "found", "empty", "status", "slow", "trickle"
    lat: float = 0.0
    lon: float = 0.0
    display_name: str = ""
    status: int = 200
    retry_after: str | None = None
    seconds: float = 0.0


def found(lat: float, lon: float, display_name: str) -> Reply:
    """A one-result answer, as Nominatim sends it (coordinates as strings)."""
    return Reply("found", lat=lat, lon=lon, display_name=display_name)


def empty() -> Reply:
    """Nominatim's answer when nothing matches: an empty JSON list."""
    return Reply("empty")


def status(code: int, retry_after: str | None = None) -> Reply:
    """An HTTP error (429 with `Retry-After`, 500, 403...)."""
    return Reply("status", status=code, retry_after=retry_after)


def slow(seconds: float) -> Reply:
    """No answer for `seconds` (longer than the client's timeout), then an empty list."""
    return Reply("slow", seconds=seconds)


def trickle(seconds: float, interval: float) -> Reply:
    """An answer sent one byte every `interval` seconds, for `seconds` in all: each read
    gets a byte well within a read timeout, so only an overall deadline stops it."""
    return Reply("trickle", seconds=seconds, lat=interval)


@dataclass(frozen=True)
class RecordedRequest:
    """What the client sent."""

    path: str
    params: dict[str, str]
    user_agent: str
    at: float  # server.clock() when the request arrived

    @property
    def query(self) -> str:
        return self.params.get("q", "")


class NominatimServer:
    """A real HTTP server on 127.0.0.1 (free port) answering `/search` from a script."""

    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.requests: list[RecordedRequest] = []
        self.clock: Callable[[], float] = time.monotonic
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends stalled replies at shutdown
        self.trickle_finished = threading.Event()  # a trickled answer was sent whole
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def endpoint(self) -> str:
        """`host:port`, as geopy's `domain`."""
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    def on(self, query: str, *replies: Reply) -> None:
        """Script the replies to requests with `q=query`."""
        self.script[query] = list(replies)

    def queries(self) -> list[str]:
        """The `q` of every request, in arrival order."""
        return [request.query for request in self.requests]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, query: str) -> Reply:
        with self._lock:
            replies = self.script.get(query)
            if not replies:
                return empty()
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is part of the script, not a failure.
        pass


def _handler_for(server: NominatimServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            server._record(
                RecordedRequest(
                    path=parts.path,
                    params=params,
                    user_agent=self.headers.get("User-Agent", ""),
                    at=server.clock(),
                )
            )
            if parts.path != "/search":
                self._send(404, {"error": "not found"})
                return
            reply = server._next_reply(params.get("q", ""))
            if reply.kind == "slow":
                server._release.wait(reply.seconds)
                self._send(200, [])
            elif reply.kind == "trickle":
                self._trickle(reply.seconds, interval=reply.lat)
            elif reply.kind == "status":
                headers = {"Retry-After": reply.retry_after} if reply.retry_after else {}
                self._send(reply.status, {"error": f"scripted {reply.status}"}, headers)
            elif reply.kind == "found":
                self._send(200, [_place(reply)])
            else:
                self._send(200, [])

        def _send(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout) and closed the socket
                pass

        def _trickle(self, seconds: float, interval: float) -> None:
            body = b"[" + b" " * int(seconds / interval) + b"]"
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                for index in range(len(body)):  # bounded: stops when the body is sent
                    if server._release.wait(interval):
                        return
                    self.wfile.write(body[index : index + 1])
                    self.wfile.flush()
                server.trickle_finished.set()
            except OSError:  # the client gave up and closed the socket
                pass

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


def _place(reply: Reply) -> dict[str, Any]:
    """A /search result in Nominatim's `format=json` shape."""
    return {
        "place_id": 1,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright",
        "osm_type": "node",
        "osm_id": 1,
        "lat": f"{reply.lat:.7f}",
        "lon": f"{reply.lon:.7f}",
        "class": "place",
        "type": "city",
        "place_rank": 16,
        "importance": 0.6,
        "addresstype": "city",
        "name": reply.display_name.split(",")[0],
        "display_name": reply.display_name,
        "boundingbox": [
            f"{reply.lat - 0.1:.7f}",
            f"{reply.lat + 0.1:.7f}",
            f"{reply.lon - 0.1:.7f}",
            f"{reply.lon + 0.1:.7f}",
        ],
    }


def dead_endpoint() -> str:
    """`127.0.0.1:port` where nothing listens (a port just freed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"127.0.0.1:{port}"


@pytest.fixture(name="nominatim")
def nominatim_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[NominatimServer]:
    """A running NominatimServer; proxies are cleared so requests stay on 127.0.0.1."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    server = NominatimServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
