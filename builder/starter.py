"""`python build.py new`: the starter of a workflow of the user's own, and its test, never written over
an existing file. A starter begins with one of the shared actions, by default its event type's in
`shared.actions.defaults.DEFAULT_ACTIONS`, or one the user names that can handle its event type."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Callable, NamedTuple

from builder.contract import WORKFLOW_NAME
from builder.errors import BuildError
from builder.output import relative
from shared.actions.defaults import DEFAULT_ACTIONS
from shared.wire.catalogue import CATALOGUE, EventType

# The stages after whose error HrFlow cannot return the object: the catalogue says so ("The Profile cannot
# be retrieved"), and an action that fetches it would always skip.
UNRETRIEVABLE_ERRORS = ("parsing", "storing")


def retrievable(spec: EventType) -> bool:
    """Whether HrFlow can return the profile or job after an event of this type."""
    return not (spec.status == "error" and spec.stage in UNRETRIEVABLE_ERRORS)


class Starter(NamedTuple):
    """An action a starter can begin with: where shared/ defines it (the action, or a table of actions by
    subject, such as `SHORTLIST`), what a workflow doing it does, for its docstring, the event types it can
    handle, read from what its code does, and what it `needs` of an event, and why, for a refusal."""
    module: str
    constant: str
    what: str
    handles: Callable[[EventType], bool]
    needs: str


STARTERS = {
    "acknowledge": Starter(
        "shared.actions.acknowledge", "ACKNOWLEDGE", "thank each new candidate by email",
        lambda spec: spec.subject.name == "profile" and retrievable(spec),
        "a profile event after which HrFlow can return the profile, whose candidate it thanks"),
    "notify": Starter(
        "shared.actions.notify", "NOTIFY", "email the team a summary of the {subject}", retrievable,
        "an event after which HrFlow can return the profile or job it summarizes, not a parsing or storing error"),
    "shortlist": Starter(
        "shared.actions.shortlist", "SHORTLIST", "email the team the best-matching {matches}s",
        lambda spec: spec.stage == "scoring" and spec.status != "error",
        "a scoring success or update event, the only ones that say the profile or job is ready to be scored"),
    "alert": Starter(
        "shared.actions.alert", "ALERT", "email the team what failed and what to do",
        lambda spec: spec.status == "error",
        "an error event, since its email says what failed and what to do"),
}
STARTER = '''"""{title}: {what} ({event_type}).

Started by `python build.py new`: replace ACTION by your own `Action(handler,
settings, calls)` to change what it does (README, "Write your own workflow"), then
run `python build.py` and `python -m pytest tests/test_{name}.py`.
"""
from {module} import {constant}
from shared.pipeline.run import run
from shared.pipeline.workflow import Workflow

EVENT_TYPE = "{event_type}"
ACTION = {action}
WORKFLOW = Workflow("{name}", {{EVENT_TYPE: ACTION}})
SETTINGS = WORKFLOW.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, WORKFLOW)
'''
STARTER_TEST = '''"""Tests of workflows/{name}.py, started by `python build.py new`: the real SDKs against the
fake HrFlow and Mandrill of tests/conftest.py. Extend them as the workflow grows."""
from __future__ import annotations

import json

from conftest import {keys}, WEBHOOK_SECRET
from localcatch.samples import catch_request, sample_event
from workflows.{name} import EVENT_TYPE, workflow


def deliver(settings, secret=WEBHOOK_SECRET):
    event = sample_event(EVENT_TYPE, key={key}, container_key={container_key})
    response = workflow(catch_request(event, secret), settings)
    return response["status_code"], json.loads(response["body"])


def test_a_signed_event_is_acted_on_with_one_email(settings, fake_hrflow, fake_mandrill):
    code, body = deliver(settings)
    assert (code, body["status"]) == (200, "ok"), body
    assert len(fake_mandrill.sent) == 1


def test_a_forged_event_is_rejected_without_any_call(settings, fake_hrflow, fake_mandrill):
    code, body = deliver(settings, secret="not-the-webhook-secret")
    assert (code, body["status"]) == (401, "rejected")
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0
'''


def begins_with(starter: Starter, subject: str) -> tuple[object, str]:
    """The action a starter begins with for an event about `subject`, and the expression naming it."""
    action = getattr(importlib.import_module(starter.module), starter.constant)
    if isinstance(action, dict):
        return action[subject], f'{starter.constant}["{subject}"]'
    return action, starter.constant


def default_starter(event_type: str) -> str:
    """The starter that begins with the event type's default action."""
    subject = CATALOGUE[event_type].subject.name
    for name, starter in STARTERS.items():
        if begins_with(starter, subject)[0] is DEFAULT_ACTIONS[event_type]:
            return name
    raise BuildError("shared/actions/defaults.py", None, f"no starter begins with the default action of "
                                                         f"{event_type}; name one with --action")


