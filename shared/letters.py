"""Read the parts of HrFlow profiles and jobs that emails show, and turn them into
an email's plain-text and HTML bodies. HrFlow objects leave parts out or null:
every reader here copes."""
from typing import Iterable, Optional, Sequence, Tuple

from .mail import Email

Row = Tuple[str, Optional[object]]


def inner(obj: dict, key: str) -> dict:
    """The object under `key`, or an empty one."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def text_of(value: object) -> str:
    """Text without surrounding white space; empty for anything that is not text."""
    return value.strip() if isinstance(value, str) else ""


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


def html_paragraphs(text: str) -> str:
    """Plain text as HTML: a paragraph per blank-line-separated block, line breaks kept."""
    import html

    return "".join("<p>{}</p>".format(html.escape(part).replace("\n", "<br>")) for part in text.split("\n\n"))


def profile_rows(profile: dict) -> "list[Row]":
    """Name, email, location, last position and skills count of a HrFlow profile."""
    info = inner(profile, "info")
    experiences = [e for e in profile.get("experiences") or [] if isinstance(e, dict)]
    last = experiences[0] if experiences else {}
    position = " at ".join(v for v in (text_of(last.get("title")), text_of(last.get("company"))) if v)
    skills = profile.get("skills") if isinstance(profile.get("skills"), list) else []
    return [
        ("Name", text_of(info.get("full_name")) or full_name(profile)),
        ("Email", text_of(info.get("email"))),
        ("Location", text_of(inner(info, "location").get("text"))),
        ("Last position", position),
        ("Skills", len(skills)),
    ]


def job_rows(job: dict) -> "list[Row]":
    """Name, location, URL and summary of a HrFlow job."""
    return [
        ("Job", text_of(job.get("name"))),
        ("Location", text_of(inner(job, "location").get("text"))),
        ("URL", text_of(job.get("url"))),
        ("Summary", text_of(job.get("summary"))),
    ]


def full_name(profile: dict) -> str:
    """The profile's name as first and last name, or empty."""
    info = inner(profile, "info")
    return " ".join(v for v in (text_of(info.get("first_name")), text_of(info.get("last_name"))) if v)


def summary_rows(obj: dict, kind: str) -> "list[Row]":
    """The summary of a profile or a job."""
    return profile_rows(obj) if kind == "profile" else job_rows(obj)


def name_of(obj: dict, kind: str) -> str:
    """What to call a profile (its name) or a job (its title), else its key."""
    name = full_name(obj) if kind == "profile" else text_of(obj.get("name"))
    return name or str(obj.get("key"))
