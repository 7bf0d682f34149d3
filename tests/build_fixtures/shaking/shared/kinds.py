"""Every way a top-level definition is reached from a workflow, and some that are not."""
import json
import os  # only `left_out_function` uses it, so it goes with it
from typing import NamedTuple

from .base import alias_only_target as unused_alias
from .base import helper as aliased_helper

REGISTRY = []
DEFAULT_LIMIT = 3  # reached only as a default argument
CLASS_CONSTANT = "from a class body"  # reached only from a class body
DECORATED = []  # reached only from a decorator


def leaf() -> str:
    return "leaf"


def middle() -> str:
    return leaf() + " via middle"


def entry() -> str:
    """The workflow calls this; it reaches middle, then leaf."""
    return middle()


def register(function):
    """Reached only as a decorator."""
    DECORATED.append(function.__name__)
    return function


@register
def decorated() -> str:
    return "decorated"


def limited(limit: int = DEFAULT_LIMIT) -> int:
    return limit


class Shape(NamedTuple):
    """Reached; its body reads CLASS_CONSTANT."""

    label: str = CLASS_CONSTANT


class OnlyInAStringAnnotation:
    """Left out: only a string annotation names it."""


def typed(value: "OnlyInAStringAnnotation") -> str:
    return "typed"


def registered() -> str:
    return "registered"


# A module-level statement: always kept, and what it uses with it.
REGISTRY.append(registered)


# A comment that belongs to the function below and goes with it.
def left_out_function() -> str:
    return os.sep


def uses_alias() -> str:
    return aliased_helper()


def dumps(value) -> str:
    return json.dumps(value)
