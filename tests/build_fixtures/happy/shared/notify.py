"""How a workflow tells the team what it did."""
import json  # runner.py imports json too: the same import is no clash

from shared.settings import Settings
from shared.text import (  # a parenthesised import over several lines
    describe,
    words as split_words,
)

NOTIFY_SETTINGS = Settings(required=("recipient", "api_key"), optional=("subject",))


def summary(profile: dict) -> str:
    return json.dumps({"needs": describe(NOTIFY_SETTINGS), "words": split_words(profile.get("summary", ""))})


def send(text: str, settings: dict) -> None:
    """Email ``text``; the SDK is imported only here, when a message goes out."""
    import mailchimp_transactional  # lazy: must stay inside this function

    mailchimp_transactional.Client(settings["api_key"]).messages.send({"message": {"text": text}})
