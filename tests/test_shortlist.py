"""`shared.actions.shortlist`: what the team is told of the best matches, and how many."""
from __future__ import annotations

from conftest import deliver


def test_shortlist_without_matches_still_tells_the_team(settings, fake_hrflow, fake_mandrill):
    fake_hrflow.set_job_scoring([])
    code, body = deliver("profile.scoring.success", settings)
    assert (code, body["status"]) == (200, "ok")
    assert "HrFlow found no match yet." in fake_mandrill.sent[0]["message"]["text"]


def test_shortlist_size_is_passed_to_hrflow(settings, fake_hrflow):
    settings["SHORTLIST_SIZE"] = "1"
    deliver("job.scoring.success", settings)
    [scoring] = [r for r in fake_hrflow.requests if r["path"] == "/v1/profiles/scoring"]
    assert scoring["query"]["limit"] == "1"
