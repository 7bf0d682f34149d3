"""Rows of the one table `run.py` prints, and how numbers are written in it."""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Row(NamedTuple):
    """One line of the table; a row with only `what` set is a section heading."""

    what: str
    subject: str = ""
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    result: str = ""
    detail: str = ""


COLUMNS = ("#", "what", "subject", "baseline", "ratio", "target", "result", "detail")


def section(title: str) -> Row:
    return Row(title)


def seconds(value: float) -> str:
    """A duration with a unit that keeps 3 significant digits readable (negative for a saving)."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale * 0.9995:  # 999.7 µs reads 1 ms, not 1e+03 µs
            return f"{sign}{value / scale:.3g} {unit}"
    return f"{sign}{value / 1e-9:.3g} ns"


def megabytes(kilobytes: float) -> str:
    return f"{kilobytes / 1024:.1f} MB"


def times(ratio: float) -> str:
    return f"{ratio:.2f}×"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def ratio_row(what: str, subject: float, baseline: float, limit: float, detail: str = "",
              fmt=seconds, target: str | None = None) -> Row:
    """A row that passes when subject / baseline, as shown (2 decimals), is at most `limit`."""
    ratio = subject / baseline
    return Row(what, fmt(subject), fmt(baseline), times(ratio), target or f"≤ {limit:g}×",
               verdict(round(ratio, 2) <= limit), detail)


def render(rows: Sequence[Row]) -> str:
    """The rows as one plain-text table, section headings spanning the width, rows numbered."""
    numbered: list[Sequence[str]] = []
    number = 0
    for row in rows:
        if row.subject or row.result:
            number += 1
            numbered.append((str(number),) + tuple(row))
        else:
            numbered.append((None, row.what))
    widths = [len(name) for name in COLUMNS]
    for cells in numbered:
        if cells[0] is not None:
            widths = [max(width, len(cell)) for width, cell in zip(widths, cells)]
    rule = "+".join("-" * (width + 2) for width in widths)
    lines = [_line(COLUMNS, widths), rule]
    for cells in numbered:
        lines.append(_line(cells, widths) if cells[0] is not None else "== " + cells[1])
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    right = {0, 2, 3, 4}
    return "|".join(" " + (cell.rjust(width) if index in right else cell.ljust(width)) + " "
                    for index, (cell, width) in enumerate(zip(cells, widths))).rstrip()
