"""Acknowledge: email each new candidate that their application was received.

Fetches the parsed profile and thanks the candidate at the profile's email
address, in plain text and HTML, or with the Mandrill template named by
`MANDRILL_TEMPLATE` (merge vars FIRST_NAME, LAST_NAME, FULL_NAME, EMAIL).
A profile without a plausible email address is skipped; a name that is not a
plausible name is left out of the greeting.
"""
from shared.actions.acknowledge import ACKNOWLEDGE
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "profile.parsing.success"
WORKFLOW = Workflow(EVENT_TYPE, {EVENT_TYPE: ACKNOWLEDGE})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
