"""The 24 HrFlow webhook event types, worded as HrFlow's webhook page words them, the other names HrFlow
has published for some of them, and the one table of what differs between profiles and jobs."""
from __future__ import annotations

from shared.core.records import Record


class Subject(Record):
    """What an event is about, a profile or a job, and all that differs between the two: its `name` (also
    the body field that carries it), what holds it (`container`, a source or a board), the fields of the
    object its container key is read from, in order, and what it is scored against (`matches`)."""

    name: str
    container: str
    container_fields: tuple[str, ...]
    matches: str


# A job's container is its board, but HrFlow's webhook page also shows jobs with a source.
SUBJECTS = {
    "profile": Subject("profile", "source", ("source",), "job"),
    "job": Subject("job", "board", ("board", "source"), "profile"),
}


class EventType(Record):
    """One event type: its name, what it is about (subject, stage, status), and what HrFlow says it means."""

    name: str
    subject: Subject
    stage: str
    status: str
    description: str
    volume: str


# Copied from HrFlow's webhook page. job.parsing.* appears only in the page's
# payload examples, not in its job table: its wording follows profile parsing
# and its volume is not documented.
_DOCUMENTED = (
    ("profile.parsing.success", "Sent when a Profile is parsed successfully for the 1st time.", "High volume"),
    ("profile.parsing.update", "Sent when an existing Profile is parsed again successfully.", "Medium volume"),
    ("profile.parsing.error", "Sent when parsing a Profile has failed and should be retried. The Profile Parsing cannot be retrieved.", "Low volume"),
    ("profile.storing.success", "Sent when a Profile is saved successfully for the 1st time.", "High volume"),
    ("profile.storing.update", "Sent when an existing Profile is updated successfully.", "Medium volume"),
    ("profile.storing.error", "Sent when saving a Profile has failed and should be retried. The Profile cannot be retrieved.", "Low volume"),
    ("profile.searching.success", "Sent when a Profile is saved successfully in the Searching API Index for the 1st time and is ready to be queried.", "High volume"),
    ("profile.searching.update", "Sent when an existing Profile is updated successfully in the Searching API Index and is ready to be queried.", "Medium volume"),
    ("profile.searching.error", "Sent when saving a Profile in the Searching API Index has failed and should be retried. The Profile cannot be queried.", "Low volume"),
    ("profile.scoring.success", "Sent when a Profile is saved successfully in the Scoring API Index for the 1st time and is ready to be scored.", "High volume"),
    ("profile.scoring.update", "Sent when an existing Profile is updated successfully in the Scoring API Index and is ready to be scored.", "Medium volume"),
    ("profile.scoring.error", "Sent when saving a Profile in the Scoring API Index has failed and should be retried. The Profile cannot be scored.", "Low volume"),
    ("job.parsing.success", "Sent when a Job is parsed successfully for the 1st time.", "Not documented"),
    ("job.parsing.update", "Sent when an existing Job is parsed again successfully.", "Not documented"),
    ("job.parsing.error", "Sent when parsing a Job has failed and should be retried. The Job Parsing cannot be retrieved.", "Not documented"),
    ("job.storing.success", "Sent when a Job is saved successfully for the 1st time.", "High volume"),
    ("job.storing.update", "Sent when an existing Job is updated successfully.", "High volume"),
    ("job.storing.error", "Sent when saving a Job has failed and should be retried. The Job cannot be retrieved.", "Low volume"),
    ("job.searching.success", "Sent when a Job is saved successfully in the Searching API Index for the 1st time and is ready to be queried.", "High volume"),
    ("job.searching.update", "Sent when an existing Job is updated successfully in the Searching API Index and is ready to be queried.", "High volume"),
    ("job.searching.error", "Sent when saving a Job in the Searching API Index has failed and should be retried. The Job cannot be queried.", "Low volume"),
    ("job.scoring.success", "Sent when a Job is saved successfully in the Scoring API Index for the 1st time and is ready to be scored.", "High volume"),
    ("job.scoring.update", "Sent when an existing Job is updated successfully in the Scoring API Index and is ready to be scored.", "High volume"),
    ("job.scoring.error", "Sent when saving a Job in the Scoring API Index has failed and should be retried. The Job cannot be scored.", "Low volume"),
)

# The catalogue: each event type by name.
CATALOGUE = {
    name: EventType(name, SUBJECTS[subject], stage, status, description, volume)
    for name, description, volume in _DOCUMENTED
    for subject, stage, status in [name.split(".")]
}

# Other names for an event type, and where HrFlow published them. Each is accepted by the
# workflow of its canonical type, and deduplicated and logged as that type.
_INDEXING = (
    "One version of HrFlow's webhook page calls the second stage indexing (\"profile.indexing.success: "
    "Sent when a Profile is saved successfully for the 1st time\"), where the current one says storing; "
    "HrFlow's API serves stored objects at /profile/indexing and /job/indexing."
)
ALIASES = {
    "{}.indexing.{}".format(subject, status): ("{}.storing.{}".format(subject, status), _INDEXING)
    for subject in SUBJECTS
    for status in ("success", "update", "error")
}


def canonical_type(name: str) -> str:
    """The catalogue's name for an event type, given it or one of its other names."""
    alias = ALIASES.get(name)
    return alias[0] if alias else name
