"""The fault matrix: each failure of HrFlow's API or Mandrill, through the real
SDKs over real HTTP, ends in a clear answer, within the budget, never sending twice.
"""
from __future__ import annotations

import json
import time

import pytest

from conftest import PROFILE_KEY, SOURCE_KEY, deliver
from localcatch.fakes import Drop, FakeMandrill, Hang, Reply, unused_port

PROFILE_GET = "/v1/profile/indexing"
SEND = FakeMandrill.SEND
HTML_PAGE = Reply(503, "<html><body>Service Unavailable</body></html>", {"Content-Type": "text/html"})
HTML_404 = Reply(404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"})
HRFLOW_JSON_500 = Reply(500, {"code": 500, "message": "Internal server error"})
MANDRILL_JSON_500 = Reply(500, {"status": "error", "code": -1, "name": "GeneralError", "message": "Oops"})
BAD_JSON = Reply(200, b"{not json", {"Content-Type": "application/json"})
NO_CONTENT_TYPE_502 = Reply(502, b"Bad Gateway")
TOO_MANY_EMPTY = Reply(429, b"")
TOO_MANY_RETRY_AFTER = Reply(429, b"", {"Retry-After": "1"})
NOT_FOUND = Reply(400, {"code": 400, "message": "Unable to find object: profile", "data": []})

# Budget: calls time out after 0.5 s, an execution after 3 s.
FAST = {"HTTP_TIMEOUT_SECONDS": "0.5", "EXECUTION_BUDGET_SECONDS": "3"}
BUDGET_SECONDS = 3.0

# (name, script on the faulty path, expected status, code, attempts at that path, emails sent).
# Attempts are a (min, max) range where jittered backoff decides how many fit the budget.
HRFLOW_FAULTS = [
    ("hrflow 500 json, then ok", [HRFLOW_JSON_500], "ok", 200, 2, 1),
    ("hrflow 500 json, always", [HRFLOW_JSON_500] * 4, "failed", 503, (2, 4), 0),
    ("hrflow 502 without content type, then ok", [NO_CONTENT_TYPE_502], "ok", 200, 2, 1),
    ("hrflow 429 with retry-after, then ok", [TOO_MANY_RETRY_AFTER], "ok", 200, 2, 1),
    ("hrflow 429 empty body, then ok", [TOO_MANY_EMPTY, TOO_MANY_EMPTY], "ok", 200, 3, 1),
    ("hrflow malformed json", [BAD_JSON], "failed", 502, 1, 0),
    ("hrflow html 503 page, then ok", [HTML_PAGE], "ok", 200, 2, 1),
    ("hrflow html 404 page", [HTML_404], "failed", 502, 1, 0),
    ("hrflow unable to find object", [NOT_FOUND], "skipped", 200, 1, 0),
    ("hrflow never answers", [Hang(10)] * 6, "failed", 503, (2, 4), 0),
    ("hrflow drops the connection, then ok", [Drop()], "ok", 200, 2, 1),
]
MANDRILL_FAULTS = [
    ("mandrill 500 json error, then ok", [MANDRILL_JSON_500], "ok", 200, 2, 1),
    (
        "mandrill 500 invalid key",
        [Reply(500, {"status": "error", "name": "Invalid_Key", "message": "Invalid API key"})],
        "failed",
        500,
        1,
        0,
    ),
    ("mandrill 502 without content type, then ok", [NO_CONTENT_TYPE_502], "ok", 200, 2, 1),
    ("mandrill 429 with retry-after, then ok", [TOO_MANY_RETRY_AFTER], "ok", 200, 2, 1),
    ("mandrill 429 empty body, then ok", [TOO_MANY_EMPTY], "ok", 200, 2, 1),
    ("mandrill malformed json", [BAD_JSON], "failed", 502, 1, 0),
    ("mandrill html 503 page, then ok", [HTML_PAGE], "ok", 200, 2, 1),
    ("mandrill never answers", [Hang(10)], "failed", 502, 1, 0),
    ("mandrill drops the connection", [Drop()], "failed", 502, 1, 0),
    ("mandrill 500 json, always", [MANDRILL_JSON_500] * 4, "failed", 503, (2, 4), 0),
]


def _assert_attempts(calls, expected):
    low, high = expected if isinstance(expected, tuple) else (expected, expected)
    assert low <= len(calls) <= high, calls


def _notify(settings):
    """Deliver a profile.storing.success event, which its workflow notifies the team of: the status code, the
    body and how long it took."""
    started = time.monotonic()
    status_code, body = deliver("profile.storing.success", settings)
    return status_code, body, time.monotonic() - started


def _fault(server, path, case):
    """One case of the matrix; those that wait, on the backoff between attempts or on a call timeout, are slow."""
    name, script, _, _, attempts, _ = case
    waits = attempts != 1 or any(isinstance(reply, Hang) for reply in script)
    return pytest.param(server, path, *case, id=name, marks=[pytest.mark.slow] if waits else [])


FAULTS = [_fault("hrflow", PROFILE_GET, case) for case in HRFLOW_FAULTS] + [
    _fault("mandrill", SEND, case) for case in MANDRILL_FAULTS
]


@pytest.mark.parametrize("server, path, name, script, status, code, attempts, sent", FAULTS)
def test_fault_ends_in_a_clear_answer_within_budget_without_sending_twice(
    settings, fake_hrflow, fake_mandrill, server, path, name, script, status, code, attempts, sent
):
    settings.update(FAST)
    fake = fake_hrflow if server == "hrflow" else fake_mandrill
    fake.script(path, script)
    status_code, body, elapsed = _notify(settings)
    assert (body["status"], status_code) == (status, code), body
    _assert_attempts([r for r in fake.requests if r["path"] == path], attempts)
    assert len(fake_mandrill.sent) == sent
    assert elapsed < BUDGET_SECONDS + 0.5
    assert body["reason"]


@pytest.mark.slow
def test_unknown_send_outcome_says_it_was_not_resent(settings, fake_mandrill):
    settings.update(FAST)
    fake_mandrill.script(SEND, [Hang(10)])
    _, body, _ = _notify(settings)
    assert "not sent again" in body["reason"]


@pytest.mark.slow
def test_retry_after_is_honoured(settings, fake_hrflow):
    settings.update(FAST)
    fake_hrflow.script(PROFILE_GET, [TOO_MANY_RETRY_AFTER])
    _, body, elapsed = _notify(settings)
    assert body["status"] == "ok"
    assert elapsed >= 1.0


@pytest.mark.slow
@pytest.mark.parametrize("server", ["HRFLOW_API_URL", "MANDRILL_API_URL"])
def test_connection_refused_is_retried_then_fails_with_503(settings, fake_mandrill, server):
    settings.update(FAST)
    settings[server] = "http://127.0.0.1:{}/v1/".format(unused_port())
    status_code, body, elapsed = _notify(settings)
    assert (body["status"], status_code) == ("failed", 503)
    assert "could not be reached" in body["reason"]
    assert body["calls"] >= 2 + (server == "MANDRILL_API_URL")
    assert fake_mandrill.sent == []
    assert elapsed < BUDGET_SECONDS + 0.5


@pytest.mark.slow
def test_a_server_that_never_answers_is_cut_by_the_call_timeout(settings, fake_hrflow):
    settings.update({"HTTP_TIMEOUT_SECONDS": "0.3", "EXECUTION_BUDGET_SECONDS": "1"})
    fake_hrflow.script(PROFILE_GET, [Hang(30)] * 5)
    status_code, body, elapsed = _notify(settings)
    assert status_code == 503
    assert "did not answer in time" in body["reason"]
    assert elapsed < 1.5


def test_hrflow_bad_api_key_fails_with_500(settings, fake_mandrill):
    settings["HRFLOW_API_SECRET"] = "wrong-secret-value"
    status_code, body, _ = _notify(settings)
    assert (body["status"], status_code) == ("failed", 500)
    assert "refused the API credentials" in body["reason"]
    assert fake_mandrill.sent == []


@pytest.mark.parametrize(
    "recipient_status, status, code",
    [
        (("rejected", "hard-bounce"), "failed", 500),
        (("invalid", None), "failed", 500),
        (("queued", None), "ok", 200),
        (("scheduled", None), "ok", 200),
    ],
)
def test_mandrill_recipient_status_decides_the_outcome(settings, fake_mandrill, recipient_status, status, code):
    fake_mandrill.recipient_status[settings["NOTIFY_EMAIL"]] = recipient_status
    status_code, body, _ = _notify(settings)
    assert (body["status"], status_code) == (status, code), body
    if status == "failed":
        assert recipient_status[0] in body["reason"]
        assert settings["NOTIFY_EMAIL"] not in json.dumps(body)


@pytest.mark.slow
def test_a_send_of_unknown_outcome_is_not_repeated_by_a_redelivery_either(settings, fake_mandrill):
    settings.update(FAST)
    fake_mandrill.script(SEND, [Hang(10)])
    first, body, _ = _notify(settings)
    assert (first, body["status"]) == (502, "failed")
    second, body, _ = _notify(settings)
    assert (second, body["reason"]) == (200, "duplicate")
    assert len([r for r in fake_mandrill.requests if r["path"] == SEND]) == 1


def test_a_gateway_timeout_from_mandrill_is_an_unknown_outcome_not_a_retry(settings, fake_mandrill):
    settings.update(FAST)
    fake_mandrill.script(SEND, [Reply(504, "<html>Gateway Timeout</html>", {"Content-Type": "text/html"})])
    status_code, body, _ = _notify(settings)
    assert (status_code, body["status"]) == (502, "failed")
    assert "HTTP 504" in body["reason"] and "not sent again" in body["reason"]
    assert len([r for r in fake_mandrill.requests if r["path"] == SEND]) == 1


@pytest.mark.slow
def test_a_send_is_not_started_without_its_whole_timeout_left(settings, fake_hrflow, fake_mandrill):
    settings.update({"HTTP_TIMEOUT_SECONDS": "2", "EXECUTION_BUDGET_SECONDS": "3.5"})  # room for a 1 s read
    fake_hrflow.script(
        PROFILE_GET,
        [
            Reply(
                200, {"code": 200, "message": "ok", "data": fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)]}, delay=1.7
            )
        ],
    )
    status_code, body, _ = _notify(settings)
    assert (status_code, body["status"]) == (503, "failed")
    assert "budget ran out" in body["reason"]
    assert fake_mandrill.request_count == 0


