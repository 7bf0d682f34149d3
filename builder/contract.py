"""What a workflow declares, read from the namespace its built file leaves: its event types (each one of
`shared.wire.catalogue.CATALOGUE`), the settings keys it reads (`SETTINGS`, and `SETTINGS_BY_EVENT` for a workflow of
several event types), its `workflow` entry point, and the docstring whose first line describes it."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, NoReturn

from builder.errors import BuildError
from builder.sources import Module
from shared.wire.catalogue import CATALOGUE

WORKFLOW_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# The catalogue's names in short, for errors: "{profile,job}.{parsing,...}.{success,update,error}".
CATALOGUE_SHAPE = ".".join("{" + ",".join(dict.fromkeys(words)) + "}"
                           for words in zip(*(name.split(".") for name in CATALOGUE)))

Fail = Callable[..., NoReturn]


@dataclass(frozen=True)
class Keys:
    """The settings keys a workflow (or one of its event types) reads: those it needs, groups of
    which it needs one (a setting and its fallback), and those it can do without; each sorted."""
    required: tuple[str, ...]
    one_of: tuple[tuple[str, ...], ...]
    optional: tuple[str, ...]
    families: tuple[str, ...] = ()  # patterns of the keys it finds by name, such as ACK_BODY_<LANGUAGE>


@dataclass(frozen=True)
class Contract:
    """What a workflow declares: its name (file stem), its event types, what it does (the first line of
    its docstring) and the settings it reads."""
    name: str
    event_types: tuple[str, ...]
    description: str
    keys: Keys
    keys_by_event: dict[str, Keys]  # for a workflow of several event types that declares SETTINGS_BY_EVENT


def declared_event_types(namespace: dict[str, object], fail: Fail) -> tuple[str, ...]:
    """The event types the workflow's code declares, each checked against the catalogue."""
    has_one, has_many = "EVENT_TYPE" in namespace, "EVENT_TYPES" in namespace
    if has_one == has_many:
        fail("must declare EVENT_TYPE = '<event type>' or EVENT_TYPES = (<event types>,), one of the two",
             "EVENT_TYPES" if has_many else "EVENT_TYPE")
    symbol = "EVENT_TYPE" if has_one else "EVENT_TYPES"
    declared = (namespace["EVENT_TYPE"],) if has_one else namespace["EVENT_TYPES"]
    if not isinstance(declared, (tuple, list)) or not all(isinstance(item, str) for item in declared):
        fail(f"{symbol} must be {'a str' if has_one else 'a tuple of str'}, not {type(namespace[symbol]).__name__}",
             symbol)
    for item in declared:
        if item not in CATALOGUE:
            fail(f"{item!r} is not an event type: the catalogue has {CATALOGUE_SHAPE}", symbol)
    if len(set(declared)) != len(declared):
        fail(f"{symbol} names an event type twice", symbol)
    return tuple(declared)


def read_contract(workflow: Module, namespace: dict[str, object]) -> Contract:
    """Check the name, the event types, SETTINGS, workflow and the docstring."""
    name = PurePosixPath(workflow.path).stem

    def fail(reason: str, symbol: str = "") -> NoReturn:
        raise BuildError(workflow.path, workflow.bindings[symbol][0] if symbol in workflow.bindings else None, reason)

    if not WORKFLOW_NAME.fullmatch(name):
        fail("the file name must be snake_case: lower-case letters and digits, words joined by '_'")
    event_types = declared_event_types(namespace, fail)
    named_after = name.replace("_", ".")
    if named_after in CATALOGUE and event_types != (named_after,):
        fail(f"a file named after {named_after!r} must handle exactly that event type, not {list(event_types)!r}",
             "EVENT_TYPE" if "EVENT_TYPE" in namespace else "EVENT_TYPES")
    keys = read_keys(namespace.get("SETTINGS"), "SETTINGS", fail)
    by_event = namespace.get("SETTINGS_BY_EVENT", {})
    if not isinstance(by_event, dict) or (by_event and set(by_event) != set(event_types)):
        fail("SETTINGS_BY_EVENT must map each of the workflow's event types to its settings", "SETTINGS_BY_EVENT")
    keys_by_event = {event: read_keys(by_event[event], f"SETTINGS_BY_EVENT[{event!r}]", fail, "SETTINGS_BY_EVENT")
                     for event in event_types if event in by_event}
    if not callable(namespace.get("workflow")):
        fail("must define a callable 'workflow(request, settings)'", "workflow")
    docstring = ast.get_docstring(workflow.tree) or ""  # not __doc__: an inlined module may provide that
    if not docstring.strip():
        fail("needs a module docstring; its first line describes the workflow")
    return Contract(name, event_types, docstring.strip().split("\n")[0], keys, keys_by_event)


def read_keys(settings: object, what: str, fail: Fail, symbol: str = "SETTINGS") -> Keys:
    """The settings keys an object with `required`, `optional` and, if it has one, `one_of` declares."""
    declared: dict[str, tuple[str, ...]] = {}
    for need in ("required", "optional"):
        keys = getattr(settings, need, None)
        if not isinstance(keys, tuple) or not all(isinstance(key, str) for key in keys):
            fail(f"{what}.{need} must be a tuple of str, not {type(keys).__name__}", symbol)
        if not all(key.isidentifier() for key in keys):  # they go into the header comment
            fail(f"{what}.{need} must hold setting names (letters, digits, '_')", symbol)
        declared[need] = keys
    groups = getattr(settings, "one_of", ())
    if not isinstance(groups, tuple) or not all(
            isinstance(group, tuple) and group and all(isinstance(key, str) and key.isidentifier() for key in group)
            for group in groups):
        fail(f"{what}.one_of must be a tuple of tuples of setting names", symbol)
    families = getattr(settings, "families", ())
    if not isinstance(families, tuple) or not all(isinstance(family, str) for family in families):
        fail(f"{what}.families must be a tuple of patterns (str)", symbol)
    required, in_groups = set(declared["required"]), {key for group in groups for key in group}
    return Keys(tuple(sorted(required)), tuple(sorted({tuple(group) for group in groups})),
                tuple(sorted(set(declared["optional"]) - in_groups - required)), tuple(families))
