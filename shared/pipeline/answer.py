"""What an execution comes to, and the Catch response that carries it: HrFlow turns `workflow()`'s
return value into the HTTP reply, so every execution ends in one of these dicts."""
from __future__ import annotations

import json

from shared.core.records import Record
from shared.core.typecheck import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypedDict

    class CatchResponse(TypedDict):
        """What `workflow()` returns, which Catch turns into the HTTP reply."""

        status_code: int
        body: str
        headers: dict[str, str]
else:
    CatchResponse = dict  # a plain dict when a workflow runs: `typing` stays off the reject path


class Answer(Record):
    """What an execution comes to, before it is redacted and encoded into the Catch response."""

    status: str
    status_code: int
    reason: str
    details: dict[str, object]


def catch_response(status: str, status_code: int, reason: str, **details: object) -> CatchResponse:
    """The Catch response: its body is JSON with at least `status` and `reason`."""
    body: dict[str, object] = {"status": status, "reason": reason}
    body.update(details)
    return {
        "status_code": status_code,
        "body": json.dumps(body, sort_keys=True, default=str),
        "headers": {"Content-Type": "application/json"},
    }
