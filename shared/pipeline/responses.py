"""The Catch response contract: HrFlow turns `workflow()`'s return value into
the HTTP reply, so every execution ends in one of these dicts.
"""
import json


def respond(status: str, status_code: int, reason: str, **details: object) -> dict:
    """A Catch response whose body is JSON with at least `status` and `reason`."""
    body: dict = {"status": status, "reason": reason}
    body.update(details)
    return {
        "status_code": status_code,
        "body": json.dumps(body, sort_keys=True, default=str),
        "headers": {"Content-Type": "application/json"},
    }
