"""The packages a runtime provides: with the hrflow and mailchimp_transactional of the tested ranges the
workflows work; an hrflow too old to have what they call, or a package missing, is a configuration error
naming the installed version and the range. CI runs this file and the dist files' tests again in CPython 3.9
venvs holding the oldest supported releases (hrflow 3.0.0, mailchimp-transactional 1.0.7) and an hrflow too
old (2.1.0): each branch below is what one of those runtimes must answer."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest

from conftest import ROOT, WEBHOOK_SECRET
from dist_process import DistWorkflow
from localcatch import loading
from localcatch.samples import catch_request, sample_event
from shared.outbound.packages import in_range

DIST = ROOT / "dist"
HRFLOW = metadata.version("hrflow")

pytestmark = pytest.mark.slow  # each test runs a dist file in its own interpreter


def test_the_installed_hrflow_fetches_the_profile_or_is_named_with_the_supported_range(
    settings, fake_hrflow, fake_mandrill, tmp_path
):
    run = DistWorkflow(DIST / "profile_storing_success.py", tmp_path)
    try:
        response = run.call(catch_request(sample_event("profile.storing.success", "p", "s"), WEBHOOK_SECRET), settings)
    finally:
        run.close()
    body = json.loads(response["body"])
    if in_range("hrflow", HRFLOW):
        assert (response["status_code"], body["status"]) == (200, "skipped"), body  # the fake has no profile p
        assert body["reason"].startswith("HrFlow has no such profile")
    else:
        assert (response["status_code"], body["reason"]) == (500, (
            "The installed hrflow {} has no profile.storing.get, job.storing.get or the scoring lists: the "
            "workflows need hrflow 3.0.0 to 4.3.0.".format(HRFLOW)))
        assert fake_mandrill.request_count == 0


CHILD_WITHOUT_MAILCHIMP = r"""
import sys
sys.modules["mailchimp_transactional"] = None  # what a runtime without the package does on import: it fails
sys.path.insert(0, LOCALCATCH)
from loading import serve_lines
serve_lines(sys.argv[1])
""".replace("LOCALCATCH", repr(str(ROOT / "localcatch")))


def test_a_runtime_without_mailchimp_transactional_is_told_which_package_it_lacks(settings, fake_mandrill):
    request = catch_request(sample_event("profile.parsing.error"), WEBHOOK_SECRET)
    done = subprocess.run([sys.executable, "-I", "-c", CHILD_WITHOUT_MAILCHIMP, str(DIST / "profile_parsing_error.py")],
                          input=json.dumps([request, settings]) + "\n", capture_output=True, text=True, timeout=60)
    response = json.loads(done.stdout.split(loading.RESULT_PREFIX, 1)[1])
    assert (response["status_code"], json.loads(response["body"])["reason"]) == (500, (
        "This runtime cannot import the package mailchimp-transactional (ModuleNotFoundError): the workflows need "
        "mailchimp-transactional 1.0.7 to 1.4.1."))
    assert fake_mandrill.request_count == 0
