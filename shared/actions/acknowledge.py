"""Acknowledge: thank each new candidate by email that their application was received, in their
language and the company's words (`candidate_email`).

The email goes to the address the CV gave, from the company's own domain, so it
carries no text the candidate wrote beyond plausible names: a CV can name a
stranger's address and put a phishing message in its name fields.
"""
from __future__ import annotations

from shared.actions.action import Action, Context, Outcome, done, skip
from shared.actions.candidate_email import CANDIDATE_EMAIL_SETTINGS, candidate_email
from shared.outbound.hrflow import HRFLOW_SETTINGS, HrflowApi
from shared.outbound.mandrill import MAIL_SETTINGS, Mailer
from shared.untrusted.candidate import address, plausible_name
from shared.untrusted.text import FIELD_CHARS, NAME_CHARS, field, line
from shared.wire.event import Event


def acknowledge(event: Event, ctx: Context) -> Outcome:
    """Thank the candidate by email, once per profile; skip a profile without a plausible address."""
    profile = ctx.client(HrflowApi).object_of(event)
    given = field(profile, "info", "email")
    recipient = address(given)
    if not recipient:
        return skip(_no_address_reason(given))
    mark = "acknowledged " + _same_mailbox(recipient)
    if ctx.recently(mark):  # many CVs naming one address must not make the company's domain mail it many times
        return skip("An acknowledgement went to this address less than DEDUPE_WINDOW_SECONDS ago: not sent again.")
    ctx.keep(mark)
    first_name = plausible_name(field(profile, "info", "first_name"))
    last_name = plausible_name(field(profile, "info", "last_name"))
    email = candidate_email(ctx.settings, profile, recipient, first_name, last_name)
    return done("fetched profile {}".format(event.key), ctx.client(Mailer).send(email))


def _same_mailbox(recipient: str) -> str:
    """The address as the mailbox it reaches, for counting acknowledgements: in any case, without a
    `+tag` (which most providers deliver to the same mailbox)."""
    local, _, domain = recipient.lower().rpartition("@")
    return local.split("+", 1)[0] + "@" + domain


def _no_address_reason(given: object) -> str:
    """Why there is no one to thank, showing at most a masked form of what the profile holds: the
    first character before the last `@` and what follows it, however long the part before it."""
    if not isinstance(given, str) or not line(given, FIELD_CHARS):
        return "The profile has no email address."
    local, at, domain = given.rpartition("@")
    if not at:
        return "The profile's email address is not valid (it has no @)."
    return "The profile's email address is not valid: {}***@{}.".format(line(local, NAME_CHARS)[:1],
                                                                       line(domain, NAME_CHARS))


ACKNOWLEDGE = Action(acknowledge, HRFLOW_SETTINGS + MAIL_SETTINGS + CANDIDATE_EMAIL_SETTINGS, calls=2)
