#!/usr/bin/env python3
"""Emulate HrFlow Catch locally and send it signed sample events, as the Stripe CLI does for Stripe.

    python catch.py serve dist/profile_parsing_success.py --settings settings.json
    python catch.py send profile.parsing.success --url http://127.0.0.1:8080/ --settings settings.json
    python catch.py run dist/profile_parsing_success.py --settings settings.json
    python catch.py preview dist/all_events.py   # every email it sends, as files in preview/
    python catch.py sign --secret 1234 --scheme raw-body --body 4567
    python catch.py fakes        # fake HrFlow and Mandrill for samples/local-settings.json

Settings come from a JSON object file and `CATCH_SETTING_<NAME>` variables (which win); only their names
are printed. `send`, `run` and `sign` sign with the scheme form-json unless --scheme, or the setting
HRFLOW_SIGNATURE_SCHEME, names another. Exit status: 0 on success, 1 when the endpoint or the workflow
says no, 2 on a usage error.
"""
import argparse
import contextlib
import email.message
import email.parser
import email.policy
import html
import http.client
import io
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional

from localcatch import loading
from localcatch.samples import ENCODINGS, SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY, sample_event, wire_request
from localcatch.signers import parse_secrets, sign_form_json, sign_raw_body, sign_signed_request
from shared.core.errors import ConfigError, SignatureError
from shared.core.settings import Settings
from shared.outbound.hrflow import DEFAULT_HRFLOW_API_URL
from shared.outbound.mandrill import DEFAULT_MANDRILL_API_URL
from shared.pipeline.answer import catch_response
from shared.wire.catalogue import CATALOGUE
from shared.wire.headers import MAX_REQUEST_FIELDS, RAW_BODY_FIELD
from shared.wire.signature import SCHEMES
from shared.wire.verification import accepted_schemes

MAX_BODY_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10.0  # for the whole request to arrive, then for the answer to be sent
MAX_CONCURRENT = 16  # requests at once; executions take turns anyway, so more would only hold more bodies
UNQUOTE_SLICE_BYTES = 1 << 16  # of a form field, percent-decoded at once
MAX_MULTIPART_HEADER_CHARS = 512  # of any one header in a multipart body, its Content-Type included
STOP_POLL_SECONDS = 0.2  # how often a wait checks whether the server is stopping
HERE = Path(__file__).resolve().parent
LOCAL_SETTINGS = "samples/local-settings.json"  # in HERE, whatever the current folder
SETTING_PREFIX = "CATCH_SETTING_"
SECRET_SETTING, SCHEME_SETTING = "HRFLOW_WEBHOOK_SECRET", "HRFLOW_SIGNATURE_SCHEME"
HRFLOW_URL_SETTING, MANDRILL_URL_SETTING = "HRFLOW_API_URL", "MANDRILL_API_URL"
FAKE_CREDENTIALS = ("HRFLOW_API_SECRET", "HRFLOW_API_USER", "MANDRILL_API_TOKEN")
FAKE_URL_EXAMPLES = {HRFLOW_URL_SETTING: "http://127.0.0.1:8081/v1/", MANDRILL_URL_SETTING: "http://127.0.0.1:8082/api/1.3"}
LOCAL_HOSTS = ("127.0.0.1", "localhost")
# One default for sign, send and run: the scheme a workflow can check on Catch itself, which hands it the
# body's fields, not its bytes (raw-body needs those).
DEFAULT_SCHEME = "form-json"
DIST_HINT = "built files are in dist/: python build.py"
SETTINGS_HINT = "a settings file is a JSON object, like samples/local-settings.json"
PREVIEW_DIR = "preview"
FORM, JSON, MULTIPART = "application/x-www-form-urlencoded", "application/json", "multipart/form-data"
MAX_WORD_CHARS = 64  # of a method or an event type, in a log line
MAX_NOTE_CHARS = 1000  # of what a log line adds after its status code and duration
PLAIN_WORD = re.compile(r"[A-Za-z0-9._-]{{1,{}}}".format(MAX_WORD_CHARS))
NOT_PRINTABLE_ASCII = re.compile(r"[^ -~]")
HEADER_NAME = re.compile(r"[-!#$%&'*+.^_`|~0-9A-Za-z]+")  # an HTTP token
BEYOND_LATIN_1 = re.compile(r"[^\x00-\xff]")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # of ASCII, but for tab


class CliError(Exception):
    """What stops a command, said in one line, with exit status 2."""


class Refusal(Exception):
    """A request the emulator refuses before any workflow sees it, with a 4xx status code: `response` is the
    Catch response saying why, as a workflow's would say it."""

    def __init__(self, status_code: int, reason: str):
        super().__init__(reason)
        self.response = catch_response("rejected", status_code, reason)


class WorkflowFileError(Exception):
    """The workflow file cannot be read or loaded, or defines no workflow: `serve` answers 500 saying so, the
    other commands stop with exit status 2."""


LOG_LOCK = threading.Lock()


def log(line: str) -> None:
    """Write one line to stderr, whole: `print` writes the text and the line break apart, so the lines of
    two requests answered at once could interleave."""
    try:
        with LOG_LOCK:
            sys.stderr.write("catch: " + line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):  # no usable stderr: the answer matters more than its log line
        pass


def log_word(value: object) -> str:
    """A word the client chose (a method, the unsigned event type) for a log line: as-is when it is a plain
    token, else the JSON of its first characters, which escapes line breaks and terminal codes; "-" when none."""
    if not isinstance(value, str) or not value:
        return "-"
    return value if PLAIN_WORD.fullmatch(value) else json.dumps(value[:MAX_WORD_CHARS])


def log_text(text: str) -> str:
    """`text` for a log line: white space runs become one space, every other character outside printable
    ASCII is escaped (\\x1b, \\u2028), and it is cut at MAX_NOTE_CHARS ("..." marks the cut)."""
    text = " ".join(text[:4 * MAX_NOTE_CHARS].split())
    text = NOT_PRINTABLE_ASCII.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
    return text if len(text) <= MAX_NOTE_CHARS else text[:MAX_NOTE_CHARS - 3] + "..."


