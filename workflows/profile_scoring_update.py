"""Notify: email the team when a profile is indexed for scoring again.

Fetches the profile and sends `NOTIFY_EMAIL` its name, email, location, last position and skills count.
"""
from shared.actions.notify import NOTIFY
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "profile.scoring.update"
WORKFLOW = Workflow(EVENT_TYPE, {EVENT_TYPE: NOTIFY})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
