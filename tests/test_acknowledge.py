"""The candidate's acknowledgement (`shared.actions.acknowledge` and `candidate_email`): sent from the company's
own domain to whatever address a CV names, so it carries no CV sentence, goes only to a clean address, and at most
once per address per window; in the company's words, language and brand."""
from __future__ import annotations

import time

import pytest

from conftest import PROFILE_KEY, SOURCE_KEY, deliver, store_profile
from localcatch.fakes import FakeMandrill, hrflow_key, sample_profile
from shared.pipeline.deliveries import RECORD_KEY

ACKNOWLEDGE = "profile.parsing.success"


def _merge_vars(sent: dict) -> dict:
    return {var["name"]: var["content"] for var in sent["message"].get("global_merge_vars", [])}


@pytest.mark.parametrize("first_name", ["Pay the fee at acme-careers.help", "acme-careers.help",
                                        "Reply to this mail now please"])
def test_a_sentence_in_a_name_field_never_reaches_the_candidate(settings, fake_hrflow, fake_mandrill, first_name):
    store_profile(fake_hrflow, first_name=first_name, last_name=first_name)
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
    store_profile(fake_hrflow, email=email)
    code, body = deliver(ACKNOWLEDGE, settings)
    assert (code, body["status"]) == (200, "skipped")
    assert body["reason"].startswith("The profile's email address is not valid")
    assert fake_mandrill.request_count == 0


def test_many_cvs_naming_one_address_get_one_acknowledgement_per_window(settings, fake_hrflow, fake_mandrill):
    victim = "victim@example.org"
    keys = [store_profile(fake_hrflow, hrflow_key("cv{}".format(number)), email=address)
            for number, address in enumerate([victim, "Victim@Example.org", "victim+1@example.org", victim])]
    answers = [deliver(ACKNOWLEDGE, settings, key=key)[1] for key in keys]
    assert [answer["status"] for answer in answers] == ["ok", "skipped", "skipped", "skipped"]
    assert answers[1]["reason"] == ("An acknowledgement went to this address less than DEDUPE_WINDOW_SECONDS ago: "
                                    "not sent again.")
    assert len(fake_mandrill.sent) == 1
    assert victim not in settings[RECORD_KEY] and "victim" not in settings[RECORD_KEY]


def test_once_the_window_has_passed_the_same_address_is_acknowledged_again(settings, fake_hrflow, fake_mandrill):
    settings["DEDUPE_WINDOW_SECONDS"] = "0"
    first, second = (store_profile(fake_hrflow, hrflow_key("cv{}".format(n)), email="ada@example.com") for n in (1, 2))
    assert [deliver(ACKNOWLEDGE, settings, key=key)[1]["status"] for key in (first, second)] == ["ok", "ok"]
    assert len(fake_mandrill.sent) == 2


def test_an_acknowledgement_that_was_not_sent_does_not_hold_the_address(settings, fake_hrflow, fake_mandrill):
    first, second = (store_profile(fake_hrflow, hrflow_key("cv{}".format(n)), email="ada@example.com") for n in (1, 2))
    fake_mandrill.recipient_status["ada@example.com"] = ("rejected", "hard-bounce")
    assert deliver(ACKNOWLEDGE, settings, key=first)[0] == 500
    fake_mandrill.recipient_status.clear()
    assert deliver(ACKNOWLEDGE, settings, key=second)[1]["status"] == "ok"


def test_a_dry_run_does_not_hold_the_address(settings, fake_hrflow, fake_mandrill):
    settings["DRY_RUN"] = "true"
    assert deliver(ACKNOWLEDGE, settings)[1]["status"] == "ok"
    del settings["DRY_RUN"]
    assert deliver(ACKNOWLEDGE, settings, key=store_profile(fake_hrflow, hrflow_key("cv2")))[1]["status"] == "ok"
    assert len(fake_mandrill.sent) == 1


