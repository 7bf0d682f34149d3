"""Alert: email the team when HrFlow fails at saving a job.

Says what failed, what HrFlow's message was, what the failure means and what
to do; the job itself is not fetched, since it may not exist.
"""
from shared.actions.alert import ALERT
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "job.storing.error"
WORKFLOW = Workflow(EVENT_TYPE, {EVENT_TYPE: ALERT})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