def cannot_handle(action: str, event_type: str) -> str:
    """Why the starter `action` cannot handle `event_type`, naming those that can."""
    can = [f"{name} (its default)" if name == default_starter(event_type) else name
           for name, starter in STARTERS.items() if starter.handles(CATALOGUE[event_type])]
    choices = " or ".join(filter(None, [", ".join(can[:-1]), can[-1]]))
    return (f"{action} cannot handle {event_type}: it needs {STARTERS[action].needs}. For {event_type}, choose "
            f"{choices}.")


def starter_files(root: Path, name: str, event_type: str, action: str) -> dict[Path, str]:
    """The starter workflow and its test, or a `BuildError` if the name is taken or not valid, or the action
    cannot handle the event type."""
    workflow_path, test_path = root / "workflows" / f"{name}.py", root / "tests" / f"test_{name}.py"
    if not WORKFLOW_NAME.fullmatch(name):
        raise BuildError(f"workflows/{name}.py", None, "the name must be snake_case: lower-case letters and digits, "
                                                       "words joined by '_'")
    if event_type not in CATALOGUE:
        raise BuildError(f"workflows/{name}.py", None, f"{event_type!r} is not an event type")
    if not STARTERS[action].handles(CATALOGUE[event_type]):
        raise BuildError(f"workflows/{name}.py", None, cannot_handle(action, event_type))
    for path in (workflow_path, test_path):
        if path.exists():
            raise BuildError(relative(root, path), None, "already exists; nothing is written over it")
    subject = CATALOGUE[event_type].subject
    starter = STARTERS[action]
    fields = {"name": name, "event_type": event_type, "module": starter.module, "constant": starter.constant,
              "action": begins_with(starter, subject.name)[1], "title": action.capitalize(),
              "what": starter.what.format(subject=subject.name, matches=subject.matches)}
    key, container = f"{subject.name.upper()}_KEY", f"{subject.container.upper()}_KEY"  # names in conftest.py
    return {workflow_path: STARTER.format(**fields),
            test_path: STARTER_TEST.format(name=name, keys=", ".join(sorted((key, container))), key=key,
                                           container_key=container)}


def command_new(argv: list[str], default_root: Path) -> int:
    """`python build.py new NAME --event TYPE [--action ...]`: write a starter, never over a file."""
    parser = argparse.ArgumentParser(prog="build.py new", description="Write workflows/NAME.py, a starter workflow "
                                     "for one event type, and tests/test_NAME.py; never over an existing file.")
    parser.add_argument("name", metavar="NAME", help="the workflow's name, snake_case (e.g. managers_new_jobs)")
    parser.add_argument("--event", required=True, metavar="TYPE", choices=sorted(CATALOGUE),
                        help="the event type it handles, e.g. job.storing.success")
    parser.add_argument("--action", choices=sorted(STARTERS),
                        help="what it starts doing (default: the event type's default action); one that "
                             "cannot handle the event type is refused, naming those that can")
    parser.add_argument("--root", help="folder holding shared/ and workflows/ (default: the folder of build.py)")
    args = parser.parse_args(argv)
    root = Path(args.root) if args.root else default_root
    try:
        files = starter_files(root, args.name, args.event, args.action or default_starter(args.event))
    except BuildError as exc:
        print(f"{exc}\nnothing written", file=sys.stderr)
        return 1
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {relative(root, path)}")
    print(f"next: edit workflows/{args.name}.py, then `python build.py` and "
          f"`python -m pytest tests/test_{args.name}.py`")
    return 0