def test_a_huge_address_is_skipped_masked_and_costs_no_quadratic_time(settings, fake_hrflow, fake_mandrill):
    store_profile(fake_hrflow, email="a" * 30000 + "@x")
    started = time.process_time()
    code, body = deliver("profile.parsing.success", settings)
    cpu_seconds = time.process_time() - started
    assert (code, body["status"]) == (200, "skipped")
    assert "not valid" in body["reason"] and "aaaa" not in body["reason"] and "***@x" in body["reason"]
    assert fake_mandrill.request_count == 0
    assert cpu_seconds < 3  # it took 6 s of CPU before; a generous bound, to prove it does not hang


def test_a_phishing_first_name_does_not_reach_the_candidate(settings, fake_hrflow, fake_mandrill):
    store_profile(fake_hrflow, first_name="Ada. ACTION REQUIRED: confirm your identity at https://evil.example " * 50)
    code, body = deliver("profile.parsing.success", settings)
    assert (code, body["status"]) == (200, "ok")
    message = fake_mandrill.sent[0]["message"]
    assert message["text"].startswith("Hello,\n\nThank you for applying: your application has been received.")
    assert "ACTION" not in message["text"] and "evil" not in message["html"]


def test_acknowledge_with_a_template_sends_it_with_merge_vars(settings, fake_mandrill):
    settings["MANDRILL_TEMPLATE"] = "application-received"
    code, body = deliver("profile.parsing.success", settings)
    assert (code, body["status"]) == (200, "ok")
    [sent] = fake_mandrill.sent
    assert (sent["path"], sent["template_name"]) == (FakeMandrill.SEND_TEMPLATE, "application-received")
    merge_vars = {v["name"]: v["content"] for v in sent["message"]["global_merge_vars"]}
    assert merge_vars == {
        "FIRST_NAME": "Ada",
        "LAST_NAME": "Lovelace",
        "FULL_NAME": "Ada Lovelace",
        "EMAIL": "ada.lovelace@example.com",
        "COMPANY": "",
        "LANGUAGE": "en",
    }


def test_acknowledge_skips_a_profile_without_an_email_address(settings, fake_hrflow, fake_mandrill):
    key = hrflow_key("no-email")
    fake_hrflow.add_profile(sample_profile(key, SOURCE_KEY, email=None))
    code, body = deliver("profile.parsing.success", settings, key=key)
    assert (code, body["status"], body["reason"]) == (200, "skipped", "The profile has no email address.")
    assert fake_mandrill.request_count == 0


# The email in the company's words, language and brand (settings alone).


def _sent(fake_mandrill) -> dict:
    [sent] = fake_mandrill.sent
    return sent["message"]


@pytest.mark.parametrize("language, greeting, signed, subject", [
    ("en", "Hello Ada,", "Best regards,\nThe recruiting team of Acme Corp",
     "Thank you for your application to Acme Corp"),
    ("fr", "Bonjour Ada,", "Bien cordialement,\nL'équipe de recrutement d'Acme Corp",
     "Merci pour votre candidature chez Acme Corp"),
    ("de", "Guten Tag Ada,", "Mit freundlichen Grüßen\nIhr Recruiting-Team von Acme Corp",
     "Vielen Dank für Ihre Bewerbung bei Acme Corp"),
    ("es", "Hola Ada:", "Saludos cordiales,\nEl equipo de selección de Acme Corp",
     "Gracias por su candidatura a Acme Corp"),
])
def test_the_candidate_is_thanked_in_the_language_of_their_profile_signed_by_the_company(
    settings, fake_hrflow, fake_mandrill, language, greeting, signed, subject
):
    fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)]["text_language"] = language
    settings["COMPANY_NAME"] = "Acme Corp"
    assert deliver(ACKNOWLEDGE, settings)[1]["status"] == "ok"
    message = _sent(fake_mandrill)
    assert message["text"].startswith(greeting + "\n\n") and message["text"].endswith("\n\n" + signed)
    assert message["subject"] == subject
    assert message["html"].startswith("<p>" + greeting.replace("'", "&#x27;"))


