"""`catch.py serve`, `send`, `run`, `sign` and `fakes`: each takes its parsed arguments and returns the exit
status (`preview` has its own module)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from localcatch.config import (
    DIST_HINT,
    HRFLOW_URL_SETTING,
    LOCAL_HOSTS,
    MANDRILL_URL_SETTING,
    SettingsFile,
    existing_file,
    load_settings,
    local_settings,
    signing,
)
from localcatch.contract import call_workflow, printing_tracebacks
from localcatch.emails import print_email
from localcatch.errors import CliError, Refusal
from localcatch.log import joined, log, log_text, os_reason, shown_url
from localcatch.request_body import FORM, JSON, build_request, read_body_fields
from localcatch.responses import print_response, unreachable_hints
from localcatch.samples import SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY, sample_event, wire_request
from localcatch.seeded_fakes import fake_port, start_fakes
from localcatch.server import CatchServer
from localcatch.signers import sign_form_json, sign_raw_body, sign_signed_request
from localcatch.workflow_file import chosen_event_type, handled_types, load_workflow, say_misnamed_settings
from shared.core.errors import MalformedRequest, SignatureError
from shared.wire.catalogue import CATALOGUE
from shared.wire.event import event_fields, parse_event

FAKE_CREDENTIALS = ("HRFLOW_API_SECRET", "HRFLOW_API_USER", "MANDRILL_API_TOKEN")


def command_serve(args: argparse.Namespace) -> int:
    """Serve a workflow file until SIGINT or SIGTERM, then drop the clients still sending, finish the
    executions under way and exit 0 (a second signal exits 1 at once). Logs one line per request, to stderr."""
    existing_file(args.dist_file, DIST_HINT)
    settings = SettingsFile(args.settings, args.secret)
    try:
        server = CatchServer((args.host, args.port), args.dist_file, settings, args.timeout, args.max_concurrent,
                             args.max_body_bytes)
    except OSError as error:
        raise CliError("cannot serve {} on {}:{}: {}".format(
            args.dist_file, args.host, args.port, os_reason(error))) from None

    def on_signal(*_: object) -> None:
        if server.stopping.is_set():  # a second signal: a workflow stuck in a loop would never finish
            log("stopped without waiting for the executions under way")
            os._exit(1)
        under_way = server.executions
        log("stopping: " + ("finishing the {} execution{} under way (Ctrl-C again stops without waiting)".format(
            under_way, "" if under_way == 1 else "s") if under_way else "no execution under way"))
        server.stop()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    handled = handled_types(server.namespace)
    if server.loaded.built_note:
        log(server.loaded.built_note)
    log("settings loaded: {}".format(", ".join(sorted(server.settings)) or "none"))
    say_misnamed_settings(server.namespace, server.settings)
    log("serving {} ({}) on http://{}:{}/ - Ctrl-C stops".format(
        args.dist_file, handled[0] if len(handled) == 1 else "{} event types".format(len(handled) or "no"),
        *server.server_address[:2]))
    with printing_tracebacks():  # until the executions under way at a stop have finished too
        server.serve_forever(poll_interval=0.2)
        server.server_close()
    log("stopped")
    return 0


def command_fakes(args: argparse.Namespace) -> int:
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
    hrflow.stop()
    mandrill.stop()
    return 0


def event_from_args(args: argparse.Namespace, event_type: str) -> dict[str, Any]:
    """The sample event of `event_type`, with the keys and message the options give."""
    subject = CATALOGUE[event_type].subject
    keys = {"profile": (args.profile_key, args.source_key), "job": (args.job_key, args.board_key)}
    if any(keys[subject.matches]):
        raise CliError("a {0} event takes --{0}-key and --{1}-key, no other keys".format(
            subject.name, subject.container))
    key, container_key = keys[subject.name]
    return sample_event(event_type, key or SAMPLE_OBJECT_KEY, container_key or SAMPLE_CONTAINER_KEY, args.message)


def command_send(args: argparse.Namespace) -> int:
    """Sign a sample event and POST it in HrFlow's wire format. The secret and the scheme are those of
    --secret and --scheme, else of the settings (HRFLOW_WEBHOOK_SECRET, HRFLOW_SIGNATURE_SCHEME). Exit 0 on a
    2xx answer, else 1."""
    if not args.url.startswith(("http://", "https://")):
        raise CliError("--url must be an http(s) URL")
    settings = load_settings(args.settings, args.secret)
    secret, scheme = signing(settings, args.settings, args.scheme)
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


def command_run(args: argparse.Namespace) -> int:
    """Run a workflow file once, without HTTP, like the console's Check button, on a sample event of
    EVENT_TYPE (by default the one the file handles) signed with the webhook secret its settings hold. Exit 0
    when the status code is below 400, else 1."""
    existing_file(args.dist_file, DIST_HINT)
    settings = load_settings(args.settings, args.secret)
    loaded = load_workflow(args.dist_file)
    if loaded.built_note:
        log(loaded.built_note)
    namespace = loaded.namespace
    say_misnamed_settings(namespace, settings)
    event_type = chosen_event_type(args.event_type, handled_types(namespace), args.dist_file)
    secret, scheme = signing(settings, args.settings, args.scheme)
    body, headers = wire_request(event_from_args(args, event_type), secret, scheme, args.encoding)
    with printing_tracebacks():
        response, note = call_workflow(namespace["workflow"], build_request(headers, body), settings)
    if note:
        log(note)
    print_response(response["status_code"], response["body"])
    sys.stdout.flush()  # the answer, then what to do about it
    for hint in unreachable_hints(response, settings, args.settings):
        log(hint)
    return 0 if response["status_code"] < 400 else 1


NO_FIELDS = "It is neither a JSON object nor a form of name=value fields."


def fields_of(body: bytes) -> dict[str, Any] | None:
    """The fields of `body` read as a JSON object when it looks like one, else as a form; None when it is neither."""
    try:
        return read_body_fields(JSON if body.lstrip().startswith(b"{") else FORM, body)
    except Refusal:
        return None


def not_an_event(fields: dict[str, Any] | None) -> str | None:
    """Why a workflow would not act on a body of these fields, in a sentence; None when they make an event of
    the catalogue's."""
    if fields is None:
        return NO_FIELDS
    try:
        event = parse_event(event_fields(fields))
    except MalformedRequest as error:
        return error.reason
    if event.type not in CATALOGUE:
        return "Its type {} is not one of HrFlow's event types.".format(log_text(event.received_type))
    return None


