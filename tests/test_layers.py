"""The shape of shared/: its layers import one way, its modules import no cycle, and the code that is
pasted never imports what is not (the emulator, the tests, the workflows)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT / "shared"
# Lowest first: a module may import from its own layer or one listed before it, never after.
LAYERS = ("core", "wire", "untrusted", "outbound", "actions", "pipeline")


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for each module the file imports, absolute or relative, wherever the import is."""
    package = _module_name(path, root).split(".")[: -1 if path.name != "__init__.py" else None]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.append((node.lineno, ".".join(base + ([node.module] if node.module else []))))
    return found


MODULES = {_module_name(path): path for path in sorted(SHARED.rglob("*.py"))}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_of_shared_lives_in_a_layer():
    outside = [name for name in MODULES if name != "shared" and _layer(name) is None]
    assert outside == [], "modules of shared/ outside the layers {}: {}".format(LAYERS, outside)


def _against_the_layers(module: str, path: Path, root: Path = ROOT) -> list[str]:
    own = _layer(module)
    return [
        "{}:{} imports {}".format(path.relative_to(root), line, target)
        for line, target in _imports(path, root)
        if target.split(".")[0] == "shared" and own is not None and (_layer(target) or 0) > own
    ]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_from_its_own_layer_or_those_below(module):
    against = _against_the_layers(module, MODULES[module])
    assert against == [], "imports that run against the layers {}: {}".format(" < ".join(LAYERS), against)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_the_pasted_code_imports_nothing_that_is_not_pasted(module):
    foreign = [target for _, target in _imports(MODULES[module])
               if target.split(".")[0] in ("localcatch", "workflows", "tests", "fakes", "catch", "build", "builder")]
    assert foreign == []


def test_the_modules_of_shared_import_no_cycle():
    graph = {name: {target for _, target in _imports(path) if target in MODULES and target != name}
             for name, path in MODULES.items()}
    seen: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if seen.get(name) == "done":
            return
        assert seen.get(name) != "open", "an import cycle: " + " -> ".join(trail + [name])
        seen[name] = "open"
        for target in sorted(graph[name]):
            visit(target, trail + [name])
        seen[name] = "done"

    for name in sorted(graph):
        visit(name, [])


def test_the_layer_test_sees_an_import_against_the_layers_absolute_or_relative(tmp_path):
    module = tmp_path / "shared" / "actions" / "wrong.py"
    module.parent.mkdir(parents=True)
    module.write_text("from shared.core.errors import CatchError\nfrom shared.pipeline.run import run\n"
                      "def late():\n    from ..pipeline import answer\n")
    assert _against_the_layers("shared.actions.wrong", module, tmp_path) == [
        "shared/actions/wrong.py:2 imports shared.pipeline.run", "shared/actions/wrong.py:4 imports shared.pipeline"]


SHARED_MODULE_LINES = 300
MODULE_LINES = 400


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_of_shared_reads_in_one_sitting(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= SHARED_MODULE_LINES, "{} has {} lines".format(MODULES[module].relative_to(ROOT), lines)


def test_no_module_outside_the_tests_and_dist_is_over_400_lines():
    skipped = ("tests", "dist", ".git", ".venv", ".venv39")
    long = {str(path.relative_to(ROOT)): lines for path in ROOT.rglob("*.py")
            if path.relative_to(ROOT).parts[0] not in skipped and not path.relative_to(ROOT).parts[0].startswith(".")
            for lines in [len(path.read_text(encoding="utf-8").splitlines())] if lines > MODULE_LINES}
    assert long == {}