def location(error: BaseException) -> str:
    """Where an exception was raised, as `file:line`; not its message, which may hold a secret."""
    if isinstance(error, SyntaxError):
        return "{}:{}".format(error.filename, error.lineno)
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return "{}:{}".format(frame.filename, frame.lineno)


def joined(words: "list[str]") -> str:
    """`a`, `a and b`, `a, b and c`."""
    return "{} and {}".format(", ".join(words[:-1]), words[-1]) if len(words) > 1 else "".join(words)


def os_reason(error: object) -> str:
    """What went wrong, in words ("address already in use"), without the errno."""
    text = (error.strerror if isinstance(error, OSError) else None) or str(error)
    return text[:1].lower() + text[1:]


def existing_file(path: str, hint: str) -> str:
    """`path`, when it names a file; else a `CliError` naming it, with `hint` on where to find one."""
    if os.path.isfile(path):
        return path
    raise CliError("{}: {} ({})".format("a folder, not a file" if os.path.isdir(path) else "no such file", path, hint))


def local_settings() -> str:
    """samples/local-settings.json beside catch.py, named from the current folder when it can be."""
    try:
        return os.path.relpath(HERE / LOCAL_SETTINGS)
    except ValueError:  # on another drive
        return str(HERE / LOCAL_SETTINGS)


def setting_source(name: str, path: "str | None") -> str:
    """Where the setting `name` came from, for a message: its variable, which wins, or the settings file."""
    if SETTING_PREFIX + name in os.environ:
        return SETTING_PREFIX + name
    return "{} in {}".format(name, path) if path else name


def load_settings(path: "str | None") -> dict:
    """Settings from the JSON object at `path`, then from the `CATCH_SETTING_<NAME>` variables."""
    if path:
        existing_file(path, SETTINGS_HINT)
    try:
        settings = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError) as error:
        raise CliError("cannot read the settings file {}: {}".format(path, error)) from None
    if not isinstance(settings, dict):
        raise CliError("the settings file {} does not hold a JSON object".format(path))
    for name, value in os.environ.items():
        if name.startswith(SETTING_PREFIX) and name != SETTING_PREFIX:
            settings[name[len(SETTING_PREFIX):]] = value
    return settings


def load_namespace(path: str) -> dict:
    """The namespace the file leaves, loaded by the one loader as the Catch editor runs what is pasted; it must
    define `workflow`."""
    try:
        namespace = loading.load(path)
    except Exception as error:  # whatever the file's own code raises
        reason = "The workflow file cannot be loaded: {} at {}.".format(type(error).__name__, location(error))
        raise WorkflowFileError(reason) from None
    if not callable(namespace.get("workflow")):
        raise WorkflowFileError("The workflow file defines no workflow function.")
    return namespace


def contract_breach(result: object) -> "str | None":
    """How a workflow's return value breaks the Catch contract, or None when it keeps the Catch contract in a form HTTP
    can carry: a final status code (no 1xx), header names that are tokens and values of latin-1 without a
    control character but tab (a line break would forge headers), and a body that encodes as UTF-8."""
    if not isinstance(result, dict):
        return "The workflow returned {}, not a dict.".format(type(result).__name__)
    code = result.get("status_code")
    if not isinstance(code, int) or isinstance(code, bool) or not 200 <= code <= 599:
        return "The workflow's status_code is not an int from 200 to 599."
    body = result.get("body")
    if not isinstance(body, str):
        return "The workflow's body is not a str."
    headers = result.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(text, str) for pair in headers.items() for text in pair):
        return "The workflow's headers are not a dict of str."
    for name, value in headers.items():
        if not HEADER_NAME.fullmatch(name):
            return "The workflow's header name {} is not an HTTP token.".format(json.dumps(name[:MAX_WORD_CHARS]))
        if BEYOND_LATIN_1.search(value):
            return "The workflow's header {} holds a character beyond latin-1.".format(name)
        if CONTROL.search(value):
            return "The workflow's header {} holds a control character.".format(name)
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        return "The workflow's body does not encode as UTF-8."
    return None


def call_workflow(workflow, request: dict, settings: dict) -> "tuple[dict, str]":
    """Call the workflow and hold its return value to the Catch contract; never raises. Returns the response
    and, for the log, what went wrong ("" when nothing did): where the workflow raised, never the message,
    which may hold a secret, or how its return value breaks the contract."""
    try:
        result = workflow(request, settings)
    except Exception as error:  # a broken workflow must not break the server
        name = type(error).__name__
        note = "the workflow raised {} at {}".format(name, location(error))
        return catch_response("failed", 500, "The workflow raised {}.".format(name)), note
    breach = contract_breach(result)
    return (catch_response("failed", 500, breach), breach) if breach else (result, "")


class MultipartPolicy(email.policy.EmailPolicy):
    """`email.policy.HTTP`, refusing a header over MAX_MULTIPART_HEADER_CHARS before it is parsed: the
    `email` package spends microseconds on each character of a header's parameters (0.6 s on 256 parts
    with 512-character headers, seconds on one 64 KiB header). Every header passes here, a nested part's
    too."""

    def header_source_parse(self, sourcelines):
        if sum(len(line) for line in sourcelines) > MAX_MULTIPART_HEADER_CHARS:
            raise Refusal(431, "A header of the multipart body is over {} characters.".format(
                MAX_MULTIPART_HEADER_CHARS))
        return super().header_source_parse(sourcelines)


MULTIPART_POLICY = MultipartPolicy(linesep="\r\n", max_line_length=None)  # what email.policy.HTTP is


