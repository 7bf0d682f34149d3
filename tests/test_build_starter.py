"""Tests of builder/starter.py, `python build.py new` (it is also run whole, building and testing its
starter, in tests/test_all_events.py)."""

from __future__ import annotations

import pytest

from builder.errors import BuildError
from builder.starter import command_new, default_starter, retrievable, starter_files
from localcatch.loading import load_source
from shared.actions.defaults import DEFAULT_ACTIONS
from shared.wire.catalogue import CATALOGUE


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_a_starter_begins_with_the_default_action_of_its_event_type(tmp_path, event_type):
    files = starter_files(tmp_path, "my_starter", event_type, default_starter(event_type))
    source = files[tmp_path / "workflows" / "my_starter.py"]
    workflow = load_source(source, "my_starter.py")["WORKFLOW"]
    assert list(workflow.actions) == [event_type]
    assert workflow.actions[event_type] is DEFAULT_ACTIONS[event_type]


@pytest.mark.parametrize("event_type, action, says", [
    ("job.storing.success", "acknowledge", "acknowledge cannot handle job.storing.success: it needs a profile event "
     "after which HrFlow can return the profile, whose candidate it thanks. For job.storing.success, choose notify "
     "(its default)."),
    ("profile.storing.error", "notify", "notify cannot handle profile.storing.error: it needs an event after which "
     "HrFlow can return the profile or job it summarizes, not a parsing or storing error. For profile.storing.error, "
     "choose alert (its default)."),
    ("profile.parsing.success", "shortlist", "shortlist cannot handle profile.parsing.success: it needs a scoring "
     "success or update event, the only ones that say the profile or job is ready to be scored. For "
     "profile.parsing.success, choose acknowledge (its default) or notify."),
    ("job.scoring.update", "alert", "alert cannot handle job.scoring.update: it needs an error event, since its email "
     "says what failed and what to do. For job.scoring.update, choose notify (its default) or shortlist."),
])
def test_a_starter_refuses_an_action_that_cannot_handle_its_event_type_naming_those_that_can(
        tmp_path, event_type, action, says):
    with pytest.raises(BuildError) as refused:
        starter_files(tmp_path, "my_starter", event_type, action)
    assert str(refused.value) == "workflows/my_starter.py: " + says


def test_build_new_refuses_a_pair_that_cannot_work_and_writes_nothing(tmp_path, capsys):
    assert command_new(["my_starter", "--event", "job.storing.success", "--action", "acknowledge"], tmp_path) == 1
    assert capsys.readouterr().err.endswith("For job.storing.success, choose notify (its default).\nnothing written\n")
    assert not list(tmp_path.rglob("*.py"))


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_the_error_events_after_which_hrflow_cannot_return_the_object_are_those_the_catalogue_says(event_type):
    spec = CATALOGUE[event_type]
    assert retrievable(spec) == ("cannot be retrieved" not in spec.description)
