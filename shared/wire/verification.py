"""Whether a request comes from HrFlow: the event its signature vouches for, checked against the body's
own fields, and the two settings verification reads (the webhook secrets, the accepted schemes)."""
from __future__ import annotations

from shared.core.errors import CatchError, ConfigError, SignatureError
from shared.core.settings import Settings
from shared.wire.catalogue import Subject
from shared.wire.event import OBJECT_FIELDS, Event, event_fields, parse_event
from shared.wire.headers import SIGNATURE_HEADER, find_signature, raw_body
from shared.wire.signature import SCHEMES, Verified, header_shape, split_secrets, verify_signature


def verified_event(
    _request: dict[str, object], secrets: tuple[bytes, ...], schemes: tuple[str, ...] = SCHEMES
) -> tuple[Event, Verified]:
    """The event the signature vouches for, and how it was verified; raises on any doubt."""
    body = event_fields(_request)
    header_name, header = find_signature(_request)
    verified = verify_signature(header, secrets, body, raw_body(_request), schemes, header_name or SIGNATURE_HEADER)
    return signed_event(verified, body, header), verified


def signed_event(verified: Verified, body: dict[str, object], header: object) -> Event:
    """The event a verified signature covers, which the body's own fields, where they name one, must agree
    with (a signed request or a raw body signs a payload of its own); raises on any doubt."""
    event = parse_event(verified.fields)
    if verified.scheme != "form-json" and any(name in body for name in ("type",) + OBJECT_FIELDS):
        try:
            claimed = parse_event(body)
        except CatchError:
            claimed = None
        if claimed is None or _identity(claimed) != _identity(event):
            raise SignatureError("The request's body fields do not match what its signature covers.",
                                 header_shape(header))
    return event


def _identity(event: Event) -> tuple[str, Subject, str, str]:
    """What must agree between the body and the signed payload: which event, about which object."""
    return event.received_type, event.subject, event.key, event.container_key


# HrFlow generates webhook secrets (its webhook page shows them as `wsk_...`) and does not publish
# their length. A piece this short is a mistake, most often a secret split where it should not be,
# and one of a few characters would be guessed in as few requests as its alphabet has characters.
MIN_SECRET_CHARS = 12


def webhook_secrets(config: Settings) -> tuple[bytes, ...]:
    """The webhook secrets to verify with; a setting holding none, or a secret too short to resist
    guessing, is a configuration error."""
    secrets = split_secrets(config.text("HRFLOW_WEBHOOK_SECRET"))
    if not secrets:
        raise ConfigError("Setting HRFLOW_WEBHOOK_SECRET holds no secret, only separators.")
    if any(len(secret) < MIN_SECRET_CHARS for secret in secrets):
        raise ConfigError("Setting HRFLOW_WEBHOOK_SECRET holds a secret shorter than {} characters (several "
                          "secrets are separated by commas or line breaks, not spaces).".format(MIN_SECRET_CHARS))
    try:
        return tuple(secret.encode("utf-8") for secret in secrets)
    except UnicodeEncodeError:
        raise ConfigError("Setting HRFLOW_WEBHOOK_SECRET is not valid text.") from None


def accepted_schemes(config: Settings) -> tuple[str, ...]:
    """The signature schemes `HRFLOW_SIGNATURE_SCHEME` allows (all three unless it names some):
    pinning the one HrFlow uses narrows what is accepted and makes a forgery cost one check."""
    schemes = config.text_list("HRFLOW_SIGNATURE_SCHEME") or SCHEMES  # set but empty is an error there
    unknown = [scheme for scheme in schemes if scheme not in SCHEMES]
    if unknown:
        raise ConfigError("Setting HRFLOW_SIGNATURE_SCHEME must name schemes among: {}.".format(", ".join(SCHEMES)))
    return schemes


