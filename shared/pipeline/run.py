"""The one path every workflow takes: `_request` -> verified `Event` -> action -> Catch response.

`run` never raises and always returns the response contract. Nothing before
the action imports an SDK or touches the network, so saying no is cheap.
"""
from __future__ import annotations

import time

from shared.actions.action import Context
from shared.core.errors import CatchError, SignatureError, UnknownOutcome
from shared.core.setting_names import check_names
from shared.core.settings import Settings
from shared.outbound.budget import Budget, check_room
from shared.pipeline.answer import Answer, CatchResponse, catch_response
from shared.pipeline.deliveries import Deliveries
from shared.pipeline.limits import dedupe_window, execution_limits
from shared.pipeline.log_line import Trace, log_line
from shared.pipeline.masking import secrets_in, shown, shown_text
from shared.pipeline.switch import SWITCH_SETTING, switched_off
from shared.pipeline.workflow import Workflow
from shared.wire.headers import check_shape
from shared.wire.verification import accepted_schemes, verified_event, webhook_secrets

# Set (by the local emulator) to have the whole traceback of an unexpected exception printed on stderr too.
PRINT_TRACEBACKS = "CATCH_PRINT_TRACEBACKS"


def _execute(given: object, settings: object, workflow: Workflow, trace: Trace) -> Answer:
    _request = check_shape(given)
    config = Settings(settings)
    try:
        event, verified = verified_event(_request, webhook_secrets(config), accepted_schemes(config))
    except SignatureError as error:
        trace.shape = error.shape or "-"
        raise
    trace.scheme, trace.event = verified.scheme, event
    action = workflow.actions.get(event.type)
    if action is None:
        handled = "other event types" if len(workflow.actions) != 1 else "{} events".format(*workflow.actions)
        return Answer("skipped", 200, "This workflow handles {}, not {}.".format(handled, event.received_type), {})
    if workflow.switchable and event.type in switched_off(config):
        return Answer("skipped", 200, "{} events are switched off by {}.".format(event.received_type, SWITCH_SETTING),
                      {"event": event.received_type, "key": event.key})
    check_names(config, workflow.settings)
    config.check(workflow.settings_by_event[event.type])
    limits = execution_limits(config)
    check_room(*limits, action.calls)
    budget = trace.budget = Budget(*limits)
    deliveries = Deliveries(settings if isinstance(settings, dict) else {}, dedupe_window(config))
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


def _where(error: Exception) -> str:
    """The exception's type and where our code raised it, the innermost frame of the pasted file (or of
    shared/ and workflows/ when they run as modules): its function and line, never a value. The local
    emulator sets `PRINT_TRACEBACKS` to also have the whole traceback on stderr."""
    import os  # here, not at the top: a rejection in a bare interpreter (-S) never imports it

    ours, frame = None, error.__traceback__
    while frame is not None:
        name = str(frame.tb_frame.f_globals.get("__name__", ""))
        if frame.tb_frame.f_globals is globals() or name.startswith(("shared.", "workflows.")):
            ours = frame
        frame = frame.tb_next
    if os.environ.get(PRINT_TRACEBACKS):
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__)
    if ours is None:
        return type(error).__name__
    return "{} at={}:{}".format(type(error).__name__, ours.tb_frame.f_code.co_name, ours.tb_lineno)




def run(_request: object, settings: object, workflow: Workflow) -> CatchResponse:
    """Verify, parse and check the request, call the action `workflow` has for its event type, and answer.

    Answers: `rejected` (401 bad signature, 400 malformed; the handler never
    runs), `skipped` (200), `ok` (200), `failed` (500, or 502/503 when a
    redelivery could help). Logs one line, and neither it nor the body holds a
    secret or full personal data.
    """
    started = time.perf_counter()
    trace = Trace()
    try:
        answer = _execute(_request, settings, workflow, trace)
    except CatchError as error:
        details: dict[str, object] = {"calls": trace.calls} if trace.budget is not None else {}
        if trace.event is not None:
            details["event"] = trace.event.received_type
        answer = Answer(error.status, error.status_code, error.reason, details)
    except Exception as error:  # the contract: workflow() never raises
        trace.error = _where(error)
        answer = Answer("failed", 500, "Unexpected {} in the workflow.".format(type(error).__name__), {})
    secrets = secrets_in(settings, workflow.settings)
    details = {name: shown(value, secrets) for name, value in answer.details.items()}
    response = catch_response(answer.status, answer.status_code, shown_text(answer.reason, secrets), **details)
    log_line(workflow.name, answer.status_code, str(response["body"]), trace, time.perf_counter() - started)
    return response