def check_part_count(body: bytes) -> None:
    """Refuse more parts than a request may have fields before the `email` package reads the body, at some
    0.1 ms a part. Every part, a nested one too, starts on a line beginning with "--", whatever the line
    ending (CR, LF or both), so counting those lines bounds the parts in milliseconds (8 ms for 5 MB); a
    field's own lines that begin with "--" count too, which errs only towards refusing."""
    starts = body.count(b"\n--") + body.count(b"\r--") + body.startswith(b"--")
    if starts > MAX_REQUEST_FIELDS + 1:  # the last is the closing delimiter
        raise Refusal(413, "The multipart body has more than {} parts.".format(MAX_REQUEST_FIELDS))


def unquoted(text: bytes) -> str:
    """A form's name or value as `urllib.parse.unquote_plus` decodes it, a slice at a time: on the whole of it,
    that holds two objects for each %XX, some 80 times the value's size. A slice never ends within a %XX, and
    the bytes are decoded once joined, so a character escaped across two slices stays whole."""
    text = text.replace(b"+", b" ")
    slices, start = [], 0
    while start < len(text):
        end = start + UNQUOTE_SLICE_BYTES
        cut = text.rfind(b"%", end - 2, end)
        end = cut if cut != -1 else end
        slices.append(urllib.parse.unquote_to_bytes(text[start:end]))
        start = end
    return b"".join(slices).decode("utf-8", "replace")


def form_fields(body: bytes) -> dict:
    """The fields of a form body, as `parse_qsl(text, keep_blank_values=True, strict_parsing=True)` reads them,
    in a few times its size. More than MAX_REQUEST_FIELDS are refused before it is decoded or split: parse_qsl
    holds a tuple per field (sixteen 10 MiB bodies of `a=&a=&...` took 53 s and 7.4 GiB). Like its
    max_num_fields, this counts one field more than there are "&"."""
    if body.count(b"&") >= MAX_REQUEST_FIELDS:
        raise Refusal(413, "The form body has more than {} fields.".format(MAX_REQUEST_FIELDS))
    body.decode("utf-8")  # a malformed body's ValueError
    fields = {}
    for field in body.split(b"&") if body else ():
        name, equals, value = field.partition(b"=")
        if not equals:
            raise ValueError("a field without =")
        fields[unquoted(name)] = unquoted(value)
    return fields


def multipart_fields(content_type: str, body: bytes) -> dict:
    """The fields of a multipart/form-data body, read with the `email` package within bounds on its parts
    and headers; raises ValueError, or a `Refusal` 413 or 431."""
    check_part_count(body)
    head = "Content-Type: {}\r\n\r\n".format(content_type).encode("latin-1")
    message = email.parser.BytesParser(policy=MULTIPART_POLICY).parsebytes(head + body)
    if not isinstance(message, email.message.EmailMessage) or not message.is_multipart() or message.defects:
        raise ValueError("not a multipart body")
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name or part.defects or part.is_multipart():
            raise ValueError("a part without a name, or not a field")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise ValueError("a part without a body")
        fields[name] = payload.decode("utf-8")
    return fields


def body_fields(content_type: str, body: bytes) -> dict:
    """The body's fields, read by its Content-Type; raises a `Refusal` 400, 413, 415 or 431."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body and not media_type:
        return {}
    try:
        if media_type == FORM:
            return form_fields(body)
        if media_type == MULTIPART:
            return multipart_fields(content_type, body)
        if media_type != JSON:
            raise Refusal(415, "The Content-Type must be {}, {} or {}.".format(FORM, JSON, MULTIPART))
        fields = json.loads(body.decode("utf-8"))
        if isinstance(fields, dict):
            return fields
    except (ValueError, RecursionError):  # UnicodeError and JSONDecodeError are ValueErrors
        pass
    raise Refusal(400, "The body is not a valid UTF-8 {} body.".format(media_type))


def build_request(headers: dict, body: bytes) -> dict:
    """`_request` as HrFlow builds it: body fields and headers in one flat dict, plus the raw body text."""
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    request = body_fields(content_type, body)
    request.update(headers)
    request[RAW_BODY_FIELD] = body.decode("utf-8", "replace")  # valid UTF-8 once its fields could be read
    return request


class ClientGone(Exception):
    """The client stopped taking part: it closed or reset the connection, or was too slow. Says so in words
    for the request's log line, with no traceback."""


class ClientStream(io.RawIOBase):
    """A client's socket as a handler's rfile and wfile, turning every failure into `ClientGone`.

    Reading the request shares one deadline, so a client that trickles a byte at a time is cut as surely
    as one that sends nothing; a wait stops early when the server is stopping. Sending the answer gets the
    timeout anew, since the workflow may have taken most of it."""

    def __init__(self, connection: socket.socket, timeout: float, stopping: threading.Event):
        super().__init__()
        self.connection, self.timeout, self.stopping = connection, timeout, stopping
        self.deadline = time.monotonic() + timeout

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise ClientGone("dropped: the request took over {:g} s to arrive".format(self.timeout))
            self.connection.settimeout(min(remaining, STOP_POLL_SECONDS))
            try:
                return self.connection.recv_into(buffer)
            except socket.timeout:
                if self.stopping.is_set():
                    raise ClientGone("dropped: the server is stopping") from None
            except OSError as error:
                raise ClientGone("the client went away while sending the request ({})".format(
                    type(error).__name__)) from None

    def write(self, data) -> int:
        self.connection.settimeout(self.timeout)
        try:
            self.connection.sendall(data)
        except socket.timeout:
            raise ClientGone("dropped: the answer took over {:g} s to send".format(self.timeout)) from None
        except OSError as error:
            raise ClientGone("the client went away before the answer was sent ({})".format(
                type(error).__name__)) from None
        return len(data)


class RequestHeaders(http.client.HTTPMessage):
    """A request's headers as http.server reads them, but for the boundary of a multipart Content-Type too
    long to look for it in: the `email` package, which reads the headers, would spend seconds on one of
    64 KiB (CPython gh-136063) before any check of ours. `multipart_fields` then answers 431."""

    def get_boundary(self, failobj=None):
        if len(self.get("Content-Type", "")) > MAX_MULTIPART_HEADER_CHARS:
            return failobj
        return super().get_boundary(failobj)


