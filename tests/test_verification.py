"""`shared.wire.verification`: the event a request's signature vouches for, checked against the body's own fields,
and the settings verification reads."""

import pytest

from localcatch.samples import catch_request, sample_event
from localcatch.signers import parse_secrets
from shared.core.errors import CatchError, MalformedRequest
from shared.wire.event import MAX_OBJECT_CHARS, MAX_TEXT_CHARS
from shared.wire.verification import verified_event

SECRET = "whsec-test-7f3a9c"
PROFILE_TYPE = "profile.parsing.success"


@pytest.mark.parametrize("name, limit", [("type", MAX_TEXT_CHARS), ("origin", MAX_OBJECT_CHARS),
                                         ("message", MAX_OBJECT_CHARS), ("profile", MAX_OBJECT_CHARS)])
def test_a_field_longer_than_any_events_is_malformed_before_its_signature_is_checked(name, limit, monkeypatch):
    request = catch_request(sample_event(PROFILE_TYPE), "not-the-webhook-secret")
    request[name] = "x" * (limit + 1)
    with monkeypatch.context() as patched:
        patched.setattr("shared.wire.verification.verify_signature", lambda *_: pytest.fail("a signature was checked"))
        with pytest.raises(MalformedRequest, match="The field {} is longer than {} characters.".format(name, limit)):
            verified_event(request, parse_secrets(SECRET))
    request[name] = "x" * limit
    with pytest.raises(CatchError) as caught:
        verified_event(request, parse_secrets(SECRET))
    assert "longer than" not in caught.value.reason
