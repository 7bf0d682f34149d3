"""`dist/catch_probe.py`, the workflow to paste first: alone in a fresh interpreter, it reports what
Catch hands a workflow, never a value but the event type and Content-Type, and acts on nothing."""
from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import importlib
import io
import json
from importlib import metadata

import pytest

from conftest import ROOT, WEBHOOK_SECRET
from dist_process import DistWorkflow
from localcatch.samples import catch_request, sample_event
from shared.core.version import VERSION
from shared.wire.headers import SIGNATURE_HEADER

PROBE = ROOT / "dist" / "catch_probe.py"
REPORT_KEYS = {"status", "reason", "version", "python", "packages", "request_keys", "signature", "settings_keys",
               "settings_persisted"}
EVENT = sample_event("profile.parsing.success", message="for ada.lovelace@example.com")


def js_style(event: dict, secret: str) -> str:
    payload = base64.b64encode(json.dumps(event).encode("utf-8")).decode("ascii")
    digest = hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii") + "." + payload


@pytest.fixture
def probe(tmp_path):
    run = DistWorkflow(PROBE, tmp_path)
    yield run
    run.close()


def report_of(response: dict) -> dict:
    assert (response["status_code"], response["headers"]) == (200, {"Content-Type": "application/json"})
    report = json.loads(response["body"])
    assert set(report) == REPORT_KEYS
    return report


@pytest.mark.slow
def test_the_probe_reports_runtime_keys_and_a_verified_form_json_signature(probe, fake_hrflow, fake_mandrill):
    request = catch_request(EVENT, WEBHOOK_SECRET, "form-json")
    settings = {
        "HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "HRFLOW_API_URL": fake_hrflow.url,
        "MANDRILL_API_URL": fake_mandrill.url,
        "MANDRILL_API_TOKEN": "md-probe-secret",
    }
    response = probe.call(request, settings)
    report = report_of(response)
    assert report["python"].startswith("3.")
    assert report["packages"]["hrflow"] == {"version": metadata.version("hrflow"), "tested": "hrflow 3.0.0 to 4.3.0",
                                            "in_range": True}
    assert report["packages"]["mailchimp_transactional"] == {
        "version": metadata.version("mailchimp-transactional"), "tested": "mailchimp-transactional 1.0.7 to 1.4.1",
        "in_range": True}
    assert report["packages"]["requests"]["version"]
    assert report["version"] == VERSION
    assert report["request_keys"]["type"] == {"type": "str", "length": len(EVENT["type"]), "value": EVENT["type"]}
    assert report["request_keys"]["Content-Type"]["value"] == "application/x-www-form-urlencoded"
    assert report["request_keys"][SIGNATURE_HEADER] == {"type": "str", "length": 64}
    assert report["request_keys"]["message"] == {"type": "str", "length": len(EVENT["message"])}
    assert report["request_keys"]["profile"]["type"] == "str"
    assert report["signature"] == {
        "header": SIGNATURE_HEADER,
        "shape": "64 hex digits",
        "verified": True,
        "scheme": "form-json",
        "variant": "HMAC of the compact JSON of the event fields, hex digest",
        "event": "profile.parsing.success",
    }
    assert report["settings_keys"] == sorted(settings)
    assert report["settings_persisted"] is False
    for secret in (WEBHOOK_SECRET, "md-probe-secret", request[SIGNATURE_HEADER], "ada.lovelace@example.com"):
        assert secret not in response["body"]
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0


@pytest.mark.slow
def test_the_probe_names_the_legacy_header_and_the_javascript_variant(probe):
    request = {"HTTP-RIMINDER-SIGNATURE": js_style(EVENT, WEBHOOK_SECRET), "Content-Type": "application/json"}
    signature = report_of(probe.call(request, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET}))["signature"]
    assert signature == {
        "header": "HTTP-RIMINDER-SIGNATURE",
        "shape": "two base64 parts",
        "verified": True,
        "scheme": "signed-request",
        "variant": "HMAC of the payload part as sent, raw digest, base64 parts",
        "event": "profile.parsing.success",
    }


@pytest.mark.slow
def test_the_probe_says_why_nothing_verified_without_showing_a_value(probe):
    request = catch_request(EVENT, "not-the-secret", "signed-request")
    response = probe.call(request, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET})
    signature = report_of(response)["signature"]
    assert (signature["verified"], signature["shape"]) == (False, "two base64 parts")
    assert signature["reason"].startswith("No secret verifies the HTTP-HRFLOW-SIGNATURE header: it is two base64 parts")
    assert request[SIGNATURE_HEADER].split(".")[0] not in response["body"]


@pytest.mark.slow
def test_without_a_webhook_secret_the_probe_says_how_to_learn_more(probe):
    signature = report_of(probe.call(catch_request(EVENT, WEBHOOK_SECRET), {}))["signature"]
    assert signature == {
        "header": SIGNATURE_HEADER,
        "shape": "64 hex digits",
        "reason": "HRFLOW_WEBHOOK_SECRET is not set: set it to see which scheme and variant verify.",
    }


@pytest.mark.slow
def test_a_valid_signature_over_what_is_not_an_event_is_reported_as_such(probe):
    header = js_style({"type": "profile.parsing.success"}, WEBHOOK_SECRET)
    signature = report_of(probe.call({SIGNATURE_HEADER: header}, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET}))[
        "signature"
    ]
    assert signature["verified"] is True and "exactly one of the fields profile or job" in signature["event_problem"]


@pytest.mark.slow
@pytest.mark.parametrize("request_value", [None, "type=x", ["a"], {}, {i: i for i in range(400)}], ids=repr)
def test_the_probe_answers_anything_with_a_report(probe, request_value):
    report = report_of(probe.call(request_value, {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET}))
    assert report["signature"]["shape"] in ("absent", None)
    assert len(report["request_keys"]) <= 256


def test_settings_persisted_is_true_once_the_marker_came_back_and_one_log_line_per_execution():
    workflow = importlib.import_module("workflows.catch_probe").workflow
    settings = {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        first = report_of(workflow(catch_request(EVENT, WEBHOOK_SECRET), settings))
        second = report_of(workflow(catch_request(EVENT, WEBHOOK_SECRET), settings))
        fresh = report_of(workflow(catch_request(EVENT, WEBHOOK_SECRET), {"HRFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET}))
    assert (first["settings_persisted"], second["settings_persisted"], fresh["settings_persisted"]) == (
        False,
        True,
        False,
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and all(
        line.startswith("workflow=catch_probe sig=64-hex-digits verified=True") for line in lines
    )
    assert WEBHOOK_SECRET not in out.getvalue()
