"""`shared.pipeline.run.run`: the response contract, when the handler runs, the cheap reject path, other names
of an event type, odd values anywhere, and where an unexpected exception rose."""
from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import PROFILE_KEY, SOURCE_KEY, WEBHOOK_SECRET, deliver
from localcatch.samples import ENCODINGS, catch_request, sample_event
from recorder import EVENT_TYPE, OTHER_TYPE, SECRET, Recorder, answer, contract, fresh_settings, one_log_line
from shared.actions.action import skip
from shared.core.errors import DownstreamError, NotFound
from shared.core.settings import SettingsSpec
from shared.pipeline.probe import probe
from shared.pipeline.run import run
from shared.wire.headers import SIGNATURE_HEADER
from shared.wire.signature import SCHEMES

ROOT = Path(__file__).resolve().parent.parent
SDK_MODULES = ("requests", "hrflow", "mailchimp_transactional", "urllib3")
EMAIL = "jane.doe@example.com"


# Accepted and acted on.


@pytest.mark.parametrize("scheme, encoding", [(s, e) for s in SCHEMES for e in ENCODINGS])
def test_valid_request_for_this_workflow_calls_the_handler_and_answers_ok(scheme, encoding):
    recorder = Recorder()
    request = catch_request(sample_event(EVENT_TYPE), SECRET, scheme, encoding)
    response = run(request, fresh_settings(), recorder.workflow)
    body = contract(response)
    assert (response["status_code"], body["status"], body["actions"]) == (200, "ok", ["x"])
    assert body["event"] == EVENT_TYPE and body["key"] == recorder.events[0].key
    assert len(recorder.events) == 1 and recorder.events[0].type == EVENT_TYPE


def test_redelivered_success_is_skipped_without_calling_the_handler_again():
    recorder = Recorder()
    settings = fresh_settings()
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    assert answer(run(request, settings, recorder.workflow)) == (200, "ok")
    second = run(request, settings, recorder.workflow)
    assert answer(second) == (200, "skipped") and json.loads(second["body"])["reason"] == "duplicate"
    assert len(recorder.events) == 1


def test_handler_skip_and_not_found_answer_skipped_200():
    for outcome in (NotFound("The profile is gone."), skip("Nothing to do.")):
        recorder = Recorder(outcome=outcome)
        response = run(catch_request(sample_event(EVENT_TYPE), SECRET), fresh_settings(), recorder.workflow)
        assert answer(response) == (200, "skipped") and len(recorder.events) == 1


# Rejected, skipped or failed: the handler never runs.


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.pop(SIGNATURE_HEADER),
        lambda r: r.update({SIGNATURE_HEADER: "0" * 64}),
        lambda r: r.update({SIGNATURE_HEADER: "garbage.garbage"}),
        lambda r: r.update({SIGNATURE_HEADER: 12345}),
        lambda r: r.update({SIGNATURE_HEADER: [r[SIGNATURE_HEADER]]}),
        lambda r: r.update({SIGNATURE_HEADER: r[SIGNATURE_HEADER].encode()}),
        lambda r: r.update({SIGNATURE_HEADER: "a" * (1 << 21)}),
        lambda r: r.update({"message": r["message"] + "!"}),
        lambda r: r.update({"type": 7}),
        lambda r: r.update({"profile": ["key"]}),
    ],
    ids=[
        "missing",
        "wrong digest",
        "garbage",
        "int",
        "list",
        "bytes",
        "oversized",
        "tampered message",
        "int type",
        "list object",
    ],
)
def test_bad_or_missing_signature_is_rejected_401_without_calling_the_handler(change):
    recorder = Recorder()
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    change(request)
    assert answer(run(request, fresh_settings(), recorder.workflow)) == (401, "rejected")
    assert recorder.events == []


def test_request_signed_with_another_secret_is_rejected_401():
    recorder = Recorder()
    request = catch_request(sample_event(EVENT_TYPE), "someone-else", "signed-request")
    assert answer(run(request, fresh_settings(), recorder.workflow)) == (401, "rejected")
    assert recorder.events == []


def signed_with_bad_key() -> dict:
    return catch_request(sample_event(EVENT_TYPE, key="../../etc/passwd"), SECRET)


def signed_profile_type_with_job() -> dict:
    event = sample_event(OTHER_TYPE)
    event["type"] = EVENT_TYPE
    return catch_request(event, SECRET, "signed-request")


def header_twice() -> dict:
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    request["http_hrflow_signature"] = "f" * 64
    return request


