"""A setting whose name is almost one a workflow reads is a mistake, and it fails closed: `DRYRUN=true`
would otherwise send real email, and `DISABLED_EVENT` switch nothing off.

Almost: the same name in another case or with `-` for `_`, or within two letters of it (one added,
dropped, changed, or two swapped). A name that resembles none (a note, a key of the platform's such as
`__workflow_id`, one starting with `_`) is no mistake, nor is a name the workflow reads, whether it
names it or finds it by pattern (`ACK_BODY_IT`).
"""
import re

from shared.core.errors import ConfigError
from shared.core.settings import Settings, SettingsSpec

MAX_EDITS = 2
MIN_COMPARED_CHARS = 6  # shorter names are too close to too many to say which was meant


def _normal(name: str) -> str:
    return name.upper().replace("-", "_")


def _edits(a: str, b: str) -> int:
    """Letters added, dropped, changed or two swapped to turn `a` into `b` (optimal string alignment),
    counted no further than `MAX_EDITS + 1`."""
    if abs(len(a) - len(b)) > MAX_EDITS:
        return MAX_EDITS + 1
    before, row = None, list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (char != other))
            if before is not None and i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def meant(name: str, spec: SettingsSpec) -> "str | None":
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
