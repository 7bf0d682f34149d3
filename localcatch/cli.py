"""The command line of `catch.py`: its parser, and `main`, which runs a command and turns what stops it into one
line on stderr and exit status 2."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Callable, TypeVar

from localcatch.commands import command_fakes, command_run, command_send, command_serve, command_sign
from localcatch.config import DEFAULT_SCHEME, LOCAL_SETTINGS, SCHEME_SETTING, SECRET_SETTING, SETTING_PREFIX
from localcatch.errors import CliError, Refusal, WorkflowFileError
from localcatch.log import log
from localcatch.preview import PREVIEW_DIR, command_preview
from localcatch.samples import ENCODINGS
from localcatch.server import MAX_BODY_BYTES, MAX_CONCURRENT, TIMEOUT_SECONDS
from shared.core.errors import SignatureError
from shared.wire.catalogue import CATALOGUE
from shared.wire.signature import SCHEMES

# The first line of catch.py's docstring, which says the rest.
DESCRIPTION = "Emulate HrFlow Catch locally and send it signed sample events, as the Stripe CLI does for Stripe."


_Number = TypeVar("_Number", int, float)


def number_from(number_type: Callable[[str], _Number], low: _Number, high: _Number) -> Callable[[str], _Number]:
    """An argparse type: a `number_type` (int or float) from `low` to `high`."""
    def parse(text: str) -> _Number:
        try:
            value: _Number | None = number_type(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:  # NaN is in no range
            raise argparse.ArgumentTypeError("{!r} is not a number from {:g} to {:g}".format(text, low, high))
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    """`serve`, `send`, `run`, `preview`, `sign` and `fakes`, each with its --help."""
    parser = argparse.ArgumentParser(prog="catch.py", description=DESCRIPTION)
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    scheme_help = "signature scheme (default: the first that {} in the settings accepts, else {})".format(
        SCHEME_SETTING, DEFAULT_SCHEME)
    # The parent parsers: the options that several commands share.
    event_parent = argparse.ArgumentParser(add_help=False)
    event_parent.add_argument("--scheme", choices=SCHEMES, help=scheme_help)
    event_parent.add_argument("--encoding", choices=ENCODINGS, default="form", help="body encoding (default: form)")
    for option, of in (("profile", "profile"), ("source", "profile's source"), ("job", "job"), ("board", "board")):
        event_parent.add_argument("--{}-key".format(option),
                                  help="key of the {} (default: the webhook page's)".format(of))
    event_parent.add_argument("--message",
                              help="the event's message (default: HrFlow's, e.g. 'profile parsing succeed')")
    file_parent = argparse.ArgumentParser(add_help=False)
    file_parent.add_argument("dist_file", metavar="DIST_FILE",
                             help="a built workflow, e.g. dist/profile_parsing_success.py")
    settings_parent = argparse.ArgumentParser(add_help=False)
    settings_parent.add_argument("--settings", metavar="FILE",
                                 help="JSON object of settings; CATCH_SETTING_<NAME> wins")
    # What add_argument takes for an argument that several commands spell alike.
    local_settings_spec: dict[str, Any] = {
        "metavar": "FILE",
        "help": "JSON object of settings; CATCH_SETTING_<NAME> wins (default: {})".format(LOCAL_SETTINGS)}
    event_type_spec: dict[str, Any] = {
        "metavar": "EVENT_TYPE", "choices": sorted(CATALOGUE), "help": "e.g. profile.parsing.success"}
    optional_event_type_spec: dict[str, Any] = dict(
        event_type_spec, nargs="?", help="e.g. profile.parsing.success (default: the one the file handles, when it "
                                         "handles one)")
    secret_parent = argparse.ArgumentParser(add_help=False)
    secret_parent.add_argument("--secret", help="the webhook secret: it wins over the variable {0}{1}, which wins "
                                                "over {1} in the settings file (docs/emulator.md)".format(
                                                    SETTING_PREFIX, SECRET_SETTING))

    def command(name: str, function: Callable[[argparse.Namespace], int], parents: list[argparse.ArgumentParser],
                summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=parents, help=summary, description=function.__doc__)
        sub.set_defaults(command=function)
        return sub

    serve = command("serve", command_serve, [file_parent, settings_parent, secret_parent],
                    "serve a workflow file as a Catch endpoint")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--timeout", type=number_from(float, 0.001, 86400), default=TIMEOUT_SECONDS, metavar="SECONDS",
                       help="drop a client whose request takes longer to arrive, or its answer to send "
                            "(default: {:g})".format(TIMEOUT_SECONDS))
    serve.add_argument("--max-concurrent", type=number_from(int, 1, 1024), default=MAX_CONCURRENT, metavar="N",
                       help="requests served at once; more wait to be accepted (default: {})".format(MAX_CONCURRENT))
    serve.add_argument("--max-body-bytes", type=number_from(int, 0, 1 << 30), default=MAX_BODY_BYTES, metavar="N",
                       help="answer 413 to a longer body, unread (default: {}, 10 MiB)".format(MAX_BODY_BYTES))
    send = command("send", command_send, [event_parent, settings_parent, secret_parent],
                   "POST a signed sample event to a URL")
    send.add_argument("event_type", **event_type_spec)
    send.add_argument("--url", required=True, help="the endpoint, e.g. http://127.0.0.1:8080/")
    run = command("run", command_run, [file_parent, settings_parent, event_parent, secret_parent],
                  "run a workflow file once on a sample event")
    run.add_argument("event_type", **optional_event_type_spec)
    preview = command("preview", command_preview, [file_parent, secret_parent],
                      "write the emails a workflow file sends, as files")
    preview.add_argument("event_type", **dict(optional_event_type_spec, help="e.g. profile.parsing.success (default: "
                                                                             "every event type the file handles)"))
    preview.add_argument("--out", metavar="DIR", default=PREVIEW_DIR,
                         help="the folder to write to (default: {})".format(PREVIEW_DIR))
    preview.add_argument("--settings", **local_settings_spec)
    fakes = command("fakes", command_fakes, [], "serve fake HrFlow and Mandrill APIs, printing each email")
    fakes.add_argument("--settings", metavar="FILE", help="the settings whose URLs and credentials the fakes take "
                                                          "(default: {})".format(LOCAL_SETTINGS))
    sign = command("sign", command_sign, [settings_parent, secret_parent],
                   "print the signature header value for a body")
    sign.add_argument("--scheme", choices=SCHEMES, help=scheme_help)
    body_source = sign.add_mutually_exclusive_group(required=True)
    body_source.add_argument("--body", help="the body, as text")
    body_source.add_argument("--body-file", metavar="FILE", type=argparse.FileType("rb"),
                             help="read the body from FILE")
    body_source.add_argument("stdin", nargs="?", choices=["-"], help="'-' reads the body from standard input")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.command(args)
        sys.stdout.flush()  # so that a reader gone early (| head -1) shows here, not as Python exits
    except (CliError, Refusal, WorkflowFileError, SignatureError) as error:
        print("catch: error: {}".format(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: what the command was doing is moot, and its traceback would say nothing
        log("interrupted")
        return 130  # as a shell reports a command stopped by SIGINT
    except BrokenPipeError:
        # Whoever read the output stopped reading: stop quietly, as the Python documentation advises,
        # pointing stdout at devnull so that the final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status

