"""`catch.py preview`: the emails a workflow file sends, each written as a page and a text file, from a run
against fakes of its own; nothing leaves this machine."""
from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localcatch.config import (
    DIST_HINT,
    HRFLOW_URL_SETTING,
    MANDRILL_URL_SETTING,
    existing_file,
    load_settings,
    local_settings,
    scheme_of,
    settings_secret,
)
from localcatch.contract import WorkflowFunction, call_workflow
from localcatch.emails import email_page, email_text
from localcatch.errors import CliError
from localcatch.log import log, log_text, os_reason
from localcatch.request_body import build_request
from localcatch.responses import status_and_reason
from localcatch.samples import sample_event, wire_request
from localcatch.seeded_fakes import start_fakes
from localcatch.workflow_file import handled_types, load_namespace

if TYPE_CHECKING:  # imported only once fakes are started
    from localcatch.fakes import FakeMandrill

PREVIEW_DIR = "preview"


def preview_event(workflow: WorkflowFunction, event_type: str, settings: dict[str, Any], secret: str, scheme: str,
                  mandrill: FakeMandrill, out: Path) -> bool:
    """Run the workflow on the signed sample event of `event_type`, write each email the fake Mandrill
    received for it as a page and a text file in `out`, and say so; True when the workflow answered ok."""
    body, headers = wire_request(sample_event(event_type), secret, scheme)
    before = len(mandrill.sent)
    with contextlib.redirect_stdout(io.StringIO()):  # the workflow's own log line: the files tell what it did
        response, note = call_workflow(workflow, build_request(headers, body), settings)
    if note:
        log(note)
    emails = mandrill.sent[before:]
    for number, accepted in enumerate(emails, 1):
        stem = event_type if number == 1 else "{}-{}".format(event_type, number)
        for target, text in ((out / (stem + ".html"), email_page(accepted, event_type)),
                             (out / (stem + ".txt"), email_text(accepted))):
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


def command_preview(args: argparse.Namespace) -> int:
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
        hrflow.stop()
        mandrill.stop()
    emails, ok = len(mandrill.sent), sum(answered_ok)
    log("{} email{} written to {}; {} of {} event type{} answered ok".format(
        emails, "" if emails == 1 else "s", out, ok, len(event_types), "" if len(event_types) == 1 else "s"))
    return 0 if all(answered_ok) else 1
