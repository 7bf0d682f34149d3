"""`dist/manifest.json`: what each built workflow declares, its version, the hash of its file and of each
of its sources, one entry per workflow (a build of some workflows keeps the entries of the others), and
what each setting they read means, from `builder/setting_descriptions.py`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.amalgamation import Built, sha256
from builder.contract import Keys
from builder.errors import BuildError
from builder.setting_descriptions import SETTING_DESCRIPTIONS, described_read

Entry = dict[str, Any]  # a workflow's entry, as JSON holds it


def keys_entry(keys: Keys) -> Entry:
    return {"required": list(keys.required), "one_of": [list(group) for group in keys.one_of],
            "optional": list(keys.optional), "families": list(keys.families)}


def entry_keys(entry: Entry) -> tuple[str, ...]:
    """Every setting an entry (or one of its event types) reads."""
    return (*entry["required"], *(key for group in entry["one_of"] for key in group), *entry["optional"])


def workflow_entry(built: Built) -> Entry:
    contract = built.contract
    entry: Entry = {"description": contract.description, "event_types": list(contract.event_types),
                    "file": f"{contract.name}.py", **keys_entry(contract.keys), "sha256": sha256(built.text),
                    "sources": dict(built.sources), "version": built.version}
    entry["own_settings"] = sorted(key for key in entry_keys(entry) if key not in SETTING_DESCRIPTIONS)
    if contract.keys_by_event:
        entry["settings_by_event"] = {event: keys_entry(keys) for event, keys in contract.keys_by_event.items()}
    return entry


def manifest_entries(manifest: Path, shown_as: str, built: list[Built], keep_others: bool) -> dict[str, Entry]:
    """Each workflow's entry: those built, and, with ``keep_others``, those the manifest on disk holds
    for the others (``shown_as`` names it in errors)."""
    entries: dict[str, Entry] = {}
    if keep_others and manifest.is_file():
        try:
            entries = dict(json.loads(manifest.read_text(encoding="utf-8"))["workflows"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BuildError(shown_as, None, f"unreadable ({exc!r}); run `python build.py`") from None
    for item in built:
        entries[item.contract.name] = workflow_entry(item)
    return entries


def described_settings(entries: dict[str, Entry]) -> dict[str, Entry]:
    """The meaning and default of each described setting the workflows read, in the table's order."""
    read = {key for entry in entries.values()
            for key in described_read(entry_keys(entry), tuple(entry.get("families", ())))}
    return {key: {"meaning": description.meaning, "default": description.default}
            for key, description in SETTING_DESCRIPTIONS.items() if key in read}


def manifest_text(entries: dict[str, Entry]) -> str:
    manifest = {"settings": described_settings(entries), "workflows": entries}
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"
