#!/usr/bin/env python3
"""Build one paste-ready file per workflow by inlining the shared/ modules it uses.

HrFlow's Catch editor takes one Python file, so each workflows/<event_type>.py
becomes dist/<event_type>.py, an amalgamation. Standard library only. Rules:

* Only modules under shared/ are inlined: transitively, dependencies first, in
  source order, each once. Other imports stay as written, as do all imports in
  functions. `from shared.x import a` (or `from .x import a` inside shared/) is
  removed; `from shared.x import a as b` becomes `b = a` in its place.
* Source lines are copied as they are, each module between `# --- begin <path>`
  and `# --- end <path>` banners, the workflow last. Its docstring goes first,
  so it is the built module's __doc__, then every `from __future__` import,
  merged into one line. Top-level `__all__` assignments are dropped.
* Modules share one namespace: a name bound at top level in two of them is an
  error, unless both bind it by the same import (`import json` twice is fine).
* What cannot be inlined faithfully fails as `path:line: reason`, exit status 1.
* Every part of the result (each inlined module as rendered, the workflow) must
  parse as Python 3.9 and import nothing from shared; each is checked and
  compiled once, however many workflows inline it. The parts are then run in
  order, as the file would run, to read its contract (EVENT_TYPE, SETTINGS,
  workflow, docstring), and the file gets a header (event type, settings keys,
  sources with hashes). Output is deterministic: no timestamps, no absolute
  paths, Unix newlines.
"""
from __future__ import annotations

import __future__
import argparse
import ast
import difflib
import functools
import hashlib
import json
import os
import sys
import textwrap
import types
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

SHARED = "shared"
TARGET_PYTHON = (3, 9)
EVENT_TYPES = frozenset(f"{item}.{action}.{outcome}" for item in ("profile", "job")
                        for action in ("parsing", "storing", "searching", "scoring")
                        for outcome in ("success", "update", "error"))
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
          ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class BuildError(Exception):
    """A problem in the sources, shown as ``path:line: reason`` (``path: reason`` without a line)."""

    def __init__(self, path: str, line: int | None, reason: str):
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


@dataclass(frozen=True)
class SharedImport:
    """A top-level import satisfied by inlining ``target``, a path under shared/."""
    line: int
    target: str
    names: tuple[tuple[str, str], ...]  # (name defined in target, name bound by the import)


@dataclass(eq=False)
class Module:
    """A parsed source file and the edits that inlining it takes."""
    path: str  # relative to the root, POSIX
    text: str
    tree: ast.Module
    imports: list[SharedImport] = field(default_factory=list)
    futures: set[str] = field(default_factory=set)
    edits: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # line span -> new lines
    bindings: dict[str, tuple[int, object]] = field(default_factory=dict)  # name -> (line, origin)


@dataclass(frozen=True)
class Built:
    """A built workflow: its name (file stem), what it declares, and the output text."""
    name: str
    event_type: str
    description: str  # first line of the docstring
    required: tuple[str, ...]  # settings keys, sorted
    optional: tuple[str, ...]
    text: str = ""


def touches_shared(node: ast.Import | ast.ImportFrom) -> bool:
    """Whether an import statement refers to shared/ (relative imports always do)."""
    if isinstance(node, ast.Import):
        return any(alias.name.partition(".")[0] == SHARED for alias in node.names)
    return node.level > 0 or (node.module or "").partition(".")[0] == SHARED


def is_all_assignment(stmt: ast.stmt) -> bool:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
    return isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and all(
        isinstance(target, ast.Name) and target.id == "__all__" for target in targets)


def own_line_span(module: Module, stmt: ast.stmt) -> tuple[int, int]:
    """The lines of a top-level statement to cut out, which must hold no other statement."""
    body = module.tree.body
    index = body.index(stmt)
    before = body[index - 1].end_lineno if index else 0
    after = body[index + 1].lineno if index + 1 < len(body) else float("inf")
    if before >= stmt.lineno or after <= stmt.end_lineno:
        raise BuildError(module.path, stmt.lineno, "statement shares its line with another; put it on its own line")
    return stmt.lineno, stmt.end_lineno


def nested_statements(stmt: ast.AST):
    """The statements inside a compound statement, at any depth (imports are statements)."""
    for name in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(stmt, name, ()):
            yield child
            yield from nested_statements(child)


