"""Which settings keys a workflow reads."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Settings", "missing_keys"]


@dataclass(frozen=True)
class Settings:
    """Settings keys, required and optional."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


def missing_keys(settings: Settings, given: dict) -> list[str]:
    # Sorted, so that messages are stable.
    return sorted(key for key in settings.required if not given.get(key))