class CatchHandler(BaseHTTPRequestHandler):
    """One Catch execution per POST. HTTP/1.0: one request per connection, and one log line for it."""

    MessageClass = RequestHeaders
    server: "CatchServer"  # what BaseRequestHandler types as any server

    def setup(self):
        self.connection = self.request
        stream = ClientStream(self.connection, self.server.timeout_seconds, self.server.stopping)
        self.rfile, self.wfile = io.BufferedReader(stream), stream

    def handle(self):
        """Serve the connection's request, then log its line, however it ended. A connection closed before
        its first byte is a probe (a port check), not a request: it logs nothing."""
        self.started = time.perf_counter()
        self.raw_requestline, self.command, self.event_type, self.status_code, self.notes = b"", None, None, None, []
        try:
            self.handle_one_request()
        except ClientGone as gone:
            self.notes.append(str(gone))
        if self.raw_requestline or self.notes:
            log(self._log_line())

    def do_POST(self):
        try:
            request = build_request(dict(self.headers.items()), self._read_body())
            self.event_type = request.get("type")
            response, notes = self.server.run_workflow(request)
            self.notes.extend(notes)
        except Refusal as refusal:
            response = refusal.response
        self._write_response(response)

    def refuse_method(self):
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

    def _write_response(self, response: dict) -> None:
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

    def log_request(self, code="-", size="-"):
        """Keep the status code for the request's line: every answer, ours or http.server's, passes here."""
        self.status_code = int(code)

    def log_message(self, format, *args):
        """Silenced: http.server's messages quote the raw request line, and `handle` logs the one line."""


class CatchServer(ThreadingHTTPServer):
    """Runs one workflow file, reloaded whenever its modification time changes, with one settings dict
    that persists from one execution to the next. Executions take turns (a lock): they may write to it.
    At most `max_concurrent` connections are served at once, and each request must arrive within `timeout`."""

    request_queue_size = 64  # bursts of webhooks wait in the listen queue rather than be refused
    daemon_threads = False  # so server_close waits for the handlers: executions under way finish on a stop

    def __init__(self, address: tuple, path: str, settings: dict, timeout: float = TIMEOUT_SECONDS,
                 max_concurrent: int = MAX_CONCURRENT, max_body_bytes: int = MAX_BODY_BYTES):
        self.path, self.settings, self.lock = path, settings, threading.Lock()
        self.timeout_seconds, self.max_body_bytes, self.stopping = timeout, max_body_bytes, threading.Event()
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.mtime: Optional[int] = None
        self.namespace: dict = {}
        self.reload_if_changed()
        super().__init__(address, CatchHandler)

    def get_request(self):
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

    def verify_request(self, request, client_address) -> bool:
        """Close, unserved, a connection accepted once stopping: it took a slot the stop itself freed."""
        return not self.stopping.is_set()

    def shutdown_request(self, request):
        """Called once for every accepted connection, when its handler is done or could not start."""
        super().shutdown_request(request)
        self.slots.release()

    def stop(self) -> None:
        """Stop accepting, drop the clients still being waited for, and let executions finish. Safe in a
        signal handler: `shutdown` waits for `serve_forever`, which runs in the thread being interrupted."""
        self.stopping.set()
        threading.Thread(target=self.shutdown, daemon=True).start()

    def reload_if_changed(self) -> None:
        try:
            mtime = os.stat(self.path).st_mtime_ns
        except OSError as error:
            raise WorkflowFileError("The workflow file cannot be read: {}.".format(error.strerror)) from None
        if mtime != self.mtime:
            self.namespace, self.mtime = load_namespace(self.path), mtime

    def run_workflow(self, request: dict) -> "tuple[dict, list[str]]":
        """The workflow's response to `request`, and the notes for the request's log line: what the workflow
        printed (captured, so that a request still logs one line), then what went wrong."""
        printed = io.StringIO()
        with self.lock, contextlib.redirect_stdout(printed):  # executions take turns, so do their prints
            try:
                self.reload_if_changed()
                response, note = call_workflow(self.namespace["workflow"], request, self.settings)
            except WorkflowFileError as error:
                response, note = catch_response("failed", 500, str(error)), str(error)
        notes = ["printed: " + printed.getvalue()] if printed.getvalue().strip() else []
        return response, notes + ([note] if note else [])


def handled_types(namespace: dict) -> "tuple[str, ...]":
    """The event types a loaded workflow file says it handles: its `EVENT_TYPE`, or its `EVENT_TYPES`."""
    one, several = namespace.get("EVENT_TYPE"), namespace.get("EVENT_TYPES")
    if isinstance(one, str):
        return (one,)
    if isinstance(several, (tuple, list)) and all(isinstance(name, str) for name in several):
        return tuple(several)
    return ()


def chosen_event_type(given: "str | None", handled: "tuple[str, ...]", path: str) -> str:
    """The event type to send: the one given, else the one the file handles; a `CliError` listing the
    choices when it handles several or none."""
    if given:
        return given
    if len(handled) == 1:
        return handled[0]
    if handled:
        raise CliError("{} handles {} event types: name the one to send, among {}".format(
            path, len(handled), ", ".join(handled)))
    raise CliError("{} handles no event type of its own: name the one to send it, among {}".format(
        path, ", ".join(CATALOGUE)))


def scheme_of(given: "str | None", settings: dict, path: "str | None") -> str:
    """The scheme to sign with: the one given, else the first HRFLOW_SIGNATURE_SCHEME accepts (a workflow
    with that setting accepts no other), else DEFAULT_SCHEME."""
    if given:
        return given
    if not Settings(settings).has(SCHEME_SETTING):
        return DEFAULT_SCHEME
    try:
        return accepted_schemes(Settings(settings))[0]
    except ConfigError:
        raise CliError("{} must list schemes among {}, comma-separated".format(
            setting_source(SCHEME_SETTING, path), ", ".join(SCHEMES))) from None


