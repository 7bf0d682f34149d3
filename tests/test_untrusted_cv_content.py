"""Hostile CV content: every `dist/` file, alone in a fresh interpreter with the real SDKs, fed
profiles, jobs and scoring replies that hold markup, line breaks, NUL, ESC, bidi overrides,
URLs in names, megabyte fields and wrong JSON types. What Mandrill receives (recipients,
subject, text, HTML, merge vars) is held to the rules of `shared.untrusted`."""
from __future__ import annotations

import json
import unicodedata

import pytest

from conftest import BOARD_KEY, JOB_KEY, PROFILE_KEY, ROOT, SOURCE_KEY, signed_request
from dist_process import DistWorkflow
from localcatch.fakes import FakeMandrill, Reply, hrflow_key, sample_job, sample_profile
from shared.wire.catalogue import CATALOGUE

pytestmark = pytest.mark.slow

DIST = ROOT / "dist"
MEGABYTE = 1 << 20
PHISHING = "Ada. ACTION REQUIRED: confirm your identity at https://evil.example/login and pay the fee now. " * 55
INJECTED = "Eve\r\nBcc: victim@example.com\x00\x1b[31m\u202egnp.exe\u2066"
MARKUP = "<script>alert(1)</script><a href='https://evil.example'>click</a>"
CONTROLS = ("\r", "\x00", "\x1b", "\u202e", "\u2066")
MARKUP_TAGS = ("<script", "<a href")  # harmless as plain text; in the HTML part, only escaped


def _profile(**info):
    profile = sample_profile(PROFILE_KEY, SOURCE_KEY)
    profile["info"].update(info)
    return profile


def _job(**fields):
    return sample_job(JOB_KEY, BOARD_KEY, **fields)