@pytest.mark.parametrize(
    "make_request",
    [
        lambda: None,
        lambda: "type=profile.storing.success",
        lambda: {"field{}".format(n): n for n in range(300)},
        header_twice,
        signed_with_bad_key,
        signed_profile_type_with_job,
        lambda: dict(catch_request(sample_event(EVENT_TYPE), SECRET, "raw-body"), _raw_body=10**9),
    ],
    ids=["None", "text", "too many fields", "header twice", "bad key", "profile type with job", "int raw body"],
)
def test_malformed_request_is_rejected_400_without_calling_the_handler(make_request):
    recorder = Recorder()
    assert answer(run(make_request(), fresh_settings(), recorder.workflow)) == (400, "rejected")
    assert recorder.events == []


def test_event_of_another_type_is_skipped_200_without_calling_the_handler():
    recorder = Recorder()
    response = run(catch_request(sample_event(OTHER_TYPE), SECRET), fresh_settings(), recorder.workflow)
    body = contract(response)
    assert (response["status_code"], body["status"]) == (200, "skipped")
    assert OTHER_TYPE in body["reason"] and recorder.events == []


def test_missing_setting_fails_500_naming_the_key_never_its_value():
    recorder = Recorder(SettingsSpec(required=("NOTIFY_EMAIL", "MANDRILL_API_TOKEN")))
    settings = fresh_settings(
        NOTIFY_EMAIL="   ", ALERT_EMAIL="team@acme.example", HRFLOW_API_SECRET="askw-secret-value"
    )
    response = run(catch_request(sample_event(EVENT_TYPE), SECRET), settings, recorder.workflow)
    body = contract(response)
    assert (response["status_code"], body["status"]) == (500, "failed")
    assert body["reason"] == "Missing or empty setting: NOTIFY_EMAIL, MANDRILL_API_TOKEN."
    assert "team@acme.example" not in response["body"] and SECRET not in response["body"]
    assert recorder.events == []


@pytest.mark.parametrize("settings", [None, "HRFLOW_WEBHOOK_SECRET=x", [SECRET]], ids=repr)
def test_settings_that_are_not_a_dict_fail_500(settings):
    recorder = Recorder()
    response = run(catch_request(sample_event(EVENT_TYPE), SECRET), settings, recorder.workflow)
    assert answer(response) == (500, "failed") and recorder.events == []


def test_handler_crash_fails_500_without_its_message():
    recorder = Recorder(outcome=RuntimeError("token md-123456 leaked for " + EMAIL))
    response = run(catch_request(sample_event(EVENT_TYPE), SECRET), fresh_settings(), recorder.workflow)
    body = contract(response)
    assert (response["status_code"], body["reason"]) == (500, "Unexpected RuntimeError in the workflow.")
    assert "md-123456" not in response["body"] and len(recorder.events) == 1


def test_downstream_failure_keeps_its_status_code():
    recorder = Recorder(outcome=DownstreamError("HrFlow is unavailable.", 503))
    response = run(catch_request(sample_event(EVENT_TYPE), SECRET), fresh_settings(), recorder.workflow)
    assert answer(response) == (503, "failed")


# The reject path loads no SDK.


@pytest.mark.slow
@pytest.mark.parametrize("forgery", ["wrong secret", "malformed"])
def test_reject_path_imports_no_sdk(forgery):
    code = textwrap.dedent(
        """
        import json, sys
        sys.path.insert(0, {root!r})
        from localcatch.samples import catch_request, sample_event
        from workflows.profile_storing_success import workflow

        request = catch_request(sample_event("profile.storing.success"), "attacker-secret")
        settings = {{"HRFLOW_WEBHOOK_SECRET": "whsec-real-4c1e9b"}}
        if {forgery!r} == "malformed":
            request["http_hrflow_signature"] = "0" * 64
        response = workflow(request, settings)
        loaded = sorted(name for name in sys.modules if name.split(".")[0] in {sdks!r})
        runner = "shared.pipeline.run" in sys.modules
        print(json.dumps({{"code": response["status_code"], "loaded": loaded, "runner": runner}}))
        """
    ).format(root=str(ROOT), forgery=forgery, sdks=SDK_MODULES)
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=str(ROOT), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 401 if forgery == "wrong secret" else 400, "loaded": [], "runner": True}


# Properties: nothing a request or settings hold makes run raise or break the contract.

