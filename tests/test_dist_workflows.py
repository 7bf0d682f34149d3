"""Every `dist/` file, as users paste it: loaded alone in a fresh interpreter where
`shared/` cannot be imported, driving the real SDKs against the local fake servers."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from conftest import AGENT_KEY, API_SECRET, API_USER, BOARD_KEY, JOB_KEY, PROFILE_KEY, ROOT, SOURCE_KEY, signed_request
from dist_process import DistWorkflow, vermin_violations_for_python_39
from localcatch.fakes import hrflow_key
from shared.wire.catalogue import CATALOGUE

DIST = ROOT / "dist"
CANDIDATE = "ada.lovelace@example.com"


def _action(event_type):
    spec = CATALOGUE[event_type]
    if event_type == "profile.parsing.success":
        return "acknowledge"
    if spec.status == "error":
        return "alert"
    return "shortlist" if event_type.endswith("scoring.success") else "notify"


def _request(event_type, scheme="signed-request", **event):
    """A sample event of `event_type` signed as the Python SDK signs (unless `scheme` says otherwise), saying its
    type in its message; `event` as `signed_request` takes it (key, secret)."""
    return signed_request(event_type, scheme=scheme, message="{} from the test".format(event_type), **event)


def _new(fake, before):
    return fake.requests[before:]


def _assert_reads(reads, event_type):
    """The HrFlow GETs the action needs, with the right query and credentials."""
    action, subject = _action(event_type), event_type.split(".")[0]
    expected = {"acknowledge": 1, "notify": 1, "shortlist": 2, "alert": 0}[action]
    assert len(reads) == expected
    for read in reads:
        assert read["method"] == "GET"
        assert (read["headers"].get("X-API-KEY"), read["headers"].get("X-USER-EMAIL")) == (API_SECRET, API_USER)
    if not reads:
        return
    if subject == "profile":
        assert reads[0]["path"] == "/v1/profile/indexing"
        assert (reads[0]["query"]["source_key"], reads[0]["query"]["key"]) == (SOURCE_KEY, PROFILE_KEY)
    else:
        assert reads[0]["path"] == "/v1/job/indexing"
        assert (reads[0]["query"]["board_key"], reads[0]["query"]["key"]) == (BOARD_KEY, JOB_KEY)
    if action == "shortlist":
        query = reads[1]["query"]
        if subject == "profile":
            assert reads[1]["path"] == "/v1/jobs/scoring"
            assert json.loads(query["board_keys"]) == [BOARD_KEY]
            assert (query["profile_key"], query["source_key"]) == (PROFILE_KEY, SOURCE_KEY)
        else:
            assert reads[1]["path"] == "/v1/profiles/scoring"
            assert json.loads(query["source_keys"]) == [SOURCE_KEY]
            assert (query["job_key"], query["board_key"]) == (JOB_KEY, BOARD_KEY)
        assert (query["agent_key"], query["limit"], query["sort_by"]) == (AGENT_KEY, "5", "scoring")


def _assert_email(sent, event_type, settings):
    """One message, to the right people, from the right sender, about the right object."""
    assert len(sent) == 1
    message = sent[0]["message"]
    action, subject = _action(event_type), event_type.split(".")[0]
    to = {
        "acknowledge": CANDIDATE,
        "notify": settings["NOTIFY_EMAIL"],
        "shortlist": settings["NOTIFY_EMAIL"],
        "alert": settings["ALERT_EMAIL"],
    }[action]
    assert [r["email"] for r in message["to"]] == [to]
    assert message["from_email"] == API_USER
    text = message["text"]
    if action == "acknowledge":
        assert message["subject"] == "Thank you for your application"
        assert "Hello Ada," in text and "<p>" in message["html"]
    elif action == "alert":
        assert event_type in message["subject"]
        assert "{} from the test".format(event_type) in text and "What to do:" in text
    elif action == "shortlist":
        assert ("Data Engineer: 91%" in text) if subject == "profile" else ("Ada Lovelace: 77%" in text)
    else:
        assert event_type in message["subject"]
        assert ("Ada Lovelace" in text and CANDIDATE in text) if subject == "profile" else ("Data Engineer" in text)


def _other_type(event_type):
    subject = event_type.split(".")[0]
    return next(t for t in CATALOGUE if t.startswith(subject) and t != event_type)


@pytest.fixture(scope="module")
def dist_files():
    files = sorted(DIST.glob("*.py"))
    assert {event.replace(".", "_") + ".py" for event in CATALOGUE} <= {file.name for file in files}, (
        "run `python build.py`"
    )
    return files


@pytest.mark.slow
@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_dist_workflow_end_to_end(event_type, dist_files, settings, fake_hrflow, fake_mandrill, tmp_path):
    dist_file = DIST / (event_type.replace(".", "_") + ".py")
    assert dist_file in dist_files
    run = DistWorkflow(dist_file, tmp_path)
    try:
        # A signed request: exactly the expected calls, then 200 ok.
        response = run.call(_request(event_type), dict(settings))
        body = json.loads(response["body"])
        assert (response["status_code"], body["status"]) == (200, "ok"), body
        _assert_reads(fake_hrflow.requests, event_type)
        _assert_email(fake_mandrill.sent, event_type, settings)
        unbuilt = importlib.import_module("workflows." + dist_file.stem).workflow(_request(event_type), dict(settings))
        assert unbuilt == response

        calls = (fake_hrflow.request_count, fake_mandrill.request_count)
        # A forged request, another event type, a missing setting: no HTTP call at all.
        forged = run.call(_request(event_type, secret="forged-secret"), dict(settings))
        assert (forged["status_code"], json.loads(forged["body"])["status"]) == (401, "rejected")
        other = run.call(_request(_other_type(event_type)), dict(settings))
        assert (other["status_code"], json.loads(other["body"])["status"]) == (200, "skipped")
        incomplete = {k: v for k, v in settings.items() if k != "MANDRILL_API_TOKEN"}
        missing = run.call(_request(event_type), incomplete)
        assert (missing["status_code"], json.loads(missing["body"])["status"]) == (500, "failed")
        assert "MANDRILL_API_TOKEN" in json.loads(missing["body"])["reason"]
        assert (fake_hrflow.request_count, fake_mandrill.request_count) == calls

        # Error replies: unknown object (404-like), revoked HrFlow key, rejected recipient.
        if _action(event_type) != "alert":
            unknown = json.loads(run.call(_request(event_type, key=hrflow_key("gone")), dict(settings))["body"])
            assert unknown["status"] == "skipped" and "Unable to find object" in unknown["reason"]
            revoked = run.call(_request(event_type), dict(settings, HRFLOW_API_SECRET="revoked"))
            assert revoked["status_code"] == 500 and "credentials" in json.loads(revoked["body"])["reason"]
        for address in (CANDIDATE, settings["NOTIFY_EMAIL"], settings["ALERT_EMAIL"]):
            fake_mandrill.recipient_status[address] = ("rejected", "hard-bounce")
        rejected = run.call(_request(event_type, scheme="form-json"), dict(settings))
        assert rejected["status_code"] == 500 and "hard-bounce" in json.loads(rejected["body"])["reason"]
        assert len(fake_mandrill.sent) == 3  # the first send, the unbuilt one, the rejected one
    finally:
        run.close()


def test_dist_files_parse_as_python_39(dist_files):
    import ast

    for dist_file in dist_files:
        ast.parse(dist_file.read_text(encoding="utf-8"), filename=str(dist_file), feature_version=(3, 9))


@pytest.mark.slow
def test_dist_files_pass_vermin_for_python_39(dist_files):
    assert vermin_violations_for_python_39(dist_files) == ""


LEAN_CHILD = r"""
import json, sys
import hmac, hashlib, binascii  # what a signature check needs
import __future__  # what the one `from __future__ import annotations` of a dist file loads (0.2 ms)
sys.path.insert(0, LOCALCATCH)
from loading import load
before = set(sys.modules)
for path, request in json.loads(sys.stdin.read()):
    code = load(path)["workflow"](request, {"HRFLOW_WEBHOOK_SECRET": "whsec-real-4c1e9b"})["status_code"]
    assert code == 401, (path, code)
print("ADDED " + json.dumps(sorted(set(sys.modules) - before)))
""".replace("LOCALCATCH", repr(str(ROOT / "localcatch")))


@pytest.mark.slow
def test_loading_a_dist_file_and_rejecting_a_forgery_imports_nothing_verification_does_not_need(dist_files):
    """In a bare interpreter (-S: no site-packages .pth file preloading typing), once the modules a
    signature check needs are there, loading every workflow and rejecting one forgery each adds no module."""
    cases = [
        (
            str(path),
            _request(
                next(iter(CATALOGUE))
                if path.stem not in {t.replace(".", "_") for t in CATALOGUE}
                else path.stem.replace("_", "."),
                secret="forged-secret",
            ),
        )
        for path in dist_files
        if path.stem != "catch_probe"
    ]
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LEAN_CHILD],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("code=401") == len(cases)
    assert done.stdout.splitlines()[-1] == "ADDED []"
