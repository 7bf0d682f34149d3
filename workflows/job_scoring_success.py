"""Shortlist: email the team the best-matching profiles for each job newly ready to be scored.

Scores the job against the sources in `SCORING_SOURCE_KEYS` with the
algorithm `SCORING_ALGORITHM_KEY` and sends the top `SHORTLIST_SIZE` (default 5).
"""
from shared.actions.shortlist import SHORTLIST
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "job.scoring.success"
WORKFLOW = Workflow(EVENT_TYPE, {EVENT_TYPE: SHORTLIST["job"]})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
