"""The fakes of localcatch/fakes/, exercised through the REAL hrflow and
mailchimp_transactional SDKs over real HTTP on 127.0.0.1."""
from __future__ import annotations

import threading
import time

import mailchimp_transactional as mailchimp
import pytest
import requests
from hrflow import Hrflow
from hrflow.schemas import HrFlowJob, HrFlowProfile
from hrflow.utils.scoring import is_valid_for_scoring
from mailchimp_transactional.api_client import ApiClientError

from localcatch.fakes import (
    Drop,
    FakeHrflow,
    FakeMandrill,
    Hang,
    Reply,
    hrflow_key,
    sample_job,
    sample_profile,
    unused_port,
)

SECRET, USER = "askw_test_secret", "robot@example.com"
SOURCE, BOARD, AGENT = hrflow_key("source"), hrflow_key("board"), hrflow_key("agent")
PROFILE_KEY, JOB_KEY = hrflow_key("profile"), hrflow_key("job")
MD_KEY = "md-test-key"


@pytest.fixture
def hrflow_fake():
    with FakeHrflow(api_secret=SECRET, api_user=USER) as fake:
        yield fake


@pytest.fixture
def client(hrflow_fake):
    return Hrflow(api_url=hrflow_fake.url, api_secret=SECRET, api_user=USER)


@pytest.fixture
def mandrill_fake():
    with FakeMandrill(api_key=MD_KEY) as fake:
        yield fake


@pytest.fixture
def mandrill(mandrill_fake):
    client = mailchimp.Client(MD_KEY)
    client.api_client.host = mandrill_fake.url
    return client


def message(*emails):
    return {
        "message": {
            "from_email": "noreply@example.com",
            "subject": "Hi",
            "text": "Hello",
            "to": [{"email": e, "type": "to"} for e in emails],
        }
    }


# ----------------------------------------------------------------- sample data
def test_sample_objects_validate_against_hrflow_sdk_schemas():
    profile = sample_profile(PROFILE_KEY, SOURCE, first_name="Grace", last_name="Hopper")
    job = sample_job(JOB_KEY, BOARD, name="Backend Engineer")
    assert HrFlowProfile.model_validate(profile).info.full_name == "Grace Hopper"
    assert is_valid_for_scoring(profile)
    assert HrFlowJob.model_validate(job).name == "Backend Engineer"
    assert job["board"]["key"] == BOARD and profile["source"]["key"] == SOURCE


def test_sample_helpers_accept_top_level_overrides():
    assert sample_profile(PROFILE_KEY, SOURCE, reference="ref-1", tags=[])["tags"] == []
    assert sample_job(JOB_KEY, BOARD, url=None)["url"] is None


# ----------------------------------------------------------------- HrFlow
def test_profile_get_returns_stored_profile(hrflow_fake, client):
    profile = hrflow_fake.add_profile(sample_profile(PROFILE_KEY, SOURCE))
    response = client.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)
    assert response["code"] == 200
    assert response["data"] == profile


def test_profile_get_by_reference(hrflow_fake, client):
    hrflow_fake.add_profile(sample_profile(PROFILE_KEY, SOURCE, reference="crm-42"))
    response = client.profile.storing.get(source_key=SOURCE, reference="crm-42")
    assert response["data"]["key"] == PROFILE_KEY


def test_unknown_profile_is_400_unable_to_find_object(hrflow_fake, client):
    hrflow_fake.add_profile(sample_profile(PROFILE_KEY, SOURCE))
    response = client.profile.storing.get(source_key=hrflow_key("other"), key=PROFILE_KEY)
    assert response["code"] == 400
    assert "Unable to find object" in response["message"]


def test_job_get_and_unknown_job(hrflow_fake, client):
    job = hrflow_fake.add_job(sample_job(JOB_KEY, BOARD))
    assert client.job.storing.get(board_key=BOARD, key=JOB_KEY)["data"] == job
    missing = client.job.storing.get(board_key=BOARD, key=hrflow_key("nope"))
    assert missing == {"code": 400, "message": "Unable to find object: job", "data": []}


