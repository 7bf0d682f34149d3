"""Shortlist: fetch the object HrFlow just indexed for scoring, score it against
the other side (jobs for a profile, profiles for a job) and email the team the best matches.
"""
from .action import Action, Context, Outcome, done
from .hrflow_api import HRFLOW_SETTINGS
from .letters import letter, name_of, summary_rows
from .mail import MAIL_SETTINGS
from .request import Event
from .runner import RUNNER_SETTINGS
from .settings import SettingsSpec

_SHORTLIST_SETTINGS = (
    RUNNER_SETTINGS
    + HRFLOW_SETTINGS
    + MAIL_SETTINGS
    + SettingsSpec(required=("NOTIFY_EMAIL", "SCORING_ALGORITHM_KEY"), optional=("SHORTLIST_SIZE",))
)


def _score(score: object) -> str:
    return "{:.0%}".format(score) if isinstance(score, (int, float)) else "n/a"


def shortlist_team(event: Event, ctx: Context) -> Outcome:
    """Email `NOTIFY_EMAIL` the object's summary and its `SHORTLIST_SIZE` best matches with scores."""
    recipients = ctx.settings.text_list("NOTIFY_EMAIL")
    size = ctx.settings.integer("SHORTLIST_SIZE", 5, 1, 100)
    agent_key = ctx.settings.text("SCORING_ALGORITHM_KEY")
    keys = ctx.settings.text_list("SCORING_BOARD_KEYS" if event.kind == "profile" else "SCORING_SOURCE_KEYS")
    obj = ctx.hrflow.object_of(event)
    matches = ctx.hrflow.best_matches(event, keys, agent_key, size)
    match_kind = "job" if event.kind == "profile" else "profile"
    match_rows = [(name_of(match, match_kind), _score(score)) for match, score in matches]
    name = name_of(obj, event.kind)
    email = letter(
        recipients,
        subject="[HrFlow] Shortlist for {}: {} match{}".format(name, len(matches), "" if len(matches) == 1 else "es"),
        intro="Best matches for the {} {}, by score:".format(event.kind, name),
        rows=match_rows + summary_rows(obj, event.kind),
        outro="" if match_rows else "HrFlow found no match yet.",
    )
    return done("fetched {} {}".format(event.kind, event.key), "scored {} matches".format(len(matches)), ctx.mailer.send(email))


SHORTLIST_JOBS = Action(shortlist_team, _SHORTLIST_SETTINGS + SettingsSpec(required=("SCORING_BOARD_KEYS",)))
SHORTLIST_PROFILES = Action(shortlist_team, _SHORTLIST_SETTINGS + SettingsSpec(required=("SCORING_SOURCE_KEYS",)))
