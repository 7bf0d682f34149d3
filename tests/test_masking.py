"""`shared.pipeline.masking`: what an answer and the log line may show, every text made one visible line,
redacted of the workflow's secrets and of personal data, then capped."""
from __future__ import annotations

import pytest

from conftest import API_SECRET, deliver
from localcatch.fakes import Reply
from localcatch.samples import catch_request, sample_event
from recorder import EVENT_TYPE, SECRET, Recorder, answer, fresh_settings
from shared.pipeline.run import run
from shared.wire.headers import SIGNATURE_HEADER

PROFILE_GET = "/v1/profile/indexing"


def test_body_of_a_rejection_echoes_neither_the_secret_nor_the_signature():
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    request["http_hrflow_signature"] = SECRET  # a header that is the secret itself
    response = run(request, fresh_settings(), Recorder().workflow)
    assert answer(response) == (400, "rejected")
    assert SECRET not in response["body"] and request[SIGNATURE_HEADER] not in response["body"]


# What HrFlow answers goes into a reason redacted, then cut.


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


def test_personal_data_in_a_downstream_reason_is_masked_before_encoding(settings, fake_hrflow):
    message = "Bad profile for Jos\u00e9.Mart\u00edn@example.com\ncall +33612345678"
    fake_hrflow.script(PROFILE_GET, [Reply(400, {"code": 400, "message": message})])
    status_code, body = deliver("profile.storing.success", settings)
    assert status_code == 502
    assert "Mart" not in body["reason"] and "12345678" not in body["reason"]
    assert "J***@example.com" in body["reason"] and "***78" in body["reason"]


@pytest.mark.parametrize("echoed", [API_SECRET, "+33 6 12 34 56 78", "ada.lovelace@example.com"])
def test_a_key_or_personal_data_where_a_long_downstream_message_is_cut_is_masked_first(settings, fake_hrflow, echoed):
    cut = 200  # HrFlow's message is cut to this many characters
    message = "x" * (cut - 10) + " " + echoed + " " + "y" * 100  # cut after the first 9 of `echoed`
    fake_hrflow.script(PROFILE_GET, [Reply(400, {"code": 400, "message": message})])
    status_code, body = deliver("profile.storing.success", settings)
    assert status_code == 502
    assert "xxx " in body["reason"] and echoed[:6] not in body["reason"]
