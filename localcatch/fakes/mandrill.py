"""A fake Mandrill (Mailchimp Transactional) API 1.3: it accepts messages, and keeps each for the test to read."""
from __future__ import annotations

import uuid
from typing import Any, Callable

from localcatch.fakes.server import FakeServer, Record, Reply, json_reply

# What the fake Mandrill keeps of each message it accepts: path, message, template_name, template_content, results.
AcceptedEmail = dict[str, Any]


class FakeMandrill(FakeServer):
    """Mandrill (Mailchimp Transactional) API 1.3. ``url`` has no trailing slash.

    Serves POST ``/api/1.3/messages/send.json`` and ``/messages/send-template.json``.
    Wrong ``key`` -> HTTP 500 ``Invalid_Key`` error (Mandrill's real behaviour).
    ``recipient_status[email] = ("rejected", "hard-bounce")`` (or just ``"invalid"``,
    ``"queued"``, ``"scheduled"``...) sets a recipient's result; default "sent".
    Accepted calls are appended to ``sent``:
    ``{"path", "message", "template_name", "template_content", "results"}``.
    """

    base_path = "/api/1.3"
    SEND = "/api/1.3/messages/send.json"
    SEND_TEMPLATE = "/api/1.3/messages/send-template.json"

    def __init__(self, api_key: str | None = "test-mandrill-key", port: int = 0,
                 on_send: Callable[[AcceptedEmail], None] | None = None, tls: tuple[str, str] | None = None):
        super().__init__(port, tls)
        self.api_key = api_key
        self.on_send = on_send  # called with each accepted message record, e.g. to print it
        self.recipient_status: dict[str, str | tuple[str, str]] = {}
        self.sent: list[AcceptedEmail] = []

    @staticmethod
    def _error(status: int, name: str, message: str) -> Reply:
        return json_reply(status, {"status": "error", "code": -1, "name": name, "message": message},
                          "application/json; charset=utf-8")

    def handle(self, record: Record) -> Reply:
        path, body = record["path"], record["body"]
        if record["method"] != "POST" or path not in (self.SEND, self.SEND_TEMPLATE):
            return self._error(404, "Unknown_Method", f"Unknown method {path}")
        body = body if isinstance(body, dict) else {}
        if body.get("key") != self.api_key:
            return self._error(500, "Invalid_Key", "Invalid API key")
        message = body.get("message")
        if not isinstance(message, dict):
            return self._error(500, "ValidationError", "You must specify a message value")
        if path == self.SEND_TEMPLATE and not body.get("template_name"):
            return self._error(500, "ValidationError", "You must specify a template_name value")
        statuses = {k.lower(): v for k, v in self.recipient_status.items()}
        results: list[dict[str, Any]] = []
        for to in message.get("to") or []:
            email = to.get("email", "")
            status = statuses.get(email.lower(), "sent")
            status, reason = (status, None) if isinstance(status, str) else status
            results.append({"email": email, "status": status, "_id": uuid.uuid4().hex,
                            "reject_reason": reason if status == "rejected" else None,
                            "queued_reason": reason if status == "queued" else None})
        accepted = {"path": path, "message": message, "template_name": body.get("template_name"),
                    "template_content": body.get("template_content"), "results": results}
        with self._lock:
            self.sent.append(accepted)
        if self.on_send is not None:
            self.on_send(accepted)
        return json_reply(200, results, "application/json; charset=utf-8")
