"""Which settings keys a workflow reads."""
from __future__ import annotations

from collections import namedtuple

__all__ = ["Settings", "missing_keys"]


class Settings(namedtuple("Settings", ("required", "optional"), defaults=((),))):
    """Settings keys, required and optional (a named tuple: Catch runs a paste in a namespace that is
    no module, where a dataclass cannot look its module up)."""

    __slots__ = ()


def missing_keys(settings: Settings, given: dict) -> list[str]:
    # Sorted, so that messages are stable.
    return sorted(key for key in settings.required if not given.get(key))
