"""The candidate's email: rendering the acknowledgement in the company's own words costs no more than the
built-in text (`candidate_email` of dist/profile_parsing_success.py, in process, the same profile)."""
from __future__ import annotations

from pathlib import Path

from harness import dist_file, load_dist
from report import Row, ratio_row, section
from timing import Profile, compare

from localcatch.fakes import sample_profile

LIMIT = 1.2
# As long as the built-in English text, with every placeholder.
CUSTOM_BODY = (
    "Dear {first_name},\n\nThank you for applying to {company}, {full_name}: your application has reached us. "
    "Our recruiting team reviews every profile, and will be in touch if one of our openings matches yours.\n\n"
    "Kind regards,\nThe people team of {company}"
)


def candidate_rows(dist: Path, profile: Profile) -> list[Row]:
    namespace = load_dist(dist_file(dist, "profile.parsing.success"))
    candidate_email, settings = namespace["candidate_email"], namespace["Settings"]
    built_in = settings({"COMPANY_NAME": "Acme Corp"})
    custom = settings({"COMPANY_NAME": "Acme Corp", "ACK_SUBJECT": "Your application to {company}",
                       "ACK_BODY": CUSTOM_BODY})
    candidate = sample_profile("p", "s")
    timed = compare(lambda: candidate_email(custom, candidate, "ada.lovelace@example.com", "Ada", "Lovelace"),
                    lambda: candidate_email(built_in, candidate, "ada.lovelace@example.com", "Ada", "Lovelace"),
                    profile)
    return [section("the candidate's email: the company's own text against the built-in one, in process"),
            ratio_row("render the acknowledgement with ACK_SUBJECT and ACK_BODY set", *timed, LIMIT,
                      detail="baseline: the built-in English text; both signed by COMPANY_NAME")]
