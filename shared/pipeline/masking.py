"""What the answer and the log line may show: every text made one visible line, redacted of the
workflow's secrets and of personal data, then capped."""
from __future__ import annotations

from shared.core.settings import SettingsSpec
from shared.core.typecheck import TYPE_CHECKING
from shared.untrusted.redact import redact
from shared.untrusted.text import capped, visible
from shared.wire.signature import split_secrets

if TYPE_CHECKING:
    from collections.abc import Iterable

SECRET_SETTINGS = ("HRFLOW_WEBHOOK_SECRET", "HRFLOW_API_SECRET", "MANDRILL_API_TOKEN")
SHOWN_CHARS = 500


def secret_values(settings: object, names: Iterable[str] = SECRET_SETTINGS) -> list[str]:
    """The values of the secret settings `names` (each whole, and each secret a webhook-secret setting lists),
    which nothing shown may hold."""
    values = []
    if isinstance(settings, dict):
        for key in names:
            value = settings.get(key)
            if isinstance(value, str):
                values += [value, *split_secrets(value)]
    return values


def secrets_in(settings: object, spec: SettingsSpec) -> list[str]:
    """The values of the secret settings this workflow reads, which no response body may hold.

    (The signature header needs no such care: no code path puts it into a body or a log line.)
    """
    declared = spec.required + spec.optional
    return secret_values(settings, [key for key in SECRET_SETTINGS if key in declared])


def shown_text(text: str, secrets: list[str]) -> str:
    """A text fit for the answer and the log line: made one visible line, redacted, then capped.
    Redacted before it is cut, so that no secret or address is cut in half and half shown; and
    before encoding, since JSON escapes would hide what to mask. Reasons may quote what HrFlow
    relays (an error message echoing a CV), which is why they are made visible first."""
    return capped(redact(visible(text), secrets), SHOWN_CHARS)


def shown(value: object, secrets: list[str]) -> object:
    """`value` with each of its texts `_shown_text`."""
    if isinstance(value, str):
        return shown_text(value, secrets)
    if isinstance(value, list):
        return [shown(item, secrets) for item in value]
    return value