def test_wrong_secret_is_401_without_echoing_it(hrflow_fake):
    hrflow_fake.add_profile(sample_profile(PROFILE_KEY, SOURCE))
    bad = Hrflow(api_url=hrflow_fake.url, api_secret="askw_wrong", api_user=USER)
    response = bad.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)
    assert response["code"] == 401 and "Unauthorized" in response["message"]
    assert "askw_wrong" not in response["message"]
    wrong_user = Hrflow(api_url=hrflow_fake.url, api_secret=SECRET, api_user="x@example.com")
    assert wrong_user.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)["code"] == 401


def test_requests_are_recorded_with_query_and_original_header_case(hrflow_fake, client):
    client.job.storing.get(board_key=BOARD, key=JOB_KEY)
    (record,) = hrflow_fake.requests
    assert hrflow_fake.request_count == 1
    assert record["method"] == "GET" and record["path"] == "/v1/job/indexing"
    assert record["query"] == {"board_key": BOARD, "key": JOB_KEY}
    assert record["headers"]["X-API-KEY"] == SECRET
    assert record["headers"]["X-USER-EMAIL"] == USER
    assert record["body"] is None


def test_job_scoring_returns_jobs_with_parallel_predictions(hrflow_fake, client):
    good, ok = sample_job(JOB_KEY, BOARD), sample_job(hrflow_key("job2"), BOARD, name="Analyst")
    other_board = sample_job(hrflow_key("job3"), hrflow_key("board2"))
    hrflow_fake.set_job_scoring([(good, 0.9), (ok, 0.25), (other_board, 0.99)])
    response = client.job.scoring.list(
        board_keys=[BOARD], source_key=SOURCE, profile_key=PROFILE_KEY, agent_key=AGENT, limit=5
    )
    assert response["code"] == 200
    assert [j["key"] for j in response["data"]["jobs"]] == [JOB_KEY, hrflow_key("job2")]
    predictions = response["data"]["predictions"]
    assert [p[1] for p in predictions] == [0.9, 0.25]
    assert [p[0] for p in predictions] == pytest.approx([0.1, 0.75])
    assert response["meta"] == {"page": 1, "maxPage": 1, "count": 2, "total": 2}
    query = hrflow_fake.requests[-1]["query"]
    assert query["board_keys"] == f'["{BOARD}"]'
    assert (query["profile_key"], query["agent_key"], query["limit"]) == (PROFILE_KEY, AGENT, "5")


def test_job_scoring_is_per_profile_sorted_and_paginated(hrflow_fake, client):
    jobs = [sample_job(hrflow_key(i), BOARD) for i in range(3)]
    hrflow_fake.set_job_scoring([(jobs[0], 0.2), (jobs[1], 0.8), (jobs[2], 0.5)], PROFILE_KEY)
    page2 = client.job.scoring.list(
        board_keys=[BOARD],
        source_key=SOURCE,
        profile_key=PROFILE_KEY,
        agent_key=AGENT,
        limit=2,
        page=2,
        sort_by="scoring",
    )
    assert [j["key"] for j in page2["data"]["jobs"]] == [jobs[0]["key"]]
    assert page2["meta"] == {"page": 2, "maxPage": 2, "count": 1, "total": 3}
    other = client.job.scoring.list(
        board_keys=[BOARD], source_key=SOURCE, profile_key=hrflow_key("someone else"), agent_key=AGENT
    )
    assert other["data"] == {"jobs": [], "predictions": []}


def test_profile_scoring_returns_profiles_with_predictions(hrflow_fake, client):
    ada = sample_profile(PROFILE_KEY, SOURCE)
    bob = sample_profile(hrflow_key("bob"), SOURCE, first_name="Bob", email="bob@example.com")
    hrflow_fake.set_profile_scoring([(ada, 0.7), (bob, 0.4)], job_key=JOB_KEY)
    response = client.profile.scoring.list(
        source_keys=[SOURCE], board_key=BOARD, job_key=JOB_KEY, agent_key=AGENT, limit=5
    )
    assert [p["info"]["first_name"] for p in response["data"]["profiles"]] == ["Ada", "Bob"]
    assert [pred[1] for pred in response["data"]["predictions"]] == [0.7, 0.4]
    assert hrflow_fake.requests[-1]["query"]["source_keys"] == f'["{SOURCE}"]'


