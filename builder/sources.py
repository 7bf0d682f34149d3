"""A source file read for inlining: its syntax tree, the imports from shared/ it needs inlined, and the
edits that inlining it takes (imports from shared/ and `from __future__` removed, `__all__` dropped)."""
from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from builder.errors import BuildError
from builder.names import Origin, bound_names

SHARED = "shared"
TARGET_PYTHON = (3, 9)


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
    bindings: dict[str, tuple[int, Origin]] = field(default_factory=dict)  # name -> (first line, origin)


def touches_shared(node: ast.Import | ast.ImportFrom) -> bool:
    """Whether an import statement refers to shared/ (relative imports always do)."""
    if isinstance(node, ast.Import):
        return any(alias.name.partition(".")[0] == SHARED for alias in node.names)
    return node.level > 0 or (node.module or "").partition(".")[0] == SHARED


def end_line(node: ast.stmt) -> int:
    """The last line of a statement (`end_lineno` is always set on parsed code)."""
    return node.end_lineno or node.lineno


def is_all_assignment(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    else:
        return False
    return all(isinstance(target, ast.Name) and target.id == "__all__" for target in targets)


def own_line_span(module: Module, stmt: ast.stmt) -> tuple[int, int]:
    """The lines of a top-level statement to cut out, which must hold no other statement."""
    body = module.tree.body
    index = body.index(stmt)
    before = end_line(body[index - 1]) if index else 0
    after = body[index + 1].lineno if index + 1 < len(body) else float("inf")
    if before >= stmt.lineno or after <= end_line(stmt):
        raise BuildError(module.path, stmt.lineno, "statement shares its line with another; put it on its own line")
    return stmt.lineno, end_line(stmt)


def nested_statements(stmt: ast.AST) -> Iterator[ast.AST]:
    """The statements inside a compound statement, at any depth (imports are statements)."""
    for name in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(stmt, name, ()):
            yield child
            yield from nested_statements(child)


def shared_imports(tree: ast.Module) -> Iterator[tuple[ast.stmt, ast.Import | ast.ImportFrom]]:
    """Each import from shared/, at any depth, with the top-level statement it is (or stands in)."""
    for stmt in tree.body:
        for node in (stmt, *nested_statements(stmt)):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and touches_shared(node):
                yield stmt, node


def reject_nested_shared_imports(module: Module) -> None:
    """Only a top-level statement can be replaced by inlining."""
    for stmt, node in shared_imports(module.tree):
        if node is not stmt:
            definition = "class" if isinstance(stmt, ast.ClassDef) else "function"
            name = getattr(stmt, "name", None)
            scope = f"{definition} {name!r}" if name else f"'{type(stmt).__name__.lower()}' statement"
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


def top_level_bindings(module: Module) -> dict[str, tuple[int, Origin]]:
    """Each name bound at top level: its first line, and its origin if all its bindings share one."""
    found = [binding for stmt in module.tree.body if (stmt.lineno, stmt.end_lineno) not in module.edits
             for binding in bound_names(stmt)]
    found += [(bound, imp.line, ("alias", imp.target, name))
              for imp in module.imports for name, bound in imp.names if bound != name]
    bindings: dict[str, tuple[int, Origin]] = {}
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
        replacement: list[str] | None = None
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