PROFILES = {
    "injected names": _profile(first_name=INJECTED, last_name=MARKUP, full_name=INJECTED + MARKUP),
    "phishing first name": _profile(first_name=PHISHING, last_name="Lovelace", full_name=None),
    "url and digits in names": _profile(first_name="www.evil.example", last_name="Call 0612345678"),
    "megabyte fields": _profile(
        first_name="A" * MEGABYTE,
        last_name="\u202e" * MEGABYTE,
        full_name="x" * MEGABYTE,
        location={"text": "Paris\n" * (MEGABYTE // 6)},
    ),
    "wrong types": dict(
        _profile(),
        info={
            "first_name": ["Ada"],
            "last_name": {"x": 1},
            "email": "ada.lovelace@example.com",
            "location": "Paris",
            "full_name": 42,
        },
        experiences=5,
        skills={"Python": 1},
    ),
    "info not an object": dict(_profile(), info="Ada Lovelace", experiences=[None, "x", {"title": ["t"]}]),
    "unsendable address": _profile(email="a" * 30000 + "@x"),
    "address with a line break": _profile(email="ada@example.com\r\nBcc: victim@example.com"),
}
JOBS = {
    "injected fields": _job(name=INJECTED, summary=MARKUP + "\n\nline two", url="javascript:alert(1)//" + INJECTED),
    "megabyte fields": _job(name="J" * MEGABYTE, summary="\u2028".join(["s"] * (MEGABYTE // 2))),
    "wrong types": _job(name=["Data Engineer"], summary={"text": "x"}, url=7, location="Paris"),
}
SCORING = {
    "jobs": {
        "code": 200,
        "message": "ok",
        "data": {
            "jobs": ["not an object", None, 7, dict(_job(), name=INJECTED), {"key": ["odd"]}, [1, 2]],
            "predictions": "not a list",
        },
    },
    "profiles": {
        "code": 200,
        "message": "ok",
        "data": {
            "profiles": [None, dict(_profile(first_name=PHISHING)), "x", {"info": 3}],
            "predictions": [[0, float("inf")], "bad", [0.2, 0.8], [0, -5]],
        },
    },
}


def _is_candidate_facing(event_type):
    return event_type == "profile.parsing.success"


def _assert_safe_message(record, settings, event_type):
    """What Mandrill received holds no control, bidi or markup character, nothing uncapped, and,
    for the candidate, no text the candidate wrote beyond a plausible name."""
    message = record["message"]
    recipients = [to["email"] for to in message["to"]]
    if _is_candidate_facing(event_type):
        assert recipients == ["ada.lovelace@example.com"]
    else:
        assert recipients in ([settings["NOTIFY_EMAIL"]], [settings["ALERT_EMAIL"]])
    subject, text, html = message["subject"], message["text"], message.get("html", "")
    assert "\n" not in subject and len(subject) <= 200
    assert not any(tag in html for tag in MARKUP_TAGS), html[:300]
    for part in (subject, text, html):
        assert not any(bad in part for bad in CONTROLS), part[:300]
        assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in part if char != "\n")
    assert len(text) < 12000 and len(html) < 20000
    assert all(len(line) <= 1100 for line in text.split("\n"))
    merge_vars = {var["name"]: var["content"] for var in message.get("global_merge_vars", [])}
    if _is_candidate_facing(event_type):
        for candidate_text in [subject, text, html] + list(merge_vars.values()):
            for written_by_the_candidate in ("ACTION", "evil", "https://", "Bcc", "script", "0612345678", "AAAA"):
                assert written_by_the_candidate not in candidate_text
        assert text.startswith("Hello,\n") or text.startswith("Hello Ada,\n")


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_hostile_objects_reach_mandrill_only_as_safe_text(event_type, settings, fake_hrflow, fake_mandrill, tmp_path):
    run = DistWorkflow(DIST / (event_type.replace(".", "_") + ".py"), tmp_path)
    subject = CATALOGUE[event_type].subject.name
    cases = PROFILES if subject == "profile" else JOBS
    try:
        for name, obj in cases.items():
            if subject == "profile":
                fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)] = obj
            else:
                fake_hrflow.jobs[(BOARD_KEY, JOB_KEY)] = obj
            fake_hrflow.script("/v1/jobs/scoring", [Reply(200, SCORING["jobs"])])
            fake_hrflow.script("/v1/profiles/scoring", [Reply(200, SCORING["profiles"])])
            sent_before = len(fake_mandrill.sent)
            response = run.call(signed_request(event_type, message=INJECTED), dict(settings))
            body = json.loads(response["body"])
            assert "Unexpected" not in body["reason"], (name, body)
            assert body["status"] in ("ok", "skipped"), (name, body)
            assert len(response["body"]) < 2000
            for record in fake_mandrill.sent[sent_before:]:
                _assert_safe_message(record, settings, event_type)
            if _is_candidate_facing(event_type) and "address" in name:
                assert (body["status"], len(fake_mandrill.sent)) == ("skipped", sent_before), (name, body)
                assert "not valid" in body["reason"] and "aaaa" not in body["reason"]
    finally:
        run.close()


def test_acknowledgement_template_merge_vars_hold_only_plausible_names(settings, fake_hrflow, fake_mandrill, tmp_path):
    settings = dict(settings, MANDRILL_TEMPLATE="application-received")
    run = DistWorkflow(DIST / "profile_parsing_success.py", tmp_path)
    try:
        for profile, expected in [
            (PROFILES["phishing first name"], {"FIRST_NAME": "", "LAST_NAME": "Lovelace", "FULL_NAME": "Lovelace"}),
            (PROFILES["injected names"], {"FIRST_NAME": "", "LAST_NAME": "", "FULL_NAME": ""}),
            (
                _profile(first_name="Zo\u00eb", last_name="\u00d8rsted"),
                {"FIRST_NAME": "Zo\u00eb", "LAST_NAME": "\u00d8rsted", "FULL_NAME": "Zo\u00eb \u00d8rsted"},
            ),
        ]:
            fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)] = profile
            response = run.call(signed_request("profile.parsing.success", message=INJECTED), dict(settings))
            assert json.loads(response["body"])["status"] == "ok"
            record = fake_mandrill.sent[-1]
            assert record["path"] == FakeMandrill.SEND_TEMPLATE
            merge_vars = {var["name"]: var["content"] for var in record["message"]["global_merge_vars"]}
            assert merge_vars == dict(expected, EMAIL="ada.lovelace@example.com", COMPANY="", LANGUAGE="en")
    finally:
        run.close()


def test_a_shortlist_skips_scoring_items_that_are_not_objects_and_scores_out_of_range(
    settings, fake_hrflow, fake_mandrill, tmp_path
):
    run = DistWorkflow(DIST / "job_scoring_success.py", tmp_path)
    try:
        fake_hrflow.script("/v1/profiles/scoring", [Reply(200, SCORING["profiles"])])
        response = run.call(signed_request("job.scoring.success", message=INJECTED), dict(settings))
        body = json.loads(response["body"])
        assert (response["status_code"], body["status"]) == (200, "ok")
        assert "scored 2 matches" in body["actions"]
        text = fake_mandrill.sent[-1]["message"]["text"]
        assert "n/a" in text and "inf%" not in text and "-500%" not in text
        assert "Ada. ACTION REQUIRED" in text  # team emails may show CV text, on one capped line
        assert hrflow_key("never") not in text
    finally:
        run.close()