def command_serve(args) -> int:
    """Serve a workflow file until SIGINT or SIGTERM, then drop the clients still sending, finish the
    executions under way and exit 0 (a second signal exits 1 at once). Logs one line per request, to stderr."""
    existing_file(args.dist_file, DIST_HINT)
    settings = load_settings(args.settings)
    try:
        server = CatchServer((args.host, args.port), args.dist_file, settings, args.timeout, args.max_concurrent,
                             args.max_body_bytes)
    except OSError as error:
        raise CliError("cannot serve {} on {}:{}: {}".format(
            args.dist_file, args.host, args.port, os_reason(error))) from None

    def on_signal(*_):
        if server.stopping.is_set():  # a second signal: a workflow stuck in a loop would never finish
            log("stopped without waiting for the executions under way")
            os._exit(1)
        server.stop()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    handled = handled_types(server.namespace)
    log("settings loaded: {}".format(", ".join(sorted(settings)) or "none"))
    log("serving {} ({}) on http://{}:{}/ - Ctrl-C stops".format(
        args.dist_file, handled[0] if len(handled) == 1 else "{} event types".format(len(handled) or "no"),
        *server.server_address[:2]))
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    log("stopped")
    return 0


def fake_port(settings: dict, name: str, where: str) -> int:
    """The port of 127.0.0.1 where the fake for `name`, a local http URL setting, is to listen."""
    url = settings.get(name)
    try:
        parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
        port = parts.port if parts is not None else None
    except ValueError:  # a port that is not a number or out of range, a broken [address]
        parts = port = None
    if parts is None or parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or not port:
        raise CliError("{} in {} must be a local http URL with a port, such as {}: its fake listens there".format(
            name, where, FAKE_URL_EXAMPLES[name]))
    return port


def start_fakes(settings: dict, ports: "dict[str, int]", where: str, on_send=None) -> tuple:
    """A fake HrFlow holding the sample profile and job, which score against each other, and a fake
    Mandrill, started on 127.0.0.1 at `ports` (0: a free one) with the credentials of `settings`."""
    from localcatch.fakes import FakeHrflow, FakeMandrill, sample_job, sample_profile

    hrflow = FakeHrflow(settings.get("HRFLOW_API_SECRET"), settings.get("HRFLOW_API_USER"),
                        port=ports[HRFLOW_URL_SETTING])
    mandrill = FakeMandrill(settings.get("MANDRILL_API_TOKEN"), port=ports[MANDRILL_URL_SETTING], on_send=on_send)
    started: list = []
    for name, fake in ((HRFLOW_URL_SETTING, hrflow), (MANDRILL_URL_SETTING, mandrill)):
        try:
            started.append(fake.start())
        except OSError as error:
            for other in started:
                other.stop()
            raise CliError("cannot listen on 127.0.0.1:{} ({} in {}): {}".format(
                ports[name], name, where, os_reason(error))) from None
    profile = hrflow.add_profile(sample_profile(SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY))
    job = hrflow.add_job(sample_job(SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY))
    hrflow.set_job_scoring([(job, 0.87)])
    hrflow.set_profile_scoring([(profile, 0.87)])
    return hrflow, mandrill


def command_fakes(args) -> int:
    """Serve a fake HrFlow API holding the sample profile and job, and a fake Mandrill that prints every
    email it is given, on the ports and with the credentials of the settings file; until SIGINT or SIGTERM."""
    path = args.settings or local_settings()
    settings = load_settings(path)
    missing = [name for name in FAKE_CREDENTIALS if not isinstance(settings.get(name), str)]
    if missing:
        raise CliError("the fakes take their credentials from {}, which lacks {}".format(path, joined(missing)))
    ports = {name: fake_port(settings, name, path) for name in (HRFLOW_URL_SETTING, MANDRILL_URL_SETTING)}
    hrflow, mandrill = start_fakes(settings, ports, path, on_send=print_email)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    log("fake HrFlow on {}, fake Mandrill on {} - Ctrl-C stops".format(hrflow.url, mandrill.url))
    stop.wait()
    hrflow.stop(), mandrill.stop()
    return 0


def email_headers(record: dict) -> "list[tuple[str, str]]":
    """From, To and Subject of an email the fake Mandrill accepted, and its template when it names one."""
    message = record["message"]
    to = ", ".join(str(recipient.get("email")) for recipient in message.get("to") or [] if isinstance(recipient, dict))
    headers = [("From", str(message.get("from_email"))), ("To", to), ("Subject", str(message.get("subject")))]
    return headers + ([("Template", str(record["template_name"]))] if record.get("template_name") else [])


def print_email(record: dict) -> None:
    """Show an email the fake Mandrill accepted, as a person would read it. With nobody left to read it
    (stdout closed), the fake still answers."""
    message = record["message"]
    to = ", ".join(str(recipient.get("email")) for recipient in message.get("to") or [])
    template = " (template {})".format(record["template_name"]) if record.get("template_name") else ""
    with contextlib.suppress(OSError, ValueError):
        print("--- email from {} to {}{}\nSubject: {}\n\n{}\n---".format(
            message.get("from_email"), to, template, message.get("subject"), message.get("text")), flush=True)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 48em; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.15em 1em 0.15em 0; }}
