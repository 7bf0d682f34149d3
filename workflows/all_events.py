"""All events: one Catch workflow for every event type, each with its default action.

Point every webhook at this one URL and set one set of settings. It acknowledges
candidates (profile.parsing.success), shortlists matches (*.scoring.success),
alerts the team on every error and notifies it of everything else, exactly as
the per-event workflows do. The settings an event needs are checked when that
event arrives, so a notify event needs no scoring keys. `DISABLED_EVENTS`, a
comma-separated list of event types, switches chosen types off: they are then
answered `skipped`.
"""
from shared.actions.defaults import DEFAULT_ACTIONS
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

WORKFLOW = Workflow("all_events", DEFAULT_ACTIONS, switchable=True)
EVENT_TYPES = tuple(WORKFLOW.actions)
SETTINGS = WORKFLOW.settings
SETTINGS_BY_EVENT = WORKFLOW.settings_by_event


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
