"""What an execution comes to, and the Catch response that carries it: HrFlow turns `workflow()`'s
return value into the HTTP reply, so every execution ends in one of these dicts."""
import json
from collections import namedtuple


class Answer(namedtuple("Answer", ("status", "status_code", "reason", "details"))):
    """What an execution comes to, before it is redacted and encoded into the Catch response."""

    __slots__ = ()


def catch_response(status: str, status_code: int, reason: str, **details: object) -> dict:
    """The Catch response: its body is JSON with at least `status` and `reason`."""
    body: dict = {"status": status, "reason": reason}
    body.update(details)
    return {
        "status_code": status_code,
        "body": json.dumps(body, sort_keys=True, default=str),
        "headers": {"Content-Type": "application/json"},
    }
