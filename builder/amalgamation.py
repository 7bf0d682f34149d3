"""One workflow built: its shared modules inlined, the result checked and loaded, its contract read, and
the file headed."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from builder.checks import check_part, load
from builder.contract import Contract, read_contract
from builder.header import headed
from builder.inlining import check_unique_names, inline_order
from builder.layout import assemble, file_parts
from builder.sources import Module, parse_module


@dataclass(frozen=True)
class Built:
    """A built workflow: what it declares, the text of its file, its sources with their hashes, and their
    version."""
    contract: Contract
    text: str
    sources: tuple[tuple[str, str], ...]  # (path, sha256), the workflow first
    version: str | None  # of the sources, as shared/core/version.py declares it


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_workflow(root: Path, name: str, version: str | None, cache: dict[str, Module], checked: set[str]) -> Built:
    """Inline, check, load and head one workflow of the sources of ``version``; ``cache`` holds the parsed
    shared modules and ``checked`` the parts already checked, shared by all workflows."""
    workflow = parse_module(root, f"workflows/{name}.py")
    modules = inline_order(root, workflow, cache)
    check_unique_names(modules + [workflow])
    parts = file_parts(workflow, modules)
    for part in parts:
        check_part(part.path, part.code, checked)
    contract = read_contract(workflow, load(workflow.path, assemble(parts)))
    sources = tuple((source.path, sha256(source.text)) for source in [workflow, *modules])
    return Built(contract, headed(contract, version, parts), sources, version)
