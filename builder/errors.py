"""The build's one error: a problem in the sources, said where it is."""
from __future__ import annotations


class BuildError(Exception):
    """A problem in the sources, shown as ``path:line: reason`` (``path: reason`` without a line)."""

    def __init__(self, path: str, line: int | None, reason: str):
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")
