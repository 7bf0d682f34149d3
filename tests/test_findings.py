"""The findings of the hostile-data review, each as a regression test through the real SDKs and
the fake servers: what an attacker's CV, a misbehaving HrFlow or Mandrill, or a setting that
cannot work used to cause, and the clear answer each now gets."""

import time

import pytest

from conftest import API_SECRET, PROFILE_KEY, SOURCE_KEY, deliver
from localcatch.fakes import Reply, sample_profile

PROFILE_GET = "/v1/profile/indexing"


def _store(fake_hrflow, **info):
    profile = sample_profile(PROFILE_KEY, SOURCE_KEY)
    profile["info"].update(info)
    fake_hrflow.add_profile(profile)


def test_a_huge_address_is_skipped_masked_and_costs_no_quadratic_time(settings, fake_hrflow, fake_mandrill):
    _store(fake_hrflow, email="a" * 30000 + "@x")
    started = time.process_time()
    code, body = deliver("profile.parsing.success", settings)
    cpu_seconds = time.process_time() - started
    assert (code, body["status"]) == (200, "skipped")
    assert "not valid" in body["reason"] and "aaaa" not in body["reason"] and "***@x" in body["reason"]
    assert fake_mandrill.request_count == 0
    assert cpu_seconds < 3  # it took 6 s of CPU before; a generous bound, to prove it does not hang


def test_a_phishing_first_name_does_not_reach_the_candidate(settings, fake_hrflow, fake_mandrill):
    _store(fake_hrflow, first_name="Ada. ACTION REQUIRED: confirm your identity at https://evil.example " * 50)
    code, body = deliver("profile.parsing.success", settings)
    assert (code, body["status"]) == (200, "ok")
    message = fake_mandrill.sent[0]["message"]
    assert message["text"].startswith("Hello,\n\nThank you for applying: your application has been received.")
    assert "ACTION" not in message["text"] and "evil" not in message["html"]


def test_line_breaks_and_controls_in_names_do_not_reach_the_teams_subject(settings, fake_hrflow, fake_mandrill):
    _store(fake_hrflow, first_name="Eve\r\nBcc: victim@example.com\x00\x1b[2J\u202e", last_name="Doe")
    code, body = deliver("profile.storing.update", settings)
    assert (code, body["status"]) == (200, "ok")
    subject = fake_mandrill.sent[0]["message"]["subject"]
    assert subject == "[HrFlow] profile.storing.update: Eve Bcc: victim@example.com[2J Doe"


def test_a_profile_whose_experiences_is_a_number_is_still_summarised(settings, fake_hrflow, fake_mandrill):
    profile = sample_profile(PROFILE_KEY, SOURCE_KEY, experiences=5, skills="many")
    fake_hrflow.add_profile(profile)
    code, body = deliver("profile.storing.success", settings)
    assert (code, body["status"]) == (200, "ok")
    assert "Last position" not in fake_mandrill.sent[0]["message"]["text"]


def test_a_secret_crossing_where_a_message_is_shortened_is_redacted_whole(settings, fake_hrflow):
    message = "x" * 195 + " key " + API_SECRET + " and " + API_SECRET.upper() + " " + "y" * 600
    fake_hrflow.script(PROFILE_GET, [Reply(400, {"code": 400, "message": message})])
    code, body = deliver("profile.storing.success", settings)
    assert code == 502
    for part in (API_SECRET, API_SECRET.upper(), API_SECRET[:8], API_SECRET.upper()[:8]):
        assert part not in body["reason"]
    assert "[redacted]" in body["reason"] and len(body["reason"]) <= 500


@pytest.mark.parametrize(
    "address, shown",
    [
        ("jane@localhost", "j***@localhost"),
        ('"j d"@example.org', "@example.org"),
        ("bob@[10.0.0.1]", "b***@[10.0.0.1]"),
    ],
)
def test_every_address_form_in_an_error_message_is_masked(settings, fake_hrflow, address, shown):
    fake_hrflow.script(PROFILE_GET, [Reply(400, {"code": 400, "message": "Bad request for " + address})])
    _, body = deliver("profile.storing.success", settings)
    assert shown in body["reason"] and address not in body["reason"]
    assert "j d" not in body["reason"] and "bob" not in body["reason"] and "jane" not in body["reason"]


@pytest.mark.parametrize(
    "event_type, key, value",
    [
        ("profile.storing.update", "DRY_RUN", "maybe"),
        ("profile.scoring.success", "SHORTLIST_SIZE", "five"),
        ("profile.scoring.success", "SHORTLIST_SIZE", "500"),
        ("profile.storing.update", "NOTIFY_EMAIL", "the talent team"),
        ("profile.storing.update", "MAIL_FROM", "recruiting"),
        ("profile.parsing.error", "ALERT_EMAIL", "oncall@acme.example, oncall"),
        ("profile.storing.update", "MANDRILL_API_URL", "mandrillapp.com/api/1.3"),
        ("profile.storing.update", "DEDUPE_WINDOW_SECONDS", "-1"),
        ("profile.parsing.success", "MANDRILL_TEMPLATE", ["a", "list"]),
        ("profile.parsing.success", "MANDRILL_API_TOKEN", ["a", "list"]),
    ],
)
def test_a_typed_setting_that_cannot_work_fails_before_any_call(
    settings, fake_hrflow, fake_mandrill, event_type, key, value
):
    settings[key] = value
    code, body = deliver(event_type, settings)
    assert (code, body["status"]) == (500, "failed")
    assert key in body["reason"]
    if isinstance(value, str) and len(value) > 3:
        assert value not in body["reason"]
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0


def test_a_missing_sender_is_named_with_its_fallback_before_any_call(settings, fake_mandrill):
    del settings["HRFLOW_API_USER"]
    code, body = deliver("profile.parsing.error", settings)
    assert (code, body["reason"]) == (500, "Missing or empty setting: MAIL_FROM or HRFLOW_API_USER.")
    assert fake_mandrill.request_count == 0
