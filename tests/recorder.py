"""What the tests of `shared.pipeline.run` share: a workflow whose one action records each event it is called with,
the Catch response contract every answer meets, and the one log line each execution prints."""
from __future__ import annotations

import json

from shared.actions.action import Action, done
from shared.core.settings import SettingsSpec
from shared.pipeline.workflow import Workflow

SECRET = "whsec-test-7f3a9c"
EVENT_TYPE = "profile.storing.success"
OTHER_TYPE = "job.storing.success"
STATUS_CODES = {"rejected": (400, 401), "skipped": (200,), "ok": (200,), "failed": (500, 502, 503)}
NO_SETTINGS = SettingsSpec()


class Recorder:
    """A test action: records each event it is called with and answers `done("x")`."""

    def __init__(self, settings: SettingsSpec = NO_SETTINGS, outcome=None):
        self.events = []
        self._outcome = outcome
        self.action = Action(self._handle, settings, calls=1)
        self.workflow = Workflow(EVENT_TYPE, {EVENT_TYPE: self.action})

    def _handle(self, event, ctx):
        self.events.append(event)
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome or done("x")


def fresh_settings(**extra) -> dict:
    return dict({"HRFLOW_WEBHOOK_SECRET": SECRET}, **extra)


def contract(response: dict) -> dict:
    """Check the Catch response contract and return the parsed body."""
    assert set(response) == {"status_code", "body", "headers"}
    assert type(response["status_code"]) is int
    assert isinstance(response["body"], str)
    assert isinstance(response["headers"], dict)
    assert response["headers"]["Content-Type"] == "application/json"
    body = json.loads(response["body"])
    assert isinstance(body, dict)
    assert isinstance(body["status"], str) and isinstance(body["reason"], str)
    assert response["status_code"] in STATUS_CODES[body["status"]]
    return body


def answer(response: dict) -> tuple[int, str]:
    body = contract(response)
    return response["status_code"], body["status"]


def one_log_line(capsys) -> str:
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1, out
    return out
