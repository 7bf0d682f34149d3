"""The candidate's acknowledgement: sent from the company's own domain to whatever address a CV names,
so it carries no CV sentence, goes only to a clean address, and at most once per address per window."""

import pytest

from conftest import PROFILE_KEY, SOURCE_KEY, deliver
from localcatch.fakes import hrflow_key, sample_profile
from shared.pipeline.deliveries import RECORD_KEY

ACKNOWLEDGE = "profile.parsing.success"


def _store(fake_hrflow, key: str = PROFILE_KEY, **info) -> str:
    profile = sample_profile(key, SOURCE_KEY)
    profile["info"].update(info)
    fake_hrflow.add_profile(profile)
    return key


def _merge_vars(sent: dict) -> dict:
    return {var["name"]: var["content"] for var in sent["message"].get("global_merge_vars", [])}


@pytest.mark.parametrize("first_name", ["Pay the fee at acme-careers.help", "acme-careers.help",
                                        "Reply to this mail now please"])
def test_a_sentence_in_a_name_field_never_reaches_the_candidate(settings, fake_hrflow, fake_mandrill, first_name):
    _store(fake_hrflow, first_name=first_name, last_name=first_name)
    settings["MANDRILL_TEMPLATE"] = "application-received"
    assert deliver(ACKNOWLEDGE, settings)[1]["status"] == "ok"
    [sent] = fake_mandrill.sent
    assert "careers" not in str(sent["message"]) and "mail now" not in str(sent["message"])
    assert _merge_vars(sent)["FIRST_NAME"] == _merge_vars(sent)["FULL_NAME"] == ""


@pytest.mark.parametrize("email", ["ada@exa\u200bmple.com", "ada@ex\u00adample.com", "ada@\ufeffexample.com",
                                   "ada@exa\u200dmple.com", "ada@example\u3002com",
                                   "ada@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com"])
def test_an_address_with_invisible_or_look_alike_characters_is_skipped_not_used(settings, fake_hrflow,
                                                                                fake_mandrill, email):
    _store(fake_hrflow, email=email)
    code, body = deliver(ACKNOWLEDGE, settings)
    assert (code, body["status"]) == (200, "skipped")
    assert body["reason"].startswith("The profile's email address is not valid")
    assert fake_mandrill.request_count == 0


def test_many_cvs_naming_one_address_get_one_acknowledgement_per_window(settings, fake_hrflow, fake_mandrill):
    victim = "victim@example.org"
    keys = [_store(fake_hrflow, hrflow_key("cv{}".format(number)), email=address)
            for number, address in enumerate([victim, "Victim@Example.org", "victim+1@example.org", victim])]
    answers = [deliver(ACKNOWLEDGE, settings, key=key)[1] for key in keys]
    assert [answer["status"] for answer in answers] == ["ok", "skipped", "skipped", "skipped"]
    assert answers[1]["reason"] == ("An acknowledgement went to this address less than DEDUPE_WINDOW_SECONDS ago: "
                                    "not sent again.")
    assert len(fake_mandrill.sent) == 1
    assert victim not in settings[RECORD_KEY] and "victim" not in settings[RECORD_KEY]


def test_once_the_window_has_passed_the_same_address_is_acknowledged_again(settings, fake_hrflow, fake_mandrill):
    settings["DEDUPE_WINDOW_SECONDS"] = "0"
    first, second = (_store(fake_hrflow, hrflow_key("cv{}".format(n)), email="ada@example.com") for n in (1, 2))
    assert [deliver(ACKNOWLEDGE, settings, key=key)[1]["status"] for key in (first, second)] == ["ok", "ok"]
    assert len(fake_mandrill.sent) == 2


def test_an_acknowledgement_that_was_not_sent_does_not_hold_the_address(settings, fake_hrflow, fake_mandrill):
    first, second = (_store(fake_hrflow, hrflow_key("cv{}".format(n)), email="ada@example.com") for n in (1, 2))
    fake_mandrill.recipient_status["ada@example.com"] = ("rejected", "hard-bounce")
    assert deliver(ACKNOWLEDGE, settings, key=first)[0] == 500
    fake_mandrill.recipient_status.clear()
    assert deliver(ACKNOWLEDGE, settings, key=second)[1]["status"] == "ok"


def test_a_dry_run_does_not_hold_the_address(settings, fake_hrflow, fake_mandrill):
    settings["DRY_RUN"] = "true"
    assert deliver(ACKNOWLEDGE, settings)[1]["status"] == "ok"
    del settings["DRY_RUN"]
    assert deliver(ACKNOWLEDGE, settings, key=_store(fake_hrflow, hrflow_key("cv2")))[1]["status"] == "ok"
    assert len(fake_mandrill.sent) == 1
