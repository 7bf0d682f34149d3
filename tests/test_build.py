"""Tests of build.py: the inlining rules, the errors, the CLI, and the built files themselves.

The golden output of tests/build_fixtures/happy is its dist/ folder; after a deliberate
change to the output, refresh it with `python build.py --root tests/build_fixtures/happy`.
Error cases are small trees written into tmp_path, their sources given line by line.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.checks import check_part
from builder.contract import Contract, Keys
from builder.errors import BuildError
from builder.header import settings_lines
from builder.readme import SETTINGS_BEGIN, SETTINGS_END, WORKFLOWS_BEGIN, WORKFLOWS_END
from builder.setting_descriptions import SETTING_DESCRIPTIONS
from builder.starter import default_starter, starter_files
from localcatch import loading
from localcatch.loading import load_source
from shared.actions.defaults import DEFAULT_ACTIONS
from shared.wire.catalogue import CATALOGUE

REPO = Path(__file__).resolve().parents[1]
BUILD_PY = REPO / "build.py"
HAPPY = Path(__file__).resolve().parent / "build_fixtures" / "happy"
WORKFLOW = "workflows/profile_parsing_success.py"


def load_build_module():
    spec = importlib.util.spec_from_file_location("build_under_test", BUILD_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look the module up there
    spec.loader.exec_module(module)
    return module


build = load_build_module()


def lines(*source_lines: str) -> str:
    """Source text from its lines, so that a test can count them."""
    return "\n".join(source_lines) + "\n"


SETTINGS_MODULE = lines(
    '"""Settings keys a workflow reads."""',
    "class Settings:",
    "    def __init__(self, required=(), optional=()):",
    "        self.required, self.optional = required, optional",
)


def contract(event_type: str = "profile.parsing.success", settings: str = "Settings()") -> list[str]:
    """The lines that end a valid workflow, after its imports."""
    return [
        f"EVENT_TYPE = {event_type!r}",
        f"SETTINGS = {settings}",
        "def workflow(_request, settings):",
        "    return {}",
    ]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_happy(destination: Path) -> Path:
    shutil.copytree(HAPPY, destination, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


@pytest.fixture
def cli(capsys):
    """Run build.py's main in this process; return (exit status, stdout, stderr)."""

    def run(root: Path, *args: str) -> tuple[int, str, str]:
        status = build.main(["--root", str(root), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def built_happy(tmp_path, cli) -> Path:
    """A copy of the happy fixture, freshly built; returns its root."""
    root = copy_happy(tmp_path / "happy")
    assert cli(root)[0] == 0
    return root


def assert_build_fails(cli, root: Path, message: str) -> None:
    status, _, err = cli(root)
    assert status == 1
    assert message in err, err


def shared_tree(tmp_path: Path, workflow_lines: list[str], **modules: str) -> Path:
    """A tree with shared/settings.py, the given shared modules, and one workflow."""
    files = {f"shared/{name}.py": text for name, text in modules.items()}
    return write_tree(tmp_path, {"shared/settings.py": SETTINGS_MODULE, **files, WORKFLOW: lines(*workflow_lines)})


# --- the happy path -------------------------------------------------------------------------


def test_build_reproduces_the_golden_dist_of_the_happy_fixture(built_happy):
    built = sorted(path.name for path in (built_happy / "dist").iterdir())
    golden = sorted(path.name for path in (HAPPY / "dist").iterdir())
    assert built == golden == ["job_storing_success.py", "manifest.json", "profile_parsing_success.py"]
    for name in built:
        assert (built_happy / "dist" / name).read_bytes() == (HAPPY / "dist" / name).read_bytes(), name


def test_golden_dist_of_the_happy_fixture_passes_check_in_place(cli):
    status, out, _ = cli(HAPPY, "--check")
    assert (status, out) == (0, "dist/ is up to date (2 workflow(s)).\n")


def test_modules_are_inlined_dependencies_first_each_once_between_the_workflow_functions_and_declarations(
    built_happy,
):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    begins = [line[len("# --- begin ") : -len(" ---")] for line in text.splitlines() if line.startswith("# --- begin ")]
    assert begins == [
        f"{WORKFLOW} (its functions)",
        "shared/settings.py",
        "shared/text.py",
        "shared/notify.py",
        "shared/runner.py",
        f"{WORKFLOW} (its declarations)",
    ]
    for title in begins:
        assert text.count(f"# --- begin {title} ---") == text.count(f"# --- end {title} ---") == 1
    assert "shared/__init__.py" not in text  # nothing imports from it
    functions = text[text.index(f"# --- begin {WORKFLOW} (its functions)") : text.index("# --- begin shared/")]
    assert "\ndef workflow(_request: dict, settings: dict) -> dict:\n" in functions
    declarations = text[text.index(f"# --- begin {WORKFLOW} (its declarations)") :]
    assert 'EVENT_TYPE = "profile.parsing.success"\nSETTINGS = NOTIFY_SETTINGS\n' in declarations


def test_shared_imports_are_removed_and_aliases_become_assignments(built_happy):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    assert "from shared" not in text and "from .settings" not in text
    assert "\n_Settings = Settings\n" in text  # from .settings import Settings as _Settings
    assert "\nsplit_words = words\n" in text  # a multi-line import with an alias
    assert text.index("\n_Settings = Settings\n") < text.index("def describe(settings: _Settings)")


def test_other_imports_stay_as_written_and_lazy_imports_stay_in_their_function(built_happy):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    assert "import json  # runner.py imports json too: the same import is no clash\n" in text
    send = text[text.index("def send(") : text.index("# --- end shared/notify.py ---")]
    assert "    import mailchimp_transactional  # lazy: must stay inside this function\n" in send
    top_level = ast.parse(text).body
    assert not any(
        isinstance(node, ast.Import) and node.names[0].name == "mailchimp_transactional" for node in top_level
    )


def test_comments_and_docstrings_of_the_sources_survive(built_happy):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    for kept in [
        "# Sorted, so that messages are stable.",
        "# a comment that must survive",
        '"""Which settings keys a workflow reads."""',
        '"""Entry point HrFlow Catch calls for each request."""',
    ]:
        assert kept in text


def test_workflow_docstring_then_one_hoisted_future_import_open_the_module(built_happy):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    tree = ast.parse(text)
    assert ast.get_docstring(tree) == ast.get_docstring(ast.parse((built_happy / WORKFLOW).read_text()))
    assert isinstance(tree.body[1], ast.ImportFrom) and tree.body[1].module == "__future__"
    assert text.count("from __future__ import") == 1
    assert text.index("from __future__ import annotations") < text.index("# --- begin shared/settings.py")


def test_all_assignments_of_inlined_modules_are_dropped(built_happy):
    assert "__all__" not in (built_happy / "dist" / "profile_parsing_success.py").read_text()
    assert "__all__" in (built_happy / "shared" / "settings.py").read_text()


def test_header_says_what_the_workflow_does_its_version_and_settings_and_no_absolute_path(built_happy):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    header = text[: text.index('"""')]
    assert header.startswith(
        "# Summarise each parsed profile for the team.\n#\n"
        "# The HrFlow Catch workflow for 'profile.parsing.success' events, version 0.1.0, built into one\n"
        "# file: paste all of it into the Catch editor; it needs no other file of this repository.\n"
        "# Generated by build.py, do not edit: change the sources the contents below name, then run\n"
        "# `python build.py` (dist/manifest.json holds their hashes).\n#\n"
    )
    assert (
        "# Settings, set in the workflow's console (required first):\n"
        "#   api_key    required: this workflow's own setting\n"
        "#   recipient  required: this workflow's own setting\n"
        "#   subject    optional: this workflow's own setting\n#\n"
    ) in header
    assert str(built_happy) not in text and "\r" not in text


def test_header_contents_give_the_line_of_each_part_and_the_hashes_go_to_the_manifest(built_happy):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    lines = text.split("\n")
    header = text[: text.index('"""')]
    listed = header.split("# Contents (line: part):\n")[1].rstrip("\n").splitlines()
    contents = [line.split(None, 2)[1:] for line in listed]
    assert [title for _, title in contents] == [
        f"{WORKFLOW} (its functions)",
        "shared/settings.py",
        "shared/text.py",
        "shared/notify.py",
        "shared/runner.py",
        f"{WORKFLOW} (its declarations)",
    ]
    for line, title in contents:
        assert lines[int(line) - 1] == f"# --- begin {title} ---"
    sources = json.loads((built_happy / "dist" / "manifest.json").read_text())["workflows"]["profile_parsing_success"]
    assert sources["sources"] == {
        source: hashlib.sha256((built_happy / source).read_bytes()).hexdigest()
        for source in (title.split()[0] for _, title in contents)
    }
    assert not any(digest[:12] in text for digest in sources["sources"].values())


def test_header_lists_each_setting_required_first_then_in_the_table_order_own_settings_last():
    keys = Keys(("MY_OWN", "NOTIFY_EMAIL"), (("HRFLOW_API_USER", "MAIL_FROM"),), ("DRY_RUN", "SHORTLIST_SIZE", "MINE"))
    lines = settings_lines(Contract("mine", ("job.storing.success",), "Mine.", keys, {}))
    assert lines[0] == "# Settings, set in the workflow's console (required first):"
    entries = [line[4:].split("  ", 1) for line in lines[1:] if line[4] != " "]
    assert [(key, status.strip().split(":")[0]) for key, status in entries] == [
        ("NOTIFY_EMAIL", "required"),
        ("MY_OWN", "required"),
        ("HRFLOW_API_USER", "required unless MAIL_FROM is set"),
        ("MAIL_FROM", "required unless HRFLOW_API_USER is set"),
        ("SHORTLIST_SIZE", "default 5"),
        ("DRY_RUN", "default false"),
        ("MINE", "optional"),
    ]
    described = " ".join(line.strip("# ") for line in lines)
    assert SETTING_DESCRIPTIONS["DRY_RUN"].meaning.replace("`", "") in described and "`" not in described
    assert described.count("this workflow's own setting") == 2
    assert all(len(line) <= 100 for line in lines)


def test_header_of_a_workflow_of_several_event_types_says_how_many_need_a_setting():
    keys = Keys(("HRFLOW_WEBHOOK_SECRET",), (), ("NOTIFY_EMAIL",))
    by_event = {"job.storing.success": Keys(("HRFLOW_WEBHOOK_SECRET", "NOTIFY_EMAIL"), (), ()),
                "job.storing.error": Keys(("HRFLOW_WEBHOOK_SECRET",), (), ("NOTIFY_EMAIL",))}
    lines = settings_lines(Contract("mine", tuple(by_event), "Mine.", keys, by_event))
    entries = [line for line in lines if line[4] != " "]  # not the lines that carry on a meaning
    assert len(entries) == 4
    assert entries[1].startswith("#   HRFLOW_WEBHOOK_SECRET  required: ")
    assert entries[2].startswith("#   NOTIFY_EMAIL           required by 1 of its 2 event types: ")
    assert entries[3] == lines[-1] == "#   (what each event type needs: see dist/manifest.json)"


def test_header_of_a_workflow_that_reads_no_setting_says_so(built_happy):
    text = (built_happy / "dist" / "job_storing_success.py").read_text()
    assert "\n#\n# Settings: none.\n#\n# Contents (line: part):\n" in text


def test_a_root_without_a_declared_version_builds_files_that_name_none(tmp_path, cli):
    root = own_workflow(tmp_path, "mine", "EVENT_TYPE = 'job.storing.success'")
    assert cli(root)[0] == 0
    assert ", built into one file:" in (root / "dist" / "mine.py").read_text().split("\n")[2]
    assert json.loads((root / "dist" / "manifest.json").read_text())["workflows"]["mine"]["version"] is None


@pytest.mark.parametrize("declaration", ["VERSION = '1.' + '0'", "VERSION = 1", "VERSION = ''"])
def test_a_version_that_is_not_a_string_literal_is_rejected_with_path_and_line(tmp_path, cli, declaration):
    root = own_workflow(tmp_path, "mine", "EVENT_TYPE = 'job.storing.success'")
    write_tree(root, {"shared/core/version.py": lines('"""Version."""', declaration)})
    assert_build_fails(cli, root, "shared/core/version.py:2: VERSION must be a string literal")


def test_files_starting_with_an_underscore_are_not_workflows(built_happy):
    assert not (built_happy / "dist" / "_draft.py").exists()
    assert "_draft" not in (built_happy / "dist" / "manifest.json").read_text()


def test_manifest_describes_each_workflow_with_the_hash_of_its_file(built_happy):
    raw = (built_happy / "dist" / "manifest.json").read_text()
    manifest = json.loads(raw)
    assert raw == json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    entry = manifest["workflows"]["profile_parsing_success"]
    assert entry == {
        "description": "Summarise each parsed profile for the team.",
        "event_types": ["profile.parsing.success"],
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


def test_names_imported_from_shared_init_are_inlined_from_it(tmp_path, cli):
    root = write_tree(
        tmp_path,
        {
            "shared/__init__.py": SETTINGS_MODULE,
            WORKFLOW: lines('"""Doc."""', "from shared import Settings", *contract()),
        },
    )
    assert cli(root)[0] == 0
    assert "# --- begin shared/__init__.py ---" in (root / "dist" / "profile_parsing_success.py").read_text()


# --- the built files run on their own ------------------------------------------------------

# Loads a workflow file with localcatch/loading.py, as Catch loads a paste, and calls it once.
RUN_WORKFLOW = """
import importlib.util, json, sys
loader, path, request, settings, *extra_path = sys.argv[1:]
sys.path[:0] = extra_path
spec = importlib.util.spec_from_file_location("loading", loader)
loading = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loading)
namespace = loading.load(path)
shared_importable = importlib.util.find_spec("shared") is not None
result = namespace["workflow"](json.loads(request), json.loads(settings))
print(json.dumps({"result": result, "doc": namespace.get("__doc__"), "shared_importable": shared_importable}))
"""


def run_workflow(path: Path, cwd: Path, request: dict, settings: dict, *extra_path: Path) -> dict:
    """Load the workflow file at ``path`` alone in a fresh interpreter (``extra_path`` on sys.path) and call it."""
    command = [sys.executable, "-I", "-B", "-c", RUN_WORKFLOW, loading.__file__, str(path)]
    command += [json.dumps(request), json.dumps(settings)]
    done = subprocess.run(command + [str(p) for p in extra_path], cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "settings", [{"api_key": "k", "recipient": "team@example.com"}, {"api_key": "k"}], ids=["accepted", "rejected"]
)
def test_built_workflow_runs_alone_in_a_fresh_interpreter_like_the_unbuilt_one(built_happy, tmp_path, settings):
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(built_happy / "dist" / "profile_parsing_success.py", alone / "catch.py")
    request = {"profile": {"summary": "Python developer, 5 years"}}
    built = run_workflow(alone / "catch.py", alone, request, settings)
    unbuilt = run_workflow(built_happy / WORKFLOW, built_happy, request, settings, built_happy)
    assert built["shared_importable"] is False and unbuilt["shared_importable"] is True
    assert built["result"] == unbuilt["result"]
    assert built["result"]["status"] == ("ok" if "recipient" in settings else "rejected")
    assert built["doc"] == unbuilt["doc"]


def test_generated_file_meets_python_3_9_according_to_vermin():
    pytest.importorskip("vermin")
    files = [str(path) for path in sorted((HAPPY / "dist").glob("*.py"))]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, vermin; sys.exit(vermin.main())",
            "--target=3.9-",
            "--no-tips",
            "--violations",
            *files,
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- determinism ------------------------------------------------------------------------------


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


def test_two_builds_from_other_folders_and_hash_seeds_are_identical_to_the_golden_files(tmp_path):
    first = build_in_subprocess(HAPPY, tmp_path / "a" / "happy", tmp_path, "1")
    second = build_in_subprocess(HAPPY, tmp_path / "b" / "elsewhere", tmp_path / "b" / "cwd", "4242")
    assert first == second
    assert first == {path.name: path.read_bytes() for path in sorted((HAPPY / "dist").iterdir())}


def test_two_builds_of_the_real_workflows_are_identical(tmp_path):
    if not any(path for path in (REPO / "workflows").glob("[!_]*.py")):
        pytest.skip("workflows/ has no workflow yet")
    first = build_in_subprocess(REPO, tmp_path / "a" / "repo", tmp_path, "1")
    second = build_in_subprocess(REPO, tmp_path / "b" / "repo", tmp_path / "b", "99")
    assert first == second and "manifest.json" in first


# --- the command line -------------------------------------------------------------------------


def test_check_passes_right_after_a_build(built_happy, cli):
    assert cli(built_happy, "--check")[:2] == (0, "dist/ is up to date (2 workflow(s)).\n")


def test_check_fails_with_a_diff_when_a_dist_file_was_edited(built_happy, cli):
    path = built_happy / "dist" / "job_storing_success.py"
    path.write_text(path.read_text().replace("return {", "return  {"))
    status, out, _ = cli(built_happy, "--check")
    assert status == 1
    assert "--- a/dist/job_storing_success.py\n+++ b/dist/job_storing_success.py\n" in out
    assert "\n-    return  {" in out and "\n+    return {" in out
    assert out.endswith("dist/ is out of date: run `python build.py` to rebuild it.\n")


def test_check_fails_when_a_dist_file_is_missing(built_happy, cli):
    (built_happy / "dist" / "job_storing_success.py").unlink()
    status, out, _ = cli(built_happy, "--check")
    assert status == 1 and "--- /dev/null\n+++ b/dist/job_storing_success.py\n" in out


def test_check_fails_when_dist_has_a_python_file_no_workflow_produces(built_happy, cli):
    (built_happy / "dist" / "job_parsing_error.py").write_text("print('stale')\n")
    status, out, _ = cli(built_happy, "--check")
    assert status == 1 and "--- a/dist/job_parsing_error.py\n+++ /dev/null\n" in out


def test_check_fails_when_a_source_changed_since_the_build(built_happy, cli):
    source = built_happy / "shared" / "text.py"
    source.write_text(source.read_text().replace("Text helpers.", "Helpers for text."))
    status, out, _ = cli(built_happy, "--check")
    assert status == 1 and '+"""Helpers for text."""' in out and "manifest.json" in out


def test_full_build_removes_python_files_no_workflow_produces(built_happy, cli):
    stale = built_happy / "dist" / "job_parsing_error.py"
    stale.write_text("print('stale')\n")
    status, out, _ = cli(built_happy)
    assert status == 0 and not stale.exists()
    assert "removed dist/job_parsing_error.py (no workflow produces it)" in out


def test_building_some_workflows_updates_only_their_manifest_entries(built_happy, cli):
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


def test_out_folder_is_relative_to_the_root_and_holds_exactly_the_bytes_of_dist(built_happy, cli, tmp_path):
    assert cli(built_happy, "--out", "build/catch")[0] == 0
    assert cli(built_happy, "--out", str(tmp_path / "elsewhere"))[0] == 0
    manifest = json.loads((built_happy / "build" / "catch" / "manifest.json").read_text())
    assert manifest["workflows"]["job_storing_success"]["file"] == "job_storing_success.py"  # beside the manifest
    for folder in (built_happy / "build" / "catch", tmp_path / "elsewhere"):
        assert {path.name: path.read_bytes() for path in folder.iterdir()} == {
            path.name: path.read_bytes() for path in (built_happy / "dist").iterdir()
        }


def test_list_prints_each_workflow_with_its_event_type_and_settings(cli):
    status, out, _ = cli(HAPPY, "--list")
    assert status == 0
    assert out == (
        "job_storing_success  job.storing.success\n    required: (none)\n    optional: (none)\n"
        "profile_parsing_success  profile.parsing.success\n"
        "    required: api_key, recipient\n    optional: subject\n"
    )


def test_unknown_workflow_name_is_an_error(cli):
    status, _, err = cli(HAPPY, "job.scoring.update")
    assert status == 1 and "workflows/job_scoring_update.py: no such workflow" in err


def test_help_describes_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        build.main(["--help"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert all(option in out for option in ("--check", "--list", "--out", "--root", "NAME"))


# --- what cannot be inlined -------------------------------------------------------------------


def test_star_import_from_shared_is_rejected_with_path_and_line(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import *", *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}:2: star import from shared.settings cannot be inlined")


def test_relative_star_import_inside_shared_is_rejected_with_path_and_line(tmp_path, cli):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.util import Settings", *contract()], util=lines("from .settings import *")
    )
    assert_build_fails(cli, root, "shared/util.py:1: star import from .settings cannot be inlined")


@pytest.mark.parametrize("statement", ["import shared", "import shared.settings", "import shared.settings as s"])
def test_importing_a_shared_module_object_is_rejected_with_path_and_line(tmp_path, cli, statement):
    root = shared_tree(tmp_path, ['"""Doc."""', statement, *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}:2: '{statement}' needs a module object, which cannot be inlined")


def test_importing_a_shared_submodule_by_from_import_is_rejected_with_path_and_line(tmp_path, cli):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared import settings", *contract()], __init__=lines('"""Package."""')
    )
    assert_build_fails(cli, root, f"{WORKFLOW}:2: 'settings' is the module shared/settings, which cannot be inlined")


@pytest.mark.parametrize(
    "block, scope",
    [
        (["def helper():", "    from shared.settings import Settings"], "function 'helper'"),
        (["class Helper:", "    from shared.settings import Settings"], "class 'Helper'"),
        (["if True:", "    from shared.settings import Settings"], "'if' statement"),
        (["try:", "    import shared.settings", "except ImportError:", "    pass"], "'try' statement"),
    ],
)
def test_shared_import_below_the_top_level_is_rejected_with_path_and_line(tmp_path, cli, block, scope):
    root = shared_tree(tmp_path, ['"""Doc."""', *block, *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}:3: import from shared inside {scope} cannot be inlined")


def test_lazy_shared_import_inside_a_shared_function_is_rejected(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.util import helper", *contract()],
        util=lines("def helper():", "    from .settings import Settings", "    return Settings"),
    )
    assert_build_fails(cli, root, "shared/util.py:2: import from shared inside function 'helper' cannot be inlined")


def test_circular_import_is_rejected_with_the_chain(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import A", *contract()],
        a=lines("from shared.b import B", "A = 1"),
        b=lines('"""B."""', "from .a import A", "B = 2"),
    )
    assert_build_fails(cli, root, "shared/b.py:2: circular import: shared/a.py -> shared/b.py -> shared/a.py")


def test_module_importing_itself_is_a_circular_import(tmp_path, cli):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.a import A", *contract()], a=lines("A = 1", "from shared.a import A")
    )
    assert_build_fails(cli, root, "shared/a.py:2: circular import: shared/a.py -> shared/a.py")


def test_name_bound_in_two_inlined_modules_is_rejected_with_both_places(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import A", "from shared.b import B", *contract()],
        a=lines("def helper():", "    return 1", "A = helper()"),
        b=lines("import json", "helper = json.dumps", "B = helper(2)"),
    )
    assert_build_fails(cli, root, "shared/b.py:2: name 'helper' is already bound at shared/a.py:1")


def test_name_bound_in_a_module_and_the_workflow_is_rejected_with_both_places(tmp_path, cli):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.settings import Settings", *contract(), "class Settings:", "    pass"]
    )
    assert_build_fails(cli, root, f"{WORKFLOW}:7: name 'Settings' is already bound at shared/settings.py:2")


def test_alias_clashing_with_a_name_of_another_module_is_rejected(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings as helper",
            "from shared.a import A",
            *contract("profile.parsing.success", "helper()"),
        ],
        a=lines("def helper():", "    return 1", "A = 1"),
    )
    assert_build_fails(cli, root, f"{WORKFLOW}:2: name 'helper' is already bound at shared/a.py:1")


def test_the_same_import_in_two_modules_is_no_clash(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "import os.path", "from shared.a import A", "from shared.settings import Settings", *contract()],
        a=lines("import os", "from os import path", "A = os.sep"),
    )
    status, _, err = cli(root)
    assert (status, err) == (0, "")


def test_importing_a_name_the_module_does_not_define_at_top_level_is_rejected(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import inner", *contract()],
        a=lines("def outer():", "    inner = 1", "    return inner"),
    )
    assert_build_fails(cli, root, f"{WORKFLOW}:2: shared/a.py does not define 'inner' at top level")


def test_relative_import_escaping_shared_is_rejected_with_path_and_line(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import A", *contract()],
        a=lines('"""A."""', "from ..settings import Settings", "A = 1"),
    )
    assert_build_fails(cli, root, "shared/a.py:2: relative import '..settings' resolves outside shared/")


def test_relative_import_in_a_workflow_is_rejected_as_outside_shared(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "from .helpers import Settings", *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}:2: relative import '.helpers' resolves outside shared/")


def test_missing_shared_module_is_rejected_with_path_and_line(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "", "from shared.nowhere import Settings", *contract()])
    assert_build_fails(
        cli,
        root,
        f"{WORKFLOW}:3: no module shared.nowhere (looked for shared/nowhere.py and shared/nowhere/__init__.py)",
    )


def test_shared_import_sharing_its_line_with_another_statement_is_rejected(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings; import os", *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}:2: statement shares its line with another")


def test_syntax_newer_than_python_3_9_is_rejected_in_the_source(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.a import A", *contract()],
        a=lines("A = 1", "match A:", "    case 1:", "        pass"),
    )
    status, _, err = cli(root)
    assert status == 1 and re.match(r"shared/a.py:\d+: not valid Python 3.9: ", err), err


def test_all_errors_leave_dist_unwritten(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import *", *contract()])
    status, _, err = cli(root)
    assert status == 1 and err.endswith("build failed, nothing written\n")
    assert not (root / "dist").exists()


# --- the workflow contract --------------------------------------------------------------------


def test_a_file_named_after_an_event_type_must_handle_exactly_it(tmp_path, cli):
    root = shared_tree(
        tmp_path, ['"""Doc."""', "from shared.settings import Settings", *contract("job.parsing.success")]
    )
    assert_build_fails(
        cli,
        root,
        f"{WORKFLOW}:3: a file named after 'profile.parsing.success' must handle exactly "
        "that event type, not ['job.parsing.success']",
    )


def own_workflow(tmp_path, name: str, declaration: str) -> Path:
    """A tree with one workflow of the given file name declaring its event types on line 3."""
    return write_tree(
        tmp_path,
        {
            "shared/settings.py": SETTINGS_MODULE,
            f"workflows/{name}.py": lines(
                '"""My own workflow."""',
                "from shared.settings import Settings",
                declaration,
                "SETTINGS = Settings()",
                "def workflow(_request, settings):",
                "    return {}",
            ),
        },
    )


@pytest.mark.parametrize(
    "declaration, event_types",
    [
        ("EVENT_TYPE = 'job.storing.success'", ["job.storing.success"]),
        ("EVENT_TYPES = ('job.storing.success', 'job.storing.update')", ["job.storing.success", "job.storing.update"]),
        ("EVENT_TYPES = ()", []),
    ],
)
def test_any_snake_case_name_builds_with_the_event_types_its_code_declares(tmp_path, cli, declaration, event_types):
    root = own_workflow(tmp_path, "team_jobs_digest2", declaration)
    assert cli(root)[0] == 0
    entry = json.loads((root / "dist" / "manifest.json").read_text())["workflows"]["team_jobs_digest2"]
    assert entry["event_types"] == event_types
    header = (root / "dist" / "team_jobs_digest2.py").read_text().split("\n")
    assert header[0] == "# My own workflow."
    assert header[2].startswith(
        "# The HrFlow Catch workflow for {}, built into one file:".format(
            {1: "'job.storing.success' events", 2: "2 event types", 0: "no event type"}[len(event_types)]
        )
    )


@pytest.mark.parametrize(
    "declaration, message",
    [
        (
            "EVENT_TYPE = 'profile.parsing.done'",
            "workflows/mine.py:3: 'profile.parsing.done' is not an event type: the catalogue has "
            "{profile,job}.{parsing,storing,searching,scoring}.{success,update,error}",
        ),
        (
            "EVENT_TYPES = ('job.storing.success', 'job.indexing.update')",
            "workflows/mine.py:3: 'job.indexing.update' is not",
        ),
        (
            "EVENT_TYPES = ('job.storing.success', 'job.storing.success')",
            "workflows/mine.py:3: EVENT_TYPES names an event type twice",
        ),
        ("EVENT_TYPES = 'job.storing.success'", "workflows/mine.py:3: EVENT_TYPES must be a tuple of str, not str"),
        ("EVENT_TYPE = ('job.storing.success',)", "workflows/mine.py:3: EVENT_TYPE must be a str, not tuple"),
        ("KIND = 'job.storing.success'", "workflows/mine.py: must declare EVENT_TYPE = '<event type>' or EVENT_TYPES"),
        ("EVENT_TYPE = EVENT_TYPES = 'job.storing.success'", "workflows/mine.py:3: must declare EVENT_TYPE"),
    ],
)
def test_declared_event_types_are_checked_against_the_catalogue_with_path_and_line(tmp_path, cli, declaration, message):
    assert_build_fails(cli, own_workflow(tmp_path, "mine", declaration), message)
    assert len(CATALOGUE) == 24


@pytest.mark.parametrize("name", ["MyWorkflow", "my-workflow", "2fast", "double__underscore", "trailing_"])
def test_a_file_name_that_is_not_snake_case_is_rejected(tmp_path, cli, name):
    root = own_workflow(tmp_path, name, "EVENT_TYPE = 'job.storing.success'")
    assert_build_fails(cli, root, f"workflows/{name}.py: the file name must be snake_case")


def test_settings_keys_must_be_tuples_of_strings(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", *contract(settings="Settings(required=['api_key'])")],
    )
    assert_build_fails(cli, root, f"{WORKFLOW}:4: SETTINGS.required must be a tuple of str, not list")


def test_workflow_must_be_callable(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings", *contract(), "workflow = None"])
    assert_build_fails(cli, root, f"{WORKFLOW}:5: must define a callable 'workflow(request, settings)'")


def test_workflow_must_have_a_docstring(tmp_path, cli):
    root = shared_tree(tmp_path, ["from shared.settings import Settings", *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}: needs a module docstring")


def test_workflow_failing_to_load_is_reported(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings",
            "raise RuntimeError('no network at build time')",
            *contract(),
        ],
    )
    assert_build_fails(cli, root, f"{WORKFLOW}: cannot load built workflow: RuntimeError: no network at build time")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("import shared.settings\n", "shared/x.py:1: built code still imports from shared"),
        ("from . import settings\n", "shared/x.py:1: built code still imports from shared"),
        ("def f():\n    from shared.x import y\n", "shared/x.py:2: built code still imports from shared"),
        ("x = 1\nmatch x:\n    case 1:\n        pass\n", r"shared/x.py:\d+: built code is not valid Python 3.9"),
    ],
)
def test_output_check_rejects_shared_imports_and_newer_syntax(text, reason):
    checked: set[str] = set()
    with pytest.raises(BuildError, match=reason):
        check_part("shared/x.py", text, checked)
    assert checked == set()


def test_a_part_is_checked_once_however_many_workflows_inline_it():
    checked: set[str] = set()
    check_part("shared/x.py", "x = 1\n", checked)
    assert checked == {"x = 1\n"}
    check_part("shared/x.py", "x = 1\n", checked)
    assert checked == {"x = 1\n"}


def test_the_built_file_is_compiled_without_the_build_own_future_flags(tmp_path, cli):
    """The builder's modules postpone their annotations; a built file that does not must evaluate its own."""
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", "def f(a: undefined_name):", "    pass", *contract()],
    )
    assert_build_fails(cli, root, f"{WORKFLOW}: cannot load built workflow: NameError: name 'undefined_name'")


def test_the_built_file_is_compiled_whole_and_what_only_that_finds_is_reported(tmp_path, cli):
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings", "return 1", *contract()])
    assert_build_fails(cli, root, f"{WORKFLOW}: built code does not compile: 'return' outside function")


def test_settings_keys_that_could_break_the_header_comment_are_rejected(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings",
            *contract(settings="Settings(required=('API_KEY\\nimport os',))"),
        ],
    )
    assert_build_fails(cli, root, "SETTINGS.required must hold setting names")


def test_readme_workflows_table_is_generated_from_the_manifest_and_checked(tmp_path, cli):
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


def test_readme_settings_table_holds_the_description_of_each_setting_read_and_is_checked(tmp_path, cli):
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


def test_a_top_level_name_shadowing_a_builtin_is_rejected(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", "from shared.util import x", *contract()],
        util=lines("def sorted(items):", "    return 'shadowed'", "x = 1"),
    )
    assert_build_fails(cli, root, "shared/util.py:1: name 'sorted' is a built-in")


def test_a_global_declared_in_a_function_counts_as_a_top_level_binding(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        [
            '"""Doc."""',
            "from shared.settings import Settings",
            "from shared.a import f",
            "from shared.b import g",
            *contract(),
        ],
        a=lines("LIMIT = 1", "def f():", "    return LIMIT"),
        b=lines("def g():", "    global LIMIT", "    LIMIT = 2"),
    )
    assert_build_fails(cli, root, "name 'LIMIT' is already bound at shared/a.py:1")


# --- definitions that act by being defined -----------------------------------------------------


def test_a_definition_nothing_names_still_acts_in_the_built_file(tmp_path, cli):
    """A decorator that registers, or an `__init_subclass__`, acts when the definition runs, so the
    built file keeps every definition of what it inlines and answers as its sources do."""
    root = write_tree(
        tmp_path,
        {
            "shared/registry.py": lines(
                "HANDLERS = []",
                "KINDS = []",
                "def handler(function):",
                "    HANDLERS.append(function.__name__)",
                "    return function",
                "@handler",
                "def on_event():",
                "    pass",
                "class Kind:",
                "    def __init_subclass__(cls, **kwargs):",
                "        super().__init_subclass__(**kwargs)",
                "        KINDS.append(cls.__name__)",
                "class JobKind(Kind):",
                "    pass",
            ),
            WORKFLOW: lines(
                '"""Report what registered itself."""',
                "from shared.registry import HANDLERS, KINDS",
                'EVENT_TYPE = "profile.parsing.success"',
                "class Settings:",
                "    required = optional = ()",
                "SETTINGS = Settings()",
                "def workflow(_request, settings):",
                '    return {"handlers": HANDLERS, "kinds": KINDS}',
            ),
        },
    )
    assert cli(root)[0] == 0
    built = run_workflow(root / "dist" / "profile_parsing_success.py", tmp_path, {}, {})
    unbuilt = run_workflow(root / WORKFLOW, root, {}, {}, root)
    assert built["result"] == unbuilt["result"] == {"handlers": ["on_event"], "kinds": ["JobKind"]}


# --- build.py new ---------------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", sorted(CATALOGUE))
def test_a_starter_begins_with_the_default_action_of_its_event_type(tmp_path, event_type):
    files = starter_files(tmp_path, "my_starter", event_type, default_starter(event_type))
    source = files[tmp_path / "workflows" / "my_starter.py"]
    workflow = load_source(source, "my_starter.py")["WORKFLOW"]
    assert list(workflow.actions) == [event_type]
    assert workflow.actions[event_type] is DEFAULT_ACTIONS[event_type]


# --- the workflow's own logic first ------------------------------------------------------------

LIBRARY = lines(
    "LIMIT = 3",
    "def tag(function):",
    "    function.tagged = True",
    "    return function",
)
# Functions that may move before the library (workflow, plain) and functions that may not.
OWN_LOGIC = [
    "from shared.settings import Settings",
    "from shared.lib import LIMIT, tag",
    "EVENT_TYPE = 'profile.parsing.success'",
    "SETTINGS = Settings()",
    "# The entry point, which comes first.",
    "def workflow(_request: dict, settings: dict) -> dict:",
    "    names = ('plain', 'limited', 'tagged', 'annotated', 'rebound')",
    "    return {name: repr(globals()[name]()) for name in names}",
    "    # its last words",
    "",
    "async def unused(x: int = -1, *rest: str, y: 'Settings' = None, **more: dict) -> tuple[int, ...]:",
    "    return x",
    "def plain(x: tuple = (1, 'two', None), *, y: 'Settings' = None) -> dict[str, int]:",
    "    return (x, LIMIT, y)",
    "def limited(x=LIMIT):",
    "    return x",
    "@tag",
    "def tagged():",
    "    return tagged.tagged",
    "def annotated(x: Settings = None) -> int:",
    "    return 1",
    "def rebound():",
    "    return 'first'",
    "first_rebound = rebound",
    "def rebound():",
    "    return first_rebound()",
]


def own_logic_tree(tmp_path: Path, *first: str) -> Path:
    return shared_tree(tmp_path, ['"""Functions that may and may not come first."""', *first, *OWN_LOGIC], lib=LIBRARY)


def functions_part(text: str, path: str = WORKFLOW) -> str:
    """The workflow's functions as the built file holds them before the library, without banners."""
    begin, end = f"# --- begin {path} (its functions) ---\n", f"# --- end {path} (its functions) ---"
    return text[text.index(begin) + len(begin) : text.index(end)]


@pytest.mark.parametrize("postponed", [False, True], ids=["annotations-evaluated", "annotations-postponed"])
def test_the_workflow_functions_that_cannot_change_meaning_come_before_the_library(tmp_path, cli, postponed):
    root = own_logic_tree(tmp_path, *(["from __future__ import annotations"] if postponed else []))
    assert cli(root)[0] == 0
    text = (root / "dist" / "profile_parsing_success.py").read_text()
    moved = [node.name for node in ast.parse(functions_part(text)).body]
    assert moved == ["workflow", "unused", "plain", *(["annotated"] if postponed else [])]
    assert functions_part(text).startswith("# The entry point, which comes first.\ndef workflow(")
    assert "    # its last words\n\n\nasync def unused(" in functions_part(text)
    built = run_workflow(root / "dist" / "profile_parsing_success.py", tmp_path, {}, {})
    unbuilt = run_workflow(root / WORKFLOW, root, {}, {}, root)
    assert built == dict(unbuilt, shared_importable=False)
    assert built["result"] == {"plain": "((1, 'two', None), 3, None)", "limited": "3", "tagged": "True",
                               "annotated": "1", "rebound": "'first'"}


def test_a_function_used_before_its_definition_stays_so_the_built_file_fails_as_its_source_does(tmp_path, cli):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", "HANDLER = handler", "def handler():",
         "    return 1", *contract()],
    )
    assert_build_fails(cli, root, f"{WORKFLOW}: cannot load built workflow: NameError: name 'handler' is not defined")


def test_a_workflow_with_no_function_that_may_come_first_is_one_part_under_its_plain_banner(tmp_path, cli):
    workflow = [*contract()[:2], "def workflow(_request, settings, spec=Settings()):", "    return {}"]
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings", *workflow])
    assert cli(root)[0] == 0
    text = (root / "dist" / "profile_parsing_success.py").read_text()
    begins = [line for line in text.splitlines() if line.startswith("# --- begin ")]
    assert begins == ["# --- begin shared/settings.py ---", f"# --- begin {WORKFLOW} ---"]
    assert "(its functions)" not in text and "(its declarations)" not in text


def test_each_bundled_workflow_opens_with_its_entry_point_right_after_its_docstring():
    for path in sorted((REPO / "dist").glob("*.py")):
        text = path.read_text()
        body = ast.parse(text).body
        assert isinstance(body[0], ast.Expr) and isinstance(body[1], ast.FunctionDef), path.name
        assert body[1].name == "workflow", path.name
        assert functions_part(text, f"workflows/{path.name}").lstrip().startswith("def workflow("), path.name
