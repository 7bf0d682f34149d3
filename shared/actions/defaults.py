"""The default action of each event type: acknowledge the candidate when a profile is parsed for the
first time, shortlist matches when an object is first ready to be scored, alert the team on an error,
and notify the team of everything else. The per-event workflows and `all_events` do exactly these."""
from __future__ import annotations

from shared.actions.acknowledge import ACKNOWLEDGE
from shared.actions.action import Action
from shared.actions.alert import ALERT
from shared.actions.notify import NOTIFY
from shared.actions.shortlist import SHORTLIST
from shared.wire.catalogue import CATALOGUE


def default_action(event_type: str) -> Action:
    """The action an event type has by default (a profile's shortlist lists jobs, a job's profiles)."""
    spec = CATALOGUE[event_type]
    if event_type == "profile.parsing.success":
        return ACKNOWLEDGE
    if spec.status == "error":
        return ALERT
    if (spec.stage, spec.status) == ("scoring", "success"):
        return SHORTLIST[spec.subject.name]
    return NOTIFY


DEFAULT_ACTIONS = {event_type: default_action(event_type) for event_type in CATALOGUE}
