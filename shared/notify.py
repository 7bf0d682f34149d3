"""Notify: fetch the object an event is about and email the team a short summary."""
from .action import Action, Context, Outcome, done
from .events import CATALOGUE
from .hrflow_api import HRFLOW_SETTINGS, HrflowApi
from .letters import letter, name_of, summary_rows
from .mail import MAIL_SETTINGS, Mailer, team
from .request import Event
from .runner import RUNNER_SETTINGS
from .settings import SettingsSpec


def notify_team(event: Event, ctx: Context) -> Outcome:
    """Email `NOTIFY_EMAIL` what happened and a summary of the profile or job."""
    obj = ctx.client(HrflowApi).object_of(event)
    email = letter(
        team(ctx.settings),
        subject="[HrFlow] {}: {}".format(event.type, name_of(obj, event.kind)),
        intro=CATALOGUE[event.type].description,
        rows=summary_rows(obj, event.kind) + [
            ("Key", event.key), (event.container.capitalize(), event.container_key), ("HrFlow says", event.message)],
    )
    return done("fetched {} {}".format(event.kind, event.key), ctx.client(Mailer).send(email))


NOTIFY = Action(
    notify_team,
    RUNNER_SETTINGS + HRFLOW_SETTINGS + MAIL_SETTINGS + SettingsSpec(required=("NOTIFY_EMAIL",), checks=(team,)),
    calls=2,
)
