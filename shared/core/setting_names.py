"""A setting whose name is almost one a workflow reads is a mistake, and it fails closed: `DRYRUN=true`
would otherwise send real email, and `DISABLED_EVENT` switch nothing off.

Almost: the same name in another case or with `-` for `_`, or within two letters of it (one added,
dropped, changed, or two swapped). A name that resembles none (a note, a key of the platform's such as
`__workflow_id`, one starting with `_`) is no mistake, nor is a name the workflow reads, whether it
names it or finds it by pattern (`ACK_BODY_IT`).
"""
from __future__ import annotations

import re

from shared.core.errors import ConfigError
from shared.core.settings import Settings, SettingsSpec

MAX_EDITS = 2
MIN_COMPARED_CHARS = 6  # shorter names are too close to too many to say which was meant


def _normal(name: str) -> str:
    return name.upper().replace("-", "_")


def _edits(a: str, b: str) -> int:
    """Letters added, dropped, changed or two swapped to turn `a` into `b` (optimal string alignment),
    counted no further than `MAX_EDITS + 1`.

    Cheap enough to run on every setting of every execution: names whose letters differ by more than two
    edits can change are ruled out first (an edit adds or removes at most two letters from the set that
    differs), and only the cells within `MAX_EDITS` of the diagonal are computed, since any alignment
    through another costs more."""
    over = MAX_EDITS + 1
    if abs(len(a) - len(b)) > MAX_EDITS or len(set(a) ^ set(b)) > 2 * MAX_EDITS:
        return over
    before, row = [over] * (len(b) + 1), [min(j, over) for j in range(len(b) + 1)]
    for i, char in enumerate(a, 1):
        current = [min(i, over)] + [over] * len(b)
        for j in range(max(1, i - MAX_EDITS), min(len(b), i + MAX_EDITS) + 1):
            other = b[j - 1]
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)
            current[j] = min(cost, over)
        before, row = row, current
    return row[-1]


def meant(name: str, spec: SettingsSpec) -> str | None:
    """The key of `spec` that `name` almost is, when `name` is not one `spec` reads; else None."""
    if name.startswith("_") or name in spec.keys or any(re.fullmatch(family, name) for family in spec.families):
        return None
    normal = _normal(name)
    for key in spec.keys:
        if _normal(key) == normal:
            return key
    if len(normal) < MIN_COMPARED_CHARS:
        return None
    close = [key for key in spec.keys if len(key) >= MIN_COMPARED_CHARS and _edits(normal, key) <= MAX_EDITS]
    return min(close, key=lambda key: (_edits(normal, key), key)) if close else None


def check_names(settings: Settings, spec: SettingsSpec) -> None:
    """Refuse settings whose names are almost keys `spec` reads, naming each and what it was meant to be."""
    mistakes = [(name, meant(name, spec)) for name in settings.keys()]
    found = ["Setting {} is not one this workflow reads; did you mean {}?".format(name, key)
             for name, key in mistakes if key is not None]
    if found:
        raise ConfigError(" ".join(found))
