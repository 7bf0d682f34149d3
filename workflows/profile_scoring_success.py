"""Shortlist: email the team the best-matching jobs for each profile newly ready to be scored.

Scores the profile against the boards in `SCORING_BOARD_KEYS` with the
algorithm `SCORING_ALGORITHM_KEY` and sends the top `SHORTLIST_SIZE` (default 5).
"""
from shared.actions.shortlist import SHORTLIST
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "profile.scoring.success"
WORKFLOW = Workflow(EVENT_TYPE, {EVENT_TYPE: SHORTLIST["profile"]})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