@pytest.mark.parametrize("language, greeting, signed", [
    ("en", "Hello,", "The recruiting team"), ("fr", "Bonjour,", "L'équipe de recrutement"),
    ("de", "Guten Tag,", "Ihr Recruiting-Team"), ("es", "Hola:", "El equipo de selección"),
])
def test_without_a_name_or_a_company_the_text_still_reads(settings, fake_hrflow, fake_mandrill, language,
                                                           greeting, signed):
    store_profile(fake_hrflow, first_name="Call 0800 555 555")
    fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)]["text_language"] = language
    assert deliver(ACKNOWLEDGE, settings)[1]["status"] == "ok"
    text = _sent(fake_mandrill)["text"]
    assert text.startswith(greeting + "\n\n") and text.endswith("\n" + signed)
    assert "{" not in text and "  " not in text and " ," not in text


@pytest.mark.parametrize("text_language, chosen", [("fr-FR", "fr"), ("DE", "de"), ("it", "en"), (["fr"], "en"),
                                                   (None, "en"), ("x" * 5000, "en"), ("es_MX", "es")])
def test_auto_reads_the_profiles_language_and_falls_back_to_english(settings, fake_hrflow, fake_mandrill,
                                                                    text_language, chosen):
    fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)]["text_language"] = text_language
    settings["MANDRILL_TEMPLATE"] = "ack"
    deliver(ACKNOWLEDGE, settings)
    assert {var["name"]: var["content"] for var in _sent(fake_mandrill)["global_merge_vars"]}["LANGUAGE"] == chosen


def test_ack_language_sets_one_language_whatever_the_profile_says(settings, fake_hrflow, fake_mandrill):
    fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)]["text_language"] = "fr"
    settings["ACK_LANGUAGE"] = "de"
    deliver(ACKNOWLEDGE, settings)
    assert _sent(fake_mandrill)["subject"] == "Vielen Dank für Ihre Bewerbung"


def test_the_companys_own_texts_replace_the_built_in_ones_and_a_languages_own_setting_wins(
    settings, fake_hrflow, fake_mandrill
):
    settings.update(COMPANY_NAME="Acme", ACK_SUBJECT="Your application to {company}",
                    ACK_BODY="Dear {full_name},\n\nThanks.\n\n{company}", ACK_SUBJECT_FR="Votre candidature",
                    ACK_BODY_FR="Bonjour {first_name},\n\nMerci.")
    deliver(ACKNOWLEDGE, settings)
    message = _sent(fake_mandrill)
    assert message["subject"] == "Your application to Acme"
    assert message["text"] == "Dear Ada Lovelace,\n\nThanks.\n\nAcme"
    assert message["html"] == "<p>Dear Ada Lovelace,</p><p>Thanks.</p><p>Acme</p>"
    fake_mandrill.sent.clear()
    key = store_profile(fake_hrflow, hrflow_key("cv2"), email="ada2@example.com")
    fake_hrflow.profiles[(SOURCE_KEY, key)]["text_language"] = "fr"
    deliver(ACKNOWLEDGE, settings, key=key)
    message = _sent(fake_mandrill)
    assert (message["subject"], message["text"]) == ("Votre candidature", "Bonjour Ada,\n\nMerci.")


def test_a_language_of_the_companys_own_is_used_for_its_candidates(settings, fake_hrflow, fake_mandrill):
    settings.update(ACK_SUBJECT_IT="Grazie per la candidatura", ACK_BODY_IT="Ciao {first_name},\n\ngrazie.")
    fake_hrflow.profiles[(SOURCE_KEY, PROFILE_KEY)]["text_language"] = "it"
    deliver(ACKNOWLEDGE, settings)
    assert _sent(fake_mandrill)["text"] == "Ciao Ada,\n\ngrazie."


