"""The steps every workflow takes."""
import json

from shared.notify import NOTIFY_SETTINGS, summary
from shared.settings import missing_keys


def run(request: dict, settings: dict, event_type: str) -> dict:
    missing = missing_keys(NOTIFY_SETTINGS, settings)
    if missing:
        return {"status": "rejected", "missing": missing}
    return {"status": "ok", "event_type": event_type, "summary": json.loads(summary(request.get("profile", {})))}
