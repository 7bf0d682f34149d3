"""`dist/manifest.json`: what each built workflow declares and the hash of its file, one entry per
workflow; a build of some workflows keeps the entries of the others."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from builder.amalgamation import Built, sha256
from builder.contract import Keys
from builder.errors import BuildError

Entry = dict[str, Any]  # a workflow's entry, as JSON holds it


def keys_entry(keys: Keys) -> Entry:
    return {"required": list(keys.required), "one_of": [list(group) for group in keys.one_of],
            "optional": list(keys.optional)}


def workflow_entry(built: Built) -> Entry:
    contract = built.contract
    entry: Entry = {"description": contract.description, "event_types": list(contract.event_types),
                    "file": f"{contract.name}.py", **keys_entry(contract.keys), "sha256": sha256(built.text)}
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


def manifest_text(entries: dict[str, Entry]) -> str:
    return json.dumps({"workflows": entries}, indent=2, sort_keys=True) + "\n"
