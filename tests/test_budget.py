"""`shared.outbound.budget`: one execution's time budget; settings that leave a send no room within it are refused
before any call, naming figures that work, from the calls each action declares."""
from __future__ import annotations

import pytest

from conftest import deliver
from shared.actions.action import Action
from shared.actions.defaults import DEFAULT_ACTIONS


@pytest.mark.parametrize("event_type, timeout, budget, fix", [
    ("profile.parsing.success", "7.99", "8", "EXECUTION_BUDGET_SECONDS above 8.99, or HTTP_TIMEOUT_SECONDS below 7"),
    ("profile.parsing.error", "8", "8", "EXECUTION_BUDGET_SECONDS above 8, or HTTP_TIMEOUT_SECONDS below 8"),
    ("profile.scoring.success", "2", "3.5", "EXECUTION_BUDGET_SECONDS above 4, or HTTP_TIMEOUT_SECONDS below 1.5"),
    ("job.storing.update", "40", "30", "EXECUTION_BUDGET_SECONDS above 41, or HTTP_TIMEOUT_SECONDS below 29"),
    ("profile.storing.update", "0.9", "1.5", "EXECUTION_BUDGET_SECONDS above 1.8, or HTTP_TIMEOUT_SECONDS below 0.75"),
])
def test_a_call_timeout_that_leaves_no_room_for_the_events_calls_is_refused_naming_what_would_work(
    settings, fake_hrflow, fake_mandrill, event_type, timeout, budget, fix
):
    settings.update(HTTP_TIMEOUT_SECONDS=timeout, EXECUTION_BUDGET_SECONDS=budget)
    code, body = deliver(event_type, settings)
    assert (code, body["status"]) == (500, "failed")
    assert body["reason"].startswith("Settings HTTP_TIMEOUT_SECONDS and EXECUTION_BUDGET_SECONDS leave no room")
    assert body["reason"].endswith("Set {}.".format(fix))
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0


@pytest.mark.parametrize("event_type, timeout, budget", [
    ("profile.parsing.success", "7", "8.5"), ("profile.parsing.error", "7.9", "8"), ("job.scoring.success", "2", "4.5"),
])
def test_the_figures_a_refusal_names_do_work(settings, fake_mandrill, event_type, timeout, budget):
    settings.update(HTTP_TIMEOUT_SECONDS=timeout, EXECUTION_BUDGET_SECONDS=budget)
    code, body = deliver(event_type, settings)
    assert (code, body["status"]) == (200, "ok"), body
    assert len(fake_mandrill.sent) == 1


@pytest.mark.parametrize("event_type", sorted(DEFAULT_ACTIONS))
def test_each_default_action_declares_the_calls_it_makes(settings, fake_mandrill, event_type):
    code, body = deliver(event_type, settings)
    assert (code, body["status"]) == (200, "ok"), body
    action: Action = DEFAULT_ACTIONS[event_type]
    assert body["calls"] == action.calls
