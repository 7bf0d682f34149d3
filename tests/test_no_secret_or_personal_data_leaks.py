"""No secret, signature, API key, full email address or phone number in any log line
or response body: every workflow, through the quick faults, with recognisable data."""
from __future__ import annotations

import importlib
import json
import re

import pytest

from conftest import API_SECRET, MANDRILL_TOKEN, WEBHOOK_SECRET, signed_request, with_placeholders, workflow_events
from localcatch.fakes import FakeMandrill, Reply
from shared.wire.headers import SIGNATURE_HEADER

FULL_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+")
PHONE_DIGITS = "612345678"


def _break_nothing(settings, fake_hrflow, fake_mandrill):
    pass


def _unknown_object(settings, fake_hrflow, fake_mandrill):
    fake_hrflow.profiles.clear()
    fake_hrflow.jobs.clear()


def _bad_hrflow_key(settings, fake_hrflow, fake_mandrill):
    settings["HRFLOW_API_SECRET"] = API_SECRET + "-revoked"


def _recipients_rejected(settings, fake_hrflow, fake_mandrill):
    for address in ("ada.lovelace@example.com", settings["NOTIFY_EMAIL"], settings["ALERT_EMAIL"]):
        fake_mandrill.recipient_status[address] = ("rejected", "hard-bounce")


def _bad_mandrill_key(settings, fake_hrflow, fake_mandrill):
    fake_mandrill.script(
        FakeMandrill.SEND,
        [Reply(500, {"status": "error", "name": "Invalid_Key", "message": "Invalid API key " + MANDRILL_TOKEN})],
    )


def _hrflow_echoes_personal_data(settings, fake_hrflow, fake_mandrill):
    message = "Invalid request for ada.lovelace@example.com (+33 6 12 34 56 78) with key " + API_SECRET
    for path in ("/v1/profile/indexing", "/v1/job/indexing"):
        fake_hrflow.script(path, [Reply(400, {"code": 400, "message": message})] * 2)


def _dry_run(settings, fake_hrflow, fake_mandrill):
    settings["DRY_RUN"] = "true"


def _missing_setting(settings, fake_hrflow, fake_mandrill):
    del settings["MANDRILL_API_TOKEN"]


FAULTS = [
    _break_nothing,
    _unknown_object,
    _bad_hrflow_key,
    _recipients_rejected,
    _bad_mandrill_key,
    _hrflow_echoes_personal_data,
    _dry_run,
    _missing_setting,
]


def _leaks(text, settings, signatures):
    secrets = [WEBHOOK_SECRET, API_SECRET, MANDRILL_TOKEN, API_SECRET + "-revoked"] + signatures
    found = [secret for secret in secrets if secret in text]
    found += FULL_EMAIL.findall(text)
    if PHONE_DIGITS in re.sub(r"\D", "", text):
        found.append("phone number")
    return found


@pytest.mark.parametrize("name, event_type", workflow_events())
def test_no_secret_or_personal_data_leaks_from_any_workflow(name, event_type, settings, fake_hrflow, fake_mandrill,
                                                           capfd):
    workflow = importlib.import_module("workflows." + name)
    settings = with_placeholders(settings, workflow, event_type)
    outputs, signatures = [], []
    for fault in FAULTS:
        values = dict(settings)
        fault(values, fake_hrflow, fake_mandrill)
        for scheme in ("signed-request", "form-json"):
            request = signed_request(event_type, scheme=scheme)
            signatures.append(request[SIGNATURE_HEADER])
            outputs.append(workflow.workflow(request, values)["body"])
    forged = signed_request(event_type, secret="not-the-secret")
    signatures.append(forged[SIGNATURE_HEADER])
    outputs.append(workflow.workflow(forged, dict(settings))["body"])
    captured = capfd.readouterr()
    everything = "\n".join(outputs + [captured.out, captured.err])
    assert captured.out.count("\n") == len(outputs), "one log line per execution"
    assert _leaks(everything, settings, signatures) == []
    statuses = {json.loads(body)["status"] for body in outputs}
    assert "rejected" in statuses and ("ok" in statuses or "skipped" in statuses)
