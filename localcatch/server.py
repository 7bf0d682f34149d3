"""`catch.py serve`'s HTTP server: one workflow file, reloaded when it changes, run once per POST with settings
that persist, one log line per request, and bounds on what clients may hold."""
from __future__ import annotations

import contextlib
import http.client
import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar, Union, overload

from localcatch.config import SettingsFile, modified
from localcatch.connection import STOP_POLL_SECONDS, ClientGone, ClientStream
from localcatch.contract import CatchRequest, call_workflow
from localcatch.errors import CliError, Refusal, WorkflowFileError
from localcatch.log import joined, log, log_text, log_word
from localcatch.request_body import MAX_MULTIPART_HEADER_CHARS, build_request
from localcatch.workflow_file import WorkflowFile, load_workflow, say_misnamed_settings
from shared.pipeline.answer import CatchResponse, catch_response

_T = TypeVar("_T")
_Request = Union[socket.socket, tuple[bytes, socket.socket]]  # what socketserver hands a server's methods, as typed

MAX_BODY_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10.0  # for the whole request to arrive, then for the answer to be sent
MAX_CONCURRENT = 16  # requests at once; executions take turns anyway, so more would only hold more bodies


class RequestHeaders(http.client.HTTPMessage):
    """A request's headers as http.server reads them, but for the boundary of a multipart Content-Type too
    long to look for it in: the `email` package, which reads the headers, would spend seconds on one of
    64 KiB (CPython gh-136063) before any check of ours. `multipart_fields` then answers 431."""

    @overload
    def get_boundary(self, failobj: None = None) -> str | None: ...

    @overload
    def get_boundary(self, failobj: _T) -> str | _T: ...

    def get_boundary(self, failobj: object = None) -> object:
        if len(self.get("Content-Type", "")) > MAX_MULTIPART_HEADER_CHARS:
            return failobj
        return super().get_boundary(failobj)


class CatchHandler(BaseHTTPRequestHandler):
    """One Catch execution per POST. HTTP/1.0: one request per connection, and one log line for it."""

    MessageClass = RequestHeaders
    server: CatchServer  # what BaseRequestHandler types as any server
    started: float
    event_type: object  # whatever the body's `type` field holds
    status_code: int | None
    notes: list[str]

    def setup(self) -> None:
        self.connection = self.request
        stream = ClientStream(self.connection, self.server.timeout_seconds, self.server.stopping)
        # wfile is the stream itself, unbuffered: each write goes out at once, within the timeout.
        self.rfile, self.wfile = io.BufferedReader(stream), stream  # type: ignore[assignment]

    def handle(self) -> None:
        """Serve the connection's request, then log its line, however it ended. A connection closed before
        its first byte is a probe (a port check), not a request: it logs nothing."""
        self.started = time.perf_counter()
        self.raw_requestline, self.command, self.event_type, self.status_code, self.notes = b"", "", None, None, []
        try:
            self.handle_one_request()
        except ClientGone as gone:
            self.notes.append(str(gone))
        if self.raw_requestline or self.notes:
            log(self._log_line())

    def do_POST(self) -> None:
        try:
            request = build_request(dict(self.headers.items()), self._read_body())
            self.event_type = request.get("type")
            response, notes = self.server.run_workflow(request)
            self.notes.extend(notes)
        except Refusal as refusal:
            response = refusal.response
        self._write_response(response)

    def refuse_method(self) -> None:
        response = Refusal(405, "Catch accepts POST only.").response
        response["headers"]["Allow"] = "POST"
        self._write_response(response)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = refuse_method

    def _read_body(self) -> bytes:
        """The body, unread when it is too long: HTTP/1.0 closes the connection after the answer."""
        try:
            length = int(self.headers["Content-Length"])
        except (TypeError, ValueError):
            length = -1
        if length < 0 or self.headers["Transfer-Encoding"]:
            raise Refusal(411, "A POST needs a Content-Length header, and no Transfer-Encoding.")
        if length > self.server.max_body_bytes:
            raise Refusal(413, "The body is over {} bytes.".format(self.server.max_body_bytes))
        body = self.rfile.read(length)
        if len(body) < length:
            raise ClientGone("the client went away while sending the body")
        return body

    def _write_response(self, response: CatchResponse) -> None:
        data = response["body"].encode("utf-8")
        self.send_response(response["status_code"])
        for name, value in response.get("headers", {}).items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _log_line(self) -> str:
        """Method, event type, status code, duration, then the notes: built from validated or escaped values
        only, since the method and the event type are whatever the client sent."""
        milliseconds = (time.perf_counter() - self.started) * 1000
        head = "{} {} {} {:.1f} ms".format(log_word(self.command), log_word(self.event_type),
                                           self.status_code or "-", milliseconds)
        return " | ".join([head] + [log_text(note) for note in self.notes])

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Keep the status code for the request's line: every answer, ours or http.server's, passes here."""
        self.status_code = int(code)

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: http.server's messages quote the raw request line, and `handle` logs the one line."""