SURROGATEISH = st.text(st.characters(categories=["Cs"]) | st.characters(codec=None), max_size=30)
HUGE = st.sampled_from(["x" * ((1 << 20) + 1), "{" * 5000, "é" * 5000, "0" * 64, "a.b"])
LEAF = st.none() | st.booleans() | st.integers() | st.floats() | st.binary(max_size=20) | SURROGATEISH | HUGE
JSONISH = st.recursive(
    LEAF,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), children, max_size=4)
    ),
    max_leaves=8,
)
REQUEST_KEYS = (
    st.sampled_from(
        [
            "type",
            "origin",
            "message",
            "profile",
            "job",
            SIGNATURE_HEADER,
            "http_hrflow_signature",
            "_raw_body",
            "Content-Type",
        ]
    )
    | st.text(max_size=10)
    | st.integers()
)
SETTING_KEYS = st.sampled_from(
    [
        "HRFLOW_WEBHOOK_SECRET",
        "EXECUTION_BUDGET_SECONDS",
        "DEDUPE_WINDOW_SECONDS",
        "HTTP_TIMEOUT_SECONDS",
        "_CATCH_DELIVERIES",
    ]
)


@st.composite
def requests(draw):
    """Arbitrary dicts, or a genuine signed request with some of its fields replaced by arbitrary values."""
    if draw(st.booleans()):
        return draw(st.one_of(JSONISH, st.dictionaries(REQUEST_KEYS, JSONISH, max_size=8)))
    event = sample_event(draw(st.sampled_from([EVENT_TYPE, OTHER_TYPE])))
    request = catch_request(event, SECRET, draw(st.sampled_from(SCHEMES)), draw(st.sampled_from(ENCODINGS)))
    request.update(draw(st.dictionaries(REQUEST_KEYS, JSONISH, max_size=3)))
    return request


SETTINGS_VALUES = st.one_of(
    JSONISH,
    st.dictionaries(SETTING_KEYS, JSONISH, max_size=5),
    st.builds(lambda extra: dict(fresh_settings(), **extra), st.dictionaries(SETTING_KEYS, JSONISH, max_size=3)),
)


@hypothesis_settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(), SETTINGS_VALUES)
def test_run_never_raises_and_always_answers_the_contract(request, settings):
    recorder = Recorder()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        response = run(request, settings, recorder.workflow)
    body = contract(response)
    assert out.getvalue().count("\n") == 1 and out.getvalue().isascii()
    assert SECRET not in out.getvalue() and SECRET not in response["body"]
    if body["status"] == "rejected" or response["status_code"] == 500:
        assert recorder.events == []
    if recorder.events:
        assert body["status"] in ("ok", "failed") and recorder.events[0].type == EVENT_TYPE


# Other names HrFlow has published for an event type.


def test_an_indexing_event_is_handled_as_storing_answered_as_received_and_deduplicated_as_storing(capsys):
    recorder = Recorder()
    settings = fresh_settings()
    alias = sample_event(EVENT_TYPE)
    alias["type"] = "profile.indexing.success"
    response = run(catch_request(alias, SECRET, "signed-request"), settings, recorder.workflow)
    body = contract(response)
    assert (response["status_code"], body["status"], body["event"]) == (200, "ok", "profile.indexing.success")
    assert recorder.events[0].type == EVENT_TYPE and recorder.events[0].received_type == "profile.indexing.success"
    assert "event=profile.storing.success " in one_log_line(capsys)
    again = contract(run(catch_request(sample_event(EVENT_TYPE), SECRET), settings, recorder.workflow))
    assert (again["status"], again["reason"], again["event"]) == ("skipped", "duplicate", EVENT_TYPE)
    assert len(recorder.events) == 1


def test_an_alias_of_another_type_is_skipped_naming_the_type_received():
    event = sample_event(EVENT_TYPE)
    event["type"] = "profile.indexing.update"
    body = contract(run(catch_request(event, SECRET), fresh_settings(), Recorder().workflow))
    assert (body["status"], body["reason"]) == (
        "skipped",
        "This workflow handles {} events, not profile.indexing.update.".format(EVENT_TYPE),
    )


