"""The base of the fakes, and what a test scripts them to do: a canned `Reply`, a `Hang` or a `Drop`.

A fake serves HTTP/1.0 on 127.0.0.1 in a daemon thread, records every request, and answers each from its
script when one is queued for the path, else by its own `handle`.
"""
from __future__ import annotations

import collections
import json
import socket
import ssl
import sys
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar, Union
from urllib.parse import parse_qs, urlsplit

# What a fake recorded of one request: method, path, query, headers and body (see FakeServer).
Record = dict[str, Any]


class Reply:
    """A canned HTTP reply: ``Reply(status, body=b"", headers=None, delay=0)``.

    ``body`` may be bytes, str (sent UTF-8 encoded) or a JSON-able object (dict/list),
    which is serialised and, unless ``headers`` sets one, gets
    ``Content-Type: application/json``. Bytes/str bodies get NO Content-Type unless
    given. ``Content-Length`` is always added unless ``headers`` sets it.
    ``delay`` seconds are waited before answering (cut short by ``stop()``).
    """

    def __init__(self, status: int, body: object = b"", headers: dict[str, str] | None = None,
                 delay: float = 0):
        self.status, self.delay = status, delay
        self.headers = dict(headers or {})
        lower = {k.lower() for k in self.headers}
        if isinstance(body, (bytes, bytearray)):
            self.body = bytes(body)
        elif isinstance(body, str):
            self.body = body.encode("utf-8")
        else:
            self.body = json.dumps(body).encode("utf-8")
            if "content-type" not in lower:
                self.headers["Content-Type"] = "application/json"
        if "content-length" not in lower:
            self.headers["Content-Length"] = str(len(self.body))

    def serve(self, handler: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        if self.delay and stopping.wait(self.delay):
            handler.close_connection = True  # server stopping: give up silently
            return
        handler.send_response(self.status)  # adds only Server and Date
        for name, value in self.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(self.body)

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.body[:40]!r})"


class Hang:
    """Read the request, then say nothing for ``seconds`` (or until ``stop()``),
    then close the connection without a reply."""

    def __init__(self, seconds: float = 30.0):
        self.seconds = seconds

    def serve(self, handler: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        stopping.wait(self.seconds)
        handler.close_connection = True


class Drop:
    """Read the request, then close the connection without sending a single byte."""

    def serve(self, handler: BaseHTTPRequestHandler, stopping: threading.Event) -> None:
        handler.close_connection = True


# What a fake does with one request: reply, hang, or drop the connection.
Behaviour = Union[Reply, Hang, Drop]


def json_reply(status: int, obj: object, content_type: str = "application/json") -> Reply:
    return Reply(status, obj, {"Content-Type": content_type})


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.0 handler: one request per connection, so stop() never waits on keep-alive."""

    server_version = "FakeServer/1.0"
    server: _Server  # what BaseRequestHandler types as any server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no per-request stderr line
        pass

    def _any(self) -> None:
        self.server.fake._dispatch(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # server_close() must not join hung handler threads
    fake: FakeServer

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # client went away: normal
            super().handle_error(request, client_address)


class FakeServer:
    """Base of the fakes: lifecycle, request recording and scripted faults.

    Subclasses implement ``handle(record) -> Reply``. ``record`` is a dict with
    ``method``, ``path`` (no query), ``query`` (dict; single values as str, repeated
    ones as lists), ``headers`` (dict, original case), ``body`` (parsed JSON, else the
    raw text, else None when empty).
    """

    base_path = ""

    def __init__(self, port: int = 0, tls: tuple[str, str] | None = None):
        self._port = port
        self._tls = tls  # (certificate file, key file): serve HTTPS with them
        self._lock = threading.Lock()
        self._requests: list[Record] = []
        self._scripts: collections.defaultdict[str, collections.deque[Behaviour]] = collections.defaultdict(
            collections.deque)
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle ------------------------------------------------------------
    def start(self: _Fake) -> _Fake:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        self._httpd = _Server(("127.0.0.1", self._port), _Handler)
        if self._tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self._tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.fake = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes hung/delayed requests so this returns promptly."""
        if self._httpd is None or self._thread is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=1)
        self._httpd = self._thread = None

    def __enter__(self: _Fake) -> _Fake:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("not started")
        port: int = self._httpd.server_address[1]
        return port

    @property
    def url(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}{self.base_path}"

    # recording & faults ---------------------------------------------------
    @property
    def requests(self) -> list[Record]:
        """Snapshot list of every request received, faulted ones included."""
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self._requests)

    def script(self, path: str, replies: Behaviour | Iterable[Behaviour]) -> None:
        """Serve ``replies`` (Reply/Hang/Drop), in order, to the next requests whose
        path (without query) equals ``path``; normal behaviour resumes afterwards."""
        if isinstance(replies, (Reply, Hang, Drop)):
            replies = [replies]
        with self._lock:
            self._scripts[path].extend(replies)

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        query = {k: v[0] if len(v) == 1 else v
                 for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        text = handler.rfile.read(length).decode("utf-8", "replace") if length else ""
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = text
        record: Record = {"method": handler.command, "path": split.path, "query": query,
                  "headers": dict(handler.headers.items()), "body": body}
        with self._lock:
            self._requests.append(record)
            queue = self._scripts.get(split.path)
            reply: Behaviour | None = queue.popleft() if queue else None
        if reply is None:
            reply = self.handle(record)
        reply.serve(handler, self._stopping)

    def handle(self, record: Record) -> Reply:
        raise NotImplementedError


_Fake = TypeVar("_Fake", bound=FakeServer)


def unused_port() -> int:
    """A 127.0.0.1 port where nothing listens (for 'connection refused' tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