def test_a_languages_mandrill_template_falls_back_to_the_general_one_then_to_the_built_in_text(
    settings, fake_hrflow, fake_mandrill
):
    settings.update(MANDRILL_TEMPLATE="ack-general", MANDRILL_TEMPLATE_FR="ack-fr")
    for number, (language, template) in enumerate([("fr", "ack-fr"), ("de", "ack-general")]):
        key = store_profile(fake_hrflow, hrflow_key("cv{}".format(number)), email="ada{}@example.com".format(number))
        fake_hrflow.profiles[(SOURCE_KEY, key)]["text_language"] = language
        deliver(ACKNOWLEDGE, settings, key=key)
        assert fake_mandrill.sent[-1]["template_name"] == template


def test_reply_to_is_the_candidate_emails_reply_to_header(settings, fake_mandrill):
    settings["REPLY_TO"] = "jobs@acme.example"
    deliver(ACKNOWLEDGE, settings)
    assert _sent(fake_mandrill)["headers"] == {"Reply-To": "jobs@acme.example"}


@pytest.mark.parametrize("setting, value, reason", [
    ("REPLY_TO", "jobs at acme", "Setting REPLY_TO must be one email address."),
    ("REPLY_TO", "a@acme.example, b@acme.example", "Setting REPLY_TO must be one email address."),
    ("ACK_LANGUAGE", "klingon", "Setting ACK_LANGUAGE must be auto or one of de, en, es, fr"),
    ("ACK_BODY", "Dear {salary}", "Setting ACK_BODY: {salary} is not a placeholder (line 1, column 6)."),
    ("ACK_BODY", "Dear {0}", "Setting ACK_BODY: {0} is not a placeholder (line 1, column 6)."),
    ("ACK_SUBJECT_FR", "Merci {{first_name}}", "Setting ACK_SUBJECT_FR: an opening brace that closes nowhere"),
    ("ACK_BODY_DE", "x" * 100_000, "Setting ACK_BODY_DE is longer than 20000 characters."),
    ("ACK_BODY_IT", "Ciao", "Setting ACK_BODY_IT has no subject: set ACK_SUBJECT_IT or ACK_SUBJECT."),
    ("MANDRILL_TEMPLATE_ES", ["a", "list"], "Setting MANDRILL_TEMPLATE_ES must be text."),
])
def test_a_candidate_email_setting_that_cannot_work_is_refused_before_any_call(
    settings, fake_hrflow, fake_mandrill, setting, value, reason
):
    settings[setting] = value
    code, body = deliver(ACKNOWLEDGE, settings)
    assert (code, body["status"]) == (500, "failed")
    assert body["reason"].startswith(reason), body["reason"]
    assert fake_hrflow.request_count == fake_mandrill.request_count == 0


def test_every_problem_of_every_text_is_named_at_once(settings, fake_hrflow):
    settings.update(ACK_BODY="Dear {salary},\n{first_name.__class__}", ACK_SUBJECT="{{")
    code, body = deliver(ACKNOWLEDGE, settings)
    assert body["reason"] == (
        "Setting ACK_BODY: {salary} is not a placeholder (line 1, column 6); {first_name.__class__} is not a "
        "placeholder (line 2, column 1). Setting ACK_SUBJECT: an opening brace that closes nowhere on its line "
        "(line 1, column 1); an opening brace that closes nowhere on its line (line 1, column 2). The placeholders "
        "are {first_name}, {last_name}, {full_name}, {company}.")


def test_a_name_holding_a_placeholder_stays_as_written(settings, fake_hrflow, fake_mandrill):
    store_profile(fake_hrflow, first_name="Ada", last_name="{company}")
    settings.update(COMPANY_NAME="Acme", ACK_BODY="Dear {full_name} of {company}")
    deliver(ACKNOWLEDGE, settings)
    assert _sent(fake_mandrill)["text"] == "Dear Ada of Acme"  # {company} is no plausible name: dropped whole


def test_a_subject_stays_one_visible_line_whatever_the_template_and_the_values(settings, fake_mandrill):
    settings.update(COMPANY_NAME="Acme\u202e\nCorp", ACK_SUBJECT="Thanks\r\nfrom {company}\tand\u200b us")
    deliver(ACKNOWLEDGE, settings)
    assert _sent(fake_mandrill)["subject"] == "Thanks from Acme Corp and us"


