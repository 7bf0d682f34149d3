"""A built workflow file as the commands use it: loaded by the one loader, `localcatch/loading.py`, and the
event types it says it handles."""
from __future__ import annotations

from typing import Any

from localcatch import loading
from localcatch.errors import CliError, WorkflowFileError
from localcatch.log import location
from shared.wire.catalogue import CATALOGUE


def load_namespace(path: str) -> dict[str, Any]:
    """The namespace the file leaves, loaded by the one loader as the Catch editor runs what is pasted; it must
    define `workflow`."""
    try:
        namespace = loading.load(path)
    except Exception as error:  # whatever the file's own code raises
        reason = "The workflow file cannot be loaded: {} at {}.".format(type(error).__name__, location(error))
        raise WorkflowFileError(reason) from None
    if not callable(namespace.get("workflow")):
        raise WorkflowFileError("The workflow file defines no workflow function.")
    return namespace


def handled_types(namespace: dict[str, Any]) -> tuple[str, ...]:
    """The event types a loaded workflow file says it handles: its `EVENT_TYPE`, or its `EVENT_TYPES`."""
    one, several = namespace.get("EVENT_TYPE"), namespace.get("EVENT_TYPES")
    if isinstance(one, str):
        return (one,)
    if isinstance(several, (tuple, list)) and all(isinstance(name, str) for name in several):
        return tuple(several)
    return ()


def chosen_event_type(given: str | None, handled: tuple[str, ...], path: str) -> str:
    """The event type to send: the one given, else the one the file handles; a `CliError` listing the
    choices when it handles several or none."""
    if given:
        return given
    if len(handled) == 1:
        return handled[0]
    if handled:
        raise CliError("{} handles {} event types: name the one to send, among {}".format(
            path, len(handled), ", ".join(handled)))
    raise CliError("{} handles no event type of its own: name the one to send it, among {}".format(
        path, ", ".join(CATALOGUE)))
