"""Bounded retries inside the execution budget, with a fake clock so no test waits."""
from __future__ import annotations

import email.utils
import time

import pytest

from shared.core.errors import DownstreamError
from shared.outbound.budget import Budget
from shared.outbound.retry import BASE_DELAY_SECONDS, MAX_ATTEMPTS, Transient, retry_after_seconds, with_retries


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def failing(times, retry_after=None, then="done"):
    """A call that raises `Transient` `times` times, then returns `then`; it records its timeouts."""
    timeouts = []

    def call(timeout):
        timeouts.append(timeout)
        if len(timeouts) <= times:
            raise Transient("HrFlow answered HTTP 503.", retry_after)
        return then

    call.timeouts = timeouts
    return call


def test_a_transient_failure_is_retried_after_a_jittered_exponential_delay():
    fake = FakeTime()
    call = failing(2)
    assert with_retries(call, Budget(30, 10, fake.clock), "HrFlow profile", sleep=fake.sleep) == "done"
    assert len(call.timeouts) == 3
    assert 0 <= fake.sleeps[0] <= BASE_DELAY_SECONDS * 2 and 0 <= fake.sleeps[1] <= BASE_DELAY_SECONDS * 4


def test_retry_after_is_waited_exactly():
    fake = FakeTime()
    with_retries(failing(1, retry_after=7.0), Budget(30, 10, fake.clock), "Mandrill send", sleep=fake.sleep)
    assert fake.sleeps == [7.0]


def test_a_retry_after_beyond_the_budget_fails_at_once_with_503():
    fake = FakeTime()
    with pytest.raises(DownstreamError) as failure:
        with_retries(failing(1, retry_after=3600.0), Budget(30, 10, fake.clock), "Mandrill send", sleep=fake.sleep)
    assert failure.value.status_code == 503 and fake.sleeps == []
    assert failure.value.reason == "Mandrill send failed after 1 attempt: HrFlow answered HTTP 503."


def test_attempts_are_bounded():
    fake = FakeTime()
    call = failing(100)
    with pytest.raises(DownstreamError, match="after {} attempts".format(MAX_ATTEMPTS)):
        with_retries(call, Budget(300, 10, fake.clock), "HrFlow profile", sleep=fake.sleep)
    assert len(call.timeouts) == MAX_ATTEMPTS


def test_each_call_timeout_is_cut_to_what_the_budget_has_left():
    fake = FakeTime()
    budget = Budget(12, 10, fake.clock)
    call = failing(1, retry_after=5.0)
    with_retries(call, budget, "HrFlow profile", sleep=fake.sleep)
    assert call.timeouts == [10, 7] and budget.calls == 2


def test_a_spent_budget_allows_no_further_call():
    fake = FakeTime()
    budget = Budget(1, 10, fake.clock)
    fake.now = 1.0
    with pytest.raises(DownstreamError, match="budget ran out") as failure:
        budget.next_call_timeout()
    assert failure.value.status_code == 503 and budget.calls == 0


def test_a_final_error_is_not_retried():
    def call(timeout):
        raise DownstreamError("Mandrill refused the message: HTTP 500 Invalid_Key.", 500)

    fake = FakeTime()
    with pytest.raises(DownstreamError, match="Invalid_Key"):
        with_retries(call, Budget(30, 10, fake.clock), "Mandrill send", sleep=fake.sleep)
    assert fake.sleeps == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("5", 5.0),
        (" 0 ", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("Wed, 21 Oct 2015 07:28:00", None),
    ],
)
def test_retry_after_header_values_are_read_or_ignored(value, expected):
    assert retry_after_seconds(value) == expected


def test_retry_after_http_date_gives_the_seconds_until_then():
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= retry_after_seconds(in_a_minute) <= 61
    assert retry_after_seconds(email.utils.formatdate(time.time() - 60, usegmt=True)) == 0.0
