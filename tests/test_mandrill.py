"""Sending through Mandrill: every send ends as not sent (retried, never remembered, so a redelivery
sends), sent, or may have happened (remembered, never sent twice); through the real SDK over real HTTP."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from conftest import deliver
from localcatch.fakes import Drop, FakeMandrill, Hang, Reply, unused_port
from shared.outbound import mandrill
from shared.pipeline.deliveries import RECORD_KEY

SEND = FakeMandrill.SEND
TLS = Path(__file__).parent / "tls"
UNTRUSTED = (str(TLS / "untrusted.pem"), str(TLS / "untrusted.key"))  # self-signed for 127.0.0.1
FAST = {"HTTP_TIMEOUT_SECONDS": "0.5", "EXECUTION_BUDGET_SECONDS": "3"}
NOTIFY = "profile.storing.success"


def _sends(fake: FakeMandrill) -> int:
    return len([request for request in fake.requests if request["path"] == SEND])


def _https_to_plain_http(fake: FakeMandrill) -> str:
    return fake.url.replace("http://", "https://")


def _untrusted_certificate(fake: FakeMandrill) -> str:
    untrusted = FakeMandrill(api_key=fake.api_key, tls=UNTRUSTED).start()
    _untrusted_certificate.servers.append(untrusted)  # type: ignore[attr-defined]
    return untrusted.url


_untrusted_certificate.servers = []  # type: ignore[attr-defined]


def _refused_connection(fake: FakeMandrill) -> str:
    return "http://127.0.0.1:{}/api/1.3".format(unused_port())


@pytest.fixture(autouse=True)
def _stop_untrusted_servers():
    yield
    while _untrusted_certificate.servers:  # type: ignore[attr-defined]
        _untrusted_certificate.servers.pop().stop()  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("wrong_url", [_https_to_plain_http, _untrusted_certificate, _refused_connection],
                         ids=["https to a plain-HTTP server", "a certificate that does not verify",
                              "a refused connection"])
def test_a_send_that_never_left_is_retried_not_remembered_and_a_redelivery_sends(settings, fake_mandrill, wrong_url):
    settings.update(FAST, MANDRILL_API_URL=wrong_url(fake_mandrill))
    code, body = deliver(NOTIFY, settings)
    assert (code, body["status"]) == (503, "failed"), body
    assert "could not be reached" in body["reason"] and "nothing was sent" in body["reason"]
    assert body["calls"] >= 3  # the read, then the send more than once
    assert RECORD_KEY not in settings
    settings["MANDRILL_API_URL"] = fake_mandrill.url
    code, body = deliver(NOTIFY, settings)
    assert (code, body["status"]) == (200, "ok")
    assert len(fake_mandrill.sent) == 1


@pytest.mark.parametrize("reply", [
    Hang(10),
    Reply(200, b'[{"email": "talent', {"Content-Length": "1000", "Content-Type": "application/json"}),
    Drop(),
], ids=["a read timeout", "a reply cut in the middle", "the connection closed without a reply"])
@pytest.mark.slow
def test_a_send_broken_off_after_it_was_written_may_have_happened_and_is_never_repeated(settings, fake_mandrill,
                                                                                          reply):
    settings.update(FAST)
    fake_mandrill.script(SEND, [reply])
    code, body = deliver(NOTIFY, settings)
    assert (code, body["status"]) == (502, "failed"), body
    assert "may have happened" in body["reason"]
    code, body = deliver(NOTIFY, settings)
    assert (code, body["reason"]) == (200, "duplicate")
    assert _sends(fake_mandrill) == 1


def _failure(url: str, **options) -> requests.RequestException:
    try:
        requests.post(url, data=b"{}", timeout=0.5, **options)
    except requests.RequestException as error:
        return error
    raise AssertionError("no failure")


@pytest.mark.slow
def test_requests_failures_are_told_apart_by_whether_the_request_was_written(fake_mandrill):
    before = [
        _failure("http://127.0.0.1:99999/api/1.3"),  # a port out of range
        _failure("http:///api/1.3"),
        _failure("ftp://127.0.0.1/api/1.3"),
        _failure(_refused_connection(fake_mandrill)),
        _failure(_https_to_plain_http(fake_mandrill)),
        _failure(_untrusted_certificate(fake_mandrill)),
        _failure(fake_mandrill.url, proxies={"http": _refused_connection(fake_mandrill)}),
    ]
    faults = {"/hang": Hang(10), "/drop": Drop(), "/cut": Reply(200, b"[", {"Content-Length": "1000"})}
    for path, fault in faults.items():
        fake_mandrill.script(FakeMandrill.base_path + path, [fault])
    after = [_failure(fake_mandrill.url + path) for path in faults]
    assert [mandrill._after_the_request_was_written(error) for error in before] == [False] * len(before), before
    assert [mandrill._after_the_request_was_written(error) for error in after] == [True] * len(after), after


@pytest.mark.parametrize("reply, shape", [
    (Reply(200, [{"email": "talent-team@acme.example"}]), "a list of 1 recipient, 1 without a readable status"),
    (Reply(200, [{"email": "talent-team@acme.example", "status": "delivered?"}]),
     "a list of 1 recipient, 1 without a readable status"),
    (Reply(200, [{"email": "talent-team@acme.example", "status": "sent"}, "junk"]),
     "a list of 2 recipients, 1 without a readable status"),
    (Reply(200, []), "an empty list"),
    (Reply(200, {"status": "sent"}), "a JSON object"),
    (Reply(200, "OK", {"Content-Type": "text/plain"}), "text that is not JSON (2 characters)"),
    (Reply(200, b""), "no readable body"),
    (Reply(200, b"{not json", {"Content-Type": "application/json"}), "no readable body"),
], ids=["no status", "an unknown status", "one good and one junk", "empty list", "object", "text", "empty body",
        "bad json"])
def test_a_2xx_without_a_readable_status_for_each_recipient_may_have_happened_and_is_never_repeated(
    settings, fake_mandrill, reply, shape
):
    fake_mandrill.script(SEND, [reply])
    code, body = deliver(NOTIFY, settings)
    assert (code, body["status"]) == (502, "failed"), body
    assert "Mandrill answered HTTP 200 with " + shape in body["reason"] and "may have happened" in body["reason"]
    assert "talent-team" not in body["reason"]
    code, body = deliver(NOTIFY, settings)
    assert (code, body["reason"]) == (200, "duplicate")
    assert _sends(fake_mandrill) == 1


@pytest.mark.parametrize("status, named", [(("rejected", "hard-bounce"), "rejected: hard-bounce"),
                                           ("invalid", "invalid: no reason given")])
def test_a_refused_recipient_is_final_and_named_with_its_reject_reason(settings, fake_mandrill, status, named):
    fake_mandrill.recipient_status[settings["NOTIFY_EMAIL"]] = status
    code, body = deliver(NOTIFY, settings)
    assert (code, body["status"]) == (500, "failed")
    assert "Mandrill did not accept any recipient: t***@acme.example ({})".format(named) == body["reason"]
    assert _sends(fake_mandrill) == 1


@pytest.mark.parametrize("status", ["queued", "scheduled"])
def test_a_queued_or_scheduled_recipient_counts_as_sent(settings, fake_mandrill, status):
    fake_mandrill.recipient_status[settings["NOTIFY_EMAIL"]] = status
    code, body = deliver(NOTIFY, settings)
    assert (code, body["status"]) == (200, "ok")
    assert body["actions"][-1] == "emailed t***@acme.example"
    assert RECORD_KEY in settings


def test_a_missing_sender_is_named_with_its_fallback_before_any_call(settings, fake_mandrill):
    del settings["HRFLOW_API_USER"]
    code, body = deliver("profile.parsing.error", settings)
    assert (code, body["reason"]) == (500, "Missing or empty setting: MAIL_FROM or HRFLOW_API_USER.")
    assert fake_mandrill.request_count == 0


def test_dry_run_builds_the_email_but_sends_nothing(settings, fake_mandrill):
    settings["DRY_RUN"] = "yes"
    code, body = deliver("profile.storing.update", settings)
    assert (code, body["status"]) == (200, "ok")
    assert any(action.startswith("dry run: would email t***@acme.example") for action in body["actions"])
    assert fake_mandrill.request_count == 0
