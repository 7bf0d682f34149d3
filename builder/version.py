"""The version of the sources built, `VERSION` in the root's shared/core/version.py, where it is declared
once. It is read without running the file, as setuptools reads it for pyproject.toml, so that a root
built with `--root` says its own version (or none, if it declares none)."""
from __future__ import annotations

import ast
from pathlib import Path

from builder.errors import BuildError

VERSION_FILE = "shared/core/version.py"


def declared_version(root: Path) -> str | None:
    """The root's `VERSION`, a string literal, or None if the root has no shared/core/version.py."""
    path = root / VERSION_FILE
    if not path.is_file():
        return None
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), VERSION_FILE)
    except SyntaxError as exc:
        raise BuildError(VERSION_FILE, exc.lineno, f"not valid Python: {exc.msg}") from None
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(target, ast.Name) and target.id == "VERSION"
                                                for target in stmt.targets):
            value = stmt.value
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)
                    and value.value.isprintable() and value.value.strip()):
                raise BuildError(VERSION_FILE, stmt.lineno, "VERSION must be a string literal, such as \"1.0.0\"")
            return value.value
    raise BuildError(VERSION_FILE, None, "declares no VERSION = \"<version>\"")
