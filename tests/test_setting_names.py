"""A setting whose name is almost one the workflow reads fails closed, before any call, saying what was meant;
names that resemble none, and names the workflow finds by pattern, are no error."""
from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import deliver
from shared.core.setting_names import MAX_EDITS, _edits, meant
from shared.core.settings import SettingsSpec
from workflows.all_events import SETTINGS

KEYS = sorted(SETTINGS.keys)


def _typos(key: str) -> list[str]:
    """Ways a person mistypes a key: in lower case, with `-`, without its first `_`, its last letter dropped or
    an S added, two letters swapped; each nearer to `key` than to any other key, and not a name the workflow
    finds by pattern (`ACK_BODY_DS` is a language's body)."""
    underscore = key.find("_")
    typos = [key.lower(), key.replace("_", "-")]
    if underscore > 0:
        typos.append(key[:underscore] + key[underscore + 1:])
    typos += [key[:-1] if key.endswith("S") else key + "S", key[:2] + key[3] + key[2] + key[4:]]
    return [typo for typo in dict.fromkeys(typos) if typo not in KEYS
            and not any(re.fullmatch(family, typo) for family in SETTINGS.families)
            and sorted(_edits(typo.upper(), other) for other in KEYS)[:2] != [_edits(typo.upper(), key)] * 2]


@pytest.mark.parametrize("key", KEYS)
def test_a_mistyped_name_of_each_setting_is_refused_before_any_call_naming_what_was_meant(
    settings, fake_hrflow, fake_mandrill, key
):
    for typo in _typos(key):
        code, body = deliver("profile.parsing.error", dict(settings, **{typo: "true"}), workflow="all_events")
        assert (code, body["reason"]) == (500, "Setting {} is not one this workflow reads; did you mean {}?".format(
            typo, key)), typo
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0


def test_dryrun_is_refused_and_sends_nothing(settings, fake_mandrill):
    code, body = deliver("profile.storing.update", dict(settings, DRYRUN="true"))
    assert (code, body["reason"]) == (500, "Setting DRYRUN is not one this workflow reads; did you mean DRY_RUN?")
    assert fake_mandrill.request_count == 0


def test_every_mistyped_name_is_named_at_once(settings):
    code, body = deliver("profile.parsing.error", dict(settings, DISABLED_EVENT="x", dry_run="true"),
                         workflow="all_events")
    assert body["reason"] == ("Setting DISABLED_EVENT is not one this workflow reads; did you mean DISABLED_EVENTS? "
                              "Setting dry_run is not one this workflow reads; did you mean DRY_RUN?")


@pytest.mark.parametrize("name", ["__workflow_id", "_CATCH_DELIVERIES", "note", "NOTES", "Owner (team)",
                                  "SCORING_ALGORITHM", "ACK_BODY_IT", "MANDRILL_TEMPLATE_PT"])
def test_a_name_that_resembles_none_or_that_the_workflow_finds_by_pattern_is_no_error(settings, fake_mandrill, name):
    code, body = deliver("profile.parsing.error", dict(settings, **{name: "x"}), workflow="all_events")
    assert (code, body["status"]) == (200, "ok"), body


def test_a_setting_one_workflow_reads_is_no_mistake_for_another_that_does_not(settings, fake_mandrill):
    assert deliver("profile.parsing.error", dict(settings, ACK_BODY="Hi {first_name}"))[1]["status"] == "ok"


def test_a_name_is_meant_for_the_closest_key():
    spec = SettingsSpec(optional=("SCORING_BOARD_KEYS", "SCORING_SOURCE_KEYS", "DRY_RUN"))
    assert meant("SCORING_BOARD_KEY", spec) == "SCORING_BOARD_KEYS"
    assert meant("SCORING_SORCE_KEYS", spec) == "SCORING_SOURCE_KEYS"
    assert meant("DRY", spec) is None  # too short to say


def test_every_bundled_workflow_declares_the_keys_its_readers_read(settings):
    """What a workflow declares is what the mistake check compares with: each key a workflow's checks read
    must be declared, or it would be refused as a mistake of another."""
    for name in ("all_events", "profile_parsing_success", "job_scoring_success"):
        spec = importlib.import_module("workflows." + name).SETTINGS
        assert all(meant(key, spec) is None for key in settings), name


def _alignment(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook way: every cell of the table."""
    table = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


NAMES = st.text(alphabet="ABDERSY_-", max_size=14)


@given(NAMES, NAMES)
@example("DRY_RUN", "DRY_ROW")  # two letters changed for two new ones: four letters differ, two edits
@example("DRY_RUN", "DYR_URN")  # two swaps
@example("NOTIFY_EMAIL", "ALERT_EMAIL")  # more than two edits
def test_the_edits_counted_are_the_optimal_string_alignment_up_to_the_limit(a, b):
    assert _edits(a, b) == min(_alignment(a, b), MAX_EDITS + 1)

