#!/usr/bin/env python3
"""Emulate HrFlow Catch locally and send it signed sample events, as the Stripe CLI does for Stripe.

    python catch.py serve dist/profile_parsing_success.py --settings settings.json
    python catch.py send profile.parsing.success --url http://127.0.0.1:8080/ --secret S
    python catch.py run dist/profile_parsing_success.py profile.parsing.success --settings settings.json
    python catch.py sign --secret 1234 --body 4567
    python catch.py fakes        # fake HrFlow and Mandrill for samples/local-settings.json

Settings come from a JSON object file and `CATCH_SETTING_<NAME>` variables (which win); only their names
are printed. Exit status: 0 on success, 1 when the endpoint or the workflow says no, 2 on a usage error.
"""
import argparse
import contextlib
import email.message
import email.parser
import email.policy
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
from urllib.parse import parse_qsl

from shared.errors import SignatureError
from shared.events import CATALOGUE
from shared.request import MAX_REQUEST_FIELDS, RAW_BODY_FIELD
from shared.samples import ENCODINGS, SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY, sample_event, wire_request
from shared.signature import SCHEMES, parse_secrets, sign_form_json, sign_raw_body, sign_signed_request

MAX_BODY_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 10.0  # for the whole request to arrive, then for the answer to be sent
MAX_CONCURRENT = 16  # requests at once; executions take turns anyway, so more would only hold more bodies
MAX_MULTIPART_HEADER_CHARS = 512  # of any one header in a multipart body, its Content-Type included
STOP_POLL_SECONDS = 0.2  # how often a wait checks whether the server is stopping
LOCAL_SETTINGS = "samples/local-settings.json"
SETTING_PREFIX = "CATCH_SETTING_"
SECRET_SETTING = "HRFLOW_WEBHOOK_SECRET"
FORM, JSON, MULTIPART = "application/x-www-form-urlencoded", "application/json", "multipart/form-data"
MAX_WORD_CHARS = 64  # of a method or an event type, in a log line
MAX_NOTE_CHARS = 1000  # of what a log line adds after its status code and duration
PLAIN_WORD = re.compile(r"[A-Za-z0-9._-]{{1,{}}}".format(MAX_WORD_CHARS))
NOT_PRINTABLE_ASCII = re.compile(r"[^ -~]")


class CliError(Exception):
    """A problem the command reports in one line, with exit status 2."""


class Problem(Exception):
    """What the emulator answers itself, in the Catch contract, with a JSON body like the workflows'."""

    def __init__(self, status_code: int, reason: str):
        super().__init__(reason)
        body = json.dumps({"status": "rejected" if status_code < 500 else "failed", "reason": reason})
        self.response = {"status_code": status_code, "body": body, "headers": {"Content-Type": "application/json"}}


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


def load_settings(path: "str | None") -> dict:
    """Settings from the JSON object at `path`, then from the `CATCH_SETTING_<NAME>` variables."""
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
    """Run the file's source in a new namespace, as the Catch editor would; it must define `workflow`."""
    namespace = {"__name__": "catch_workflow", "__file__": path}
    try:
        exec(compile(Path(path).read_text(encoding="utf-8"), path, "exec"), namespace)
    except Exception as error:  # whatever the file's own code raises
        reason = "The workflow file cannot be loaded: {} at {}.".format(type(error).__name__, location(error))
        raise Problem(500, reason) from None
    if not callable(namespace.get("workflow")):
        raise Problem(500, "The workflow file defines no workflow function.")
    return namespace


def contract_problem(result: object) -> "str | None":
    """What is wrong with a workflow's return value, or None when it keeps the Catch contract."""
    if not isinstance(result, dict):
        return "The workflow returned {}, not a dict.".format(type(result).__name__)
    code = result.get("status_code")
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        return "The workflow's status_code is not an int from 100 to 599."
    if not isinstance(result.get("body"), str):
        return "The workflow's body is not a str."
    headers = result.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(text, str) for pair in headers.items() for text in pair):
        return "The workflow's headers are not a dict of str."
    return None


def execute(workflow, request: dict, settings: dict) -> "tuple[dict, str]":
    """Call the workflow and hold its return value to the Catch contract; never raises. Returns the response
    and, for the log, where the workflow raised ("" when it did not); never the message, which may hold a
    secret."""
    try:
        result = workflow(request, settings)
    except Exception as error:  # a broken workflow must not break the server
        name = type(error).__name__
        note = "the workflow raised {} at {}".format(name, location(error))
        return Problem(500, "The workflow raised {}.".format(name)).response, note
    problem = contract_problem(result)
    return (Problem(500, problem).response if problem else result), ""


