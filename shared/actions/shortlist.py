"""Shortlist: fetch the object HrFlow just indexed for scoring, score it against
the other side (jobs for a profile, profiles for a job) and email the team the best matches.
"""
from shared.actions.action import Action, Context, Outcome, done
from shared.actions.letters import letter, name_of, summary_rows
from shared.core.settings import SettingsSpec
from shared.outbound.hrflow_api import HRFLOW_SETTINGS, HrflowApi
from shared.outbound.mail import MAIL_SETTINGS, Mailer, team
from shared.wire.request import Event


def _shortlist_size(settings) -> int:
    return settings.integer("SHORTLIST_SIZE", 5, 1, 100)


def _algorithm_key(settings) -> str:
    return settings.text("SCORING_ALGORITHM_KEY")


def _board_keys(settings) -> "tuple[str, ...]":
    return settings.text_list("SCORING_BOARD_KEYS")


def _source_keys(settings) -> "tuple[str, ...]":
    return settings.text_list("SCORING_SOURCE_KEYS")


def _score(score: "float | None") -> str:
    return "{:.0%}".format(score) if score is not None else "n/a"


def shortlist_team(event: Event, ctx: Context) -> Outcome:
    """Email `NOTIFY_EMAIL` the object's summary and its `SHORTLIST_SIZE` best matches with scores."""
    keys = (_board_keys if event.kind == "profile" else _source_keys)(ctx.settings)
    hrflow = ctx.client(HrflowApi)
    obj = hrflow.object_of(event)
    matches = hrflow.best_matches(event, keys, _algorithm_key(ctx.settings), _shortlist_size(ctx.settings))
    match_kind = "job" if event.kind == "profile" else "profile"
    match_rows = [(name_of(match, match_kind), _score(score)) for match, score in matches]
    name = name_of(obj, event.kind)
    email = letter(
        team(ctx.settings),
        subject="[HrFlow] Shortlist for {}: {} match{}".format(name, len(matches), "" if len(matches) == 1 else "es"),
        intro="Best matches for the {} {}, by score:".format(event.kind, name),
        rows=match_rows + summary_rows(obj, event.kind),
        outro="" if match_rows else "HrFlow found no match yet.",
    )
    scored = "scored {} match{}".format(len(matches), "" if len(matches) == 1 else "es")
    return done("fetched {} {}".format(event.kind, event.key), scored, ctx.client(Mailer).send(email))


_SHORTLIST_SETTINGS = (
    HRFLOW_SETTINGS
    + MAIL_SETTINGS
    + SettingsSpec(
        required=("NOTIFY_EMAIL", "SCORING_ALGORITHM_KEY"),
        optional=("SHORTLIST_SIZE",),
        checks=(team, _algorithm_key, _shortlist_size),
    )
)
SHORTLIST_JOBS = Action(
    shortlist_team,
    _SHORTLIST_SETTINGS + SettingsSpec(required=("SCORING_BOARD_KEYS",), checks=(_board_keys,)),
    calls=3,
)
SHORTLIST_PROFILES = Action(
    shortlist_team,
    _SHORTLIST_SETTINGS + SettingsSpec(required=("SCORING_SOURCE_KEYS",), checks=(_source_keys,)),
    calls=3,
)