def signature_of(body: bytes, secret: str, scheme: str) -> str:
    """The signature of `body`: its bytes (raw-body), it as the event JSON (signed-request), or its event
    fields (form-json). A body that a scheme cannot sign, having no fields or no JSON object for it to sign,
    is a `CliError` that says so: signing something else in its place would give a header for another body."""
    if scheme == "raw-body":
        return sign_raw_body(body, secret)
    fields, as_it_is = fields_of(body), " To sign it as it is, use --scheme raw-body."
    if scheme == "signed-request":
        if fields is None or not body.lstrip().startswith(b"{"):
            raise CliError("signed-request signs an event as a JSON object, and this body is not one." + as_it_is)
        return sign_signed_request(body, secret)
    if fields is None:
        raise CliError("form-json signs the fields of an event, and this body has none. " + NO_FIELDS + as_it_is)
    try:
        return sign_form_json(fields, secret)
    except SignatureError as error:
        raise CliError("form-json cannot sign this body: " + error.reason) from None


def command_sign(args: argparse.Namespace) -> int:
    """Print the HTTP-HRFLOW-SIGNATURE value for a body, for curl users, signed with the webhook secret and
    the scheme of --secret and --scheme, else of the settings, as send signs."""
    settings = load_settings(args.settings, args.secret)
    secret, scheme = signing(settings, args.settings, args.scheme)
    body = args.body.encode("utf-8") if args.body is not None else (args.body_file or sys.stdin.buffer).read()
    print(signature_of(body, secret, scheme))
    sys.stdout.flush()  # the signature, then what is wrong with what it signs
    problem = not_an_event(fields_of(body))
    if problem:
        log("warning: signed, but a workflow would not act on this body. " + problem)
    return 0
