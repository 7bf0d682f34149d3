"""What the tests of the build share: small source trees written into tmp_path (sources given line by
line, so that a test can count them), a copy of the happy fixture, build.py's main run in this
process, and a workflow file loaded alone in a fresh interpreter as Catch loads a paste."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from localcatch import loading

REPO = Path(__file__).resolve().parents[1]
BUILD_PY = REPO / "build.py"
HAPPY = Path(__file__).resolve().parent / "build_fixtures" / "happy"
WORKFLOW = "workflows/profile_parsing_success.py"
# The parts of the happy fixture's WORKFLOW once built, in their order: its functions, the modules of shared/ it
# needs (dependencies first), then its declarations.
HAPPY_PARTS = [f"{WORKFLOW} (its functions)", "shared/settings.py", "shared/text.py", "shared/notify.py",
               "shared/runner.py", f"{WORKFLOW} (its declarations)"]


def load_build_module():
    spec = importlib.util.spec_from_file_location("build_under_test", BUILD_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
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


def cli(root: Path, *args: str) -> tuple[int, str, str]:
    """Run build.py's main in this process on ``root``; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = build.main(["--root", str(root), *args])
    return status, out.getvalue(), err.getvalue()


def build_happy(tmp_path: Path) -> Path:
    """A copy of the happy fixture, freshly built; returns its root."""
    root = copy_happy(tmp_path / "happy")
    assert cli(root)[0] == 0
    return root


@pytest.fixture
def built_happy(tmp_path: Path) -> Path:
    """A copy of the happy fixture, freshly built; returns its root."""
    return build_happy(tmp_path)


def assert_build_fails(root: Path, message: str) -> None:
    status, _, err = cli(root)
    assert status == 1
    assert message in err, err


def shared_tree(tmp_path: Path, workflow_lines: list[str], **modules: str) -> Path:
    """A tree with shared/settings.py, the given shared modules, and one workflow."""
    files = {f"shared/{name}.py": text for name, text in modules.items()}
    return write_tree(tmp_path, {"shared/settings.py": SETTINGS_MODULE, **files, WORKFLOW: lines(*workflow_lines)})


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
