"""Alert: email the team when HrFlow fails at saving a job.

Says what failed, what HrFlow's message was, what the failure means and what
to do; the job itself is not fetched, since it may not exist.
"""
from shared.actions.alert import ALERT
from shared.pipeline.routes import Routes
from shared.pipeline.run import run

EVENT_TYPE = "job.storing.error"
ROUTES = Routes(EVENT_TYPE, {EVENT_TYPE: ALERT})
SETTINGS = ROUTES.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, ROUTES)