th {{ color: #666; font-weight: normal; }}
p.note {{ color: #666; font-size: 0.9em; }}
iframe {{ width: 100%; height: 30em; border: 1px solid #ccc; }}
pre {{ white-space: pre-wrap; border: 1px solid #ccc; padding: 1em; }}
</style>
</head>
<body>
<p class="note">{event}: the email the workflow sent, as the fake Mandrill of catch.py preview received it.</p>
<table>
{headers}
</table>
{template}{body}
</body>
</html>
"""


def email_page(record: dict, event_type: str) -> str:
    """A standalone HTML page of an email: its headers (escaped: they may hold CV text), then its HTML part
    rendered as Mandrill would, in a sandboxed frame where no script runs and nothing is fetched."""
    message = record["message"]
    rows = "\n".join("<tr><th>{}</th><td>{}</td></tr>".format(html.escape(label), html.escape(value))
                     for label, value in email_headers(record))
    template = ""
    if record.get("template_name"):
        merge_vars = [var for var in message.get("global_merge_vars") or [] if isinstance(var, dict)]
        template = ("<p class=\"note\">Sent as the Mandrill template above, which Mandrill fills with these "
                    "merge vars; the HTML part the message carries follows.</p>\n<table>\n{}\n</table>\n").format(
            "\n".join("<tr><th>{}</th><td>{}</td></tr>".format(html.escape(str(var.get("name"))),
                                                                html.escape(str(var.get("content"))))
                      for var in merge_vars))
    part = message.get("html")
    if isinstance(part, str) and part:
        body = '<iframe sandbox title="the HTML part of the email" srcdoc="{}"></iframe>'.format(html.escape(part))
    else:
        body = "<p class=\"note\">No HTML part; the text part:</p>\n<pre>{}</pre>".format(
            html.escape(str(message.get("text"))))
    return PAGE.format(title=html.escape(str(message.get("subject"))), event=html.escape(event_type),
                       headers=rows, template=template, body=body)


def email_text(record: dict) -> str:
    """An email as text: its header lines, a blank line, its text part."""
    text = str(record["message"].get("text"))
    headers = "".join("{}: {}\n".format(*header) for header in email_headers(record))
    return headers + "\n" + text + ("" if text.endswith("\n") else "\n")


def event_from_args(args, event_type: str) -> dict:
    """The sample event of `event_type`, with the keys and message the options give."""
    subject = CATALOGUE[event_type].subject
    keys = {"profile": (args.profile_key, args.source_key), "job": (args.job_key, args.board_key)}
    if any(keys[subject.matches]):
        raise CliError("a {0} event takes --{0}-key and --{1}-key, no other keys".format(
            subject.name, subject.container))
    key, container_key = keys[subject.name]
    return sample_event(event_type, key or SAMPLE_OBJECT_KEY, container_key or SAMPLE_CONTAINER_KEY, args.message)


def first_secret(value: object, advice: str) -> str:
    """The first of the webhook secrets in `value` (a setting may list several, for rotation)."""
    secrets = parse_secrets(value) if isinstance(value, str) else ()
    if not secrets:
        raise CliError("no webhook secret: " + advice)
    return secrets[0].decode("utf-8")


def settings_secret(settings: dict, path: "str | None") -> str:
    """The first secret of the setting HRFLOW_WEBHOOK_SECRET, which the workflow verifies with."""
    where = "in {}".format(path) if path else "in --settings FILE"
    return first_secret(settings.get(SECRET_SETTING), "set {} {}, or the variable {}{}".format(
        SECRET_SETTING, where, SETTING_PREFIX, SECRET_SETTING))


def print_response(status_code: int, body: str) -> None:
    """The status code, then the body, indented when it is JSON."""
    try:
        body = json.dumps(json.loads(body), indent=2, sort_keys=True)
    except ValueError:
        pass
    print("HTTP {}\n{}".format(status_code, body))


def status_and_reason(response: dict) -> "tuple[str, str]":
    """The `status` and `reason` of a workflow's JSON answer ("" for what it lacks)."""
    try:
        body = json.loads(response["body"])
    except (ValueError, RecursionError):
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    status, reason = body.get("status"), body.get("reason")
    return status if isinstance(status, str) else "", reason if isinstance(reason, str) else ""


def shown_url(url: str) -> str:
    """A URL for a message as scheme://host:port alone: its user, password, path, query and fragment may each
    hold a token."""
    try:
        parts = urllib.parse.urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a broken [address], a port that is not a number from 0 to 65535
        return "(a URL that does not parse)"
    host = "[{}]".format(host) if ":" in host else host
    return log_text("{}://{}{}".format(parts.scheme, host, "" if port is None else ":{}".format(port)))


UNREACHABLE = (("HrFlow could not be reached", HRFLOW_URL_SETTING, DEFAULT_HRFLOW_API_URL),
               ("Mandrill could not be reached", MANDRILL_URL_SETTING, DEFAULT_MANDRILL_API_URL))


def unreachable_hints(response: dict, settings: dict, path: "str | None") -> "list[str]":
    """When the workflow could not reach HrFlow or Mandrill: the URL it tried, and how to start the fakes."""
    reason = status_and_reason(response)[1] if response["status_code"] >= 500 else ""
    fakes = "python catch.py fakes" + ("" if path is None or os.path.realpath(path) == str(HERE / LOCAL_SETTINGS)
                                       else " --settings " + path)
    hints = []
    for says, name, default in UNREACHABLE:
        if says not in reason:
            continue
        url = settings.get(name)
        if isinstance(url, str) and url.strip():
            hints.append("{} at {} ({}): are the fakes running? Start them with: {}".format(
                says, shown_url(url), setting_source(name, path), fakes))
        else:
            hints.append("{} at {}, the default, since no {} is set. To try the workflow locally, set it as {} "
                         "does and start the fakes: {}".format(says, default, name, LOCAL_SETTINGS, fakes))
    return hints


def command_send(args) -> int:
    """Sign a sample event and POST it in HrFlow's wire format. The secret and the scheme are those of
    --secret and --scheme, else of the settings (HRFLOW_WEBHOOK_SECRET, HRFLOW_SIGNATURE_SCHEME). Exit 0 on a
    2xx answer, else 1."""
    if not args.url.startswith(("http://", "https://")):
        raise CliError("--url must be an http(s) URL")
    settings = load_settings(args.settings)
    secret = first_secret(args.secret or settings.get(SECRET_SETTING) or os.environ.get(SECRET_SETTING),
                          "pass --secret, or --settings FILE holding {0}, or set the variable {0}".format(
                              SECRET_SETTING))
    scheme = scheme_of(args.scheme, settings, args.settings)
    body, headers = wire_request(event_from_args(args, args.event_type), secret, scheme, args.encoding)
    request = urllib.request.Request(args.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status_code, text = response.status, response.read()
    except urllib.error.HTTPError as error:  # an answer all the same
        with error:
            status_code, text = error.code, error.read()
    except OSError as error:  # URLError and timeouts
        local = urllib.parse.urlsplit(args.url).hostname in LOCAL_HOSTS
        log("cannot reach {}: {}{}".format(shown_url(args.url), os_reason(getattr(error, "reason", error)),
                                           " (is python catch.py serve running?)" if local else ""))
        return 1
    print_response(status_code, text.decode("utf-8", "replace"))
    return 0 if 200 <= status_code < 300 else 1


def command_run(args) -> int:
    """Run a workflow file once, without HTTP, like the console's Check button, on a sample event of
    EVENT_TYPE (by default the one the file handles) signed with the setting HRFLOW_WEBHOOK_SECRET. Exit 0
    when the status code is below 400, else 1."""
    existing_file(args.dist_file, DIST_HINT)
    settings = load_settings(args.settings)
    namespace = load_namespace(args.dist_file)
    event_type = chosen_event_type(args.event_type, handled_types(namespace), args.dist_file)
    secret = settings_secret(settings, args.settings)
    scheme = scheme_of(args.scheme, settings, args.settings)
    body, headers = wire_request(event_from_args(args, event_type), secret, scheme, args.encoding)
    response, note = call_workflow(namespace["workflow"], build_request(headers, body), settings)
    if note:
        log(note)
    print_response(response["status_code"], response["body"])
    sys.stdout.flush()  # the answer, then what to do about it
    for hint in unreachable_hints(response, settings, args.settings):
        log(hint)
    return 0 if response["status_code"] < 400 else 1


def preview_event(workflow, event_type: str, settings: dict, secret: str, scheme: str, mandrill, out: Path) -> bool:
    """Run the workflow on the signed sample event of `event_type`, write each email the fake Mandrill
    received for it as a page and a text file in `out`, and say so; True when the workflow answered ok."""
    body, headers = wire_request(sample_event(event_type), secret, scheme)
    before = len(mandrill.sent)
    with contextlib.redirect_stdout(io.StringIO()):  # the workflow's own log line: the files tell what it did
        response, note = call_workflow(workflow, build_request(headers, body), settings)
    if note:
        log(note)
    emails = mandrill.sent[before:]
    for number, record in enumerate(emails, 1):
        stem = event_type if number == 1 else "{}-{}".format(event_type, number)
        for target, text in ((out / (stem + ".html"), email_page(record, event_type)),
                             (out / (stem + ".txt"), email_text(record))):
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CliError("cannot write {}: {}".format(target, os_reason(error))) from None
            print("wrote {}".format(target))
    status, reason = status_and_reason(response)
    if status != "ok" or not emails:
        answered = "HTTP {} {}".format(response["status_code"], status or "(no status)") + (
            ": " + reason if reason else "")
        print("{}: {}the workflow answered {}".format(event_type, "" if emails else "no email sent; ",
                                                      log_text(answered)))
    return status == "ok"


def command_preview(args) -> int:
    """Run a workflow file on a signed sample event of each event type it handles, or of EVENT_TYPE, against
    a fake HrFlow and a fake Mandrill started on free ports of 127.0.0.1, and write each email it sends as two
    files in --out: EVENT_TYPE.html, a page to open in a browser, and EVENT_TYPE.txt. The settings are those
    of --settings, pointed at the fakes, with DRY_RUN left out so that the emails reach the fake Mandrill.
    Nothing leaves this machine. Exit 0 when every event type is answered ok, else 1."""
    existing_file(args.dist_file, DIST_HINT)
    namespace = load_namespace(args.dist_file)
    handled = handled_types(namespace)
    if not handled:
        raise CliError("{} handles no event type (it sets neither EVENT_TYPE nor EVENT_TYPES), so it sends no "
                       "email to preview".format(args.dist_file))
    path = args.settings or local_settings()
    settings = load_settings(path)
    secret = settings_secret(settings, path)
    scheme = scheme_of(None, settings, path)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError("cannot write to {}: {}".format(out, os_reason(error))) from None
    hrflow, mandrill = start_fakes(settings, {HRFLOW_URL_SETTING: 0, MANDRILL_URL_SETTING: 0}, path)
    try:
        settings.update({HRFLOW_URL_SETTING: hrflow.url, MANDRILL_URL_SETTING: mandrill.url})
        settings.pop("DRY_RUN", None)
        event_types = [args.event_type] if args.event_type else handled
        answered_ok = [preview_event(namespace["workflow"], event_type, settings, secret, scheme, mandrill, out)
                       for event_type in event_types]
    finally:
        hrflow.stop(), mandrill.stop()
    emails, ok = len(mandrill.sent), sum(answered_ok)
    log("{} email{} written to {}; {} of {} event type{} answered ok".format(
        emails, "" if emails == 1 else "s", out, ok, len(event_types), "" if len(event_types) == 1 else "s"))
    return 0 if all(answered_ok) else 1


def signature_of(body: bytes, secret: str, scheme: str) -> str:
    """The signature of `body`: its bytes (raw-body), it as the event JSON (signed-request), or the
    event fields of it as a form or JSON body (form-json)."""
    if scheme == "raw-body":
        return sign_raw_body(body, secret)
    if scheme == "signed-request":
        body_fields(JSON, body)  # the event must be a JSON object
        return sign_signed_request(body, secret)
    return sign_form_json(body_fields(JSON if body.lstrip().startswith(b"{") else FORM, body), secret)


def command_sign(args) -> int:
    """Print the HTTP-HRFLOW-SIGNATURE value for a body, for curl users."""
    body = args.body.encode("utf-8") if args.body is not None else (args.body_file or sys.stdin.buffer).read()
    secret = first_secret(args.secret or os.environ.get(SECRET_SETTING),
                          "pass --secret, or set the variable " + SECRET_SETTING)
    print(signature_of(body, secret, args.scheme))
    return 0


def number_from(kind, low, high):
    """An argparse type: a number of `kind` from `low` to `high`."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:  # NaN is in no range
            raise argparse.ArgumentTypeError("{!r} is not a number from {:g} to {:g}".format(text, low, high))
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    """`serve`, `send`, `run`, `preview`, `sign` and `fakes`, each with its --help."""
    parser = argparse.ArgumentParser(prog="catch.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    scheme_help = "signature scheme (default: the first that {} in the settings accepts, else {})".format(
        SCHEME_SETTING, DEFAULT_SCHEME)
    event = argparse.ArgumentParser(add_help=False)
    event.add_argument("--scheme", choices=SCHEMES, help=scheme_help)
    event.add_argument("--encoding", choices=ENCODINGS, default="form", help="body encoding (default: form)")
    for option, of in (("profile", "profile"), ("source", "profile's source"), ("job", "job"), ("board", "board")):
        event.add_argument("--{}-key".format(option), help="key of the {} (default: the webhook page's)".format(of))
    event.add_argument("--message", help="the event's message (default: HrFlow's, e.g. 'profile parsing succeed')")
    dist_file = argparse.ArgumentParser(add_help=False)
    dist_file.add_argument("dist_file", metavar="DIST_FILE",
                           help="a built workflow, e.g. dist/profile_parsing_success.py")
    settings = argparse.ArgumentParser(add_help=False)
    settings.add_argument("--settings", metavar="FILE", help="JSON object of settings; CATCH_SETTING_<NAME> wins")
    local = {"metavar": "FILE", "help": "JSON object of settings; CATCH_SETTING_<NAME> wins (default: {})".format(
        LOCAL_SETTINGS)}
    event_type = {"metavar": "EVENT_TYPE", "choices": sorted(CATALOGUE), "help": "e.g. profile.parsing.success"}
    optional_event_type = dict(event_type, nargs="?", help="e.g. profile.parsing.success (default: the one the "
                                                          "file handles, when it handles one)")
    secret_help = "webhook secret (default: {0} in --settings, else the variable {0})".format(SECRET_SETTING)

    def command(name, function, parents, summary):
        sub = commands.add_parser(name, parents=parents, help=summary, description=function.__doc__)
        sub.set_defaults(command=function)
        return sub

    serve = command("serve", command_serve, [dist_file, settings], "serve a workflow file as a Catch endpoint")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--timeout", type=number_from(float, 0.001, 86400), default=TIMEOUT_SECONDS, metavar="SECONDS",
                       help="drop a client whose request takes longer to arrive, or its answer to send "
                            "(default: {:g})".format(TIMEOUT_SECONDS))
    serve.add_argument("--max-concurrent", type=number_from(int, 1, 1024), default=MAX_CONCURRENT, metavar="N",
                       help="requests served at once; more wait to be accepted (default: {})".format(MAX_CONCURRENT))
    serve.add_argument("--max-body-bytes", type=number_from(int, 0, 1 << 30), default=MAX_BODY_BYTES, metavar="N",
                       help="answer 413 to a longer body, unread (default: {}, 10 MiB)".format(MAX_BODY_BYTES))
    send = command("send", command_send, [event, settings], "POST a signed sample event to a URL")
    send.add_argument("event_type", **event_type)
    send.add_argument("--url", required=True, help="the endpoint, e.g. http://127.0.0.1:8080/")
    send.add_argument("--secret", help=secret_help)
    run = command("run", command_run, [dist_file, settings, event], "run a workflow file once on a sample event")
    run.add_argument("event_type", **optional_event_type)
    preview = command("preview", command_preview, [dist_file], "write the emails a workflow file sends, as files")
    preview.add_argument("event_type", **dict(optional_event_type, help="e.g. profile.parsing.success (default: "
                                                                        "every event type the file handles)"))
    preview.add_argument("--out", metavar="DIR", default=PREVIEW_DIR,
                         help="the folder to write to (default: {})".format(PREVIEW_DIR))
    preview.add_argument("--settings", **local)
    fakes = command("fakes", command_fakes, [], "serve fake HrFlow and Mandrill APIs, printing each email")
    fakes.add_argument("--settings", metavar="FILE", help="the settings whose URLs and credentials the fakes take "
                                                          "(default: {})".format(LOCAL_SETTINGS))
    sign = command("sign", command_sign, [], "print the signature header value for a body")
    sign.add_argument("--secret", help="webhook secret (default: the variable {})".format(SECRET_SETTING))
    sign.add_argument("--scheme", choices=SCHEMES, default=DEFAULT_SCHEME,
                      help="signature scheme (default: {}, as for send and run)".format(DEFAULT_SCHEME))
    body = sign.add_mutually_exclusive_group(required=True)
    body.add_argument("--body", help="the body, as text")
    body.add_argument("--body-file", metavar="FILE", type=argparse.FileType("rb"), help="read the body from FILE")
    body.add_argument("stdin", nargs="?", choices=["-"], help="'-' reads the body from standard input")
    return parser


def main(argv: "list[str] | None" = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.command(args)
        sys.stdout.flush()  # so that a reader gone early (| head -1) shows here, not as Python exits
    except (CliError, Refusal, WorkflowFileError, SignatureError) as error:
        print("catch: error: {}".format(error), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Whoever read the output stopped reading: stop quietly, as the Python documentation advises,
        # pointing stdout at devnull so that the final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
