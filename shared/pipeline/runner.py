"""The one path every workflow takes: `_request` -> verified `Event` -> handler -> Catch response.

`run` never raises and always returns the response contract. Nothing before
the handler imports an SDK or touches the network, so saying no is cheap.
"""
import time
from collections import namedtuple

from shared.actions.action import Action, Context
from shared.core.errors import CatchError, ConfigError, SignatureError, UnknownOutcome
from shared.core.settings import Settings, SettingsSpec
from shared.outbound.budget import Budget, check_room
from shared.pipeline.deliveries import Deliveries
from shared.pipeline.responses import respond
from shared.untrusted.redact import redact
from shared.untrusted.relayed import capped, visible
from shared.wire.catalogue import CATALOGUE, canonical_type
from shared.wire.request import Event, check_shape, event_fields, find_signature, parse_event, raw_body
from shared.wire.signature import (
    OBJECT_FIELDS,
    SCHEMES,
    SIGNATURE_HEADER,
    Verified,
    header_shape,
    split_secrets,
    verify_signature,
)

SECRET_SETTINGS = ("HRFLOW_WEBHOOK_SECRET", "HRFLOW_API_SECRET", "MANDRILL_API_TOKEN")
SHOWN_CHARS = 500


def _execution_limits(config: Settings) -> "tuple[float, float]":
    """`EXECUTION_BUDGET_SECONDS` and `HTTP_TIMEOUT_SECONDS`; whether they leave room for an
    action's calls is checked once the action is known (`budget.check_room`)."""
    budget = config.number("EXECUTION_BUDGET_SECONDS", 30.0, 1.0, 900.0)
    timeout = config.number("HTTP_TIMEOUT_SECONDS", 10.0, 0.1, 300.0)
    return budget, timeout


def _dedupe_window(config: Settings) -> float:
    return config.number("DEDUPE_WINDOW_SECONDS", 600.0, 0.0, 365 * 86400.0)


RUNNER_SETTINGS = SettingsSpec(
    required=("HRFLOW_WEBHOOK_SECRET",),
    optional=("HRFLOW_SIGNATURE_SCHEME", "EXECUTION_BUDGET_SECONDS", "DEDUPE_WINDOW_SECONDS", "HTTP_TIMEOUT_SECONDS"),
    checks=(_execution_limits, _dedupe_window),
)


def verified_event(
    _request: dict, secrets: "tuple[bytes, ...]", schemes: "tuple[str, ...]" = SCHEMES
) -> "tuple[Event, Verified]":
    """The event the signature vouches for, and how it was verified; raises on any doubt."""
    body = event_fields(_request)
    header_name, header = find_signature(_request)
    verified = verify_signature(header, secrets, body, raw_body(_request), schemes, header_name or SIGNATURE_HEADER)
    event = parse_event(verified.fields)
    if verified.scheme != "form-json" and any(name in body for name in ("type",) + OBJECT_FIELDS):
        try:
            claimed = parse_event(body)
        except CatchError:
            claimed = None
        if claimed is None or _identity(claimed) != _identity(event):
            raise SignatureError("The request's body fields do not match what its signature covers.",
                                 header_shape(header))
    return event, verified


def _identity(event: Event) -> tuple:
    """What must agree between the body and the signed payload: which event, about which object."""
    return event.received_type, event.kind, event.key, event.container_key


# HrFlow generates webhook secrets (its webhook page shows them as `wsk_...`) and does not publish
# their length. A piece this short is a mistake, most often a secret split where it should not be,
# and one of a few characters would be guessed in as few requests as its alphabet has characters.
MIN_SECRET_CHARS = 12


def webhook_secrets(config: Settings) -> "tuple[bytes, ...]":
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


