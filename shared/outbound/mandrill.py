"""Email through Mandrill with the `mailchimp_transactional` SDK, safely.

The SDK's edges: its timeout defaults to 300 s; it raises `ApiClientError`
(empty `str()`, read `.text` and `.status_code`) only when an error reply has a
body, and returns a plain `requests.Response` otherwise (a 429 with no body, a
502 with no Content-Type); it writes the API key into the dict it is given.

Mandrill has no idempotency key, so every send ends in one of three ways:
- not sent: the request never left (a URL, connection, TLS or proxy failure), or
  Mandrill said so (429, a 5xx error reply other than a gateway timeout, a
  redirect, a 4xx): retried when a retry may help, never remembered, so a
  redelivery sends;
- sent: a 2xx listing each recipient with a status Mandrill documents, `sent`,
  `queued` or `scheduled` counting as sent, `rejected` and `invalid` as final
  refusals named with their `reject_reason`;
- may have happened: the request was written and then no reply came in time,
  the exchange broke off, Mandrill's gateway timed out (504), or a 2xx is not
  readable as above: reported, never repeated, and remembered as done so that no
  redelivery repeats it either, so nobody gets the same email twice.
Redirects are not followed: they would carry the API key elsewhere.
"""
from __future__ import annotations

import json

from shared.core.errors import ConfigError, DownstreamError, UnknownOutcome
from shared.core.records import Record
from shared.core.settings import Settings, SettingsSpec
from shared.core.typecheck import TYPE_CHECKING
from shared.outbound.budget import Budget
from shared.outbound.packages import import_package
from shared.outbound.retry import Transient, retry_after_seconds, with_retries
from shared.untrusted.candidate import address
from shared.untrusted.redact import mask_email
from shared.untrusted.text import FIELD_CHARS, line

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

DEFAULT_MANDRILL_API_URL = "https://mandrillapp.com/api/1.3"
SENT_STATUSES = ("sent", "queued", "scheduled")
REFUSED_STATUSES = ("rejected", "invalid")  # final: Mandrill will not send to that recipient
_MAY_HAVE_HAPPENED = "the send may have happened: not sent again, now or on a redelivery (see Mandrill's activity log)."
_NOTHING_SENT = "nothing was sent; check MANDRILL_API_URL and MANDRILL_API_TOKEN."
# Mandrill error names that no retry can fix.
_FINAL_ERRORS = ("Invalid_Key", "ValidationError", "PaymentRequired", "Unknown_Subaccount", "Unknown_Template")


class Email(Record):
    """One message to the addresses `to`: plain text and HTML, or, when `template` names one, that
    Mandrill template with `merge_vars`, (name, value) pairs; answered at `reply_to` when it is set."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str = ""
    template: str = ""
    merge_vars: tuple[tuple[str, str], ...] = ()
    reply_to: str = ""


def _after_the_request_was_written(error: Exception) -> bool:
    """Whether a `requests` failure came once the request was written, so that only Mandrill knows
    whether it sent: no reply in time (`ReadTimeout`), or an exchange broken off under way (urllib3's
    `ProtocolError`, the connection aborted; a reply cut or undecodable). Every other failure comes
    before a byte of the request left: a URL `requests` refuses, a connection refused or timed out, a
    TLS handshake or a proxy that failed. One case is misread, on the side of caution: urllib3 reports a
    TLS handshake that stalls past the timeout as a read timeout."""
    import requests
    from urllib3.exceptions import ProtocolError

    if isinstance(error, (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError,
                          requests.exceptions.ContentDecodingError)):
        return True
    cause = error.args[0] if error.args else None
    return isinstance(error, requests.ConnectionError) and isinstance(cause, ProtocolError)


def _json_or_none(response: Any) -> object:
    """The JSON a reply holds, or None."""
    try:
        return response.json()
    except (ValueError, RecursionError):  # not JSON, or nested too deep
        return None


def _shape(reply: object) -> str:
    """What a reply was, without any of its values."""
    if isinstance(reply, list):
        unreadable = sum(1 for item in reply if _recipient_status(item) is None)
        return "a list of {} recipient{}, {} without a readable status".format(
            len(reply), "" if len(reply) == 1 else "s", unreadable) if reply else "an empty list"
    if isinstance(reply, dict):
        return "a JSON object"
    if isinstance(reply, str):
        return "text that is not JSON ({} characters)".format(len(reply))
    return "no readable body"


def _recipient_status(item: object) -> str | None:
    """A recipient's status in Mandrill's reply, if it is one Mandrill documents."""
    status = item.get("status") if isinstance(item, dict) else None
    return status if status in SENT_STATUSES + REFUSED_STATUSES else None


def _error_name(text: object) -> str:
    return line(text.get("name"), FIELD_CHARS) if isinstance(text, dict) else ""


def recipients(settings: Settings, key: str) -> tuple[str, ...]:
    """The email addresses of the list setting `key`: empty when unset, a `ConfigError` when an
    item is not a plausible address (Mandrill would refuse it after the work was done)."""
    items = settings.text_list(key)
    if not all(address(item) for item in items):
        raise ConfigError("Setting {} must list email addresses, separated by commas.".format(key))
    return items


def team(settings: Settings) -> tuple[str, ...]:
    """`NOTIFY_EMAIL`, the team's addresses."""
    return recipients(settings, "NOTIFY_EMAIL")


