"""`shared.outbound.hrflow`: any JSON that HrFlow could return, as the reply to a profile, job or scoring read,
through the real `hrflow` SDK over HTTP: the workflow never raises and never answers "Unexpected ..."."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import API_SECRET, API_USER, MANDRILL_TOKEN, deliver, settings_for
from localcatch.fakes import FakeHrflow, FakeMandrill, Reply

LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | st.text(st.characters(codec=None) | st.characters(categories=["Cs", "Cc", "Cf"]), max_size=40)
)
ANY_JSON = st.recursive(
    LEAF,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "info",
                    "email",
                    "first_name",
                    "last_name",
                    "full_name",
                    "name",
                    "key",
                    "location",
                    "text",
                    "experiences",
                    "skills",
                    "title",
                    "company",
                    "summary",
                    "url",
                    "jobs",
                    "profiles",
                    "predictions",
                    "score",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)
# Objects shaped like HrFlow's profiles and jobs, any field holding anything (a usable address at times).
TEXTISH = st.one_of(ANY_JSON, st.text(max_size=60))
OBJECT_LIKE = st.fixed_dictionaries(
    {},
    optional={
        "info": st.one_of(
            ANY_JSON,
            st.fixed_dictionaries(
                {"email": st.one_of(TEXTISH, st.just("ada.lovelace@example.com"), st.just("ada.lovelace@example.com"))},
                optional={
                    "first_name": TEXTISH,
                    "last_name": TEXTISH,
                    "full_name": TEXTISH,
                    "location": st.one_of(ANY_JSON, st.fixed_dictionaries({"text": TEXTISH})),
                },
            ),
        ),
        "experiences": st.one_of(
            ANY_JSON, st.lists(st.one_of(ANY_JSON, st.fixed_dictionaries({"title": TEXTISH, "company": TEXTISH})))
        ),
        "skills": ANY_JSON,
        "name": TEXTISH,
        "key": TEXTISH,
        "summary": TEXTISH,
        "url": TEXTISH,
        "location": ANY_JSON,
    },
)
ITEMS = st.lists(st.one_of(OBJECT_LIKE, ANY_JSON), max_size=4)
PREDICTIONS = st.one_of(ANY_JSON, st.lists(st.lists(st.one_of(st.floats(), ANY_JSON), max_size=3), max_size=4))
ENVELOPED_OBJECT = st.fixed_dictionaries({"code": st.just(200), "message": st.text(max_size=20), "data": OBJECT_LIKE})
ENVELOPED_SCORING = st.fixed_dictionaries(
    {
        "code": st.just(200),
        "message": st.just("ok"),
        "data": st.fixed_dictionaries({"jobs": ITEMS, "profiles": ITEMS, "predictions": PREDICTIONS}),
    }
)
ANYTHING = st.one_of(
    st.fixed_dictionaries({"code": st.just(200), "message": st.text(max_size=20), "data": ANY_JSON}),
    st.fixed_dictionaries({}, optional={"code": ANY_JSON, "message": ANY_JSON, "data": ANY_JSON}),
    ANY_JSON,
)
# Mostly replies in HrFlow's envelope (so that the data reaches the workflow's readers), else anything at all.
REPLIES = st.one_of(ENVELOPED_OBJECT, ENVELOPED_OBJECT, ENVELOPED_SCORING, ANYTHING)
PATHS = {
    "profile.parsing.success": ["/v1/profile/indexing"],
    "profile.storing.update": ["/v1/profile/indexing"],
    "job.searching.success": ["/v1/job/indexing"],
    "profile.scoring.success": ["/v1/profile/indexing", "/v1/jobs/scoring"],
    "job.scoring.success": ["/v1/job/indexing", "/v1/profiles/scoring"],
}


@pytest.fixture(scope="module")
def servers():
    with (
        FakeHrflow(api_secret=API_SECRET, api_user=API_USER) as hrflow,
        FakeMandrill(api_key=MANDRILL_TOKEN) as mandrill,
    ):
        yield hrflow, mandrill


@pytest.mark.parametrize("event_type", sorted(PATHS))
def test_any_json_reply_from_hrflow_gets_a_clear_answer(event_type, servers):
    hrflow, mandrill = servers
    @hypothesis_settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.tuples(*[REPLIES] * len(PATHS[event_type])), st.sampled_from([200, 200, 200, 400, 404]))
    def check(replies, status):
        for path, reply in zip(PATHS[event_type], replies):
            hrflow.script(
                path, [Reply(status, json.dumps(reply).encode("ascii"), {"Content-Type": "application/json"})]
            )
        status_code, body = deliver(event_type, settings_for(hrflow, mandrill))
        assert body["status"] in ("ok", "skipped", "failed"), body
        assert not body["reason"].startswith("Unexpected"), (replies, body)
        assert status_code in (200, 500, 502, 503)
        with hrflow._lock:  # replies a failed read left unserved must not leak into the next example
            hrflow._scripts.clear()

    check()
