"""Local fake HTTP servers for HrFlow's API v1 and Mandrill, with fault injection.

Used by the tests and by `python catch.py fakes`. Tests drive the real ``hrflow`` and
``mailchimp_transactional`` SDKs over real HTTP against these servers (127.0.0.1, ephemeral
port). Standard library only.

    with FakeHrflow(api_secret="s3cret", api_user="me@example.com") as hf:
        hf.add_profile(sample_profile(hrflow_key("p1"), hrflow_key("src")))
        Hrflow(api_url=hf.url, api_secret="s3cret", api_user="me@example.com")

    with FakeMandrill(api_key="md-key") as md:
        client = mailchimp_transactional.Client("md-key")
        client.api_client.host = md.url
        md.script("/api/1.3/messages/send.json", [Reply(502, b"Bad gateway"), Drop()])
"""
from __future__ import annotations

from localcatch.fakes.hrflow import FakeHrflow
from localcatch.fakes.mandrill import FakeMandrill
from localcatch.fakes.objects import hrflow_key, sample_job, sample_profile
from localcatch.fakes.server import Drop, Hang, Reply, unused_port

__all__ = ["Reply", "Hang", "Drop", "FakeHrflow", "FakeMandrill", "sample_profile",
           "sample_job", "hrflow_key", "unused_port"]
