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
    signing,
)
from localcatch.contract import WorkflowFunction, call_workflow, printing_tracebacks
from localcatch.emails import email_page, email_text
from localcatch.errors import CliError
from localcatch.log import log, log_text, os_reason
from localcatch.request_body import build_request
from localcatch.responses import status_and_reason
from localcatch.samples import SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY, sample_event, wire_request
from localcatch.seeded_fakes import start_fakes
from localcatch.workflow_file import handled_types, load_workflow, say_misnamed_settings

if TYPE_CHECKING:  # imported only once fakes are started
    from localcatch.fakes import FakeHrflow, FakeMandrill
    from localcatch.fakes.mandrill import AcceptedEmail
    from shared.pipeline.answer import CatchResponse

PREVIEW_DIR = "preview"


def run_event(workflow: WorkflowFunction, event_type: str, settings: dict[str, Any], secret: str, scheme: str,
              mandrill: FakeMandrill) -> tuple[CatchResponse, list[AcceptedEmail]]:
    """Run the workflow on the signed sample event of `event_type`: its response and the emails it sent."""
    body, headers = wire_request(sample_event(event_type), secret, scheme)
    before = len(mandrill.sent)
    with contextlib.redirect_stdout(io.StringIO()), printing_tracebacks():  # its log line: the files tell
        response, note = call_workflow(workflow, build_request(headers, body), settings)
    if note:
        log(note)
    return response, mandrill.sent[before:]


def write_emails(event_type: str, stem: str, response: CatchResponse, emails: list[AcceptedEmail], out: Path) -> bool:
    """Write each email as a page and a text file in `out`, named after `stem`, and say so; True when the
    workflow answered ok."""
    for number, accepted in enumerate(emails, 1):
        name = stem + ("" if number == 1 else "-{}".format(number))
        for target, text in ((out / (name + ".html"), email_page(accepted, event_type)),
                             (out / (name + ".txt"), email_text(accepted))):
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CliError("cannot write {}: {}".format(target, os_reason(error))) from None
            print("wrote {}".format(target))
    status, reason = status_and_reason(response)
    if status != "ok" or not emails:
        answered = "HTTP {} {}".format(response["status_code"], status or "(no status)") + (
            ": " + reason if reason else "")
        print("{}: {}the workflow answered {}".format(stem, "" if emails else "no email sent; ", log_text(answered)))
    return status == "ok"


def candidate_languages(namespace: dict[str, Any], settings: dict[str, Any]) -> list[str]:
    """The languages a workflow that writes to candidates has a text for, as its settings configure them
    (`ACK_LANGUAGE`, or every language there is a text for); none for a workflow that writes to no one
    but the team, or whose settings cannot work (its run says why)."""
    if not callable(namespace.get("languages")) or not callable(namespace.get("chosen_language")):
        return []
    config = namespace["Settings"](settings)
    try:
        chosen = namespace["chosen_language"](config)
        return [chosen] if chosen != "auto" else list(namespace["languages"](config))
    except Exception:  # a setting that cannot work: the workflow answers so when it runs
        return []


def preview_event(workflow: WorkflowFunction, event_type: str, languages: list[str], settings: dict[str, Any],
                  secret: str, scheme: str, fakes: tuple[FakeHrflow, FakeMandrill], out: Path) -> list[bool]:
    """The emails of `event_type`, written as EVENT_TYPE.html and .txt; when it writes to the sample
    candidate, once in each of `languages` (the candidate's profile in that language), written as
    EVENT_TYPE.LANGUAGE.html and .txt. Each run has settings of its own: a candidate is thanked once."""
    hrflow, mandrill = fakes
    candidate = hrflow.profiles[(SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY)]
    candidate["text_language"] = languages[0] if languages else "en"
    response, emails = run_event(workflow, event_type, dict(settings), secret, scheme, mandrill)
    written_to = {to["email"] for accepted in emails for to in accepted["message"].get("to", [])}
    if not languages or candidate["info"]["email"] not in written_to:
        return [write_emails(event_type, event_type, response, emails, out)]
    answered = [write_emails(event_type, "{}.{}".format(event_type, languages[0]), response, emails, out)]
    for language in languages[1:]:
        candidate["text_language"] = language
        response, emails = run_event(workflow, event_type, dict(settings), secret, scheme, mandrill)
        answered.append(write_emails(event_type, "{}.{}".format(event_type, language), response, emails, out))
    return answered


def command_preview(args: argparse.Namespace) -> int:
    """Run a workflow file on a signed sample event of each event type it handles, or of EVENT_TYPE, against
    a fake HrFlow and a fake Mandrill started on free ports of 127.0.0.1, and write each email it sends as two
    files in --out: EVENT_TYPE.html, a page to open in a browser, and EVENT_TYPE.txt. The settings are those
    of --settings, pointed at the fakes, with DRY_RUN left out so that the emails reach the fake Mandrill.
    Nothing leaves this machine. Exit 0 when every event type is answered ok, else 1."""
    existing_file(args.dist_file, DIST_HINT)
    loaded = load_workflow(args.dist_file)
    if loaded.built_note:
        log(loaded.built_note)
    namespace = loaded.namespace
    handled = handled_types(namespace)
    if not handled:
        raise CliError("{} handles no event type (it sets neither EVENT_TYPE nor EVENT_TYPES), so it sends no "
                       "email to preview".format(args.dist_file))
    path = args.settings or local_settings()
    settings = load_settings(path, args.secret)
    say_misnamed_settings(namespace, settings)
    secret, scheme = signing(settings, path)
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
        languages = candidate_languages(namespace, settings)
        answered_ok = [answer for event_type in event_types for answer in preview_event(
            namespace["workflow"], event_type, languages, settings, secret, scheme, (hrflow, mandrill), out)]
    finally:
        hrflow.stop()
        mandrill.stop()
    emails, ok = len(mandrill.sent), sum(answered_ok)
    log("{} email{} written to {}; {} of {} run{} answered ok".format(
        emails, "" if emails == 1 else "s", out, ok, len(answered_ok), "" if len(answered_ok) == 1 else "s"))
    return 0 if all(answered_ok) else 1
