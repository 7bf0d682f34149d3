"""The business logic's edges: templates, missing addresses, dry runs, fallbacks, and
each workflow reading only the settings it declares (so the manifest tells the truth)."""

import importlib
import re

import pytest

from conftest import SOURCE_KEY, deliver, event_workflows
from localcatch.fakes import FakeMandrill, hrflow_key, sample_profile
from shared.pipeline.deliveries import RECORD_KEY

WORKFLOWS = event_workflows()


def test_acknowledge_with_a_template_sends_it_with_merge_vars(settings, fake_mandrill):
    settings["MANDRILL_TEMPLATE"] = "application-received"
    code, body = deliver("profile.parsing.success", settings)
    assert (code, body["status"]) == (200, "ok")
    [sent] = fake_mandrill.sent
    assert (sent["path"], sent["template_name"]) == (FakeMandrill.SEND_TEMPLATE, "application-received")
    merge_vars = {v["name"]: v["content"] for v in sent["message"]["global_merge_vars"]}
    assert merge_vars == {
        "FIRST_NAME": "Ada",
        "LAST_NAME": "Lovelace",
        "FULL_NAME": "Ada Lovelace",
        "EMAIL": "ada.lovelace@example.com",
        "COMPANY": "",
        "LANGUAGE": "en",
    }


def test_acknowledge_skips_a_profile_without_an_email_address(settings, fake_hrflow, fake_mandrill):
    key = hrflow_key("no-email")
    fake_hrflow.add_profile(sample_profile(key, SOURCE_KEY, email=None))
    code, body = deliver("profile.parsing.success", settings, key=key)
    assert (code, body["status"], body["reason"]) == (200, "skipped", "The profile has no email address.")
    assert fake_mandrill.request_count == 0


def test_dry_run_builds_the_email_but_sends_nothing(settings, fake_mandrill):
    settings["DRY_RUN"] = "yes"
    code, body = deliver("profile.storing.update", settings)
    assert (code, body["status"]) == (200, "ok")
    assert any(action.startswith("dry run: would email t***@acme.example") for action in body["actions"])
    assert fake_mandrill.request_count == 0


def test_alert_falls_back_to_notify_email(settings, fake_mandrill):
    del settings["ALERT_EMAIL"]
    code, body = deliver("job.storing.error", settings)
    assert (code, body["status"]) == (200, "ok")
    assert [r["email"] for r in fake_mandrill.sent[0]["message"]["to"]] == [settings["NOTIFY_EMAIL"]]


def test_alert_without_any_address_names_both_settings(settings, fake_mandrill):
    del settings["ALERT_EMAIL"], settings["NOTIFY_EMAIL"]
    code, body = deliver("profile.scoring.error", settings)
    assert (code, body["status"]) == (500, "failed")
    assert "ALERT_EMAIL" in body["reason"] and "NOTIFY_EMAIL" in body["reason"]


def test_shortlist_without_matches_still_tells_the_team(settings, fake_hrflow, fake_mandrill):
    fake_hrflow.set_job_scoring([])
    code, body = deliver("profile.scoring.success", settings)
    assert (code, body["status"]) == (200, "ok")
    assert "HrFlow found no match yet." in fake_mandrill.sent[0]["message"]["text"]


def test_shortlist_size_is_passed_to_hrflow(settings, fake_hrflow):
    settings["SHORTLIST_SIZE"] = "1"
    deliver("job.scoring.success", settings)
    [scoring] = [r for r in fake_hrflow.requests if r["path"] == "/v1/profiles/scoring"]
    assert scoring["query"]["limit"] == "1"


class RecordingSettings(dict):
    """Settings that remember every key the workflow reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_reads_only_the_settings_it_declares(name, settings):
    module = importlib.import_module("workflows." + name)
    declared = set(module.SETTINGS.required) | set(module.SETTINGS.optional) | {RECORD_KEY}
    recording = RecordingSettings(settings, DRY_RUN="false", MAIL_FROM="", SHORTLIST_SIZE="3", MANDRILL_TEMPLATE="")
    code, body = deliver(module.EVENT_TYPE, recording)
    assert (code, body["status"]) == (200, "ok"), body
    undeclared = {key for key in recording.read - declared
                  if not any(re.fullmatch(family, key) for family in module.SETTINGS.families)}
    assert undeclared == set()
    assert set(module.SETTINGS.required) <= recording.read
