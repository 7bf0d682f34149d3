"""Notify: email the team when a job is indexed for scoring again.

Fetches the job and sends `NOTIFY_EMAIL` its name, location, URL and summary.
"""
from shared.notify import NOTIFY
from shared.runner import run

EVENT_TYPE = "job.scoring.update"
SETTINGS = NOTIFY.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, EVENT_TYPE, NOTIFY)