class MultipartPolicy(email.policy.EmailPolicy):
    """`email.policy.HTTP`, refusing a header over MAX_MULTIPART_HEADER_CHARS before it is parsed: the
    `email` package spends microseconds on each character of a header's parameters (0.6 s on 256 parts
    with 512-character headers, seconds on one 64 KiB header). Every header passes here, a nested part's
    too."""

    def header_source_parse(self, sourcelines):
        if sum(len(line) for line in sourcelines) > MAX_MULTIPART_HEADER_CHARS:
            raise Problem(431, "A header of the multipart body is over {} characters.".format(
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
        raise Problem(413, "The multipart body has more than {} parts.".format(MAX_REQUEST_FIELDS))


def multipart_fields(content_type: str, body: bytes) -> dict:
    """The fields of a multipart/form-data body, read with the `email` package within bounds on its parts
    and headers; raises ValueError, or `Problem` 413 or 431."""
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
    """The body's fields, read by its Content-Type; raises `Problem` 400 or 415."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body and not media_type:
        return {}
    try:
        if media_type == FORM:
            return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        if media_type == MULTIPART:
            return multipart_fields(content_type, body)
        if media_type != JSON:
            raise Problem(415, "The Content-Type must be {}, {} or {}.".format(FORM, JSON, MULTIPART))
        fields = json.loads(body.decode("utf-8"))
        if isinstance(fields, dict):
            return fields
    except (ValueError, RecursionError):  # UnicodeError and JSONDecodeError are ValueErrors
        pass
    raise Problem(400, "The body is not a valid UTF-8 {} body.".format(media_type))


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
        except Problem as problem:
            response = problem.response
        self._reply(response)

    def refuse_method(self):
        response = Problem(405, "Catch accepts POST only.").response
        response["headers"]["Allow"] = "POST"
        self._reply(response)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = refuse_method

    def _read_body(self) -> bytes:
        """The body, unread when it is too long: HTTP/1.0 closes the connection after the answer."""
        try:
            length = int(self.headers["Content-Length"])
        except (TypeError, ValueError):
            length = -1
        if length < 0 or self.headers["Transfer-Encoding"]:
            raise Problem(411, "A POST needs a Content-Length header, and no Transfer-Encoding.")
        if length > self.server.max_body_bytes:
            raise Problem(413, "The body is over {} bytes.".format(self.server.max_body_bytes))
        body = self.rfile.read(length)
        if len(body) < length:
            raise ClientGone("the client went away while sending the body")
        return body

    def _reply(self, response: dict) -> None:
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
            raise Problem(500, "The workflow file cannot be read: {}.".format(error.strerror)) from None
        if mtime != self.mtime:
            self.namespace, self.mtime = load_namespace(self.path), mtime

    def run_workflow(self, request: dict) -> "tuple[dict, list[str]]":
        """The workflow's response to `request`, and the notes for the request's log line: what the workflow
        printed (captured, so that a request still logs one line), then what went wrong."""
        printed = io.StringIO()
        with self.lock, contextlib.redirect_stdout(printed):  # executions take turns, so do their prints
            try:
                self.reload_if_changed()
                response, note = execute(self.namespace["workflow"], request, self.settings)
            except Problem as problem:  # the file cannot be read or loaded
                response, note = problem.response, str(problem)
        notes = ["printed: " + printed.getvalue()] if printed.getvalue().strip() else []
        return response, notes + ([note] if note else [])


def command_serve(args) -> int:
    """Serve a workflow file until SIGINT or SIGTERM, then drop the clients still sending, finish the
    executions under way and exit 0 (a second signal exits 1 at once). Logs one line per request, to stderr."""
    settings = load_settings(args.settings)
    try:
        server = CatchServer((args.host, args.port), args.dist_file, settings, args.timeout, args.max_concurrent,
                             args.max_body_bytes)
    except OSError as error:
        raise CliError("cannot serve {} on {}:{}: {}".format(args.dist_file, args.host, args.port, error)) from None

    def on_signal(*_):
        if server.stopping.is_set():  # a second signal: a workflow stuck in a loop would never finish
            log("stopped without waiting for the executions under way")
            os._exit(1)
        server.stop()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    log("settings loaded: {}".format(", ".join(sorted(settings)) or "none"))
    log("serving {} ({}) on http://{}:{}/ - Ctrl-C stops".format(
        args.dist_file, server.namespace.get("EVENT_TYPE", "?"), *server.server_address[:2]))
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    log("stopped")
    return 0


def command_fakes(args) -> int:
    """Serve a fake HrFlow API holding the sample profile and job, and a fake Mandrill that prints every
    email it is given, on the ports and with the credentials of the settings file; until SIGINT or SIGTERM."""
    from fakes import FakeHrflow, FakeMandrill, sample_job, sample_profile

    settings = load_settings(args.settings)
    try:
        hrflow = FakeHrflow(settings["HRFLOW_API_SECRET"], settings["HRFLOW_API_USER"],
                            port=urllib.parse.urlsplit(settings["HRFLOW_API_URL"]).port)
        mandrill = FakeMandrill(settings["MANDRILL_API_TOKEN"],
                                port=urllib.parse.urlsplit(settings["MANDRILL_API_URL"]).port, on_send=print_email)
        hrflow.start(), mandrill.start()
    except (KeyError, OSError) as error:
        raise CliError("cannot start the fakes from {}: {!r}".format(args.settings, error)) from None
    profile = hrflow.add_profile(sample_profile(SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY))
    job = hrflow.add_job(sample_job(SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY))
    hrflow.set_job_scoring([(job, 0.87)])
    hrflow.set_profile_scoring([(profile, 0.87)])
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    log("fake HrFlow on {}, fake Mandrill on {} - Ctrl-C stops".format(hrflow.url, mandrill.url))
    stop.wait()
    hrflow.stop(), mandrill.stop()
    return 0


def print_email(record: dict) -> None:
    """Show an email the fake Mandrill accepted, as a person would read it."""
    message = record["message"]
    to = ", ".join(str(recipient.get("email")) for recipient in message.get("to") or [])
    template = " (template {})".format(record["template_name"]) if record.get("template_name") else ""
    print("--- email from {} to {}{}\nSubject: {}\n\n{}\n---".format(
        message.get("from_email"), to, template, message.get("subject"), message.get("text")), flush=True)


def event_from_args(args) -> dict:
    """The sample event of `args.event_type`, with the keys and message the options give."""
    kind = CATALOGUE[args.event_type].kind
    keys = {"profile": (args.profile_key, args.source_key), "job": (args.job_key, args.board_key)}
    if any(keys["job" if kind == "profile" else "profile"]):
        container = "source" if kind == "profile" else "board"
        raise CliError("a {0} event takes --{0}-key and --{1}-key, no other keys".format(kind, container))
    key, container_key = keys[kind]
    return sample_event(args.event_type, key or SAMPLE_OBJECT_KEY, container_key or SAMPLE_CONTAINER_KEY, args.message)


def first_secret(value: object, where: str) -> str:
    """The first of the webhook secrets in `value` (a setting may list several, for rotation)."""
    secrets = parse_secrets(value) if isinstance(value, str) else ()
    if not secrets:
        raise CliError("no webhook secret: set " + where)
    return secrets[0].decode("utf-8")


def print_response(status_code: int, body: str) -> None:
    """The status code, then the body, indented when it is JSON."""
    try:
        body = json.dumps(json.loads(body), indent=2, sort_keys=True)
    except ValueError:
        pass
    print("HTTP {}\n{}".format(status_code, body))


def command_send(args) -> int:
    """Sign a sample event and POST it in HrFlow's wire format. Exit 0 on a 2xx answer, else 1."""
    if not args.url.startswith(("http://", "https://")):
        raise CliError("--url must be an http(s) URL")
    secret = first_secret(args.secret, "--secret or " + SECRET_SETTING)
    body, headers = wire_request(event_from_args(args), secret, args.scheme, args.encoding)
    request = urllib.request.Request(args.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status_code, text = response.status, response.read()
    except urllib.error.HTTPError as error:  # an answer all the same
        with error:
            status_code, text = error.code, error.read()
    except OSError as error:  # URLError and timeouts
        print("catch: cannot reach {}: {}".format(args.url, getattr(error, "reason", error)), file=sys.stderr)
        return 1
    print_response(status_code, text.decode("utf-8", "replace"))
    return 0 if 200 <= status_code < 300 else 1


def command_run(args) -> int:
    """Run a workflow file once on a sample event signed with the setting HRFLOW_WEBHOOK_SECRET, without
    HTTP, like the console's Check button. Exit 0 when the status code is below 400, else 1."""
    settings = load_settings(args.settings)
    where = "{0} in --settings or {1}{0}".format(SECRET_SETTING, SETTING_PREFIX)
    secret = first_secret(settings.get(SECRET_SETTING), where)
    workflow = load_namespace(args.dist_file)["workflow"]
    body, headers = wire_request(event_from_args(args), secret, args.scheme, args.encoding)
    response, raised = execute(workflow, build_request(headers, body), settings)
    if raised:
        log(raised)
    print_response(response["status_code"], response["body"])
    return 0 if response["status_code"] < 400 else 1


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
    secret = first_secret(args.secret, "--secret or " + SECRET_SETTING)
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
    """`serve`, `send`, `run` and `sign`, each with its --help."""
    parser = argparse.ArgumentParser(prog="catch.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    event = argparse.ArgumentParser(add_help=False)
    event.add_argument("--scheme", choices=SCHEMES, default="form-json", help="signature scheme (default: form-json)")
    event.add_argument("--encoding", choices=ENCODINGS, default="form", help="body encoding (default: form)")
    for option, of in (("profile", "profile"), ("source", "profile's source"), ("job", "job"), ("board", "board")):
        event.add_argument("--{}-key".format(option), help="key of the {} (default: the webhook page's)".format(of))
    event.add_argument("--message", help="the event's message (default: HrFlow's, e.g. 'profile parsing succeed')")
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("dist_file", metavar="DIST_FILE", help="a built workflow, e.g. dist/profile_parsing_success.py")
    files.add_argument("--settings", metavar="FILE", help="JSON object of settings; CATCH_SETTING_<NAME> wins")
    event_type = {"metavar": "EVENT_TYPE", "choices": sorted(CATALOGUE), "help": "e.g. profile.parsing.success"}
    secret = {"default": os.environ.get(SECRET_SETTING), "help": "webhook secret (default: $HRFLOW_WEBHOOK_SECRET)"}

    def command(name, function, parents, summary):
        sub = commands.add_parser(name, parents=parents, help=summary, description=function.__doc__)
        sub.set_defaults(command=function)
        return sub

    serve = command("serve", command_serve, [files], "serve a workflow file as a Catch endpoint")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--timeout", type=number_from(float, 0.001, 86400), default=TIMEOUT_SECONDS, metavar="SECONDS",
                       help="drop a client whose request takes longer to arrive, or its answer to send "
                            "(default: {:g})".format(TIMEOUT_SECONDS))
    serve.add_argument("--max-concurrent", type=number_from(int, 1, 1024), default=MAX_CONCURRENT, metavar="N",
                       help="requests served at once; more wait to be accepted (default: {})".format(MAX_CONCURRENT))
    serve.add_argument("--max-body-bytes", type=number_from(int, 0, 1 << 30), default=MAX_BODY_BYTES, metavar="N",
                       help="answer 413 to a longer body, unread (default: {}, 10 MiB)".format(MAX_BODY_BYTES))
    send = command("send", command_send, [event], "POST a signed sample event to a URL")
    send.add_argument("event_type", **event_type)
    send.add_argument("--url", required=True, help="the endpoint, e.g. http://127.0.0.1:8080/")
    send.add_argument("--secret", **secret)
    command("run", command_run, [files, event], "run a workflow file once on a sample event").add_argument(
        "event_type", **event_type)
    fakes = command("fakes", command_fakes, [], "serve fake HrFlow and Mandrill APIs, printing each email")
    fakes.add_argument("--settings", metavar="FILE", default=LOCAL_SETTINGS,
                       help="the settings whose URLs and credentials the fakes take (default: {})".format(
                           LOCAL_SETTINGS))
    sign = command("sign", command_sign, [], "print the signature header value for a body")
    sign.add_argument("--secret", **secret)
    sign.add_argument("--scheme", choices=SCHEMES, default="raw-body", help="signature scheme (default: raw-body)")
    body = sign.add_mutually_exclusive_group(required=True)
    body.add_argument("--body", help="the body, as text")
    body.add_argument("--body-file", metavar="FILE", type=argparse.FileType("rb"), help="read the body from FILE")
    body.add_argument("stdin", nargs="?", choices=["-"], help="'-' reads the body from standard input")
    return parser


def main(argv: "list[str] | None" = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.command(args)
    except (CliError, Problem, SignatureError) as error:
        print("catch: error: {}".format(error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