def _mandrill_token(settings: Settings) -> str:
    return settings.text("MANDRILL_API_TOKEN")


def _mandrill_api_url(settings: Settings) -> str:
    return settings.url("MANDRILL_API_URL", DEFAULT_MANDRILL_API_URL).rstrip("/")


def _mail_sender(settings: Settings) -> str:
    """`MAIL_FROM`, else `HRFLOW_API_USER`: the address every email is sent from."""
    sender = settings.text("MAIL_FROM", "") or settings.text("HRFLOW_API_USER", "")
    if not address(sender):
        key = "MAIL_FROM" if settings.has("MAIL_FROM") else "HRFLOW_API_USER"
        raise ConfigError("Setting {} must be the email address to send from.".format(key))
    return sender


def _dry_run(settings: Settings) -> bool:
    return settings.flag("DRY_RUN")


MAIL_SETTINGS = SettingsSpec(
    required=("MANDRILL_API_TOKEN",),
    optional=("MAIL_FROM", "HRFLOW_API_USER", "MANDRILL_API_URL", "HTTP_TIMEOUT_SECONDS", "DRY_RUN"),
    one_of=(("MAIL_FROM", "HRFLOW_API_USER"),),
    checks=(_mandrill_token, _mandrill_api_url, _mail_sender, _dry_run),
)


