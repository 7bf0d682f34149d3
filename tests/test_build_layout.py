"""Tests of builder/layout.py and own_logic.py: the built file in order (the workflow's docstring and
own functions, the inlined modules, the workflow's declarations), each source's lines as written, and a
file that runs alone and answers exactly as its sources."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from build_trees import (
    HAPPY,
    HAPPY_PARTS,
    REPO,
    WORKFLOW,
    assert_build_fails,
    cli,
    contract,
    lines,
    run_workflow,
    shared_tree,
)
from conftest import bundled_workflows
from dist_process import vermin_violations_for_python_39


def test_modules_are_inlined_dependencies_first_each_once_between_the_workflow_functions_and_declarations(
    built_happy,
):
    text = (built_happy / "dist" / "profile_parsing_success.py").read_text()
    begins = [line[len("# --- begin ") : -len(" ---")] for line in text.splitlines() if line.startswith("# --- begin ")]
    assert begins == HAPPY_PARTS
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


# --- the built file runs alone, as its sources do -------------------------------------------------


@pytest.mark.slow
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


@pytest.mark.slow
def test_generated_file_meets_python_3_9_according_to_vermin():
    assert vermin_violations_for_python_39(sorted((HAPPY / "dist").glob("*.py"))) == ""


# --- the workflow's own logic first ---------------------------------------------------------------


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


@pytest.mark.slow
@pytest.mark.parametrize("postponed", [False, True], ids=["annotations-evaluated", "annotations-postponed"])
def test_the_workflow_functions_that_cannot_change_meaning_come_before_the_library(tmp_path, postponed):
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


def test_a_function_used_before_its_definition_stays_so_the_built_file_fails_as_its_source_does(tmp_path):
    root = shared_tree(
        tmp_path,
        ['"""Doc."""', "from shared.settings import Settings", "HANDLER = handler", "def handler():",
         "    return 1", *contract()],
    )
    assert_build_fails(root, f"{WORKFLOW}: cannot load built workflow: NameError: name 'handler' is not defined")


def test_a_workflow_with_no_function_that_may_come_first_is_one_part_under_its_plain_banner(tmp_path):
    workflow = [*contract()[:2], "def workflow(_request, settings, spec=Settings()):", "    return {}"]
    root = shared_tree(tmp_path, ['"""Doc."""', "from shared.settings import Settings", *workflow])
    assert cli(root)[0] == 0
    text = (root / "dist" / "profile_parsing_success.py").read_text()
    begins = [line for line in text.splitlines() if line.startswith("# --- begin ")]
    assert begins == ["# --- begin shared/settings.py ---", f"# --- begin {WORKFLOW} ---"]
    assert "(its functions)" not in text and "(its declarations)" not in text


def test_each_bundled_workflow_opens_with_its_entry_point_right_after_its_docstring_and_future_import():
    for path in (REPO / "dist" / (name + ".py") for name in bundled_workflows()):
        text = path.read_text()
        body = ast.parse(text).body
        assert isinstance(body[0], ast.Expr) and isinstance(body[1], ast.ImportFrom), path.name
        assert body[1].module == "__future__" and isinstance(body[2], ast.FunctionDef), path.name
        assert body[2].name == "workflow", path.name
        assert functions_part(text, f"workflows/{path.name}").lstrip().startswith("def workflow("), path.name
