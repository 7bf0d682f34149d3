"""What each setting means, and what it is when unset: the one table the build reads to write each
`dist/` file's header, `dist/manifest.json` and the table of settings in README.md.

Every setting a bundled workflow reads has an entry here, and every entry is read by one (tests check
both, and each default against the code that applies it). A workflow of the user's own may read
settings of its own: the build lists them as its own, with no meaning. Texts are Markdown, for the
README; the headers show them without backticks.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Description(NamedTuple):
    """A setting's meaning, and its default: what it is when unset, in words, or None where it has none
    (a workflow that reads it needs it, save where the workflow's settings say otherwise). A family of
    keys (`ACK_BODY_<LANGUAGE>`) gives one of them as `example`: a workflow reads the family when one of
    its patterns matches it."""
    meaning: str
    default: str | None = None
    example: str | None = None


# In the order the README lists them: what every workflow needs, then what its action reads.
SETTING_DESCRIPTIONS = {
    "HRFLOW_WEBHOOK_SECRET": Description(
        "the webhook's secret; several, separated by commas or line breaks, while rotating (a secret may hold "
        "spaces; each must be at least 12 characters)"),
    "HRFLOW_SIGNATURE_SCHEME": Description(
        "accept only these signature schemes (`signed-request`, `form-json`, `raw-body`, comma-separated)",
        "all three"),
    "HRFLOW_API_SECRET": Description("HrFlow API key (read permission is enough), to fetch the profile or job"),
    "HRFLOW_API_USER": Description("the HrFlow user's email, sent with the API key"),
    "MANDRILL_API_TOKEN": Description("Mailchimp Transactional API key"),
    "NOTIFY_EMAIL": Description("the team's addresses, comma-separated: who is notified and gets shortlists"),
    "ALERT_EMAIL": Description("who gets alerts, comma-separated", "`NOTIFY_EMAIL`"),
    "MAIL_FROM": Description("sender address (must be a verified Mandrill sending domain)", "`HRFLOW_API_USER`"),
    "MANDRILL_TEMPLATE": Description("acknowledge with this Mandrill template instead of the built-in text", "none"),
    "MANDRILL_TEMPLATE_<LANGUAGE>": Description(
        "the Mandrill template for candidates of one language (`MANDRILL_TEMPLATE_FR`, ...)", "`MANDRILL_TEMPLATE`",
        example="MANDRILL_TEMPLATE_FR"),
    "COMPANY_NAME": Description("signs candidate emails (\"The recruiting team of Acme Corp\", in each language) and "
                                "may appear in their subjects; without it they name no company", "none"),
    "ACK_LANGUAGE": Description("the candidate email's language: `auto` (the profile's `text_language` when there is "
                                "a text for it, else English) or one code (`en`, `fr`, `de`, `es` are built in)",
                                "`auto`"),
    "ACK_SUBJECT": Description("the candidate email's subject in the company's words, with placeholders "
                               "`{first_name}`, `{last_name}`, `{full_name}`, `{company}`", "the built-in one"),
    "ACK_BODY": Description("the candidate email's plain-text body in the company's words, same placeholders; the "
                            "HTML part is made from it (paragraphs on blank lines)", "the built-in one"),
    "ACK_SUBJECT_<LANGUAGE>": Description("the subject for candidates of one language (`ACK_SUBJECT_FR`, ...)",
                                          "`ACK_SUBJECT`", example="ACK_SUBJECT_FR"),
    "ACK_BODY_<LANGUAGE>": Description("the body for candidates of one language (`ACK_BODY_FR`, ...); a language "
                                       "not built in needs one (or a Mandrill template) and a subject",
                                       "`ACK_BODY`", example="ACK_BODY_FR"),
    "REPLY_TO": Description("one address, the Reply-To of candidate emails", "none"),
    "TEAM_SUBJECT_PREFIX": Description("starts every team email's subject", "`[HrFlow]`"),
    "SCORING_ALGORITHM_KEY": Description("the scoring algorithm (agent) key a shortlist scores with"),
    "SCORING_BOARD_KEYS": Description("the boards a profile's shortlist scores it against, comma-separated"),
    "SCORING_SOURCE_KEYS": Description("the sources a job's shortlist scores it against, comma-separated"),
    "SHORTLIST_SIZE": Description("how many matches to list, 1 to 100", "5"),
    "HRFLOW_API_URL": Description("another address for HrFlow's API, e.g. a proxy or a local fake",
                                  "`https://api.hrflow.ai/v1/`"),
    "MANDRILL_API_URL": Description("another address for Mandrill's API, e.g. a proxy or a local fake",
                                    "`https://mandrillapp.com/api/1.3`"),
    "HTTP_TIMEOUT_SECONDS": Description("limit for each HTTP call", "10"),
    "EXECUTION_BUDGET_SECONDS": Description("limit for one execution, retries included", "30"),
    "DEDUPE_WINDOW_SECONDS": Description("how long an `update` or `error` event counts as a duplicate", "600"),
    "DRY_RUN": Description("when `true`, build the email and say so, but send nothing", "false"),
    "DISABLED_EVENTS": Description(
        "event types to answer `skipped`, comma-separated (an event type's other names count too)", "none"),
}


def reads(keys: tuple[str, ...], families: tuple[str, ...], described: str) -> bool:
    """Whether settings of these keys and families read the described setting (a key, or a family)."""
    example = SETTING_DESCRIPTIONS[described].example
    return any(re.fullmatch(family, example) for family in families) if example else described in keys


def described_read(keys: tuple[str, ...], families: tuple[str, ...]) -> list[str]:
    """The described settings that settings of these keys and families read, in the table's order."""
    return [described for described in SETTING_DESCRIPTIONS if reads(keys, families, described)]