def test_scripted_faults_are_served_in_order_then_normal_behaviour_resumes(hrflow_fake, client):
    hrflow_fake.add_profile(sample_profile(PROFILE_KEY, SOURCE))
    hrflow_fake.script(
        "/v1/profile/indexing",
        [
            Reply(500, {"code": 500, "message": "Internal error"}),
            Reply(503, "<html><body>Service Unavailable</body></html>", {"Content-Type": "text/html"}),
        ],
    )
    get = lambda: client.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)  # noqa: E731
    assert get() == {"code": 500, "message": "Internal error"}
    assert get() == {"code": 503, "message": "A generic error occurred on the server"}
    assert get()["code"] == 200
    assert hrflow_fake.request_count == 3


def test_hrflow_sdk_raises_key_error_when_reply_has_no_content_type(hrflow_fake, client):
    hrflow_fake.script("/v1/profile/indexing", Reply(502, b"Bad Gateway"))
    with pytest.raises(KeyError):
        client.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)


def test_hrflow_sdk_raises_on_malformed_json_and_empty_json_body(hrflow_fake, client):
    hrflow_fake.script(
        "/v1/profile/indexing",
        [
            Reply(200, b'{"code": 200, "data": {', {"Content-Type": "application/json"}),
            Reply(429, b"", {"Content-Type": "application/json", "Retry-After": "3"}),
        ],
    )
    for _ in range(2):
        with pytest.raises(requests.exceptions.JSONDecodeError):
            client.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)


def test_hrflow_sdk_treats_json_with_charset_as_generic_error(hrflow_fake, client):
    hrflow_fake.script(
        "/v1/profile/indexing",
        Reply(200, {"code": 200, "data": {}}, {"Content-Type": "application/json; charset=utf-8"}),
    )
    response = client.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)
    assert response == {"code": 200, "message": "A generic error occurred on the server"}


def test_reply_without_content_type_has_only_server_date_and_length(hrflow_fake):
    hrflow_fake.script("/v1/x", Reply(502, b""))
    response = requests.get(hrflow_fake.url + "x", timeout=2)
    assert response.status_code == 502
    assert set(response.headers) == {"Server", "Date", "Content-Length"}


@pytest.mark.slow
def test_hang_with_hrflow_sdk_blocks_until_hang_ends_then_connection_error(hrflow_fake, client):
    hrflow_fake.script("/v1/profile/indexing", Hang(0.5))
    start = time.monotonic()
    with pytest.raises(requests.exceptions.ConnectionError):
        client.profile.storing.get(source_key=SOURCE, key=PROFILE_KEY)  # SDK sets no timeout
    assert 0.4 < time.monotonic() - start < 3


def test_drop_gives_connection_error_and_is_recorded(hrflow_fake, client):
    hrflow_fake.script("/v1/job/indexing", Drop())
    with pytest.raises(requests.exceptions.ConnectionError):
        client.job.storing.get(board_key=BOARD, key=JOB_KEY)
    assert hrflow_fake.requests[0]["path"] == "/v1/job/indexing"


# ----------------------------------------------------------------- Mandrill
def test_send_returns_one_sent_entry_per_recipient(mandrill_fake, mandrill):
    result = mandrill.messages.send(message("a@example.com", "b@example.com"))
    assert [r["email"] for r in result] == ["a@example.com", "b@example.com"]
    assert all(r["status"] == "sent" and r["reject_reason"] is None for r in result)
    assert len({r["_id"] for r in result}) == 2 and len(result[0]["_id"]) == 32
    (sent,) = mandrill_fake.sent
    assert sent["path"] == "/api/1.3/messages/send.json" and sent["template_name"] is None
    assert sent["message"]["subject"] == "Hi"
    assert mandrill_fake.requests[0]["body"]["key"] == MD_KEY


def test_configured_recipient_statuses(mandrill_fake, mandrill):
    mandrill_fake.recipient_status.update(
        {
            "bounce@example.com": ("rejected", "hard-bounce"),
            "bad@example.com": "invalid",
            "slow@example.com": ("queued", "attachments"),
            "later@example.com": "scheduled",
        }
    )
    result = mandrill.messages.send(
        message("Bounce@example.com", "bad@example.com", "slow@example.com", "later@example.com")
    )
    assert [(r["status"], r["reject_reason"], r["queued_reason"]) for r in result] == [
        ("rejected", "hard-bounce", None),
        ("invalid", None, None),
        ("queued", None, "attachments"),
        ("scheduled", None, None),
    ]