def accepted_schemes(config: Settings) -> "tuple[str, ...]":
    """The signature schemes `HRFLOW_SIGNATURE_SCHEME` allows (all three unless it names some):
    pinning the one HrFlow uses narrows what is accepted and makes a forgery cost one check."""
    schemes = config.text_list("HRFLOW_SIGNATURE_SCHEME") or SCHEMES  # set but empty is an error there
    unknown = [scheme for scheme in schemes if scheme not in SCHEMES]
    if unknown:
        raise ConfigError("Setting HRFLOW_SIGNATURE_SCHEME must name schemes among: {}.".format(", ".join(SCHEMES)))
    return schemes


SWITCH_SETTING = "DISABLED_EVENTS"


def switched_off(config: Settings) -> "frozenset[str]":
    """The event types `DISABLED_EVENTS` switches off, by any of their names; a name that is no
    event type is a configuration error, since a typo would silently leave an event on."""
    names = config.text_list(SWITCH_SETTING)
    types = frozenset(canonical_type(name) for name in names)
    if not types <= set(CATALOGUE):
        raise ConfigError("Setting {} must list event types, such as profile.storing.update, comma-separated.".format(
            SWITCH_SETTING))
    return types


class Routes:
    """What a workflow does: the action for each event type it handles, by the catalogue's name,
    under a `name` for its log line; with `switchable`, `DISABLED_EVENTS` switches chosen types off.

    `settings` is what the workflow reads: required, what every one of its event types needs;
    optional, the rest. `settings_by_event` is what each event type needs when it arrives.
    """

    def __init__(self, name: str, actions: "dict[str, Action]", switchable: bool = False):
        self.name, self.actions, self.switchable = name, dict(actions), switchable
        self.settings_by_event = {event_type: action.settings for event_type, action in self.actions.items()}
        specs = list(self.settings_by_event.values()) or [RUNNER_SETTINGS]
        common = specs[0]
        if len(specs) > 1:
            required = tuple(key for key in common.required if all(key in spec.required for spec in specs))
            # A group every event type needs, or meets with a required member of it, is needed by all.
            one_of = tuple(dict.fromkeys(
                group for spec in specs for group in spec.one_of
                if all(group in other.one_of or set(group) & set(other.required) for other in specs)))
            keys = [key for spec in specs for key in spec.required + spec.optional + sum(spec.one_of, ())]
            common = SettingsSpec(required, tuple(dict.fromkeys(key for key in keys if key not in required)), one_of)
        switch = SettingsSpec(optional=(SWITCH_SETTING,), checks=(switched_off,))
        self.settings = common + switch if switchable else common


class Answer(namedtuple("Answer", ("status", "status_code", "reason", "details"))):
    """What an execution comes to, before it is redacted and encoded into the Catch response."""

    __slots__ = ()


def _execute(given: object, settings: object, routes: Routes, trace: dict) -> Answer:
    _request = check_shape(given)
    config = Settings(settings)
    try:
        event, verified = verified_event(_request, webhook_secrets(config), accepted_schemes(config))
    except SignatureError as error:
        trace["shape"] = error.shape or "-"
        raise
    trace.update(scheme=verified.scheme, event=event.type, received=event.received_type)
    trace[event.kind] = event.key
    action = routes.actions.get(event.type)
    if action is None:
        handled = "{} events".format(next(iter(routes.actions))) if len(routes.actions) == 1 else "other event types"
        return Answer("skipped", 200, "This workflow handles {}, not {}.".format(handled, event.received_type), {})
    if routes.switchable and event.type in switched_off(config):
        return Answer("skipped", 200, "{} events are switched off by {}.".format(event.received_type, SWITCH_SETTING),
                      {"event": event.received_type, "key": event.key})
    config.check(action.settings)
    limits = _execution_limits(config)
    check_room(*limits, action.calls)
    budget = Budget(*limits)
    trace["budget"] = budget
    deliveries = Deliveries(settings if isinstance(settings, dict) else {}, _dedupe_window(config))
    if deliveries.already_done(event):
        return Answer("skipped", 200, "duplicate", {"event": event.received_type, "key": event.key})
    context = Context(config, budget, deliveries.recently)
    try:
        outcome = action.handle(event, context)
    except UnknownOutcome:
        deliveries.record(event, context.kept)  # it may have happened: never again, not even on a redelivery
        raise
    if outcome.status == "ok" and not context.dry_run:
        deliveries.record(event, context.kept)
    details = {"event": event.received_type, "key": event.key, "actions": list(outcome.actions), "calls": budget.calls}
    return Answer(outcome.status, 200, outcome.reason, details)


