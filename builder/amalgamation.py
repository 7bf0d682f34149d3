"""One workflow built: its shared modules inlined, the result checked and run, its contract read, and
the file headed."""
from __future__ import annotations

import hashlib
import types
from dataclasses import dataclass
from pathlib import Path

from builder.checks import compile_part, load_namespace
from builder.contract import Contract, read_contract
from builder.header import header
from builder.inlining import check_unique_names, inline_order
from builder.layout import assemble, file_parts, future_names
from builder.sources import Module, parse_module


@dataclass(frozen=True)
class Built:
    """A built workflow: what it declares, the text of its file, and its sources with their hashes."""
    contract: Contract
    text: str
    sources: tuple[tuple[str, str], ...]  # (path, sha256), the workflow first


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_workflow(root: Path, name: str, cache: dict[str, Module],
                   compiled: dict[tuple[str, tuple[str, ...]], types.CodeType]) -> Built:
    """Inline, check, run and head one workflow; ``cache`` holds the parsed shared modules and
    ``compiled`` the checked, compiled parts, shared by all workflows."""
    workflow = parse_module(root, f"workflows/{name}.py")
    modules = inline_order(root, workflow, cache)
    check_unique_names(modules + [workflow])
    futures = future_names(workflow, modules)
    parts = file_parts(workflow, modules, futures)
    codes = [compile_part(part.path, part.code, futures, compiled) for part in parts]
    contract = read_contract(workflow, load_namespace(workflow.path, codes))
    sources = tuple((source.path, sha256(source.text)) for source in [workflow, *modules])
    return Built(contract, header(contract, sources) + assemble(parts), sources)
