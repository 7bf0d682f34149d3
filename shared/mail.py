"""Email through Mandrill with the `mailchimp_transactional` SDK, safely.

The SDK's edges: its timeout defaults to 300 s; it raises `ApiClientError`
(empty `str()`, read `.text` and `.status_code`) only when an error reply has a
body, and returns a plain `requests.Response` otherwise (a 429 with no body, a
502 with no Content-Type); it writes the API key into the dict it is given.

A send is retried only when it provably did not happen (never connected, 429,
a 5xx error reply other than a gateway timeout). A redirect, or a 4xx without
a readable error, also means nothing was sent: it fails for good (500, naming
the settings to check) and is not remembered, so a redelivery sends. Only a
send whose outcome is unknown (timed out, cut after the request was written,
a 504, an unreadable 2xx) is reported and never repeated, not even by a
redelivery, so nobody gets the same email twice. Redirects are not followed:
they would carry the API key elsewhere.
"""
import json
from collections import namedtuple

from .budget import Budget
from .errors import ConfigError, DownstreamError, UnknownOutcome
from .redact import mask_email
from .relayed import FIELD_CHARS, address, line
from .retry import Transient, retry_after_seconds, with_retries
from .settings import Settings, SettingsSpec

DEFAULT_MANDRILL_API_URL = "https://mandrillapp.com/api/1.3"
SENT_STATUSES = ("sent", "queued", "scheduled")
_MAY_HAVE_HAPPENED = "the send may have happened: not sent again, now or on a redelivery (see Mandrill's activity log)."
_NOTHING_SENT = "nothing was sent; check MANDRILL_API_URL and MANDRILL_API_TOKEN."
# Mandrill error names that no retry can fix.
_FINAL_ERRORS = ("Invalid_Key", "ValidationError", "PaymentRequired", "Unknown_Subaccount", "Unknown_Template")


class Email(namedtuple("Email", ("to", "subject", "text", "html", "template", "merge_vars"), defaults=("", None, ()))):
    """One message to the addresses `to` (a tuple): plain text and HTML, or the Mandrill template
    named `template` with `merge_vars`, (name, value) pairs."""

    __slots__ = ()


def _never_connected(error: Exception) -> bool:
    """Whether a `requests` connection error happened before any byte of the request left."""
    import requests
    from urllib3.exceptions import NewConnectionError

    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


def _error_name(text: object) -> str:
    return line(text.get("name"), FIELD_CHARS) if isinstance(text, dict) else ""


def recipients(settings: Settings, key: str) -> "tuple[str, ...]":
    """The email addresses of the list setting `key`: empty when unset, a `ConfigError` when an
    item is not a plausible address (Mandrill would refuse it after the work was done)."""
    items = settings.text_list(key)
    if not all(address(item) for item in items):
        raise ConfigError("Setting {} must list email addresses, separated by commas.".format(key))
    return items


def team(settings: Settings) -> "tuple[str, ...]":
    """`NOTIFY_EMAIL`, the team's addresses."""
    return recipients(settings, "NOTIFY_EMAIL")


def _mandrill_token(settings: Settings) -> str:
    return settings.text("MANDRILL_API_TOKEN")


def _mandrill_api_url(settings: Settings) -> str:
    url = settings.text("MANDRILL_API_URL", DEFAULT_MANDRILL_API_URL).rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise ConfigError("Setting MANDRILL_API_URL must be an http(s) URL.")
    return url


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

    def _body(self, email: Email) -> dict:
        message = {
            "from_email": self.sender,
            "subject": email.subject,
            "text": email.text,
            "to": [{"email": recipient, "type": "to"} for recipient in email.to],
        }
        if email.html:
            message["html"] = email.html
        if email.template is None:
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
        failures = [
            "{} ({}: {})".format(
                mask_email(line(r.get("email"), FIELD_CHARS)), line(r.get("status"), FIELD_CHARS) or "no status",
                line(r.get("reject_reason"), FIELD_CHARS) or "no reason")
            for r in (r if isinstance(r, dict) else {} for r in results)
            if r.get("status") not in SENT_STATUSES
        ]
        if failures and len(failures) == len(results):
            raise DownstreamError("Mandrill did not accept any recipient: " + ", ".join(failures), 500)
        action = "emailed {}".format(masked)
        return action + ("; not accepted: " + ", ".join(failures) if failures else "")

    def _send_once(self, email: Email, timeout: float) -> list:
        import mailchimp_transactional
        import requests
        from mailchimp_transactional.api_client import ApiClientError

        client = mailchimp_transactional.Client(self._token)
        client.api_client.host = self._url
        client.api_client.request = _post_without_redirects(timeout)
        call = client.messages.send if email.template is None else client.messages.send_template
        try:
            result = call(self._body(email))
        except ApiClientError as error:
            status, name = error.status_code, _error_name(error.text)
            if status == 504:
                raise UnknownOutcome("Mandrill's gateway timed out (HTTP 504), so " + _MAY_HAVE_HAPPENED) from None
            if status == 429 or (status >= 500 and name not in _FINAL_ERRORS):
                raise Transient("Mandrill answered HTTP {} {}".format(status, name).strip() + ".") from None
            raise DownstreamError("Mandrill refused the message with HTTP {} {}: {}".format(
                status, name or "error", _NOTHING_SENT), 500) from None
        except requests.ConnectionError as error:
            if _never_connected(error):
                raise Transient("Mandrill could not be reached.") from None
            raise UnknownOutcome("The connection to Mandrill failed during the send, so "
                                 + _MAY_HAVE_HAPPENED) from None
        except requests.Timeout:
            raise UnknownOutcome("Mandrill did not answer in time, so " + _MAY_HAVE_HAPPENED) from None
        except requests.RequestException as error:
            raise UnknownOutcome("Mandrill's reply broke off ({}), so {}".format(
                type(error).__name__, _MAY_HAVE_HAPPENED)) from None
        if isinstance(result, requests.Response):
            if result.status_code == 429 or (result.status_code >= 500 and result.status_code != 504):
                raise Transient(
                    "Mandrill answered HTTP {} with no error body.".format(result.status_code),
                    retry_after_seconds(result.headers.get("Retry-After")),
                )
            if result.status_code >= 400 and result.status_code != 504:
                raise DownstreamError("Mandrill answered HTTP {} with no readable error, so {}".format(
                    result.status_code, _NOTHING_SENT), 500)
            raise UnknownOutcome("Mandrill answered HTTP {} with no readable body, so {}".format(
                result.status_code, _MAY_HAVE_HAPPENED))
        if not isinstance(result, list) or not result:
            raise UnknownOutcome("Mandrill's reply is not a list of recipients, so " + _MAY_HAVE_HAPPENED)
        return result


def _post_without_redirects(timeout: float):
    """The SDK's one HTTP call, with a timeout and without following redirects, which would
    repost the API key in the body to wherever the redirect points.

    A redirect is refused here, where its status is still known: the SDK hands any
    reply below 400 with a body back as if it were the answer to the send.
    """
    import requests

    def request(method, url, body=None, headers=None):
        response = requests.post(url, data=json.dumps(body), headers=headers, timeout=timeout, allow_redirects=False)
        if 300 <= response.status_code < 400:
            raise DownstreamError("Mandrill answered with a redirect (HTTP {}), which is not followed, so {}".format(
                response.status_code, _NOTHING_SENT), 500)
        return response

    return request