@pytest.mark.parametrize("server", ["hrflow", "mandrill"])
@pytest.mark.parametrize("body", [b"", b"<html>Moved</html>"], ids=["empty", "html"])
def test_redirects_are_not_followed_so_keys_stay_with_the_configured_host(
    settings, fake_hrflow, fake_mandrill, server, body
):
    with FakeMandrill(api_key=settings["MANDRILL_API_TOKEN"]) as elsewhere:
        path = PROFILE_GET if server == "hrflow" else SEND
        target = elsewhere.url + ("/v1/profile/indexing" if server == "hrflow" else "/messages/send.json")
        (fake_hrflow if server == "hrflow" else fake_mandrill).script(path, [Reply(307, body, {"Location": target})])
        status_code, reply, _ = _notify(settings)
        assert (status_code, reply["status"]) == (500, "failed")
        assert ("HRFLOW_API_URL" if server == "hrflow" else "MANDRILL_API_URL") in reply["reason"]
        assert elsewhere.request_count == 0


@pytest.mark.parametrize(
    "reply",
    [
        Reply(301, b"", {"Location": "https://elsewhere.example/"}),
        Reply(302, "<html>Found</html>", {"Content-Type": "text/html", "Location": "https://elsewhere.example/"}),
        Reply(400, b""),
        Reply(401, b""),
        Reply(404, "<html>Not Found</html>", {"Content-Type": "text/html"}),
        Reply(403, b"{not json", {"Content-Type": "application/json"}),
    ],
    ids=["301 empty", "302 html", "400 empty", "401 empty", "404 html", "403 unreadable json"],
)
def test_a_mandrill_reply_that_sent_nothing_fails_for_good_and_a_redelivery_sends(settings, fake_mandrill, reply):
    fake_mandrill.script(SEND, [reply])
    first, body, _ = _notify(settings)
    assert (first, body["status"]) == (500, "failed")
    assert "nothing was sent" in body["reason"] and "MANDRILL_API_URL" in body["reason"]
    assert fake_mandrill.sent == []
    second, body, _ = _notify(settings)
    assert (second, body["status"]) == (200, "ok")
    assert len(fake_mandrill.sent) == 1


@pytest.mark.slow
def test_a_retry_after_in_other_digits_is_ignored_not_a_crash(settings, fake_mandrill):
    settings.update(FAST)
    fake_mandrill.script(SEND, [Reply(429, b"", {"Retry-After": "\u00b2"})])
    status_code, body, _ = _notify(settings)
    assert (status_code, body["status"]) == (200, "ok")


