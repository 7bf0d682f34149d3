"""What an execution comes to, and the Catch response that carries it: HrFlow turns `workflow()`'s
return value into the HTTP reply, so every execution ends in one of these dicts."""
import json

from shared.core.records import Record


class Answer(Record):
    """What an execution comes to, before it is redacted and encoded into the Catch response."""

    status: str
    status_code: int
    reason: str
    details: dict[str, object]


def catch_response(status: str, status_code: int, reason: str, **details: object) -> dict[str, object]:
    """The Catch response: its body is JSON with at least `status` and `reason`."""
    body: dict[str, object] = {"status": status, "reason": reason}
    body.update(details)
    return {
        "status_code": status_code,
        "body": json.dumps(body, sort_keys=True, default=str),
        "headers": {"Content-Type": "application/json"},
    }