class Mailer:
    """Sends `Email`s from `MAIL_FROM` (default `HRFLOW_API_USER`), or only describes them on `DRY_RUN`."""

    def __init__(self, settings: Settings, budget: Budget):
        self._budget = budget
        self._token = _mandrill_token(settings)
        self._url = _mandrill_api_url(settings)
        self.sender = _mail_sender(settings)
        self.dry_run = _dry_run(settings)

    def _body(self, email: Email) -> dict[str, object]:
        """What Mandrill's `messages/send` (or `send-template`) takes for `email`. A template's own
        subject is kept when the email has none."""
        message: dict[str, object] = {
            "from_email": self.sender,
            "text": email.text,
            "to": [{"email": recipient, "type": "to"} for recipient in email.to],
        }
        if email.subject:
            message["subject"] = email.subject
        if email.html:
            message["html"] = email.html
        if email.reply_to:
            message["headers"] = {"Reply-To": email.reply_to}
        if not email.template:
            return {"message": message}
        message["global_merge_vars"] = [{"name": name, "content": value} for name, value in email.merge_vars]
        return {"template_name": email.template, "template_content": [], "message": message}

    def send(self, email: Email) -> str:
        """Send `email` and say what happened, or raise `DownstreamError`."""
        masked = ", ".join(mask_email(recipient) for recipient in email.to)
        if self.dry_run:
            return "dry run: would email {}; nothing sent".format(masked)
        results = with_retries(
            lambda timeout: self._send_once(email, timeout), self._budget, "Mandrill send", whole=True
        )
        refused = [
            "{} ({}: {})".format(mask_email(line(result.get("email"), FIELD_CHARS)), result["status"],
                                 line(result.get("reject_reason"), FIELD_CHARS) or "no reason given")
            for result in results if result["status"] in REFUSED_STATUSES
        ]
        if len(refused) == len(results):
            raise DownstreamError("Mandrill did not accept any recipient: " + ", ".join(refused), 500)
        return "emailed {}".format(masked) + ("; not accepted: " + ", ".join(refused) if refused else "")

    def _send_once(self, email: Email, timeout: float) -> list[dict[str, object]]:
        """One send: the recipients' results, each with a status Mandrill documents, or a typed failure."""
        import requests

        mailchimp_transactional = import_package("mailchimp_transactional")
        from mailchimp_transactional.api_client import ApiClientError

        client = mailchimp_transactional.Client(self._token)
        client.api_client.host = self._url
        replies: list[requests.Response] = []
        client.api_client.request = _post_without_redirects(timeout, replies)
        call = client.messages.send_template if email.template else client.messages.send
        try:
            result = call(self._body(email))
        except ApiClientError as error:  # an error reply with a body
            raise _error_reply(error.status_code, _error_name(error.text)) from None
        except requests.RequestException as error:
            if not _after_the_request_was_written(error):
                raise Transient("Mandrill could not be reached ({}); nothing was sent.".format(
                    type(error).__name__)) from None
            if isinstance(error, requests.Timeout):
                raise UnknownOutcome("Mandrill did not answer in time, so " + _MAY_HAVE_HAPPENED) from None
            raise UnknownOutcome("The exchange with Mandrill broke off after the message was sent ({}), so {}".format(
                type(error).__name__, _MAY_HAVE_HAPPENED)) from None
        if isinstance(result, requests.Response):  # an error reply without a body, or a 2xx the SDK did not read
            if result.status_code >= 400:
                retry_after = retry_after_seconds(result.headers.get("Retry-After"))
                raise _error_reply(result.status_code, retry_after=retry_after)
            result = _json_or_none(result)
        if not isinstance(result, list) or not result or any(_recipient_status(item) is None for item in result):
            # Mandrill answered 2xx: whatever the reply says, the send may have happened.
            raise UnknownOutcome("Mandrill answered HTTP {} with {}, so {}".format(
                replies[-1].status_code, _shape(result), _MAY_HAVE_HAPPENED))
        return result


def _error_reply(status: int, name: str = "", retry_after: float | None = None) -> Exception:
    """What an error reply (400 or more) means, with or without a body naming the error: a gateway timeout
    may have sent; a 429, or a 5xx but for errors no retry fixes, is worth another try (after `retry_after`
    when Mandrill says so); anything else is a refusal: nothing was sent, and nothing will be on a retry."""
    if status == 504:
        return UnknownOutcome("Mandrill's gateway timed out (HTTP 504), so " + _MAY_HAVE_HAPPENED)
    if status == 429 or (status >= 500 and name not in _FINAL_ERRORS):
        return Transient("Mandrill answered HTTP {} {}.".format(status, name or "with no error body"), retry_after)
    return DownstreamError("Mandrill refused the message with HTTP {} {}: {}".format(
        status, name or "and no readable error", _NOTHING_SENT), 500)


def _post_without_redirects(timeout: float, replies: list[Any]) -> Callable[..., Any]:
    """The SDK's one HTTP call, with a timeout and without following redirects, which would
    repost the API key in the body to wherever the redirect points; each reply is appended to
    `replies`, since the SDK keeps its status only for errors.

    A redirect is refused here, where its status is still known: the SDK hands any
    reply below 400 with a body back as if it were the answer to the send.
    """
    import requests

    def request(method: str, url: str, body: object = None, headers: dict[str, str] | None = None) -> Any:
        response = requests.post(url, data=json.dumps(body), headers=headers, timeout=timeout, allow_redirects=False)
        replies.append(response)
        if 300 <= response.status_code < 400:
            raise DownstreamError("Mandrill answered with a redirect (HTTP {}), which is not followed, so {}".format(
                response.status_code, _NOTHING_SENT), 500)
        return response

    return request
