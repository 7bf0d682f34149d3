"""The fake HrFlow and Mandrill that `fakes` and `preview` start: holding the sample profile and job, on the
ports the settings name, or on free ones."""
from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING, Any, Callable

from localcatch.config import HRFLOW_URL_SETTING, LOCAL_HOSTS, MANDRILL_URL_SETTING
from localcatch.errors import CliError
from localcatch.log import os_reason
from localcatch.samples import SAMPLE_CONTAINER_KEY, SAMPLE_OBJECT_KEY

if TYPE_CHECKING:  # imported only once fakes are started, below
    from localcatch.fakes import FakeHrflow, FakeMandrill
    from localcatch.fakes.mandrill import AcceptedEmail
    from localcatch.fakes.server import FakeServer

FAKE_URL_EXAMPLES = {HRFLOW_URL_SETTING: "http://127.0.0.1:8081/v1/", MANDRILL_URL_SETTING: "http://127.0.0.1:8082/api/1.3"}


def fake_port(settings: dict[str, Any], name: str, where: str) -> int:
    """The port of 127.0.0.1 where the fake for `name`, a local http URL setting, is to listen."""
    url = settings.get(name)
    try:
        parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
        port = parts.port if parts is not None else None
    except ValueError:  # a port that is not a number or out of range, a broken [address]
        parts = port = None
    if parts is None or parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS or not port:
        raise CliError("{} in {} must be a local http URL with a port, such as {}: its fake listens there".format(
            name, where, FAKE_URL_EXAMPLES[name]))
    return port


def start_fakes(settings: dict[str, Any], ports: dict[str, int], where: str,
                on_send: Callable[[AcceptedEmail], None] | None = None) -> tuple[FakeHrflow, FakeMandrill]:
    """A fake HrFlow holding the sample profile and job, which score against each other, and a fake
    Mandrill, started on 127.0.0.1 at `ports` (0: a free one) with the credentials of `settings`."""
    from localcatch.fakes import FakeHrflow, FakeMandrill, sample_job, sample_profile

    hrflow = FakeHrflow(settings.get("HRFLOW_API_SECRET"), settings.get("HRFLOW_API_USER"),
                        port=ports[HRFLOW_URL_SETTING])
    mandrill = FakeMandrill(settings.get("MANDRILL_API_TOKEN"), port=ports[MANDRILL_URL_SETTING], on_send=on_send)
    started: list[FakeServer] = []
    fakes: tuple[tuple[str, FakeServer], ...] = ((HRFLOW_URL_SETTING, hrflow), (MANDRILL_URL_SETTING, mandrill))
    for name, fake in fakes:
        try:
            started.append(fake.start())
        except OSError as error:
            for other in started:
                other.stop()
            raise CliError("cannot listen on 127.0.0.1:{} ({} in {}): {}".format(
                ports[name], name, where, os_reason(error))) from None
    profile = hrflow.add_profile(sample_profile(SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY))
    job = hrflow.add_job(sample_job(SAMPLE_OBJECT_KEY, SAMPLE_CONTAINER_KEY))
    hrflow.set_job_scoring([(job, 0.87)])
    hrflow.set_profile_scoring([(profile, 0.87)])
    return hrflow, mandrill
