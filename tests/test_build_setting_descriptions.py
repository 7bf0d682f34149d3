"""Tests of builder/setting_descriptions.py, the one table of what each setting means and what it is when
unset: complete for the bundled workflows, nothing in it that no workflow reads, and each default the one the
code applies."""
from __future__ import annotations

import ast
import importlib

import pytest

from builder.setting_descriptions import SETTING_DESCRIPTIONS, reads
from conftest import ROOT, bundled_workflows


def settings_read_by(module) -> set:
    """Every setting a workflow declares it reads, for all its event types: its keys, and the families of keys
    it reads by pattern, by their name in the table (`ACK_BODY_<LANGUAGE>`)."""
    specs = [module.SETTINGS, *getattr(module, "SETTINGS_BY_EVENT", {}).values()]
    keys = {key for spec in specs for key in (*spec.required, *spec.optional, *sum(spec.one_of, ()))}
    families = tuple(family for spec in specs for family in spec.families)
    return keys | {key for key in SETTING_DESCRIPTIONS if SETTING_DESCRIPTIONS[key].example
                   and reads(tuple(keys), families, key)}


# The workflows this project ships; a user's own settings are the workflow's own, listed as such undescribed.
BUNDLED = {name: settings_read_by(importlib.import_module("workflows." + name)) for name in bundled_workflows()}


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_setting_a_bundled_workflow_reads_is_described(name):
    assert BUNDLED[name] and BUNDLED[name] <= set(SETTING_DESCRIPTIONS), BUNDLED[name] - set(SETTING_DESCRIPTIONS)


def test_every_described_setting_is_read_by_a_bundled_workflow():
    assert set(SETTING_DESCRIPTIONS) == set().union(*BUNDLED.values())


def test_each_description_is_one_markdown_table_cell():
    for key, description in SETTING_DESCRIPTIONS.items():
        for text in (description.meaning, description.default or "x"):
            assert text.strip() == text and "|" not in text and "\n" not in text, key
            assert text.count("`") % 2 == 0, key


def defaults_in_code() -> dict:
    """Each default shared/ applies by a literal, as the table words it: `settings.number(KEY, 30.0, ...)`
    and `integer` as "30", `flag(KEY)` as "false", `url(KEY, DEFAULT_X)` as "`<DEFAULT_X>`"."""
    found = {}
    for path in sorted((ROOT / "shared").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            getter = call.func.attr if isinstance(call.func, ast.Attribute) else None
            if not call.args or not isinstance(call.args[0], ast.Constant) or not isinstance(call.args[0].value, str):
                continue
            key, rest = call.args[0].value, call.args[1:]
            if getter in ("number", "integer") and isinstance(rest[0], ast.Constant):
                found[key] = "{:g}".format(rest[0].value)
            elif getter == "flag":
                found[key] = "false"
            elif getter == "url" and isinstance(rest[0], ast.Name):
                found[key] = "`{}`".format(constants[rest[0].id])
    return found


def test_each_default_is_the_one_the_code_applies():
    found = defaults_in_code()
    assert set(found) >= {"HTTP_TIMEOUT_SECONDS", "SHORTLIST_SIZE", "DRY_RUN", "HRFLOW_API_URL", "MANDRILL_API_URL"}
    assert {key: SETTING_DESCRIPTIONS[key].default for key in found} == found
