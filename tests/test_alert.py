"""`shared.actions.alert`: who an alert goes to."""
from __future__ import annotations

from conftest import deliver


def test_alert_falls_back_to_notify_email(settings, fake_mandrill):
    del settings["ALERT_EMAIL"]
    code, body = deliver("job.storing.error", settings)
    assert (code, body["status"]) == (200, "ok")
    assert [r["email"] for r in fake_mandrill.sent[0]["message"]["to"]] == [settings["NOTIFY_EMAIL"]]


def test_alert_without_any_address_names_both_settings(settings, fake_mandrill):
    del settings["ALERT_EMAIL"], settings["NOTIFY_EMAIL"]
    code, body = deliver("profile.scoring.error", settings)
    assert (code, body["status"]) == (500, "failed")
    assert "ALERT_EMAIL" in body["reason"] and "NOTIFY_EMAIL" in body["reason"]
