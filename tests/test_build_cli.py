"""Tests of builder/cli.py, through build.py: which workflows a build takes, `--check`, `--list`,
`--out`, and what each prints and exits with."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from build_trees import BUILD_PY, HAPPY, build, cli


def test_files_starting_with_an_underscore_are_not_workflows(built_happy):
    assert not (built_happy / "dist" / "_draft.py").exists()
    assert "_draft" not in (built_happy / "dist" / "manifest.json").read_text()


def test_check_passes_right_after_a_build(built_happy):
    assert cli(built_happy, "--check")[:2] == (0, "dist/ is up to date (2 workflow(s)).\n")


def test_check_fails_with_a_diff_when_a_dist_file_was_edited(built_happy):
    path = built_happy / "dist" / "job_storing_success.py"
    path.write_text(path.read_text().replace("return {", "return  {"))
    status, out, _ = cli(built_happy, "--check")
    assert status == 1
    assert "--- a/dist/job_storing_success.py\n+++ b/dist/job_storing_success.py\n" in out
    assert "\n-    return  {" in out and "\n+    return {" in out
    assert out.endswith("dist/ is out of date: run `python build.py` to rebuild it.\n")


def test_check_fails_when_a_dist_file_is_missing(built_happy):
    (built_happy / "dist" / "job_storing_success.py").unlink()
    status, out, _ = cli(built_happy, "--check")
    assert status == 1 and "--- /dev/null\n+++ b/dist/job_storing_success.py\n" in out


def test_check_fails_when_dist_has_a_python_file_no_workflow_produces(built_happy):
    (built_happy / "dist" / "job_parsing_error.py").write_text("print('stale')\n")
    status, out, _ = cli(built_happy, "--check")
    assert status == 1 and "--- a/dist/job_parsing_error.py\n+++ /dev/null\n" in out


def test_check_fails_when_a_source_changed_since_the_build(built_happy):
    source = built_happy / "shared" / "text.py"
    source.write_text(source.read_text().replace("Text helpers.", "Helpers for text."))
    status, out, _ = cli(built_happy, "--check")
    assert status == 1 and '+"""Helpers for text."""' in out and "manifest.json" in out


def test_full_build_removes_python_files_no_workflow_produces(built_happy):
    stale = built_happy / "dist" / "job_parsing_error.py"
    stale.write_text("print('stale')\n")
    status, out, _ = cli(built_happy)
    assert status == 0 and not stale.exists()
    assert "removed dist/job_parsing_error.py (no workflow produces it)" in out


def test_building_some_workflows_updates_only_their_manifest_entries(built_happy):
    for name in ("job_storing_success", "profile_parsing_success"):
        source = built_happy / "workflows" / f"{name}.py"
        source.write_text(source.read_text().replace('"""', '"""Changed: ', 1))
    (built_happy / "dist" / "job_parsing_error.py").write_text("print('left alone')\n")
    status, out, _ = cli(built_happy, "profile.parsing.success")
    assert status == 0 and "wrote dist/profile_parsing_success.py" in out
    entries = json.loads((built_happy / "dist" / "manifest.json").read_text())["workflows"]
    assert entries["profile_parsing_success"]["description"].startswith("Changed: ")
    assert entries["job_storing_success"]["description"] == "Count the words of each stored job."
    assert (built_happy / "dist" / "job_parsing_error.py").exists()
    assert cli(built_happy, "job_storing_success")[0] == 0
    entries = json.loads((built_happy / "dist" / "manifest.json").read_text())["workflows"]
    assert entries["job_storing_success"]["description"] == "Changed: Count the words of each stored job."


def test_out_folder_is_relative_to_the_root_and_holds_exactly_the_bytes_of_dist(built_happy, tmp_path):
    assert cli(built_happy, "--out", "build/catch")[0] == 0
    assert cli(built_happy, "--out", str(tmp_path / "elsewhere"))[0] == 0
    manifest = json.loads((built_happy / "build" / "catch" / "manifest.json").read_text())
    assert manifest["workflows"]["job_storing_success"]["file"] == "job_storing_success.py"  # beside the manifest
    for folder in (built_happy / "build" / "catch", tmp_path / "elsewhere"):
        assert {path.name: path.read_bytes() for path in folder.iterdir()} == {
            path.name: path.read_bytes() for path in (built_happy / "dist").iterdir()
        }


def test_list_prints_each_workflow_with_its_event_type_and_settings():
    status, out, _ = cli(HAPPY, "--list")
    assert status == 0
    assert out == (
        "job_storing_success  job.storing.success\n    required: (none)\n    optional: (none)\n"
        "profile_parsing_success  profile.parsing.success\n"
        "    required: api_key, recipient\n    optional: subject\n"
    )


def test_unknown_workflow_name_is_an_error():
    status, _, err = cli(HAPPY, "job.scoring.update")
    assert status == 1 and "workflows/job_scoring_update.py: no such workflow" in err


def test_help_describes_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build.main(["--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert all(option in out for option in ("--check", "--list", "--out", "--root", "NAME"))


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--list"], ["--check"]])
def test_output_into_a_pipe_closed_early_ends_quietly(args):
    reader, writer = os.pipe()
    os.close(reader)  # closed before anything is written, as `| head -c 1` may be: every write fails
    try:
        result = subprocess.run([sys.executable, str(BUILD_PY), "--root", str(HAPPY), *args], stdout=writer,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=60, check=False)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (1, "")
