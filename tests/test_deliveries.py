"""Redelivery: HrFlow delivers at least once; the record kept in `settings` makes each action happen once."""
from __future__ import annotations

import json
import time

import pytest

from conftest import deliver
from localcatch.fakes import FakeMandrill, Reply
from shared.pipeline.deliveries import MAX_RECORDS, RECORD_KEY, Deliveries, fingerprint
from shared.wire.catalogue import SUBJECTS
from shared.wire.event import Event


def test_same_success_event_delivered_twice_emails_once_and_calls_nothing_the_second_time(
    settings, fake_hrflow, fake_mandrill
):
    first = deliver("profile.parsing.success", settings)[1]
    calls_after_first = fake_hrflow.request_count + fake_mandrill.request_count
    second = deliver("profile.parsing.success", settings)[1]
    assert first["status"] == "ok"
    assert (second["status"], second["reason"]) == ("skipped", "duplicate")
    assert len(fake_mandrill.sent) == 1
    assert fake_hrflow.request_count + fake_mandrill.request_count == calls_after_first


@pytest.mark.slow
def test_update_is_sent_again_once_the_window_has_passed(settings, fake_mandrill):
    settings["DEDUPE_WINDOW_SECONDS"] = "1"
    assert deliver("profile.storing.update", settings)[1]["status"] == "ok"
    assert deliver("profile.storing.update", settings)[1]["reason"] == "duplicate"
    time.sleep(1.1)
    assert deliver("profile.storing.update", settings)[1]["status"] == "ok"
    assert len(fake_mandrill.sent) == 2


def test_error_event_with_another_message_is_not_a_duplicate(settings, fake_mandrill):
    assert deliver("profile.parsing.error", settings, message="timeout")[1]["status"] == "ok"
    assert deliver("profile.parsing.error", settings, message="timeout")[1]["reason"] == "duplicate"
    assert deliver("profile.parsing.error", settings, message="corrupt file")[1]["status"] == "ok"
    assert len(fake_mandrill.sent) == 2


def test_failed_action_is_not_recorded_so_a_redelivery_acts(settings, fake_mandrill):
    fake_mandrill.script(FakeMandrill.SEND, [Reply(500, {"status": "error", "name": "Invalid_Key", "message": "x"})])
    assert deliver("profile.storing.success", settings)[1]["status"] == "failed"
    assert RECORD_KEY not in settings
    assert deliver("profile.storing.success", settings)[1]["status"] == "ok"
    assert len(fake_mandrill.sent) == 1


def test_malformed_record_starts_afresh_instead_of_crashing(settings, fake_mandrill):
    for garbage in ("not json", "42", '{"a": 1}', "[[1]]", '[["x", "y"]]', 42, ["a"], None):
        settings[RECORD_KEY] = garbage
        body = deliver("profile.storing.update", settings, message=repr(garbage))[1]
        assert body["status"] == "ok", (garbage, body)
        assert isinstance(json.loads(settings[RECORD_KEY]), list)
    assert len(fake_mandrill.sent) == 8


def _event(index):
    return Event("profile.storing.success", "api", "", SUBJECTS["profile"], "p{}".format(index), "s",
                 "profile.storing.success")


def test_record_is_bounded_and_drops_the_oldest_first():
    settings = {}
    deliveries = Deliveries(settings, window_seconds=600)
    for index in range(MAX_RECORDS + 10):
        deliveries.record(_event(index))
    reloaded = Deliveries(settings, window_seconds=600)
    assert len(json.loads(settings[RECORD_KEY])) == MAX_RECORDS
    assert not reloaded.already_done(_event(0))
    assert reloaded.already_done(_event(MAX_RECORDS + 9))


def test_record_holds_no_keys_or_messages_in_clear():
    settings = {}
    event = Event(
        "profile.parsing.error",
        "api",
        "ada.lovelace@example.com failed",
        SUBJECTS["profile"],
        "pkey",
        "skey",
        "profile.parsing.error",
    )
    Deliveries(settings, window_seconds=600).record(event)
    assert "ada" not in settings[RECORD_KEY] and "pkey" not in settings[RECORD_KEY]
    assert fingerprint(event) in settings[RECORD_KEY]


def test_success_is_remembered_beyond_the_window():
    now = [1000.0]
    settings = {}
    Deliveries(settings, window_seconds=10, clock=lambda: now[0]).record(_event(1))
    now[0] += 10_000
    assert Deliveries(settings, window_seconds=10, clock=lambda: now[0]).already_done(_event(1))


def test_a_dry_run_is_not_remembered_so_the_real_run_still_acts(settings, fake_mandrill):
    settings["DRY_RUN"] = "true"
    assert deliver("profile.parsing.success", settings)[1]["status"] == "ok"
    settings["DRY_RUN"] = "false"
    assert deliver("profile.parsing.success", settings)[1]["status"] == "ok"
    assert len(fake_mandrill.sent) == 1