def _secrets_in(settings: object, spec: SettingsSpec) -> "list[str]":
    """The values of the secret settings this workflow reads, which no response body may hold.

    (The signature header needs no such care: no code path puts it into a body or a log line.)
    """
    values = []
    if isinstance(settings, dict):
        declared = spec.required + spec.optional
        for key in (key for key in SECRET_SETTINGS if key in declared):
            value = settings.get(key)
            if isinstance(value, str):
                values.append(value)
                values.extend(split_secrets(value))
    return values


def run(_request: dict, settings: dict, routes: Routes) -> dict:
    """Verify, parse and check the request, call the action `routes` has for its event type, and answer.

    Answers: `rejected` (401 bad signature, 400 malformed; the handler never
    runs), `skipped` (200), `ok` (200), `failed` (500, or 502/503 when a
    redelivery could help). Logs one line, and neither it nor the body holds a
    secret or full personal data.
    """
    started = time.perf_counter()
    trace: dict = {}
    try:
        answer = _execute(_request, settings, routes, trace)
    except CatchError as error:
        budget = trace.get("budget")
        details = {"calls": budget.calls} if budget is not None else {}
        if "event" in trace:
            details["event"] = trace["received"]
        answer = Answer(error.status, error.status_code, error.reason, details)
    except Exception as error:  # the contract: workflow() never raises
        answer = Answer("failed", 500, "Unexpected {} in the workflow.".format(type(error).__name__), {})
    secrets = _secrets_in(settings, routes.settings)
    details = {name: _shown(value, secrets) for name, value in answer.details.items()}
    response = respond(answer.status, answer.status_code, _shown_text(answer.reason, secrets), **details)
    _log_line(routes.name, response, trace, time.perf_counter() - started)
    return response


def _shown_text(text: str, secrets: "list[str]") -> str:
    """A text fit for the answer and the log line: made one visible line, redacted, then capped.
    Redacted before it is cut, so that no secret or address is cut in half and half shown; and
    before encoding, since JSON escapes would hide what to mask. Reasons may quote what HrFlow
    relays (an error message echoing a CV), which is why they are made visible first."""
    return capped(redact(visible(text), secrets), SHOWN_CHARS)


def _shown(value: object, secrets: "list[str]") -> object:
    """`value` with each of its texts `_shown_text`."""
    if isinstance(value, str):
        return _shown_text(value, secrets)
    if isinstance(value, list):
        return [_shown(item, secrets) for item in value]
    return value


def _log_line(workflow: str, response: dict, trace: dict, seconds: float) -> None:
    """Print the execution's one line: what came in, what went out, how long it took.

    The fields are ours, validated keys, the header's shape on a rejection and the
    signed event type; the body is JSON of redacted texts, so ASCII on one line already.
    """
    budget = trace.get("budget")
    keys = "".join("{}={} ".format(kind, trace[kind]) for kind in ("profile", "job") if kind in trace)
    shape = "sig={} ".format(trace["shape"].replace(" ", "-")) if "shape" in trace else ""
    line = "workflow={} event={} scheme={} {}{}code={} calls={} ms={:.1f}".format(
        workflow, trace.get("event", "-"), trace.get("scheme", "-"), shape, keys, response["status_code"],
        budget.calls if budget is not None else 0, seconds * 1000,
    )
    # One printable line whatever a signed event type holds: white space runs
    # (line breaks too) become one space, and anything not ASCII is escaped.
    line = " ".join(line.split()).encode("ascii", "backslashreplace").decode("ascii")
    try:
        print(line + " body=" + response["body"], flush=True)
    except (OSError, ValueError):  # no usable stdout: the answer matters more than its log line
        pass
