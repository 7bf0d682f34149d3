"""`shared.pipeline.masking`: what an answer and the log line may show, every text made one visible line,
redacted of the workflow's secrets and of personal data, then capped."""

from localcatch.samples import catch_request, sample_event
from recorder import EVENT_TYPE, SECRET, Recorder, answer, fresh_settings
from shared.pipeline.run import run
from shared.wire.headers import SIGNATURE_HEADER


def test_body_of_a_rejection_echoes_neither_the_secret_nor_the_signature():
    request = catch_request(sample_event(EVENT_TYPE), SECRET)
    request["http_hrflow_signature"] = SECRET  # a header that is the secret itself
    response = run(request, fresh_settings(), Recorder().workflow)
    assert answer(response) == (400, "rejected")
    assert SECRET not in response["body"] and request[SIGNATURE_HEADER] not in response["body"]