def reject_nested_shared_imports(module: Module) -> None:
    """Only a top-level statement can be replaced by inlining."""
    for stmt in module.tree.body:
        for node in nested_statements(stmt):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and touches_shared(node):
                kind = "class" if isinstance(stmt, ast.ClassDef) else "function"
                scope = f"{kind} {stmt.name!r}" if hasattr(stmt, "name") else f"'{type(stmt).__name__.lower()}' statement"
                raise BuildError(module.path, node.lineno,
                                 f"import from shared inside {scope} cannot be inlined; move it to the top level")


def resolve_import(root: Path, module: Module, stmt: ast.ImportFrom) -> SharedImport:
    """Find the file a top-level import from shared inlines, and the names it binds."""
    error = functools.partial(BuildError, module.path, stmt.lineno)
    dotted = "." * stmt.level + (stmt.module or "")
    parts = stmt.module.split(".") if stmt.module else []
    if stmt.level:
        package = PurePosixPath(module.path).parent.parts
        kept = len(package) - (stmt.level - 1)
        if kept < 1 or package[0] != SHARED:
            raise error(f"relative import '{dotted}' resolves outside shared/")
        parts = list(package[:kept]) + parts
    if any(alias.name == "*" for alias in stmt.names):
        raise error(f"star import from {dotted} cannot be inlined; import the names you need")
    base = "/".join(parts)
    target = next((path for path in (f"{base}.py", f"{base}/__init__.py") if (root / path).is_file()), None)
    if target is None:
        raise error(f"no module {'.'.join(parts)} (looked for {base}.py and {base}/__init__.py)")
    for alias in stmt.names:
        submodule = f"{base}/{alias.name}"
        if target.endswith("__init__.py") and ((root / f"{submodule}.py").is_file() or (root / submodule).is_dir()):
            raise error(f"'{alias.name}' is the module {submodule}, which cannot be inlined as an object; "
                        "import names from it")
    return SharedImport(stmt.lineno, target, tuple((alias.name, alias.asname or alias.name) for alias in stmt.names))


def bound_names(node: ast.AST):
    """Yield (name, line, origin) for each name a statement binds in the module namespace.

    An import's origin is what it binds; other bindings have None. Nested scopes are skipped.
    """
    if isinstance(node, SCOPES):
        if hasattr(node, "name"):
            yield node.name, node.lineno, None
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        yield node.id, node.lineno, None
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, node.lineno, None
    elif isinstance(node, ast.Import):
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            yield bound, node.lineno, ("import", alias.name if alias.asname else bound)
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            yield alias.asname or alias.name, node.lineno, (node.module, alias.name)
    for child in ast.iter_child_nodes(node):
        yield from bound_names(child)


def top_level_bindings(module: Module) -> dict[str, tuple[int, object]]:
    """Each name bound at top level: its first line, and its origin if all its bindings share one."""
    found = [binding for stmt in module.tree.body if (stmt.lineno, stmt.end_lineno) not in module.edits
             for binding in bound_names(stmt)]
    found += [(bound, imp.line, ("alias", imp.target, name))
              for imp in module.imports for name, bound in imp.names if bound != name]
    bindings: dict[str, tuple[int, object]] = {}
    for name, line, origin in found:
        first_line, first_origin = bindings.setdefault(name, (line, origin))
        bindings[name] = (first_line, first_origin if first_origin == origin else None)
    return bindings


def parse_module(root: Path, path: str) -> Module:
    """Parse a source file and plan its edits: shared imports, __future__ imports and __all__ go."""
    text = (root / path).read_text(encoding="utf-8")
    try:
        module = Module(path, text, ast.parse(text, path, feature_version=TARGET_PYTHON))
    except SyntaxError as exc:
        raise BuildError(path, exc.lineno, f"not valid Python 3.9: {exc.msg}") from None
    reject_nested_shared_imports(module)
    for stmt in module.tree.body:
        replacement = None
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            module.futures.update(alias.name for alias in stmt.names)
            replacement = []
        elif is_all_assignment(stmt):
            replacement = []
        elif isinstance(stmt, ast.Import) and touches_shared(stmt):
            raise BuildError(path, stmt.lineno, f"'{ast.get_source_segment(text, stmt)}' needs a module object, "
                                                "which cannot be inlined; use 'from shared.<module> import <name>'")
        elif isinstance(stmt, ast.ImportFrom) and touches_shared(stmt):
            imp = resolve_import(root, module, stmt)
            module.imports.append(imp)
            replacement = [f"{bound} = {name}" for name, bound in imp.names if bound != name]
        if replacement is not None:
            module.edits[own_line_span(module, stmt)] = replacement
    module.bindings = top_level_bindings(module)
    return module


