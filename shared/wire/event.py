"""The event: the fields of the request that make one, and the immutable `Event` built from the fields
a signature has covered (`parse_event` never looks at a field on its own authority)."""
from __future__ import annotations

import json
import re

from shared.core.errors import MalformedRequest
from shared.core.records import Record
from shared.wire.catalogue import CATALOGUE, SUBJECTS, Subject, canonical_type

EVENT_FIELDS = ("type", "origin", "message")
OBJECT_FIELDS = tuple(SUBJECTS)  # the field that carries the profile or the job
MAX_TEXT_CHARS = 4096
MAX_OBJECT_CHARS = 1 << 20

_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


class Event(Record):
    """One verified HrFlow event: what happened (text), to which profile or job (its `subject`, from
    `catalogue.SUBJECTS`, and its `key`), in which source or board (`container_key`).

    `type` is the catalogue's name for it; `received_type` the name it came under,
    which differs for another name HrFlow has published (`catalogue.ALIASES`).
    """

    type: str
    origin: str
    message: str
    subject: Subject
    key: str
    container_key: str
    received_type: str


def event_fields(_request: dict[str, object]) -> dict[str, object]:
    """The body fields that make up an event, as received. A text field longer than any event's is
    malformed here, before a signature check that would cost time in proportion to it."""
    fields = {name: _request[name] for name in EVENT_FIELDS + OBJECT_FIELDS if name in _request}
    for name, value in fields.items():
        limit = MAX_TEXT_CHARS if name == "type" else MAX_OBJECT_CHARS
        if isinstance(value, str) and len(value) > limit:
            raise MalformedRequest("The field {} is longer than {} characters.".format(name, limit))
    return fields


def _text(fields: dict[str, object], name: str, required: bool) -> str:
    value = fields.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise MalformedRequest("The field {} is {}.".format(name, "missing" if value is None else "not text"))
    if len(value) > MAX_TEXT_CHARS:
        if required:
            raise MalformedRequest("The field {} is longer than {} characters.".format(name, MAX_TEXT_CHARS))
        return value[:MAX_TEXT_CHARS] + "..."  # a long message from HrFlow still deserves its alert
    return value


def _object(fields: dict[str, object], name: str) -> dict[str, object]:
    value = fields[name]
    if isinstance(value, str):
        if len(value) > MAX_OBJECT_CHARS:
            raise MalformedRequest("The field {} is longer than {} characters.".format(name, MAX_OBJECT_CHARS))
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise MalformedRequest("The field {} is not valid JSON.".format(name)) from None
    if not isinstance(value, dict):
        raise MalformedRequest("The field {} is not a JSON object.".format(name))
    return value


def _key(value: object, what: str) -> str:
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise MalformedRequest(
            "The {} is not a key of 1 to 64 letters, digits, '_' or '-'.".format(what)
        )
    return value


def _container_key(obj: dict[str, object], subject: Subject) -> str:
    """The key of the first of the subject's container fields the object has."""
    for name in subject.container_fields:
        container = obj.get(name)
        if container is not None:
            if not isinstance(container, dict):
                raise MalformedRequest("The {} {} is not an object.".format(subject.name, name))
            return _key(container.get("key"), "{} {} key".format(subject.name, name))
    raise MalformedRequest("The {} has no {} key.".format(subject.name, " or ".join(subject.container_fields)))


def parse_event(fields: dict[str, object]) -> Event:
    """Build the `Event` from signed fields, or raise `MalformedRequest` saying what is wrong."""
    received_type = _text(fields, "type", required=True)
    event_type = canonical_type(received_type)
    carried = [SUBJECTS[name] for name in OBJECT_FIELDS if fields.get(name) is not None]
    if len(carried) != 1:
        raise MalformedRequest("The event must carry exactly one of the fields profile or job.")
    subject = carried[0]
    known = CATALOGUE.get(event_type)
    if known is not None and known.subject != subject:
        raise MalformedRequest("A {} event carries a {} field.".format(event_type, subject.name))
    obj = _object(fields, subject.name)
    return Event(
        type=event_type,
        origin=_text(fields, "origin", required=False),
        message=_text(fields, "message", required=False),
        subject=subject,
        key=_key(obj.get("key"), subject.name + " key"),
        container_key=_container_key(obj, subject),
        received_type=received_type,
    )
