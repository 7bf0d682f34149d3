"""Notify: fetch the object an event is about and email the team a short summary."""
from __future__ import annotations

from shared.actions.action import Action, Context, Outcome, done
from shared.actions.team_email import TEAM_EMAIL_SETTINGS, letter, name_of, summary_rows, team_subject
from shared.core.settings import SettingsSpec
from shared.outbound.hrflow import HRFLOW_SETTINGS, HrflowApi
from shared.outbound.mandrill import MAIL_SETTINGS, Mailer, team
from shared.wire.catalogue import CATALOGUE
from shared.wire.event import Event


def notify_team(event: Event, ctx: Context) -> Outcome:
    """Email `NOTIFY_EMAIL` what happened and a summary of the profile or job."""
    obj = ctx.client(HrflowApi).object_of(event)
    email = letter(
        team(ctx.settings),
        subject=team_subject(ctx.settings, "{}: {}".format(event.type, name_of(obj, event.subject))),
        intro=CATALOGUE[event.type].description,
        rows=summary_rows(obj, event.subject) + [("Key", event.key),
                                                 (event.subject.container.capitalize(), event.container_key),
                                                 ("HrFlow says", event.message)],
    )
    return done("fetched {} {}".format(event.subject.name, event.key), ctx.client(Mailer).send(email))


NOTIFY = Action(
    notify_team,
    HRFLOW_SETTINGS + MAIL_SETTINGS + TEAM_EMAIL_SETTINGS + SettingsSpec(required=("NOTIFY_EMAIL",), checks=(team,)),
    calls=2,
)
