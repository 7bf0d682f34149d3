"""Shortlist: fetch the object HrFlow just indexed for scoring, score it against
the other side (jobs for a profile, profiles for a job) and email the team the best matches.
`SHORTLIST[subject]` is the action for an event about a profile or a job.
"""
from __future__ import annotations

from shared.actions.action import Action, Context, Outcome, done
from shared.actions.team_email import TEAM_EMAIL_SETTINGS, letter, name_of, summary_rows, team_subject
from shared.core.settings import Settings, SettingsSpec
from shared.outbound.hrflow import HRFLOW_SETTINGS, HrflowApi
from shared.outbound.mandrill import MAIL_SETTINGS, Mailer, team
from shared.wire.catalogue import SUBJECTS, Subject
from shared.wire.event import Event


def _shortlist_size(settings: Settings) -> int:
    return settings.integer("SHORTLIST_SIZE", 5, 1, 100)


def _algorithm_key(settings: Settings) -> str:
    return settings.text("SCORING_ALGORITHM_KEY")


def _scored_against(subject: Subject) -> str:
    """The setting listing where the subject's matches are: `SCORING_BOARD_KEYS` (a profile's jobs are in
    boards) or `SCORING_SOURCE_KEYS` (a job's profiles are in sources)."""
    return "SCORING_{}_KEYS".format(SUBJECTS[subject.matches].container.upper())


def _score(score: float | None) -> str:
    return "{:.0%}".format(score) if score is not None else "n/a"


def shortlist_team(event: Event, ctx: Context) -> Outcome:
    """Email `NOTIFY_EMAIL` the object's summary and its `SHORTLIST_SIZE` best matches with scores."""
    keys = ctx.settings.text_list(_scored_against(event.subject))
    hrflow = ctx.client(HrflowApi)
    obj = hrflow.object_of(event)
    matches = hrflow.best_matches(event, keys, _algorithm_key(ctx.settings), _shortlist_size(ctx.settings))
    match_rows = [(name_of(match, SUBJECTS[event.subject.matches]), _score(score)) for match, score in matches]
    name = name_of(obj, event.subject)
    email = letter(
        team(ctx.settings),
        subject=team_subject(ctx.settings, "Shortlist for {}: {} match{}".format(
            name, len(matches), "" if len(matches) == 1 else "es")),
        intro="Best matches for the {} {}, by score:".format(event.subject.name, name),
        rows=match_rows + summary_rows(obj, event.subject),
        outro="" if match_rows else "HrFlow found no match yet.",
    )
    scored = "scored {} match{}".format(len(matches), "" if len(matches) == 1 else "es")
    return done("fetched {} {}".format(event.subject.name, event.key), scored, ctx.client(Mailer).send(email))


_SHORTLIST_SETTINGS = (
    HRFLOW_SETTINGS
    + MAIL_SETTINGS
    + TEAM_EMAIL_SETTINGS
    + SettingsSpec(
        required=("NOTIFY_EMAIL", "SCORING_ALGORITHM_KEY"),
        optional=("SHORTLIST_SIZE",),
        checks=(team, _algorithm_key, _shortlist_size),
    )
)


def _shortlist(subject: Subject) -> Action:
    """The shortlist of a profile's best jobs, or of a job's best profiles."""
    scored_against = _scored_against(subject)
    return Action(
        shortlist_team,
        _SHORTLIST_SETTINGS + SettingsSpec(required=(scored_against,), checks=(
            lambda settings: settings.text_list(scored_against),)),
        calls=3,
    )


SHORTLIST = {name: _shortlist(subject) for name, subject in SUBJECTS.items()}
