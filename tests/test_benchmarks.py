"""The benchmarks run to the end: `--quick` exits 0, its table has every section and at least 40 verdicts, and no
benchmark failed to run (0 ERROR). Not a timed test: PASS and MISS are information, never asserted, since a
shared machine's timings are no test."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent

COLUMNS = ("what", "subject", "baseline", "ratio", "target", "result")
SECTIONS = (
    "reject a forged request",
    "accept and parse a valid event",
    "vs the hrflow SDK",
    "vs standardwebhooks",
    "cold start",
    "end to end",
    "build.py",
    "peak RSS",
    "redact, in process",
    "hostile sizes",
    "the candidate's email",
)


def test_quick_benchmark_run_prints_the_table():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = completed.stdout
    assert completed.returncode == 0, out[-2000:] + completed.stderr[-3000:]
    assert out.startswith("HrFlow Catch workflow benchmarks (quick run)")
    assert "\nPython " in out and "\nRepetitions" in out
    table_header = next(line for line in out.splitlines() if line.lstrip().startswith("#"))
    assert all(column in table_header for column in COLUMNS)
    for title in SECTIONS:
        assert title in out, title
    verdicts = [line.split("|")[6].strip() for line in out.splitlines() if line.count("|") >= 7 and "#" not in line]
    assert len(verdicts) >= 40 and set(verdicts) <= {"PASS", "MISS"}, verdicts
    assert " 0 ERROR" in out.splitlines()[-1]
