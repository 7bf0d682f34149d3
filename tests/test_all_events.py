"""`dist/all_events.py`, one workflow for every event type, alone in a fresh interpreter with the real SDKs:
each event type gets exactly what its own workflow does; settings are checked per event; chosen types
can be switched off."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, signed_request
from dist_process import DistWorkflow
from shared.wire.catalogue import ALIASES, CATALOGUE

pytestmark = pytest.mark.slow

DIST = ROOT / "dist"
SCORING_KEYS = ("SCORING_ALGORITHM_KEY", "SCORING_BOARD_KEYS", "SCORING_SOURCE_KEYS")


def _request(event_type):
    """A sample event of `event_type` (or of another name of one) signed as the Python SDK signs, saying its
    type in its message."""
    return signed_request(event_type, scheme="signed-request", message="{} from the test".format(event_type))


def _what_was_done(fake_hrflow, fake_mandrill, since):
    reads = [(r["method"], r["path"], sorted(r["query"].items())) for r in fake_hrflow.requests[since[0] :]]
    emails = [(r["path"], r["message"]) for r in fake_mandrill.sent[since[1] :]]
    return reads, emails


@pytest.fixture(scope="module")
def all_events(tmp_path_factory):
    run = DistWorkflow(DIST / "all_events.py", tmp_path_factory.mktemp("all_events"))
    yield run
    run.close()


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_each_event_type_gets_exactly_what_its_own_workflow_does(
    event_type, all_events, settings, fake_hrflow, fake_mandrill, tmp_path
):
    own = DistWorkflow(DIST / (event_type.replace(".", "_") + ".py"), tmp_path)
    try:
        since = (fake_hrflow.request_count, len(fake_mandrill.sent))
        expected = own.call(_request(event_type), dict(settings))
        expected_work = _what_was_done(fake_hrflow, fake_mandrill, since)
        since = (fake_hrflow.request_count, len(fake_mandrill.sent))
        response = all_events.call(_request(event_type), dict(settings))
        assert response == expected and json.loads(response["body"])["status"] == "ok"
        assert _what_was_done(fake_hrflow, fake_mandrill, since) == expected_work
        assert len(expected_work[1]) == 1
    finally:
        own.close()


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_an_alias_is_handled_by_its_canonical_type_and_answered_as_received(alias, all_events, settings, fake_mandrill):
    body = json.loads(all_events.call(_request(alias), dict(settings))["body"])
    assert (body["status"], body["event"]) == ("ok", alias)
    assert ALIASES[alias][0] in fake_mandrill.sent[-1]["message"]["subject"]


def test_settings_are_checked_when_the_event_that_needs_them_arrives(all_events, settings, fake_hrflow, fake_mandrill):
    without_scoring = {key: value for key, value in settings.items() if key not in SCORING_KEYS}
    notified = json.loads(all_events.call(_request("profile.storing.update"), dict(without_scoring))["body"])
    assert notified["status"] == "ok"
    calls = (fake_hrflow.request_count, fake_mandrill.request_count)
    response = all_events.call(_request("profile.scoring.success"), dict(without_scoring))
    body = json.loads(response["body"])
    assert (response["status_code"], body["reason"]) == (
        500,
        "Missing or empty setting: SCORING_ALGORITHM_KEY, SCORING_BOARD_KEYS.",
    )
    assert (fake_hrflow.request_count, fake_mandrill.request_count) == calls
    alert_only = {
        key: settings[key]
        for key in ("HRFLOW_WEBHOOK_SECRET", "MANDRILL_API_TOKEN", "MANDRILL_API_URL", "ALERT_EMAIL", "HRFLOW_API_USER")
    }
    assert json.loads(all_events.call(_request("job.storing.error"), alert_only)["body"])["status"] == "ok"


def test_switched_off_event_types_are_skipped_without_any_call(all_events, settings, fake_hrflow, fake_mandrill):
    switched = dict(settings, DISABLED_EVENTS="profile.storing.update, job.indexing.success")
    calls = (fake_hrflow.request_count, fake_mandrill.request_count)
    for event_type in ("profile.storing.update", "job.storing.success", "job.indexing.success"):
        body = json.loads(all_events.call(_request(event_type), dict(switched))["body"])
        assert (body["status"], body["reason"]) == (
            "skipped",
            "{} events are switched off by DISABLED_EVENTS.".format(event_type),
        )
    assert (fake_hrflow.request_count, fake_mandrill.request_count) == calls
    assert json.loads(all_events.call(_request("profile.storing.success"), dict(switched))["body"])["status"] == "ok"


def test_a_switched_off_name_that_is_no_event_type_is_a_configuration_error(all_events, settings, fake_mandrill):
    response = all_events.call(_request("job.storing.error"), dict(settings, DISABLED_EVENTS="job.storing.eror"))
    body = json.loads(response["body"])
    assert (response["status_code"], body["status"]) == (500, "failed")
    assert "DISABLED_EVENTS" in body["reason"] and "eror" not in body["reason"]
    assert fake_mandrill.request_count == 0