def inline_order(root: Path, workflow: Module, cache: dict[str, Module]) -> list[Module]:
    """The shared modules the workflow needs, dependencies first, each once."""
    order: list[Module] = []

    def visit(module: Module, chain: list[str]) -> None:
        for imp in module.imports:
            if imp.target in chain:
                cycle = chain[chain.index(imp.target):] + [imp.target]
                raise BuildError(module.path, imp.line, "circular import: " + " -> ".join(cycle))
            if imp.target not in cache:
                cache[imp.target] = parse_module(root, imp.target)
            target = cache[imp.target]
            provided = set(target.bindings) | {bound for other in target.imports for _, bound in other.names}
            missing = [name for name, _ in imp.names if name not in provided]
            if missing:
                raise BuildError(module.path, imp.line, f"{target.path} does not define {missing[0]!r} at top level")
            if target not in order:
                visit(target, chain + [target.path])
                order.append(target)

    visit(workflow, [workflow.path])
    return order


def check_unique_names(modules: list[Module]) -> None:
    """Fail if two modules bind one name at top level, unless by the same import."""
    first_seen: dict[str, tuple[str, int, object]] = {}
    for module in modules:
        for name, (line, origin) in module.bindings.items():
            path, first_line, first_origin = first_seen.setdefault(name, (module.path, line, origin))
            if path != module.path and (origin is None or origin != first_origin):
                raise BuildError(module.path, line, f"name {name!r} is already bound at {path}:{first_line}; "
                                                    "inlined modules share one namespace, rename one")


def render(module: Module, edits: dict[tuple[int, int], list[str]]) -> str:
    """The module's source lines with the edited spans replaced, without blank lines at either end.

    Where a span is cut out, the blank lines around it merge (they lie between statements).
    """
    lines = module.text.split("\n")
    kept: list[str] = []
    cursor = 1
    for (first, last), replacement in sorted(edits.items()):
        kept += lines[cursor - 1:first - 1] + replacement
        cursor = last + 1
        blanks_before = next((index for index, line in enumerate(reversed(kept)) if line.strip()), len(kept))
        while not replacement and blanks_before and cursor <= len(lines) and not lines[cursor - 1].strip():
            cursor, blanks_before = cursor + 1, blanks_before - 1
    return "\n".join(kept + lines[cursor - 1:]).strip("\n")


def banner(path: str, code: str) -> str:
    lines = [f"# --- begin {path} ---", code, f"# --- end {path} ---"]
    return "\n".join(line for line in lines if line)


def sections(workflow: Module, modules: list[Module]) -> list[tuple[Module | None, str]]:
    """The file body in parts: the opening (workflow docstring, __future__ imports), each inlined
    module, then the workflow; each part with the module it comes from (None for the opening)."""
    opening: list[str] = []
    workflow_edits = dict(workflow.edits)
    if ast.get_docstring(workflow.tree, clean=False) is not None:
        first, last = own_line_span(workflow, workflow.tree.body[0])
        workflow_edits[first, last] = []
        opening.append("\n".join(workflow.text.split("\n")[first - 1:last]))
    futures = future_names(workflow, modules)
    if futures:
        opening.append(f"from __future__ import {', '.join(futures)}")
    parts: list[tuple[Module | None, str]] = [(None, "\n\n".join(opening))] if opening else []
    parts += [(module, render(module, module.edits)) for module in modules]
    parts.append((workflow, render(workflow, workflow_edits)))
    return parts


def future_names(workflow: Module, modules: list[Module]) -> list[str]:
    return sorted(set().union(workflow.futures, *(module.futures for module in modules)))


def assemble(parts: list[tuple[Module | None, str]]) -> str:
    return "\n\n\n".join(code if module is None else banner(module.path, code) for module, code in parts) + "\n"


def compile_part(path: str, code: str, futures: list[str], cache: dict) -> types.CodeType:
    """Check one part of a built file and compile it, once per text: it must parse as Python 3.9
    and import nothing from shared, at any depth.

    A built file is these parts, whole top-level statements joined by comments
    and blank lines, so checking each part checks the file, and running the
    parts in order in one namespace runs the file.
    """
    key = (code, tuple(futures))
    if key not in cache:
        try:
            tree = ast.parse(code, path, feature_version=TARGET_PYTHON)
        except SyntaxError as exc:
            raise BuildError(path, exc.lineno, f"built code is not valid Python 3.9: {exc.msg}") from None
        for node in (node for stmt in tree.body for node in [stmt, *nested_statements(stmt)]):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and touches_shared(node):
                raise BuildError(path, node.lineno, "built code still imports from shared")
        flags = functools.reduce(lambda total, name: total | getattr(__future__, name).compiler_flag, futures, 0)
        cache[key] = compile(tree, f"<built {path}>", "exec", flags=flags, dont_inherit=True)
    return cache[key]


