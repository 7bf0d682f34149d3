"""`catch.py preview`: the page and the text of each email a workflow file sends, written from a run against fakes
of its own, with everything that came from a CV escaped."""
from __future__ import annotations

import html
import re

import pytest

from catch_process import LOCAL, built, cli, settings_file
from conftest import ROOT
from localcatch.emails import email_page
from localcatch.samples import SAMPLE_OBJECT_KEY
from shared.wire.catalogue import CATALOGUE

pytestmark = pytest.mark.slow


def header_lines(text: str) -> dict[str, str]:
    """The `Name: value` lines of a previewed .txt before its blank line."""
    head, blank, _ = text.partition("\n\n")
    assert blank, text
    return dict(line.split(": ", 1) for line in head.splitlines())


def page_headers(page: str) -> dict[str, str]:
    """The header rows of a previewed .html page, their values as written (escaped)."""
    return dict(re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", page))


def expected_recipient(event_type: str) -> str:
    """Who the email of `event_type` goes to, with samples/local-settings.json."""
    if event_type == "profile.parsing.success":
        return "ada.lovelace@example.com"
    return LOCAL["ALERT_EMAIL"] if event_type.endswith(".error") else LOCAL["NOTIFY_EMAIL"]


ACKNOWLEDGEMENT_SUBJECTS = {"de": "Vielen Dank für Ihre Bewerbung", "en": "Thank you for your application",
                            "es": "Gracias por su candidatura", "fr": "Merci pour votre candidature"}


def expected_subject_start(stem: str) -> str:
    """How the subject of the email written as `stem` (its event type, and its language if it has one) begins."""
    event_type, _, language = stem.partition(".success.") if ".success." in stem else (stem, "", "")
    event_type = event_type + ".success" if language else event_type
    spec = CATALOGUE[event_type]
    if event_type == "profile.parsing.success":
        return ACKNOWLEDGEMENT_SUBJECTS[language]
    if spec.status == "error":
        return "[HrFlow] Alert: {} failed for {} {}".format(event_type, spec.subject.name, SAMPLE_OBJECT_KEY)
    if (spec.stage, spec.status) == ("scoring", "success"):
        return "[HrFlow] Shortlist for "
    return "[HrFlow] {}: ".format(event_type)


def _stems(event_type: str) -> list[str]:
    """What preview names an event type's files after: the acknowledgement once in each built-in language."""
    languages = ("de", "en", "es", "fr") if event_type == "profile.parsing.success" else ("",)
    return [".".join(filter(None, (event_type, language))) for language in languages]


def test_preview_writes_a_page_and_a_text_of_the_email_of_each_of_the_24_event_types(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", dist / "all_events.py", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["wrote {}".format(out / (stem + suffix)) for event_type in CATALOGUE
                                          for stem in _stems(event_type) for suffix in (".html", ".txt")]
    assert result.stderr.endswith("catch: 27 emails written to {}; 27 of 27 runs answered ok\n".format(out))
    for event_type, stem in ((name, stem) for name in CATALOGUE for stem in _stems(name)):
        text = (out / (stem + ".txt")).read_text(encoding="utf-8")
        page = (out / (stem + ".html")).read_text(encoding="utf-8")
        headers = header_lines(text)
        assert list(headers) == ["From", "To", "Subject"]
        assert (headers["From"], headers["To"]) == (LOCAL["HRFLOW_API_USER"], expected_recipient(event_type))
        assert headers["Subject"].startswith(expected_subject_start(stem)), headers
        assert page.startswith("<!DOCTYPE html>")
        assert "<title>{}</title>".format(html.escape(headers["Subject"])) in page
        assert page_headers(page) == {name: html.escape(value) for name, value in headers.items()}
        assert '<iframe sandbox title="the HTML part of the email" srcdoc="&lt;p&gt;' in page  # the HTML part
    acknowledgement = (out / "profile.parsing.success.en.txt").read_text(encoding="utf-8")
    assert acknowledgement.split("\n\n", 1)[1].startswith("Hello Ada,\n\nThank you for applying")
    assert "srcdoc=\"&lt;p&gt;Hello Ada,&lt;/p&gt;" in (out / "profile.parsing.success.en.html").read_text()
    assert (out / "profile.parsing.success.fr.txt").read_text(encoding="utf-8").split("\n\n", 1)[1].startswith(
        "Bonjour Ada,\n\nNous vous remercions")


def test_preview_of_a_file_of_one_event_type_needs_no_event_type(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "job.storing.success"), "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["wrote {}".format(out / "job.storing.success.html"),
                                          "wrote {}".format(out / "job.storing.success.txt")]
    assert header_lines((out / "job.storing.success.txt").read_text())["Subject"] == (
        "[HrFlow] job.storing.success: Data Engineer")


def test_preview_refuses_the_probe_which_handles_no_event_type(dist, tmp_path):
    result = cli("preview", dist / "catch_probe.py", "--out", tmp_path / "preview")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("catch: error: {} handles no event type (it sets neither EVENT_TYPE nor EVENT_TYPES), "
                             "so it sends no email to preview\n".format(dist / "catch_probe.py"))
    assert not (tmp_path / "preview").exists()


