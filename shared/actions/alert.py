"""Alert: email the team that HrFlow failed on an object, without fetching it (it may not exist)."""
from __future__ import annotations

from shared.actions.action import Action, Context, Outcome, done
from shared.actions.team_email import TEAM_EMAIL_SETTINGS, letter, team_subject
from shared.core.settings import Settings, SettingsSpec
from shared.outbound.mandrill import MAIL_SETTINGS, Mailer, recipients, team
from shared.wire.catalogue import CATALOGUE
from shared.wire.event import Event

# What the team can do about a failure, by the stage that failed.
ADVICE = {
    "parsing": "Check the document (format, size, readability), then send it to the Parsing API again.",
    "storing": "Save the {subject} again through the API; HrFlow says the operation should be retried.",
    "searching": "Update the {subject} to have HrFlow index it again; until then it cannot be queried.",
    "scoring": "Update the {subject} to have HrFlow index it again; until then it cannot be scored.",
}


def _on_call(settings: Settings) -> tuple[str, ...]:
    """`ALERT_EMAIL`, else `NOTIFY_EMAIL`: who gets alerts."""
    return recipients(settings, "ALERT_EMAIL") or team(settings)


def alert_team(event: Event, ctx: Context) -> Outcome:
    """Email `ALERT_EMAIL` (or `NOTIFY_EMAIL`) the failure, what it means and what to do."""
    spec = CATALOGUE[event.type]
    email = letter(
        _on_call(ctx.settings),
        subject=team_subject(ctx.settings, "Alert: {} failed for {} {}".format(
            event.type, event.subject.name, event.key)),
        intro=spec.description,
        rows=[
            ("Event", event.type),
            (event.subject.name.capitalize() + " key", event.key),
            (event.subject.container.capitalize() + " key", event.container_key),
            ("Origin", event.origin),
            ("HrFlow says", event.message),
        ],
        outro="What to do: " + ADVICE[spec.stage].format(subject=event.subject.name),
    )
    return done(ctx.client(Mailer).send(email))


ALERT = Action(
    alert_team,
    MAIL_SETTINGS + TEAM_EMAIL_SETTINGS
    + SettingsSpec(
        optional=("ALERT_EMAIL", "NOTIFY_EMAIL"), one_of=(("ALERT_EMAIL", "NOTIFY_EMAIL"),), checks=(_on_call,)
    ),
    calls=1,
)
