"""`shared.pipeline.log_line`: the one line each execution prints, which Catch shows in its log: what it says, and
what it never shows."""
from __future__ import annotations

import contextlib
import io

from localcatch.samples import catch_request, sample_event
from localcatch.signers import sign_signed_request
from recorder import EVENT_TYPE, OTHER_TYPE, SECRET, Recorder, answer, fresh_settings, one_log_line
from shared.actions.action import done
from shared.core.version import VERSION
from shared.pipeline.run import run
from shared.wire.headers import SIGNATURE_HEADER

EMAIL = "jane.doe@example.com"


def test_each_execution_logs_exactly_one_line_without_secret_signature_or_email(capsys):
    recorder = Recorder(outcome=done("mailed " + EMAIL))
    settings = fresh_settings(MANDRILL_API_TOKEN="md-token-9f8e7d", HRFLOW_API_SECRET="askw-5e6f7a")
    good = catch_request(sample_event(EVENT_TYPE, message="for " + EMAIL), SECRET)
    forged = catch_request(sample_event(EVENT_TYPE), "wrong-secret")
    cases = [
        (good, (200, "ok")),
        (good, (200, "skipped")),  # the redelivery
        (forged, (401, "rejected")),
        (catch_request(sample_event(OTHER_TYPE), SECRET), (200, "skipped")),
        (None, (400, "rejected")),
    ]
    for request, expected in cases:
        response = run(request, settings, recorder.workflow)
        assert answer(response) == expected
        line = one_log_line(capsys)
        for secret in (SECRET, "md-token-9f8e7d", "askw-5e6f7a", good[SIGNATURE_HEADER], forged[SIGNATURE_HEADER]):
            assert secret not in line
        assert EMAIL not in line and EMAIL not in response["body"]
        assert "code={}".format(expected[0]) in line and "workflow=" + EVENT_TYPE in line
    assert len(recorder.events) == 1


def test_log_names_the_scheme_and_object_but_masks_an_email_in_actions(capsys):
    recorder = Recorder(outcome=done("mailed " + EMAIL))
    response = run(catch_request(sample_event(EVENT_TYPE), SECRET, "raw-body"), fresh_settings(), recorder.workflow)
    assert answer(response) == (200, "ok")
    line = one_log_line(capsys)
    assert "scheme=raw-body" in line and "profile=" + recorder.events[0].key in line
    assert "j***@example.com" in line and EMAIL not in line


def test_log_stays_one_printable_line_whatever_the_signed_type_holds(capsys):
    for event_type in ("profile.storing.success\nINJECTED=1", "x\u2028y\r\nz", "\ud800 lone surrogate", "tab\there"):
        event = sample_event(EVENT_TYPE)
        event["type"] = event_type
        response = run({SIGNATURE_HEADER: sign_signed_request(event, SECRET)}, fresh_settings(), Recorder().workflow)
        assert answer(response) == (200, "skipped")
        line = one_log_line(capsys)
        assert line.isascii() and line.startswith("workflow=")


def test_every_log_line_says_the_bundles_version():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(catch_request(sample_event(EVENT_TYPE), "someone-else"), fresh_settings(), Recorder().workflow)
    assert " version={} ".format(VERSION) in out.getvalue()
