"""Turn a few labelled facts into an email's plain-text and HTML bodies."""
from typing import Iterable, Optional, Sequence, Tuple

from .mail import Email

Row = Tuple[str, Optional[object]]


def letter(to: Sequence[str], subject: str, intro: str, rows: Iterable[Row], outro: str = "") -> Email:
    """An `Email` saying `intro`, then one line per (label, value) with a value, then `outro`."""
    import html  # here, not at the top: only an acting workflow needs it, and a cold start pays for it

    rows = [(label, str(value)) for label, value in rows if value not in (None, "", [], {})]
    text = "\n".join([intro, ""] + ["{}: {}".format(label, value) for label, value in rows] + (["", outro] if outro else []))
    cells = "".join(
        "<tr><th align=\"left\">{}</th><td>{}</td></tr>".format(html.escape(label), html.escape(value))
        for label, value in rows
    )
    body = "<p>{}</p><table>{}</table>{}".format(
        html.escape(intro), cells, "<p>{}</p>".format(html.escape(outro)) if outro else ""
    )
    return Email(to=tuple(to), subject=subject, text=text, html=body)


def _text_of(value: object) -> Optional[str]:
    return value.strip() or None if isinstance(value, str) else None


def profile_rows(profile: dict) -> "list[Row]":
    """Name, email, location, last position and skills count of a HrFlow profile."""
    info = profile.get("info") if isinstance(profile.get("info"), dict) else {}
    location = info.get("location") if isinstance(info.get("location"), dict) else {}
    experiences = [e for e in profile.get("experiences") or [] if isinstance(e, dict)]
    last = experiences[0] if experiences else {}
    position = " at ".join(v for v in (_text_of(last.get("title")), _text_of(last.get("company"))) if v)
    skills = profile.get("skills") if isinstance(profile.get("skills"), list) else []
    return [
        ("Name", _text_of(info.get("full_name")) or full_name(profile)),
        ("Email", _text_of(info.get("email"))),
        ("Location", _text_of(location.get("text"))),
        ("Last position", position),
        ("Skills", len(skills)),
    ]


def job_rows(job: dict) -> "list[Row]":
    """Name, location, URL and summary of a HrFlow job."""
    location = job.get("location") if isinstance(job.get("location"), dict) else {}
    return [
        ("Job", _text_of(job.get("name"))),
        ("Location", _text_of(location.get("text"))),
        ("URL", _text_of(job.get("url"))),
        ("Summary", _text_of(job.get("summary"))),
    ]


def full_name(profile: dict) -> str:
    """The profile's name as first and last name, or empty."""
    info = profile.get("info") if isinstance(profile.get("info"), dict) else {}
    return " ".join(v for v in (_text_of(info.get("first_name")), _text_of(info.get("last_name"))) if v)


def summary_rows(obj: dict, kind: str) -> "list[Row]":
    """The summary of a profile or a job."""
    return profile_rows(obj) if kind == "profile" else job_rows(obj)


def name_of(obj: dict, kind: str) -> str:
    """What to call a profile (its name) or a job (its title), else its key."""
    name = full_name(obj) if kind == "profile" else _text_of(obj.get("name"))
    return name or str(obj.get("key"))
