"""A hypothesis fuzz campaign against the signature parser and the runner.

    python fuzz/campaign.py [--examples 20000] [--seed 0]

Throws arbitrary headers, fields, raw bodies, `_request` and `settings` values
(wrong types, huge and odd-unicode strings, mutated valid signatures) at
`verify_signature` and `run`, and counts the inputs tried and the crashes
found. A crash is any exception other than our own rejections from the parser,
any exception at all from `run`, a response that breaks the Catch contract, or
a handler called for a request not signed with the configured secret.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed  # noqa: E402
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from localcatch.samples import catch_request, sample_event  # noqa: E402
from localcatch.signers import parse_secrets  # noqa: E402
from shared.actions.action import Action, done  # noqa: E402
from shared.core.errors import MalformedRequest, SignatureError  # noqa: E402
from shared.core.settings import SettingsSpec  # noqa: E402
from shared.pipeline.run import run  # noqa: E402
from shared.pipeline.workflow import Workflow  # noqa: E402
from shared.wire.catalogue import CATALOGUE, canonical_type  # noqa: E402
from shared.wire.headers import SIGNATURE_HEADER  # noqa: E402
from shared.wire.signature import SCHEMES, Verified, verify_signature  # noqa: E402

SECRET = "fuzz-secret-8d21c0"
WORKFLOW_TYPE = "profile.storing.success"

odd_text = st.text(st.characters(codec="utf-8") | st.sampled_from("\x00\ud800\udfff.=_-+/ ,"), max_size=300)
huge_text = st.builds(lambda ch, n: ch * n, st.sampled_from("aA0.=é\x00"), st.integers(0, 100_000))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | odd_text | st.binary(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(odd_text, children, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_signatures(draw):
    """A valid header of some scheme, then truncated, extended or with one character changed."""
    message = draw(st.text(st.characters(codec="utf-8"), max_size=200))  # what HrFlow can send
    event = sample_event(draw(st.sampled_from(sorted(CATALOGUE))), message=message)
    request = catch_request(event, SECRET, draw(st.sampled_from(SCHEMES)), draw(st.sampled_from(("form", "json"))))
    header = request[SIGNATURE_HEADER]
    position = draw(st.integers(0, max(0, len(header) - 1)))
    mutation = draw(st.sampled_from(("flip", "cut", "append")))
    if mutation == "flip":
        replacement = draw(st.characters(codec="ascii").filter(lambda c: c != header[position]))
        header = header[:position] + replacement + header[position + 1:]
    elif mutation == "cut":
        header = header[:position]
    else:
        header += draw(odd_text.filter(bool))
    request[SIGNATURE_HEADER] = header
    return request


headers = st.none() | st.integers() | st.binary(max_size=64) | odd_text | huge_text | st.lists(odd_text, max_size=3)
requests_ = (
    st.dictionaries(odd_text | st.sampled_from([SIGNATURE_HEADER, "type", "profile", "job", "_raw_body"]), json_values,
                    max_size=8)
    | mutated_signatures()
    | json_values
)
settings_values = json_values | st.dictionaries(
    st.sampled_from(["HRFLOW_WEBHOOK_SECRET", "EXECUTION_BUDGET_SECONDS", "DEDUPE_WINDOW_SECONDS", "_CATCH_DELIVERIES"])
    | odd_text,
    json_values | st.just(SECRET),
    max_size=5,
)


HANDLED = []  # every event a handler was called with; run() would swallow an exception raised there
RECORDING = Action(lambda event, ctx: HANDLED.append(event) or done("x"), SettingsSpec(), calls=1)


def check_parser(header, fields, raw_body) -> None:
    try:
        verified = verify_signature(header, parse_secrets(SECRET), fields if isinstance(fields, dict) else {}, raw_body)
    except (SignatureError, MalformedRequest) as error:
        assert error.reason
        return
    assert isinstance(verified, Verified) and isinstance(verified.fields, dict)


def check_runner(request, settings_value) -> None:
    """Arbitrary input: the contract holds and the handler never runs (nothing here is signed)."""
    del HANDLED[:]
    response = run(request, settings_value, Workflow(WORKFLOW_TYPE, {WORKFLOW_TYPE: RECORDING}))
    assert isinstance(response, dict) and isinstance(response["status_code"], int)
    body = json.loads(response["body"])
    assert body["status"] in ("rejected", "skipped", "failed") and body["reason"]
    assert HANDLED == [], "handler called for an unverified event"


def check_mutated_never_verifies(request) -> None:
    """A mutated signature is rejected, unless the mutation left it valid (white space, say)."""
    event_type = request.get("type") if isinstance(request.get("type"), str) else WORKFLOW_TYPE
    workflow = Workflow(event_type, {canonical_type(event_type): RECORDING})
    response = run(request, {"HRFLOW_WEBHOOK_SECRET": SECRET}, workflow)
    status = json.loads(response["body"])["status"]
    assert status == "rejected" or _still_valid(request), request.get(SIGNATURE_HEADER)


def _still_valid(request) -> bool:
    """Some mutations leave a valid header (appended white space, base64 padding): those may pass."""
    try:
        verify_signature(request[SIGNATURE_HEADER], parse_secrets(SECRET), request, request.get("_raw_body"))
        return True
    except (SignatureError, MalformedRequest):
        return False


def campaign(examples: int, random_seed: int) -> dict:
    """Run the three properties with `examples` inputs each; return the counts."""
    counts = {"parser": 0, "runner": 0, "mutated signatures": 0}
    options = hypothesis_settings(
        max_examples=examples, deadline=None, database=None, derandomize=False,
        suppress_health_check=list(HealthCheck),
    )

    @seed(random_seed)
    @options
    @given(headers | mutated_signatures().map(lambda r: r[SIGNATURE_HEADER]), json_values,
           st.none() | odd_text | st.binary(max_size=200))
    def parser(header, fields, raw_body):
        counts["parser"] += 1
        check_parser(header, fields, raw_body)

    @seed(random_seed)
    @options
    @given(requests_, settings_values)
    def runner(request, settings_value):
        counts["runner"] += 1
        check_runner(request, settings_value)

    @seed(random_seed)
    @options
    @given(mutated_signatures())
    def mutated(request):
        counts["mutated signatures"] += 1
        check_mutated_never_verifies(request)

    for prop in (parser, runner, mutated):
        prop()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20000, help="inputs per property (default 20000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # the runner logs one line per input
        counts = campaign(args.examples, args.seed)
    for name, count in counts.items():
        print("{:<20} {:>8} inputs, 0 crashes".format(name, count))
    print("{:<20} {:>8} inputs, 0 crashes".format("total", sum(counts.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
