"""Tests of builder/starter.py, `python build.py new` (it is also run whole, building and testing its
starter, in tests/test_all_events.py)."""

from __future__ import annotations

import pytest

from builder.starter import default_starter, starter_files
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
