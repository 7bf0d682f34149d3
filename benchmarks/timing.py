"""Measuring: interleaved medians in process, and wall times of fresh processes.

Every comparison times the subject and its baseline alternately, block after
block, so that a slow patch of a noisy machine hits both, then reports the
median time per operation of each. A single timing is never reported.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Sequence
from typing import Callable, NamedTuple


class Profile(NamedTuple):
    """How hard to measure: repetitions of each side and the time one block of calls should take."""

    name: str
    repeats: int  # timed blocks per side, in process
    block_seconds: float  # target duration of one block of calls
    process_pairs: int  # fresh-process runs per side (cold start)
    heavy_pairs: int  # fresh-process runs per side for slow commands (build, memory)
    e2e_repeats: int  # end-to-end events per action


QUICK = Profile("quick", repeats=7, block_seconds=0.002, process_pairs=5, heavy_pairs=1, e2e_repeats=3)
FULL = Profile("full", repeats=101, block_seconds=0.005, process_pairs=41, heavy_pairs=7, e2e_repeats=41)


class Comparison(NamedTuple):
    """Median seconds per operation of a subject and of its baseline, measured together."""

    subject: float
    baseline: float

    @property
    def ratio(self) -> float:
        return self.subject / self.baseline


def calls_per_block(func: Callable[[], object], block_seconds: float) -> int:
    """How many calls of `func` take about `block_seconds` (at least one)."""
    timer = timeit.Timer(func)
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= block_seconds / 4 or number >= 1 << 24:
            return max(1, int(number * block_seconds / max(elapsed, 1e-9)))
        number *= 4


def compare(subject: Callable[[], object], baseline: Callable[[], object], profile: Profile) -> Comparison:
    """Time `subject` and `baseline` in alternating blocks; medians of the per-call times."""
    sides = [(timeit.Timer(func), calls_per_block(func, profile.block_seconds), []) for func in (subject, baseline)]
    for repeat in range(profile.repeats):
        order = sides if repeat % 2 == 0 else sides[::-1]
        for timer, number, samples in order:
            samples.append(timer.timeit(number) / number)
    return Comparison(*(statistics.median(samples) for _, _, samples in sides))


def wall_time(command: Sequence[str], cwd: str | None = None, env: dict | None = None) -> float:
    """Seconds for one run of `command` in a fresh process, which must succeed."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError("{} failed ({}): {}".format(" ".join(command[:4]), completed.returncode,
                                                       completed.stderr.decode(errors="replace")[-800:]))
    return elapsed


def compare_commands(subject: Callable[[], float], baseline: Callable[[], float], pairs: int) -> Comparison:
    """Run two process-level measurements alternately, `pairs` times each; their medians."""
    subjects: list[float] = []
    baselines: list[float] = []
    for index in range(pairs):
        if index % 2 == 0:
            subjects.append(subject())
            baselines.append(baseline())
        else:
            baselines.append(baseline())
            subjects.append(subject())
    return Comparison(statistics.median(subjects), statistics.median(baselines))


def child_env() -> dict:
    """The environment for fresh interpreters: ours, without variables that change how Python starts."""
    return {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}


PYTHON = sys.executable
