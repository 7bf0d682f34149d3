"""The team's emails: read the parts of HrFlow profiles and jobs they show, and turn them into an
email's plain-text and HTML bodies. Every value read here passes through `untrusted.text`:
a part that is missing, null or of another type is left out, and text comes out as one
visible, capped line."""
from __future__ import annotations

from shared.core.settings import Settings, SettingsSpec
from shared.outbound.mandrill import Email
from shared.untrusted.text import FIELD_CHARS, NAME_CHARS, SUBJECT_CHARS, SUMMARY_CHARS, capped, field, line, objects
from shared.wire.catalogue import Subject

DEFAULT_TEAM_SUBJECT_PREFIX = "[HrFlow]"


def team_subject(settings: Settings, text: str) -> str:
    """A team email's subject: `TEAM_SUBJECT_PREFIX` (default `[HrFlow]`), then `text`."""
    prefix = line(settings.text("TEAM_SUBJECT_PREFIX", DEFAULT_TEAM_SUBJECT_PREFIX), NAME_CHARS)
    return "{} {}".format(prefix, text)


TEAM_EMAIL_SETTINGS = SettingsSpec(optional=("TEAM_SUBJECT_PREFIX",),
                                   checks=(lambda settings: team_subject(settings, ""),))


def letter(to: tuple[str, ...], subject: str, intro: str, rows: list[tuple[str, object]], outro: str = "") -> Email:
    """An `Email` saying `intro`, then one line per (label, value) with a value, then `outro`.

    Values are shown as one line each, HTML-escaped in the HTML part; the subject is one capped line.
    """
    import html  # here, not at the top: only an acting workflow needs it, and a cold start pays for it

    shown = [(label, line(str(value), SUMMARY_CHARS)) for label, value in rows if value not in (None, "", [], {})]
    lines = [intro, ""] + ["{}: {}".format(label, value) for label, value in shown] + (["", outro] if outro else [])
    text = "\n".join(lines)
    cells = "".join(
        "<tr><th align=\"left\">{}</th><td>{}</td></tr>".format(html.escape(label), html.escape(value))
        for label, value in shown
    )
    body = "<p>{}</p><table>{}</table>{}".format(
        html.escape(intro), cells, "<p>{}</p>".format(html.escape(outro)) if outro else ""
    )
    return Email(to=tuple(to), subject=line(subject, SUBJECT_CHARS), text=text, html=body)


def profile_rows(profile: dict[str, object]) -> list[tuple[str, object]]:
    """Name, email, location, last position and skills count of a HrFlow profile."""
    experiences = objects(profile.get("experiences"))
    last = experiences[0] if experiences else {}
    position = " at ".join(v for v in (line(last.get("title"), NAME_CHARS), line(last.get("company"), NAME_CHARS)) if v)
    skills = profile.get("skills")
    return [
        ("Name", line(field(profile, "info", "full_name"), NAME_CHARS) or full_name(profile)),
        ("Email", line(field(profile, "info", "email"), FIELD_CHARS)),
        ("Location", line(field(profile, "info", "location", "text"), FIELD_CHARS)),
        ("Last position", position),
        ("Skills", len(skills) if isinstance(skills, list) else None),
    ]


def job_rows(job: dict[str, object]) -> list[tuple[str, object]]:
    """Name, location, URL and summary of a HrFlow job."""
    return [
        ("Job", line(job.get("name"), NAME_CHARS)),
        ("Location", line(field(job, "location", "text"), FIELD_CHARS)),
        ("URL", line(job.get("url"), FIELD_CHARS)),
        ("Summary", line(job.get("summary"), SUMMARY_CHARS)),
    ]


def full_name(profile: dict[str, object]) -> str:
    """The profile's name as first and last name, or empty."""
    names = (line(field(profile, "info", part), NAME_CHARS) for part in ("first_name", "last_name"))
    return capped(" ".join(name for name in names if name), NAME_CHARS)


def job_name(job: dict[str, object]) -> str:
    """The job's title, or empty."""
    return line(job.get("name"), NAME_CHARS)


_SUMMARY_ROWS = {"profile": profile_rows, "job": job_rows}
_NAMES = {"profile": full_name, "job": job_name}


def summary_rows(obj: dict[str, object], subject: Subject) -> list[tuple[str, object]]:
    """The summary of a profile or a job."""
    return _SUMMARY_ROWS[subject.name](obj)


def name_of(obj: dict[str, object], subject: Subject) -> str:
    """What to call a profile (its name) or a job (its title), else its key."""
    return _NAMES[subject.name](obj) or line(obj.get("key"), NAME_CHARS) or "(no name)"
