"""Count the words of each stored job."""
from shared.settings import Settings
from shared.text import words

EVENT_TYPE = "job.storing.success"
SETTINGS = Settings(required=())


def workflow(_request: dict, settings: dict) -> dict:
    return {"words": len(words(_request.get("job", {}).get("summary", "")))}