def test_send_template_records_template_name(mandrill_fake, mandrill):
    body = {**message("a@example.com"), "template_name": "welcome", "template_content": []}
    assert mandrill.messages.send_template(body)[0]["status"] == "sent"
    assert mandrill_fake.sent[0]["template_name"] == "welcome"
    assert mandrill_fake.sent[0]["path"].endswith("/messages/send-template.json")


def test_invalid_key_raises_api_client_error_500(mandrill_fake):
    bad = mailchimp.Client("wrong")
    bad.api_client.host = mandrill_fake.url
    with pytest.raises(ApiClientError) as info:
        bad.messages.send(message("a@example.com"))
    assert info.value.status_code == 500
    assert info.value.text == {"status": "error", "code": -1, "name": "Invalid_Key", "message": "Invalid API key"}
    assert mandrill_fake.sent == [] and mandrill_fake.request_count == 1


def test_mailchimp_returns_raw_response_for_empty_or_untyped_replies(mandrill_fake, mandrill):
    mandrill_fake.script(
        FakeMandrill.SEND,
        [
            Reply(429, b""),
            Reply(429, b"", {"Retry-After": "7"}),
            Reply(502, b"Bad Gateway"),
            Reply(500, b"{not json", {"Content-Type": "application/json"}),
        ],
    )
    responses = [mandrill.messages.send(message("a@example.com")) for _ in range(4)]
    assert all(isinstance(r, requests.Response) for r in responses)
    assert [r.status_code for r in responses] == [429, 429, 502, 500]
    assert responses[1].headers["Retry-After"] == "7"
    assert "Content-Type" not in responses[2].headers and responses[2].text == "Bad Gateway"


def test_mailchimp_returns_raw_response_when_no_recipients(mandrill):
    # Mandrill answers [] which the SDK finds falsy, so it hands back the Response.
    response = mandrill.messages.send(message())
    assert isinstance(response, requests.Response) and response.json() == []


def test_mailchimp_raises_with_html_text_for_html_error_page(mandrill_fake, mandrill):
    mandrill_fake.script(FakeMandrill.SEND, Reply(503, "<html>down</html>", {"Content-Type": "text/html"}))
    with pytest.raises(ApiClientError) as info:
        mandrill.messages.send(message("a@example.com"))
    assert (info.value.status_code, info.value.text) == (503, "<html>down</html>")


@pytest.mark.slow
def test_hang_times_out_quickly_with_client_timeout(mandrill_fake, mandrill):
    mandrill_fake.script(FakeMandrill.SEND, Hang(30))
    mandrill.api_client.set_timeout(0.3)
    start = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        mandrill.messages.send(message("a@example.com"))
    assert time.monotonic() - start < 2
    assert mandrill_fake.request_count == 1 and mandrill_fake.sent == []


def test_stop_returns_promptly_while_a_request_hangs():
    fake = FakeMandrill(api_key=MD_KEY).start()
    fake.script(FakeMandrill.SEND, Hang(60))
    errors = []

    def call():
        try:
            requests.post(fake.url + "/messages/send.json", json={}, timeout=30)
        except requests.exceptions.RequestException as exc:
            errors.append(exc)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    while fake.request_count == 0:
        time.sleep(0.01)
    start = time.monotonic()
    fake.stop()
    assert time.monotonic() - start < 1.0
    thread.join(2)
    assert not thread.is_alive()
    assert isinstance(errors[0], requests.exceptions.ConnectionError)


@pytest.mark.slow
def test_delayed_reply_still_answers(mandrill_fake, mandrill):
    mandrill_fake.script(FakeMandrill.SEND, Reply(200, [{"email": "a@example.com", "status": "sent"}], delay=0.2))
    start = time.monotonic()
    assert mandrill.messages.send(message("a@example.com"))[0]["status"] == "sent"
    assert time.monotonic() - start >= 0.2


# ----------------------------------------------------------------- lifecycle
def test_unused_port_refuses_connections():
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{unused_port()}/v1/", timeout=2)


def test_stopped_server_refuses_connections_and_urls_have_expected_form():
    fake = FakeHrflow().start()
    url = fake.url
    assert url.startswith("http://127.0.0.1:") and url.endswith("/v1/")
    with FakeMandrill() as md:
        assert md.url.endswith("/api/1.3")
    fake.stop()
    fake.stop()  # idempotent
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, timeout=2)
