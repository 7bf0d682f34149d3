"""What every workflow of workflows/ holds to: each reads only the settings it declares (so the manifest tells the
truth), and each per-event workflow does its event type's default action."""

import importlib
import re

import pytest

from conftest import deliver, event_workflows
from shared.actions.defaults import DEFAULT_ACTIONS
from shared.pipeline.deliveries import RECORD_KEY
from shared.wire.catalogue import CATALOGUE

WORKFLOWS = event_workflows()


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


def test_the_per_event_workflows_do_the_default_action_of_their_type():
    import importlib

    for event_type in CATALOGUE:
        module = importlib.import_module("workflows." + event_type.replace(".", "_"))
        assert module.WORKFLOW.actions == {event_type: DEFAULT_ACTIONS[event_type]}
