"""What every workflow of workflows/ holds to, the user's own too, read from the workflow itself (its event types,
its settings): each reads only the settings it declares (so the manifest tells the truth); and each bundled
per-event workflow does its event type's default action."""
from __future__ import annotations

import importlib
import re

import pytest

from conftest import bundled_workflows, deliver, settings_spec_of, with_placeholders, workflow_events, workflow_names
from shared.actions.defaults import DEFAULT_ACTIONS
from shared.pipeline.deliveries import RECORD_KEY
from shared.wire.catalogue import CATALOGUE


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


@pytest.mark.parametrize("name, event_type", workflow_events())
def test_workflow_reads_only_the_settings_it_declares(name, event_type, settings):
    module = importlib.import_module("workflows." + name)
    declared = set(module.SETTINGS.required) | set(module.SETTINGS.optional) | {RECORD_KEY}
    recording = RecordingSettings(with_placeholders(settings, module, event_type), DRY_RUN="false", MAIL_FROM="",
                                  SHORTLIST_SIZE="3", MANDRILL_TEMPLATE="")
    code, body = deliver(event_type, recording, workflow=name)
    assert (code, body["status"]) == (200, "ok"), body
    undeclared = {key for key in recording.read - declared
                  if not any(re.fullmatch(family, key) for family in module.SETTINGS.families)}
    assert undeclared == set()
    assert set(module.SETTINGS.required) <= set(settings_spec_of(module, event_type).required) <= recording.read


def test_every_bundled_workflow_is_in_workflows():
    assert set(bundled_workflows()) <= set(workflow_names())


def test_the_per_event_workflows_do_the_default_action_of_their_type():
    import importlib

    for event_type in CATALOGUE:
        module = importlib.import_module("workflows." + event_type.replace(".", "_"))
        assert module.WORKFLOW.actions == {event_type: DEFAULT_ACTIONS[event_type]}