def test_preview_says_plainly_when_an_event_sends_no_email(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "profile.parsing.success"), "job.storing.success", "--out", out)
    assert result.returncode == 1
    assert result.stdout == ("job.storing.success: no email sent; the workflow answered HTTP 200 skipped: This "
                             "workflow handles profile.parsing.success events, not job.storing.success.\n")
    assert list(out.iterdir()) == []


def test_preview_escapes_the_page_header_shows_a_templates_merge_vars_and_sends_despite_dry_run(dist, tmp_path):
    template, sender = "<script>alert('t')</script>", "o'brien&co@acme.example"
    settings = settings_file(tmp_path, dict(LOCAL, MANDRILL_TEMPLATE=template, MAIL_FROM=sender, DRY_RUN="true"))
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "profile.parsing.success"), "--out", out, "--settings", settings)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "profile.parsing.success.en.html").read_text()
    assert page_headers(page)["From"] == "o&#x27;brien&amp;co@acme.example"
    assert page_headers(page)["Template"] == "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;"
    assert "<script" not in page
    for name, value in (("FIRST_NAME", "Ada"), ("LAST_NAME", "Lovelace"), ("FULL_NAME", "Ada Lovelace"),
                        ("EMAIL", "ada.lovelace@example.com"), ("LANGUAGE", "en")):
        assert "<tr><th>{}</th><td>{}</td></tr>".format(name, value) in page
    text = (out / "profile.parsing.success.en.txt").read_text()
    assert header_lines(text) == {"From": sender, "To": "ada.lovelace@example.com",
                                  "Subject": "Thank you for your application", "Template": template}


def test_a_previewed_page_escapes_cv_text_in_its_header():
    hostile = '<img src=x onerror="alert(1)"> & co'
    record = {"message": {"from_email": "team@acme.example", "to": [{"email": "a&b@acme.example"}],
                          "subject": "[HrFlow] profile.storing.success: " + hostile, "text": hostile,
                          "html": "<p>{}</p>".format(html.escape(hostile))},
              "template_name": None}
    page = email_page(record, "profile.storing.success")
    assert "<img" not in page and "onerror=\"" not in page
    assert page_headers(page) == {"From": "team@acme.example", "To": "a&amp;b@acme.example",
                                  "Subject": "[HrFlow] profile.storing.success: " + html.escape(hostile)}
    assert "srcdoc=\"&lt;p&gt;&amp;lt;img" in page  # the HTML part, escaped once more for the attribute


def test_the_readme_shows_the_acknowledgement_exactly_as_preview_writes_it(tmp_path):
    result = cli("preview", ROOT / "dist" / "profile_parsing_success.py", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for language in ("en", "fr"):
        name = "profile.parsing.success.{}.txt".format(language)
        shown = readme.split("(`preview/{}`):".format(name))[1].split("```text\n")[1].split("```")[0]
        assert (tmp_path / name).read_text(encoding="utf-8") == shown, language



def test_preview_writes_the_acknowledgement_in_each_language_configured(dist, tmp_path):
    out = tmp_path / "preview"
    own = settings_file(tmp_path, dict(LOCAL, ACK_SUBJECT_IT="Grazie", ACK_BODY_IT="Ciao {first_name},\n\ngrazie.",
                                       COMPANY_NAME="Acme", REPLY_TO="jobs@acme.example"))
    result = cli("preview", built(dist, "profile.parsing.success"), "--out", out, "--settings", own)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(path.name for path in out.glob("*.txt")) == [
        "profile.parsing.success.{}.txt".format(language) for language in ("de", "en", "es", "fr", "it")]
    italian = (out / "profile.parsing.success.it.txt").read_text(encoding="utf-8")
    assert header_lines(italian) == {"From": LOCAL["HRFLOW_API_USER"], "To": "ada.lovelace@example.com",
                                     "Subject": "Grazie", "Reply-To": "jobs@acme.example"}
    assert italian.endswith("\n\nCiao Ada,\n\ngrazie.\n")


def test_preview_writes_only_the_language_ack_language_chooses(dist, tmp_path):
    out = tmp_path / "preview"
    result = cli("preview", built(dist, "profile.parsing.success"), "--out", out, "--settings",
                 settings_file(tmp_path, dict(LOCAL, ACK_LANGUAGE="de")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert [path.name for path in out.glob("*.txt")] == ["profile.parsing.success.de.txt"]


def test_preview_given_a_source_under_workflows_previews_it_built_and_says_so(tmp_path):
    source = ROOT / "workflows" / "job_storing_error.py"
    result = cli("preview", source, "--out", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "wrote {0}.html\nwrote {0}.txt\n".format(tmp_path / "job.storing.error")
    assert result.stderr.startswith("catch: {} is a source: running it built in memory, as python build.py writes "
                                    "dist/job_storing_error.py, the file you paste\n".format(source))
