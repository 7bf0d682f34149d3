"""Texts the company writes in the console, with placeholders such as `{first_name}`.

Exactly `{name}` for a name the text is given is a placeholder; nothing else is interpreted: an unknown
name, an attribute or an index (`{first_name.__class__}`, `{0}`) or a brace that opens or closes nothing
(`{{` included) is a problem, found before any call with its line and column. A value is inserted once
and never read again, so a name holding `{company}` stays as written. A placeholder whose value is
empty takes the spaces before it along, so that `Hello {first_name},` reads `Hello,` without a name.
"""
from __future__ import annotations

import re

from shared.core.records import Record

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_BRACE = re.compile(r"[{}]")
_BRACED = re.compile(r"\{([^{}\n]*)\}")  # up to the next brace or line break, so read once


class TemplateProblem(Record):
    """What is wrong in a text, and where: 1-based line and column."""

    what: str
    line: int
    column: int

    def __str__(self) -> str:
        return "{} (line {}, column {})".format(self.what, self.line, self.column)


def problems(text: str, names: tuple[str, ...]) -> list[TemplateProblem]:
    """Every problem of `text` as a template whose placeholders are `names`, in the order they occur.
    One pass: each brace is read once, and what lies between two braces once."""
    found = []
    position = line = line_start = scanned = 0
    for brace in _BRACE.finditer(text):
        start = brace.start()
        if start < position:  # inside a pair of braces already read
            continue
        braced = _BRACED.match(text, start)
        if braced and braced.group(1) in names:
            position = braced.end()
            continue
        if text[start] == "}":
            what = "a closing brace that closes nothing"
        elif braced is None:
            what = "an opening brace that closes nowhere on its line"
        else:
            inside = braced.group(1) if len(braced.group(1)) <= 40 else braced.group(1)[:39] + "\u2026"
            what = "{{{}}} is not a placeholder".format(inside)
            position = braced.end()
        line += text.count("\n", scanned, start)
        line_start = max(line_start, text.rfind("\n", scanned, start) + 1)
        scanned = start
        found.append(TemplateProblem(what, line + 1, start - line_start + 1))
    return found


def render(text: str, values: dict[str, str]) -> str:
    """`text` with each placeholder replaced by its value (the text has no problem: see `problems`)."""
    pieces: list[str] = []
    position = 0
    for placeholder in _PLACEHOLDER.finditer(text):
        pieces.append(text[position:placeholder.start()])
        value = values[placeholder.group(1)]
        if not value and pieces:
            pieces[-1] = pieces[-1].rstrip(" \t")
        pieces.append(value)
        position = placeholder.end()
    pieces.append(text[position:])
    return "".join(pieces)