def _deep(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


ODD_VALUES = {  # each built anew, so that two of them are equal but not the same object
    "a 5,000-digit integer": lambda: 10**5000, "a list 100,000 deep": lambda: _deep(100_000),
    "nan": lambda: float("nan"),
    "an object 100,000 deep": lambda: functools.reduce(lambda inner, _: {"k": inner}, range(100_000), {}),
    "100,000 items": lambda: ["x"] * 100_000,
}
ODD_PLACES = ["HTTP-HRFLOW-SIGNATURE", "two signature headers", "type", "profile", "origin", "message", "_raw_body"]


def _with_odd(place: str, odd: Callable[[], object]) -> dict:
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    if place == "two signature headers":
        request.update({"HTTP-HRFLOW-SIGNATURE": odd(), "HRFLOW-SIGNATURE": odd()})
    else:
        request[place] = odd()
    return request


@pytest.mark.parametrize("place", ODD_PLACES)
@pytest.mark.parametrize("name", sorted(ODD_VALUES))
def test_an_odd_value_anywhere_in_the_request_gets_a_specific_answer_from_the_runner_and_the_probe(place, name):
    request = _with_odd(place, ODD_VALUES[name])
    with contextlib.redirect_stdout(io.StringIO()):
        response, report = run(request, fresh_settings(), Recorder().workflow), probe(request, fresh_settings())
    assert answer(response) in ((400, "rejected"), (401, "rejected"), (200, "ok"))
    assert "Unexpected" not in contract(response)["reason"]
    assert report["status_code"] == 200 and "signature" in json.loads(report["body"])


@pytest.mark.parametrize("key", ["DRY_RUN", "EXECUTION_BUDGET_SECONDS", "HTTP_TIMEOUT_SECONDS", "DEDUPE_WINDOW_SECONDS",
                                 "HRFLOW_WEBHOOK_SECRET", "HRFLOW_SIGNATURE_SCHEME", "ALERT_EMAIL", "MAIL_FROM",
                                 "MANDRILL_API_URL", "_CATCH_DELIVERIES"])
@pytest.mark.parametrize("name", sorted(ODD_VALUES))
def test_an_odd_value_in_any_setting_gets_a_specific_answer(settings, fake_mandrill, key, name):
    settings[key] = ODD_VALUES[name]()
    code, body = deliver("profile.parsing.error", settings)
    assert "Unexpected" not in body["reason"]
    assert (code, body["status"]) == (200, "ok") or (code == 500 and key in body["reason"]), body


def test_a_key_that_is_not_text_gets_a_specific_answer_from_the_runner_and_the_probe():
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    request.update({10**5000: "x", None: "y"})
    settings = fresh_settings()
    settings[10**5000] = "x"  # type: ignore[index]
    with contextlib.redirect_stdout(io.StringIO()):
        response, report = run(request, settings, Recorder().workflow), probe(request, settings)
    assert answer(response) == (200, "ok")
    assert sorted(json.loads(report["body"])["request_keys"])[:2] == ["(a key of type NoneType)", "(a key of type int)"]


def _unexpected_in_a_dist_file(settings, monkeypatch, capsys):
    """Run dist/profile_parsing_success.py loaded as Catch loads it, with `plausible_name` raising."""
    from localcatch import loading

    namespace = loading.load(str(ROOT / "dist" / "profile_parsing_success.py"))
    monkeypatch.setitem(namespace, "plausible_name", lambda value: 1 / 0)
    response = namespace["workflow"](catch_request(sample_event("profile.parsing.success", PROFILE_KEY, SOURCE_KEY),
                                                   WEBHOOK_SECRET), settings)
    return response, capsys.readouterr()


def test_an_unexpected_exception_answers_500_and_its_log_line_says_where_in_the_pasted_file(
    settings, monkeypatch, capsys
):
    response, printed = _unexpected_in_a_dist_file(settings, monkeypatch, capsys)
    assert answer(response) == (500, "failed")
    assert contract(response)["reason"] == "Unexpected ZeroDivisionError in the workflow."
    where = re.search(r" error=ZeroDivisionError at=acknowledge:(\d+) ", printed.out)
    assert where, printed.out
    source = (ROOT / "dist" / "profile_parsing_success.py").read_text(encoding="utf-8").splitlines()
    assert "plausible_name(" in source[int(where.group(1)) - 1]
    assert printed.err == ""


def test_the_emulator_also_gets_the_whole_traceback_on_stderr(settings, monkeypatch, capsys):
    monkeypatch.setenv("CATCH_PRINT_TRACEBACKS", "1")
    _, printed = _unexpected_in_a_dist_file(settings, monkeypatch, capsys)
    assert printed.err.startswith("Traceback (most recent call last):")
    assert printed.err.rstrip().endswith("ZeroDivisionError: division by zero")


