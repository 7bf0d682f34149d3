"""Tests of builder/manifest.py, readme.py and output.py: the files a build writes, byte for byte
(the golden dist/ of tests/build_fixtures/happy), the same from any folder and hash seed, the
manifest and README.md's generated tables.

After a deliberate change to the output, refresh the golden files with
`python build.py --root tests/build_fixtures/happy`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from build_trees import BUILD_PY, HAPPY, REPO, cli, copy_happy, own_workflow
from builder.readme import SETTINGS_BEGIN, SETTINGS_END, WORKFLOWS_BEGIN, WORKFLOWS_END
from builder.setting_descriptions import SETTING_DESCRIPTIONS
from conftest import ROOT

DIST = ROOT / "dist"


def test_build_reproduces_the_golden_dist_of_the_happy_fixture(built_happy):
    built = sorted(path.name for path in (built_happy / "dist").iterdir())
    golden = sorted(path.name for path in (HAPPY / "dist").iterdir())
    assert built == golden == ["job_storing_success.py", "manifest.json", "profile_parsing_success.py"]
    for name in built:
        assert (built_happy / "dist" / name).read_bytes() == (HAPPY / "dist" / name).read_bytes(), name


def test_golden_dist_of_the_happy_fixture_passes_check_in_place():
    status, out, _ = cli(HAPPY, "--check")
    assert (status, out) == (0, "dist/ is up to date (2 workflow(s)).\n")


def test_manifest_describes_each_workflow_with_the_hash_of_its_file(built_happy):
    raw = (built_happy / "dist" / "manifest.json").read_text()
    manifest = json.loads(raw)
    assert raw == json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    entry = manifest["workflows"]["profile_parsing_success"]
    assert entry == {
        "description": "Summarise each parsed profile for the team.",
        "event_types": ["profile.parsing.success"],
        "families": [],
        "file": "profile_parsing_success.py",
        "one_of": [],
        "optional": ["subject"],
        "own_settings": ["api_key", "recipient", "subject"],
        "required": ["api_key", "recipient"],
        "sha256": hashlib.sha256((built_happy / "dist" / "profile_parsing_success.py").read_bytes()).hexdigest(),
        "sources": entry["sources"],  # see test_header_contents_give_the_line_of_each_part_...
        "version": "0.1.0",
    }
    assert manifest["workflows"]["job_storing_success"]["required"] == []
    assert manifest["settings"] == {}  # the fixture's settings are its workflows' own: none is described


def test_readme_workflows_table_is_generated_from_the_manifest_and_checked(tmp_path):
    root = copy_happy(tmp_path / "happy")
    (root / "README.md").write_text(f"# Intro\n\n{WORKFLOWS_BEGIN}\nstale\n{WORKFLOWS_END}\n\nOutro\n")
    assert cli(root)[0] == 0
    readme = (root / "README.md").read_text()
    assert "stale" not in readme and readme.startswith("# Intro\n") and readme.endswith("\nOutro\n")
    assert "| `profile_parsing_success.py` | `profile.parsing.success` |" in readme
    assert cli(root, "--check")[0] == 0
    (root / "README.md").write_text(readme.replace("profile.parsing.success", "profile.parsing.oops"))
    status, out, _ = cli(root, "--check")
    assert status == 1 and "README.md" in out


def test_readme_settings_table_holds_the_description_of_each_setting_read_and_is_checked(tmp_path):
    root = own_workflow(tmp_path, "mine", "EVENT_TYPE = 'job.storing.success'")
    source = root / "workflows" / "mine.py"
    source.write_text(source.read_text().replace("Settings()", "Settings(('DRY_RUN', 'MY_OWN'), ('SHORTLIST_SIZE',))"))
    (root / "README.md").write_text(f"# Settings\n\n{SETTINGS_BEGIN}\nstale\n{SETTINGS_END}\n\nOutro\n")
    assert cli(root)[0] == 0
    readme = (root / "README.md").read_text()
    assert readme == (
        f"# Settings\n\n{SETTINGS_BEGIN}\n| key | meaning | default |\n|---|---|---|\n"
        f"| `SHORTLIST_SIZE` | {SETTING_DESCRIPTIONS['SHORTLIST_SIZE'].meaning} | 5 |\n"
        f"| `DRY_RUN` | {SETTING_DESCRIPTIONS['DRY_RUN'].meaning} | false |\n"
        f"{SETTINGS_END}\n\nOutro\n"
    )
    manifest = json.loads((root / "dist" / "manifest.json").read_text())
    assert manifest["settings"] == {
        key: {"meaning": SETTING_DESCRIPTIONS[key].meaning, "default": SETTING_DESCRIPTIONS[key].default}
        for key in ("DRY_RUN", "SHORTLIST_SIZE")
    }
    assert manifest["workflows"]["mine"]["own_settings"] == ["MY_OWN"]
    assert cli(root, "--check")[0] == 0
    (root / "README.md").write_text(readme.replace("| 5 |", "| 6 |"))
    status, out, _ = cli(root, "--check")
    assert status == 1 and "README.md" in out and "+| `SHORTLIST_SIZE`" in out


# --- determinism ----------------------------------------------------------------------------------


def build_in_subprocess(source_root: Path, copy_to: Path, cwd: Path, hash_seed: str) -> dict[str, bytes]:
    """Copy shared/ and workflows/ to ``copy_to`` and build them there with build.py, from ``cwd``; return
    dist/ as bytes by name."""
    for folder in ("shared", "workflows"):
        shutil.copytree(source_root / folder, copy_to / folder, ignore=shutil.ignore_patterns("__pycache__"))
    cwd.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-B", str(BUILD_PY), "--root", str(copy_to)]
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return {path.name: path.read_bytes() for path in sorted((copy_to / "dist").iterdir())}


@pytest.mark.slow
def test_two_builds_from_other_folders_and_hash_seeds_are_identical_to_the_golden_files(tmp_path):
    first = build_in_subprocess(HAPPY, tmp_path / "a" / "happy", tmp_path, "1")
    second = build_in_subprocess(HAPPY, tmp_path / "b" / "elsewhere", tmp_path / "b" / "cwd", "4242")
    assert first == second
    assert first == {path.name: path.read_bytes() for path in sorted((HAPPY / "dist").iterdir())}


@pytest.mark.slow
def test_two_builds_of_the_real_workflows_are_identical(tmp_path):
    if not any(path for path in (REPO / "workflows").glob("[!_]*.py")):
        pytest.skip("workflows/ has no workflow yet")
    first = build_in_subprocess(REPO, tmp_path / "a" / "repo", tmp_path, "1")
    second = build_in_subprocess(REPO, tmp_path / "b" / "repo", tmp_path / "b", "99")
    assert first == second and "manifest.json" in first


@pytest.mark.slow
def test_out_writes_the_very_bytes_of_dist(tmp_path):
    done = subprocess.run(
        [sys.executable, "build.py", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == {
        path.name: path.read_bytes() for path in DIST.iterdir()
    }
