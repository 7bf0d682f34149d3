"""The one path every workflow takes: `_request` -> verified `Event` -> handler -> Catch response.

`run` never raises and always returns the response contract. Nothing before
the handler imports an SDK or touches the network, so saying no is cheap.
"""
import time

from .action import Action, Context
from .budget import Budget
from .deliveries import Deliveries
from .errors import CatchError, ConfigError, SignatureError
from .request import Event, check_shape, event_fields, find_header, parse_event, raw_body
from .redact import redact
from .responses import respond
from .settings import Settings, SettingsSpec
from .signature import SCHEMES, SIGNATURE_HEADER, parse_secrets, split_secrets, verify_signature

RUNNER_SETTINGS = SettingsSpec(
    required=("HRFLOW_WEBHOOK_SECRET",),
    optional=("HRFLOW_SIGNATURE_SCHEME", "EXECUTION_BUDGET_SECONDS", "DEDUPE_WINDOW_SECONDS", "HTTP_TIMEOUT_SECONDS"),
)
SECRET_SETTINGS = ("HRFLOW_WEBHOOK_SECRET", "HRFLOW_API_SECRET", "MANDRILL_API_TOKEN")


def verified_event(
    _request: dict, secrets: "tuple[bytes, ...]", schemes: "tuple[str, ...]" = SCHEMES
) -> "tuple[Event, str]":
    """The event the signature vouches for, and the scheme that vouched; raises on any doubt."""
    body = event_fields(_request)
    verified = verify_signature(find_header(_request, SIGNATURE_HEADER), secrets, body, raw_body(_request), schemes)
    event = parse_event(verified.fields)
    if verified.scheme != "form-json" and ("type" in body or "profile" in body or "job" in body):
        try:
            claimed = parse_event(body)
        except CatchError:
            claimed = None
        if claimed is None or claimed[:1] + claimed[3:] != event[:1] + event[3:]:
            raise SignatureError("The request's body fields do not match what its signature covers.")
    return event, verified.scheme


def _webhook_secrets(config: Settings) -> "tuple[bytes, ...]":
    """The webhook secrets to verify with; a setting holding none is a configuration error."""
    try:
        secrets = parse_secrets(config.text("HRFLOW_WEBHOOK_SECRET"))
    except UnicodeEncodeError:
        raise ConfigError("Setting HRFLOW_WEBHOOK_SECRET is not valid text.") from None
    if not secrets:
        raise ConfigError("Setting HRFLOW_WEBHOOK_SECRET holds no secret, only separators.")
    return secrets


def _accepted_schemes(config: Settings) -> "tuple[str, ...]":
    """The signature schemes `HRFLOW_SIGNATURE_SCHEME` allows (all three unless it names some):
    pinning the one HrFlow uses narrows what is accepted and makes a forgery cost one check."""
    schemes = config.text_list("HRFLOW_SIGNATURE_SCHEME") or SCHEMES
    unknown = [scheme for scheme in schemes if scheme not in SCHEMES]
    if unknown:
        raise ConfigError("Setting HRFLOW_SIGNATURE_SCHEME must name schemes among: {}.".format(", ".join(SCHEMES)))
    return schemes


def _execute(_request: object, settings: object, event_type: str, action: Action, trace: dict) -> dict:
    check_shape(_request)
    config = Settings(settings)
    event, trace["scheme"] = verified_event(_request, _webhook_secrets(config), _accepted_schemes(config))
    trace["event"], trace[event.kind] = event.type, event.key
    if event.type != event_type:
        return respond("skipped", 200, "This workflow handles {} events, not {}.".format(event_type, event.type))
    config.check(action.settings)
    budget = Budget(
        config.number("EXECUTION_BUDGET_SECONDS", 30.0, 1.0, 900.0),
        config.number("HTTP_TIMEOUT_SECONDS", 10.0, 0.1, 300.0),
    )
    trace["budget"] = budget
    deliveries = Deliveries(settings, config.number("DEDUPE_WINDOW_SECONDS", 600.0, 0.0, 365 * 86400.0))
    if deliveries.already_done(event):
        return respond("skipped", 200, "duplicate", event=event.type, key=event.key)
    outcome = action.handle(event, Context(config, budget))
    if outcome.status == "ok":
        deliveries.record(event)
    return respond(outcome.status, 200, outcome.reason, event=event.type, key=event.key, actions=list(outcome.actions), calls=budget.calls)


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


def run(_request: dict, settings: dict, event_type: str, action: Action) -> dict:
    """Verify, parse and check the request, call `action` if it is for this workflow, and answer.

    Answers: `rejected` (401 bad signature, 400 malformed; the handler never
    runs), `skipped` (200), `ok` (200), `failed` (500, or 502/503 when a
    redelivery could help). Logs one line, and neither it nor the body holds a
    secret or full personal data.
    """
    started = time.perf_counter()
    trace = {}
    try:
        response = _execute(_request, settings, event_type, action, trace)
    except CatchError as error:
        budget = trace.get("budget")
        details = {"calls": budget.calls} if budget is not None else {}
        if "event" in trace:
            details["event"] = trace["event"]
        response = respond(error.status, error.status_code, error.reason, **details)
    except Exception as error:  # the contract: workflow() never raises
        response = respond("failed", 500, "Unexpected {} in the workflow.".format(type(error).__name__))
    response["body"] = redact(response["body"], _secrets_in(settings, action.settings))
    _log_line(event_type, response, trace, time.perf_counter() - started)
    return response


def _log_line(workflow_type: str, response: dict, trace: dict, seconds: float) -> None:
    """Print the execution's one line: what came in, what went out, how long it took.

    The fields are ours, validated keys and the signed event type; the body is
    redacted JSON, so ASCII on one line already.
    """
    budget = trace.get("budget")
    keys = "".join("{}={} ".format(kind, trace[kind]) for kind in ("profile", "job") if kind in trace)
    line = "workflow={} event={} scheme={} {}code={} calls={} ms={:.1f}".format(
        workflow_type, trace.get("event", "-"), trace.get("scheme", "-"), keys, response["status_code"],
        budget.calls if budget is not None else 0, seconds * 1000,
    )
    # One printable line whatever a signed event type holds: white space runs
    # (line breaks too) become one space, and anything not ASCII is escaped.
    line = " ".join(line.split()).encode("ascii", "backslashreplace").decode("ascii")
    print(line + " body=" + response["body"], flush=True)
