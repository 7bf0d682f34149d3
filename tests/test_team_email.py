"""`shared.actions.team_email`: the team's emails, what they show of a profile or job and under what subject,
whatever the CV holds."""
from __future__ import annotations

import pytest

from conftest import PROFILE_KEY, SOURCE_KEY, deliver, store_profile
from localcatch.fakes import sample_profile

ACKNOWLEDGE = "profile.parsing.success"


def test_line_breaks_and_controls_in_names_do_not_reach_the_teams_subject(settings, fake_hrflow, fake_mandrill):
    store_profile(fake_hrflow, first_name="Eve\r\nBcc: victim@example.com\x00\x1b[2J\u202e", last_name="Doe")
    code, body = deliver("profile.storing.update", settings)
    assert (code, body["status"]) == (200, "ok")
    subject = fake_mandrill.sent[0]["message"]["subject"]
    assert subject == "[HrFlow] profile.storing.update: Eve Bcc: victim@example.com[2J Doe"


def test_a_profile_whose_experiences_is_a_number_is_still_summarised(settings, fake_hrflow, fake_mandrill):
    profile = sample_profile(PROFILE_KEY, SOURCE_KEY, experiences=5, skills="many")
    fake_hrflow.add_profile(profile)
    code, body = deliver("profile.storing.success", settings)
    assert (code, body["status"]) == (200, "ok")
    assert "Last position" not in fake_mandrill.sent[0]["message"]["text"]


@pytest.mark.parametrize("event_type, starts", [
    ("profile.storing.update", "[Acme talent] profile.storing.update: Ada Lovelace"),
    ("profile.parsing.error", "[Acme talent] Alert: profile.parsing.error failed for profile "),
    ("profile.scoring.success", "[Acme talent] Shortlist for Ada Lovelace: 2 matches"),
])
def test_team_subject_prefix_starts_every_team_emails_subject_but_not_the_candidates(
    settings, fake_mandrill, event_type, starts
):
    settings["TEAM_SUBJECT_PREFIX"] = "[Acme talent]"
    deliver(event_type, settings)
    deliver(ACKNOWLEDGE, settings)
    team, candidate = (sent["message"]["subject"] for sent in fake_mandrill.sent)
    assert team.startswith(starts) and candidate == "Thank you for your application"