def load_namespace(path: str, codes: list[types.CodeType]) -> dict:
    """Run the built file's parts as one throwaway module named ``catch_workflow``."""
    module = types.ModuleType("catch_workflow")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    try:
        for code in codes:
            exec(code, module.__dict__)
    except Exception as exc:  # whatever the workflow's code raises is reported
        raise BuildError(path, None, f"cannot load built workflow: {type(exc).__name__}: {exc}") from None
    finally:
        sys.modules.pop(module.__name__, None)
    return module.__dict__


def read_contract(workflow: Module, namespace: dict) -> Built:
    """Check EVENT_TYPE, SETTINGS, workflow and the docstring; the file name gives the event type."""
    name = PurePosixPath(workflow.path).stem
    event_type = name.replace("_", ".")

    def fail(reason: str, symbol: str = "") -> None:
        raise BuildError(workflow.path, workflow.bindings.get(symbol, (None,))[0], reason)

    if event_type not in EVENT_TYPES:
        fail("the file name must be an event type with '_' for '.': "
             "{profile,job}_{parsing,storing,searching,scoring}_{success,update,error}.py")
    if namespace.get("EVENT_TYPE") != event_type:
        fail(f"EVENT_TYPE must be {event_type!r} to match the file name, not {namespace.get('EVENT_TYPE')!r}",
             "EVENT_TYPE")
    settings = namespace.get("SETTINGS")
    for kind in ("required", "optional"):
        keys = getattr(settings, kind, None)
        if not isinstance(keys, tuple) or not all(isinstance(key, str) for key in keys):
            fail(f"SETTINGS.{kind} must be a tuple of str, not {type(keys).__name__}", "SETTINGS")
        if not all(key.isidentifier() for key in keys):  # they go into the header comment
            fail(f"SETTINGS.{kind} must hold setting names (letters, digits, '_')", "SETTINGS")
    if not callable(namespace.get("workflow")):
        fail("must define a callable 'workflow(request, settings)'", "workflow")
    docstring = ast.get_docstring(workflow.tree) or ""  # not __doc__: an inlined module may provide that
    if not docstring.strip():
        fail("needs a module docstring; its first line describes the workflow")
    return Built(name, event_type, docstring.strip().split("\n")[0],
                 tuple(sorted(set(settings.required))), tuple(sorted(set(settings.optional))))


def header(built: Built, sources: list[Module]) -> str:
    """Comment lines telling what the file is, what it reads and what it was built from."""
    width = max(len(source.path) for source in sources)
    return "\n".join([
        f"# The HrFlow Catch workflow for {built.event_type!r} events, built into one file.",
        "# Paste all of it into the Catch editor: it needs no other file of this repository.",
        "# Generated by build.py, do not edit: change the sources below, then run `python build.py`.",
        "#",
        *textwrap.wrap(", ".join(built.required) or "(none)", 88, initial_indent="# Settings keys, required: ",
                       subsequent_indent="#     "),
        *textwrap.wrap(", ".join(built.optional) or "(none)", 88, initial_indent="# Settings keys, optional: ",
                       subsequent_indent="#     "),
        "#",
        "# Built from (sha256, first 12 hex digits):",
        *(f"#   {source.path.ljust(width)}  {sha256(source.text)[:12]}" for source in sources),
        "", "",
    ])


