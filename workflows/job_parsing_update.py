"""Notify: email the team when a job is parsed again.

Fetches the job and sends `NOTIFY_EMAIL` its name, location, URL and summary.
"""
from shared.actions.notify import NOTIFY
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "job.parsing.update"
WORKFLOW = Workflow(EVENT_TYPE, {EVENT_TYPE: NOTIFY})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
