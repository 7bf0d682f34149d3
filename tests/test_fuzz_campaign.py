"""The fuzz campaign runs (briefly) as part of the suite; `python fuzz/campaign.py` runs it in full."""
from __future__ import annotations

import contextlib
import io

import pytest

from fuzz.campaign import campaign

pytestmark = pytest.mark.slow


def test_short_fuzz_campaign_finds_no_crash():
    with contextlib.redirect_stdout(io.StringIO()):
        counts = campaign(examples=60, random_seed=1)
    assert counts == {"parser": 60, "runner": 60, "mutated signatures": 60}
