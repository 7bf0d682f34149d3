"""An email the fake Mandrill accepted, as a person reads it: printed, as a standalone page, as text."""
from __future__ import annotations

import contextlib
import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fakes are imported only by the commands that start them
    from localcatch.fakes.mandrill import AcceptedEmail


def email_headers(accepted: AcceptedEmail) -> list[tuple[str, str]]:
    """From, To and Subject of an email the fake Mandrill accepted, its Reply-To when it has one, and its
    template when it names one."""
    message = accepted["message"]
    to = ", ".join(str(recipient.get("email")) for recipient in message.get("to") or [] if isinstance(recipient, dict))
    headers = [("From", str(message.get("from_email"))), ("To", to), ("Subject", str(message.get("subject")))]
    reply_to = (message.get("headers") or {}).get("Reply-To") if isinstance(message.get("headers"), dict) else None
    return headers + ([("Reply-To", str(reply_to))] if reply_to else []) + (
        [("Template", str(accepted["template_name"]))] if accepted.get("template_name") else [])


def print_email(accepted: AcceptedEmail) -> None:
    """Show an email the fake Mandrill accepted, as a person would read it (`email_text`). With nobody left
    to read it (stdout closed), the fake still answers."""
    with contextlib.suppress(OSError, ValueError):
        print("--- email\n" + email_text(accepted) + "---", flush=True)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 48em; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.15em 1em 0.15em 0; }}
th {{ color: #666; font-weight: normal; }}
p.note {{ color: #666; font-size: 0.9em; }}
iframe {{ width: 100%; height: 30em; border: 1px solid #ccc; }}
pre {{ white-space: pre-wrap; border: 1px solid #ccc; padding: 1em; }}
</style>
</head>
<body>
<p class="note">{event}: the email the workflow sent, as the fake Mandrill of catch.py preview received it.</p>
<table>
{headers}
</table>
{template}{body}
</body>
</html>
"""


def email_page(accepted: AcceptedEmail, event_type: str) -> str:
    """A standalone HTML page of an email: its headers (escaped: they may hold CV text), then its HTML part
    rendered as Mandrill would, in a sandboxed frame where no script runs and nothing is fetched."""
    message = accepted["message"]
    rows = "\n".join("<tr><th>{}</th><td>{}</td></tr>".format(html.escape(label), html.escape(value))
                     for label, value in email_headers(accepted))
    template = ""
    if accepted.get("template_name"):
        merge_vars = [var for var in message.get("global_merge_vars") or [] if isinstance(var, dict)]
        template = ("<p class=\"note\">Sent as the Mandrill template above, which Mandrill fills with these "
                    "merge vars; the HTML part the message carries follows.</p>\n<table>\n{}\n</table>\n").format(
            "\n".join("<tr><th>{}</th><td>{}</td></tr>".format(html.escape(str(var.get("name"))),
                                                                html.escape(str(var.get("content"))))
                      for var in merge_vars))
    part = message.get("html")
    if isinstance(part, str) and part:
        body = '<iframe sandbox title="the HTML part of the email" srcdoc="{}"></iframe>'.format(html.escape(part))
    else:
        body = "<p class=\"note\">No HTML part; the text part:</p>\n<pre>{}</pre>".format(
            html.escape(str(message.get("text"))))
    return PAGE.format(title=html.escape(str(message.get("subject"))), event=html.escape(event_type),
                       headers=rows, template=template, body=body)


def email_text(accepted: AcceptedEmail) -> str:
    """An email as text: its header lines, a blank line, its text part."""
    text = str(accepted["message"].get("text"))
    headers = "".join("{}: {}\n".format(*header) for header in email_headers(accepted))
    return headers + "\n" + text + ("" if text.endswith("\n") else "\n")
