"""The steps every workflow takes."""
import json

from shared.notify import NOTIFY_SETTINGS, send, summary
from shared.settings import missing_keys


def run(request: dict, settings: dict, event_type: str) -> dict:
    missing = missing_keys(NOTIFY_SETTINGS, settings)
    if missing:
        return {"status": "rejected", "missing": missing}
    text = summary(request.get("profile", {}))
    if settings.get("send"):  # never in the tests: it reaches send(), whose import must stay lazy
        send(text, settings)
    return {"status": "ok", "event_type": event_type, "summary": json.loads(text)}
