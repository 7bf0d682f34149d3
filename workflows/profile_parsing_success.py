"""Acknowledge: email each new candidate that their application was received.

Fetches the parsed profile and thanks the candidate at the profile's email
address, in plain text and HTML, or with the Mandrill template named by
`MANDRILL_TEMPLATE` (merge vars FIRST_NAME, LAST_NAME, FULL_NAME, EMAIL).
A profile without an email address is skipped.
"""
from shared.action import Action, Context, Outcome, done, skip
from shared.hrflow_api import HRFLOW_SETTINGS
from shared.letters import full_name, html_paragraphs, inner, text_of
from shared.mail import MAIL_SETTINGS, Email
from shared.request import Event
from shared.runner import RUNNER_SETTINGS, run
from shared.settings import SettingsSpec

EVENT_TYPE = "profile.parsing.success"
SUBJECT = "Thank you for your application"
TEXT = (
    "Hello {first_name},\n\nYour application is well received. Our team will reach out to you "
    "if there are any opportunities matching your profile.\n\nBest,\nThe Team"
)


def acknowledge(event: Event, ctx: Context) -> Outcome:
    """Thank the candidate by email, once per profile."""
    profile = ctx.hrflow.profile(event.container_key, event.key)
    info = inner(profile, "info")
    address = text_of(info.get("email"))
    if "@" not in address:
        return skip("The profile has no email address.")
    first_name = text_of(info.get("first_name"))
    text = TEXT.format(first_name=first_name or "there")
    template = ctx.settings.text("MANDRILL_TEMPLATE", "") or None
    merge_vars = (
        ("FIRST_NAME", first_name),
        ("LAST_NAME", text_of(info.get("last_name"))),
        ("FULL_NAME", full_name(profile)),
        ("EMAIL", address),
    )
    email = Email((address,), SUBJECT, text, html=html_paragraphs(text), template=template, merge_vars=merge_vars)
    return done("fetched profile {}".format(event.key), ctx.mailer.send(email))


ACTION = Action(
    acknowledge, RUNNER_SETTINGS + HRFLOW_SETTINGS + MAIL_SETTINGS + SettingsSpec(optional=("MANDRILL_TEMPLATE",))
)
SETTINGS = ACTION.settings


def workflow(_request: dict, settings: dict) -> dict:
    """Entry point HrFlow Catch calls for each request."""
    return run(_request, settings, EVENT_TYPE, ACTION)