def build_workflow(root: Path, name: str, cache: dict[str, Module], compiled: dict) -> Built:
    """Inline, check, run and head one workflow; ``cache`` holds the parsed shared modules and
    ``compiled`` the checked, compiled parts, shared by all workflows."""
    workflow = parse_module(root, f"workflows/{name}.py")
    modules = inline_order(root, workflow, cache)
    check_unique_names(modules + [workflow])
    parts = sections(workflow, modules)
    futures = future_names(workflow, modules)
    codes = [compile_part((module or workflow).path, code, futures, compiled) for module, code in parts]
    built = read_contract(workflow, load_namespace(workflow.path, codes))
    return replace(built, text=header(built, [workflow] + modules) + assemble(parts))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def relative(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def select_workflows(root: Path, names: list[str]) -> list[str]:
    """Workflow file stems: those named, or all of workflows/*.py but _private ones."""
    available = sorted(path.stem for path in (root / "workflows").glob("*.py") if not path.name.startswith("_"))
    chosen: list[str] = []
    for name in names:
        stem = Path(name).stem if name.endswith(".py") else name.replace(".", "_")
        if stem not in available:
            raise BuildError(f"workflows/{stem}.py", None, "no such workflow (see `python build.py --list`)")
        if stem not in chosen:
            chosen.append(stem)
    return chosen if names else available


def planned_files(root: Path, out: Path, built: list[Built], keep_others: bool) -> dict[Path, str]:
    """Each output file and its text: the built workflows, then the manifest."""
    files = {out / f"{item.name}.py": item.text for item in built}
    manifest = out / "manifest.json"
    entries = {}
    if keep_others and manifest.is_file():
        try:
            entries = dict(json.loads(manifest.read_text(encoding="utf-8"))["workflows"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BuildError(relative(root, manifest), None, f"unreadable ({exc!r}); run `python build.py`") from None
    for item in built:
        entries[item.name] = {"description": item.description, "event_type": item.event_type,
                              "file": relative(root, out / f"{item.name}.py"), "optional": list(item.optional),
                              "required": list(item.required), "sha256": sha256(item.text)}
    files[manifest] = json.dumps({"workflows": entries}, indent=2, sort_keys=True) + "\n"
    return files


def stale_diff(root: Path, files: dict[Path, str], extras: list[Path]) -> str:
    """A unified diff from the files on disk to those a build would write; empty if up to date."""
    chunks: list[str] = []
    for path, new in [*files.items(), *((extra, None) for extra in extras)]:
        on_disk = path.read_bytes() if path.is_file() else None
        if new is not None and on_disk == new.encode("utf-8"):
            continue
        old = None if on_disk is None else on_disk.decode("utf-8", "replace")
        name = relative(root, path)
        chunks += difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(),
                                       "/dev/null" if old is None else f"a/{name}",
                                       "/dev/null" if new is None else f"b/{name}", lineterm="")
    return "\n".join(chunks)


def write_files(root: Path, files: dict[Path, str], extras: list[Path]) -> None:
    """Write the files that changed and remove the extras, saying so for each."""
    for path, text in files.items():
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {relative(root, path)}")
    for path in extras:
        path.unlink()
        print(f"removed {relative(root, path)} (no workflow produces it)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build one paste-ready file per workflow into dist/, with a "
                                                 "manifest.json (the docstring of build.py gives the rules).")
    parser.add_argument("names", nargs="*", metavar="NAME", help="workflows to build, by file stem (profile_parsing"
                        "_success) or event type (profile.parsing.success); default: all of workflows/*.py")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="build in memory; exit 1 with a diff if the output is stale")
    mode.add_argument("--list", action="store_true", help="list the workflows, their event types and settings keys")
    parser.add_argument("--out", default="dist", help="output folder, relative to the root (default: dist)")
    parser.add_argument("--root", help="folder holding shared/ and workflows/ (default: the folder of build.py)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(args.root) if args.root else Path(__file__).resolve().parent
    out = root / args.out
    cache: dict[str, Module] = {}
    compiled: dict = {}
    try:
        built = [build_workflow(root, name, cache, compiled) for name in select_workflows(root, args.names)]
        files = planned_files(root, out, built, keep_others=bool(args.names))
    except BuildError as exc:
        print(f"{exc}\nbuild failed, nothing written", file=sys.stderr)
        return 1
    if args.list:
        for item in built:
            print(f"{item.name}  {item.event_type}\n    required: {', '.join(item.required) or '(none)'}\n"
                  f"    optional: {', '.join(item.optional) or '(none)'}")
        return 0
    extras = [] if args.names else sorted(set(out.glob("*.py")) - set(files))
    if not args.check:
        write_files(root, files, extras)
        print(f"built {len(built)} workflow(s) into {relative(root, out)}/")
        return 0
    diff = stale_diff(root, files, extras)
    print(diff or f"{relative(root, out)}/ is up to date ({len(built)} workflow(s)).")
    if diff:
        print(f"{relative(root, out)}/ is out of date: run `python build.py` to rebuild it.")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
