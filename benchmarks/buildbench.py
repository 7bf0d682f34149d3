"""`python build.py`, cold, in a fresh process, on copies of shared/ and workflows/.

The scaling row builds twice as many workflows in one root (each workflow, and
a copy of it under another name, as a user's own workflow would be) against the
workflows alone, each in a fresh process.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from harness import ROOT
from report import Row, ratio_row, seconds, section, verdict
from timing import PYTHON, Profile, child_env, compare_commands, wall_time

BUILD_PY = ROOT / "build.py"
WALL_LIMIT = 1.0
SCALING_LIMIT = 2.2


def _copy_root(parent: Path, name: str, doubled: bool = False) -> Path:
    """A root holding copies of shared/ and workflows/, without bytecode caches; `doubled`, each
    workflow also copied as `<name>_copy.py`."""
    root = parent / name
    for folder in ("shared", "workflows"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if doubled:
        for path in sorted((root / "workflows").glob("[!_]*.py")):
            shutil.copy(path, path.with_name(path.stem + "_copy.py"))
    return root


def _cold(command: list[str], root: Path) -> float:
    """Wall seconds of `command` after removing the root's output, so every run writes all files."""
    shutil.rmtree(root / "dist", ignore_errors=True)
    return wall_time(command, cwd=str(ROOT), env=child_env())


def build_rows(profile: Profile) -> list[Row]:
    rows = [section("python build.py, cold (fresh process, output folder removed before each run), on copies of "
                    "shared/ and workflows/ (note 8)")]
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        first, doubled = _copy_root(Path(folder), "a"), _copy_root(Path(folder), "b", doubled=True)
        count = len(list((first / "workflows").glob("[!_]*.py")))
        script = [PYTHON, str(BUILD_PY), "--root", str(first), "--out", "dist"]
        runs = [_cold(script, first) for _ in range(max(3, profile.heavy_pairs))]
        wall = statistics.median(runs)
        built = len(list((first / "dist").glob("*.py")))
        rows.append(Row(f"python build.py: {count} workflows", seconds(wall), "", "",
                        f"≤ {WALL_LIMIT:g} s", verdict(wall <= WALL_LIMIT and built == count),
                        "{} files built; runs: {}".format(built, " ".join(f"{run:.2f}" for run in runs))))
        twice = [PYTHON, str(BUILD_PY), "--root", str(doubled), "--out", "dist"]
        timed = compare_commands(lambda: _cold(twice, doubled), lambda: _cold(script, first),
                                 max(2, profile.heavy_pairs))
        rows.append(ratio_row(f"{2 * count} workflows (each, and a copy) vs {count}, in one root", *timed,
                              SCALING_LIMIT))
    return rows


def dist_status(dist: Path) -> str:
    """Whether `dist` matches what build.py makes of the sources now (`python build.py --check --out DIST`)."""
    completed = subprocess.run([PYTHON, str(BUILD_PY), "--check", "--out", str(dist)], cwd=str(ROOT), env=child_env(),
                               capture_output=True, text=True, check=False)
    if completed.returncode == 0:
        return "up to date with the sources"
    return f"STALE or unbuildable (python build.py --check exits {completed.returncode}): run `python build.py`"
