"""Summarise each parsed profile for the team.

Only the first line of this docstring goes into the manifest.
"""
from __future__ import annotations

from shared.notify import NOTIFY_SETTINGS
from shared.runner import run

EVENT_TYPE = "profile.parsing.success"
SETTINGS = NOTIFY_SETTINGS


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, EVENT_TYPE)  # a comment that must survive
