"""Typed immutable records that cost nothing at run time.

Subclass `Record` with annotated fields, as `typing.NamedTuple` is subclassed: mypy reads it as
`typing.NamedTuple` and checks every field's type; a workflow runs it as `collections.namedtuple`,
which a rejection has already imported (through `json` and `re`). Importing `typing` instead made a
cold start that rejects a forgery 5 ms slower, 10% (49.4 against 54.4 ms, medians of 41 fresh
`python -I -S` each, dist/profile_parsing_success.py built both ways; 1.3 ms where a site .pth file
preloads `typing`). Fields, defaults, methods, properties and the
docstring are those of the class body.
"""
from __future__ import annotations

from shared.core.typecheck import TYPE_CHECKING

__all__ = ["Record"]

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    from collections import namedtuple

    class _RecordType(type):
        """Makes each subclass of `Record` a `namedtuple` of its annotated fields, with its body."""

        def __new__(mcs, name, bases, namespace):
            if not bases:  # `Record` itself
                return super().__new__(mcs, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = tuple(namespace[field] for field in fields if field in namespace)
            base = namedtuple(name, fields, defaults=defaults, module=namespace.get("__module__"))
            body = {key: value for key, value in namespace.items() if key not in fields and key != "__annotations__"}
            return type(name, (base,), dict(body, __slots__=()))

    class Record(metaclass=_RecordType):
        """The base of typed records."""