class CatchServer(ThreadingHTTPServer):
    """Runs one workflow file, loaded again whenever the modification time of a file it was made from changes
    (of a source built in memory, the source or a shared module it inlines), with one settings dict that
    persists from one execution to the next, loaded again when its file changes (`SettingsFile` says what it
    keeps). Executions take turns (a lock): they may write to it.
    At most `max_concurrent` connections are served at once, and each request must arrive within `timeout`."""

    request_queue_size = 64  # bursts of webhooks wait in the listen queue rather than be refused
    daemon_threads = False  # so server_close waits for the handlers: executions under way finish on a stop

    def __init__(self, address: tuple[str, int], path: str, settings: SettingsFile, timeout: float = TIMEOUT_SECONDS,
                 max_concurrent: int = MAX_CONCURRENT, max_body_bytes: int = MAX_BODY_BYTES):
        self.path, self.settings_file, self.lock = path, settings, threading.Lock()
        self.timeout_seconds, self.max_body_bytes, self.stopping = timeout, max_body_bytes, threading.Event()
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.executions, self.executions_lock = 0, threading.Lock()  # under way or waiting for their turn
        self.loaded = load_workflow(path)
        self.stamps = {shown: modified(source) for shown, source in self.loaded.sources.items()}
        super().__init__(address, CatchHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        """Accept a connection once a slot is free. Past the bound, connections wait in the listen queue
        rather than get a 503: a burst of deliveries is then answered late, not refused (so not resent),
        and a slot held by a stalled client is free again within the timeout."""
        while not self.slots.acquire(timeout=STOP_POLL_SECONDS):
            if self.stopping.is_set():
                raise OSError("stopping")  # to serve_forever, as a connection that could not be accepted
        try:
            return super().get_request()
        except OSError:
            self.slots.release()
            raise

    def verify_request(self, request: _Request, client_address: Any) -> bool:
        """Close, unserved, a connection accepted once stopping: it took a slot the stop itself freed."""
        return not self.stopping.is_set()

    def shutdown_request(self, request: _Request) -> None:
        """Called once for every accepted connection, when its handler is done or could not start."""
        super().shutdown_request(request)
        self.slots.release()

    def stop(self) -> None:
        """Stop accepting, drop the clients still being waited for, and let executions finish. Safe in a
        signal handler: `shutdown` waits for `serve_forever`, which runs in the thread being interrupted."""
        self.stopping.set()
        threading.Thread(target=self.shutdown, daemon=True).start()

    @property
    def namespace(self) -> dict[str, Any]:
        return self.loaded.namespace

    @property
    def settings(self) -> dict[str, Any]:
        return self.settings_file.settings


    def reload_settings_if_changed(self) -> bool:
        """Load the settings file again when it changed, saying so; True when it did."""
        if not self.settings_file.changed():
            return False
        try:
            kept = self.settings_file.reload()
        except CliError as error:
            raise WorkflowFileError("The settings cannot be loaded again: {}.".format(error)) from None
        names = ", ".join(sorted(self.settings_file.loaded)) or "none"
        log("settings reloaded from {}: {}{}".format(self.settings_file.path, names, "; kept {}, which the workflow "
                                                     "wrote".format(joined(kept)) if kept else ""))
        return True

    def reload_if_changed(self) -> bool:
        """Load the workflow file again when a file it was made from changed, saying which; True when it did.
        Until it loads, every request tries again, and is answered 500 saying why."""
        stamps = {shown: modified(source) for shown, source in self.loaded.sources.items()}
        if stamps == self.stamps:
            return False
        if modified(self.path) is None:
            raise WorkflowFileError("The workflow file cannot be read: it is no longer there.")
        loaded: WorkflowFile = load_workflow(self.path)
        changed = sorted(shown for shown, stamp in stamps.items() if stamp != self.stamps.get(shown))
        log("{} changed: {}".format(joined(changed), "built {} again".format(
            next(iter(loaded.sources))) if loaded.built_note else "loaded it again"))
        # The times taken before loading, so that a file saved again while it loaded is loaded again next time.
        self.loaded, self.stamps = loaded, {shown: stamps[shown] if shown in stamps else modified(source)
                                            for shown, source in loaded.sources.items()}
        return True

    def run_workflow(self, request: CatchRequest) -> tuple[CatchResponse, list[str]]:
        """The workflow's response to `request`, and the notes for the request's log line: what the workflow
        printed (captured, so that a request still logs one line), then what went wrong."""
        printed = io.StringIO()
        with self.executions_lock:
            self.executions += 1
        try:
            with self.lock, contextlib.redirect_stdout(printed):  # executions take turns, so do their prints
                try:
                    if self.reload_if_changed() | self.reload_settings_if_changed():  # both, whatever the first
                        say_misnamed_settings(self.namespace, self.settings)
                    response, note = call_workflow(self.namespace["workflow"], request, self.settings)
                except WorkflowFileError as error:
                    response, note = catch_response("failed", 500, str(error)), str(error)
        finally:
            with self.executions_lock:
                self.executions -= 1
        notes = ["printed: " + printed.getvalue()] if printed.getvalue().strip() else []
        return response, notes + ([note] if note else [])
