"""`shared.wire.verification`: the event a request's signature vouches for, checked against the body's own fields,
and the settings verification reads."""
from __future__ import annotations

import pytest

from localcatch.samples import catch_request, sample_event
from localcatch.signers import parse_secrets
from recorder import EVENT_TYPE, SECRET, Recorder, answer, contract, fresh_settings
from shared.core.errors import CatchError, MalformedRequest
from shared.pipeline.run import run
from shared.wire.event import MAX_OBJECT_CHARS, MAX_TEXT_CHARS
from shared.wire.signature import SCHEMES
from shared.wire.verification import verified_event

PROFILE_TYPE = "profile.parsing.success"


@pytest.mark.parametrize("name, limit", [("type", MAX_TEXT_CHARS), ("origin", MAX_OBJECT_CHARS),
                                         ("message", MAX_OBJECT_CHARS), ("profile", MAX_OBJECT_CHARS)])
def test_a_field_longer_than_any_events_is_malformed_before_its_signature_is_checked(name, limit, monkeypatch):
    request = catch_request(sample_event(PROFILE_TYPE), "not-the-webhook-secret")
    request[name] = "x" * (limit + 1)
    with monkeypatch.context() as patched:
        patched.setattr("shared.wire.verification.verify_signature", lambda *_: pytest.fail("a signature was checked"))
        with pytest.raises(MalformedRequest, match="The field {} is longer than {} characters.".format(name, limit)):
            verified_event(request, parse_secrets(SECRET))
    request[name] = "x" * limit
    with pytest.raises(CatchError) as caught:
        verified_event(request, parse_secrets(SECRET))
    assert "longer than" not in caught.value.reason


# The settings verification reads: the webhook secrets and the schemes accepted.


@pytest.mark.parametrize("secret", [None, "", "   ", 1234, ["a"], {"k": SECRET}], ids=repr)
def test_missing_or_non_text_webhook_secret_fails_500_naming_the_key(secret):
    recorder = Recorder()
    settings = {} if secret is None else {"HRFLOW_WEBHOOK_SECRET": secret}
    response = run(catch_request(sample_event(EVENT_TYPE), SECRET), settings, recorder.workflow)
    body = contract(response)
    assert (response["status_code"], body["status"]) == (500, "failed")
    assert "HRFLOW_WEBHOOK_SECRET" in body["reason"] and "1234" not in body["reason"]
    assert recorder.events == []


def test_run_does_not_raise_when_the_secret_setting_is_not_utf8():
    recorder = Recorder()
    response = run(
        catch_request(sample_event(EVENT_TYPE), SECRET),
        {"HRFLOW_WEBHOOK_SECRET": "\ud800x"},
        recorder.workflow,
    )
    assert answer(response) == (500, "failed") and recorder.events == []


@pytest.mark.parametrize(
    "secret, reason",
    [
        (" , ", "HRFLOW_WEBHOOK_SECRET holds no secret"),
        ("\ud800" * 12, "HRFLOW_WEBHOOK_SECRET is not valid text"),
        ("correct horse battery staple, c", "HRFLOW_WEBHOOK_SECRET holds a secret shorter than 12 characters"),
        ("wsk_short", "HRFLOW_WEBHOOK_SECRET holds a secret shorter than 12 characters"),
    ],
)
def test_webhook_secret_setting_without_a_usable_secret_is_a_configuration_error(secret, reason):
    recorder = Recorder()
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    response = run(request, {"HRFLOW_WEBHOOK_SECRET": secret}, recorder.workflow)
    assert answer(response) == (500, "failed")
    assert reason in contract(response)["reason"]
    assert recorder.events == []


@pytest.mark.parametrize("pinned", SCHEMES)
def test_a_pinned_signature_scheme_accepts_only_that_scheme(pinned):
    for scheme in SCHEMES:
        recorder = Recorder()
        request = catch_request(sample_event(EVENT_TYPE), SECRET, scheme)
        response = run(request, fresh_settings(HRFLOW_SIGNATURE_SCHEME=pinned), recorder.workflow)
        assert answer(response) == ((200, "ok") if scheme == pinned else (401, "rejected"))
        assert len(recorder.events) == (scheme == pinned)


def test_several_schemes_can_be_pinned_and_an_unknown_one_is_a_configuration_error():
    request = catch_request(sample_event(EVENT_TYPE), SECRET, "raw-body")
    settings = fresh_settings(HRFLOW_SIGNATURE_SCHEME="form-json, raw-body")
    assert answer(run(request, settings, Recorder().workflow)) == (200, "ok")
    response = run(request, fresh_settings(HRFLOW_SIGNATURE_SCHEME="hmac-md5"), Recorder().workflow)
    assert answer(response) == (500, "failed")
    assert "HRFLOW_SIGNATURE_SCHEME" in contract(response)["reason"]
