"""The candidate's email in the company's words, language and brand, from settings alone.

`COMPANY_NAME` signs it; `ACK_LANGUAGE` is `auto` (the profile's `text_language` when the bundle has a
text for it, else English) or one language code; `ACK_SUBJECT` and `ACK_BODY` replace the built-in texts,
and `ACK_SUBJECT_FR`, `ACK_BODY_FR`, `MANDRILL_TEMPLATE_FR`, ... those of one language (the language's
own setting wins, then the general one, then the built-in text); `REPLY_TO` is its Reply-To. Every text
is checked before any call, every problem of a template named at once with its position.
"""
from __future__ import annotations

import re

from shared.actions.candidate_texts import BUILT_IN, DEFAULT_LANGUAGE, built_in_body, built_in_subject
from shared.actions.placeholders import problems, render
from shared.core.errors import ConfigError
from shared.core.settings import Settings, SettingsSpec
from shared.outbound.mandrill import Email
from shared.untrusted.candidate import address
from shared.untrusted.text import NAME_CHARS, SUBJECT_CHARS, field, line

PLACEHOLDERS = ("first_name", "last_name", "full_name", "company")
MAX_TEMPLATE_CHARS = 20_000  # a few paragraphs fit many times over; a longer text is a paste gone wrong
SHOWN_PROBLEMS = 5  # of one text: an answer's reason is cut at 500 characters
_CODE = re.compile(r"[a-z]{2,3}")
_PER_LANGUAGE = re.compile(r"(ACK_SUBJECT|ACK_BODY|MANDRILL_TEMPLATE)_([A-Z]{2,3})")
_TEMPLATE_KEYS = ("ACK_SUBJECT", "ACK_BODY")


def company(settings: Settings) -> str:
    """`COMPANY_NAME`, as one visible line (empty when unset)."""
    return line(settings.text("COMPANY_NAME", ""), NAME_CHARS)


def reply_to(settings: Settings) -> str:
    """`REPLY_TO`, one address, or empty."""
    value = settings.text("REPLY_TO", "")
    if value and not address(value):
        raise ConfigError("Setting REPLY_TO must be one email address.")
    return value


def _per_language(settings: Settings) -> dict[str, tuple[str, ...]]:
    """The language codes of the per-language settings that are set, by family (ACK_SUBJECT, ACK_BODY, ...)."""
    found: dict[str, tuple[str, ...]] = {}
    for key in settings.keys():
        match = _PER_LANGUAGE.fullmatch(key)
        if match and settings.has(key):
            found[match.group(1)] = found.get(match.group(1), ()) + (match.group(2).lower(),)
    return found


def languages(settings: Settings) -> tuple[str, ...]:
    """The languages there is an acknowledgement for: the built-in ones and those a body or a Mandrill
    template is set for."""
    per_language = _per_language(settings)
    extra = per_language.get("ACK_BODY", ()) + per_language.get("MANDRILL_TEMPLATE", ())
    return tuple(sorted(set(BUILT_IN) | set(extra)))


def chosen_language(settings: Settings) -> str:
    """`ACK_LANGUAGE`: `auto`, or a language there is an acknowledgement for."""
    value = settings.text("ACK_LANGUAGE", "auto").lower()
    if value != "auto" and value not in languages(settings):
        raise ConfigError("Setting ACK_LANGUAGE must be auto or one of {} (a language needs ACK_BODY_<CODE> or "
                          "MANDRILL_TEMPLATE_<CODE> unless it is built in).".format(", ".join(languages(settings))))
    return value


def language_of(settings: Settings, profile: dict[str, object]) -> str:
    """The language to thank a candidate in: the one chosen, or the profile's when there is a text for it."""
    chosen = chosen_language(settings)
    if chosen != "auto":
        return chosen
    given = field(profile, "text_language")
    code = given.replace("_", "-").split("-")[0].strip().lower() if isinstance(given, str) else ""
    return code if _CODE.fullmatch(code) and code in languages(settings) else DEFAULT_LANGUAGE


def _setting(settings: Settings, key: str, language: str) -> str:
    """The language's own setting, else the general one, else empty."""
    return settings.text("{}_{}".format(key, language.upper()), "") or settings.text(key, "")


def mandrill_template(settings: Settings, language: str) -> str:
    """`MANDRILL_TEMPLATE_<CODE>`, else `MANDRILL_TEMPLATE`, else empty: the built-in text."""
    return _setting(settings, "MANDRILL_TEMPLATE", language)


def texts(settings: Settings, language: str) -> tuple[str, str]:
    """The subject and body templates of a language: its own settings, the general ones, the built-in."""
    name = company(settings)
    subject = _setting(settings, "ACK_SUBJECT", language)
    body = _setting(settings, "ACK_BODY", language)
    if language in BUILT_IN:
        return subject or built_in_subject(language, name), body or built_in_body(language, name)
    return subject, body


def check_texts(settings: Settings) -> None:
    """Every acknowledgement text that is set, as a template, with every problem named at once; a
    subject for each language that is not built in; and Mandrill template names that are text."""
    found = []
    for key in sorted(settings.keys()):
        match = _PER_LANGUAGE.fullmatch(key)
        if key == "MANDRILL_TEMPLATE" or (match and match.group(1) == "MANDRILL_TEMPLATE"):
            settings.text(key, "")  # a template's name: text
        elif (key in _TEMPLATE_KEYS or (match and match.group(1) in _TEMPLATE_KEYS)) and settings.has(key):
            text = settings.text(key)
            if len(text) > MAX_TEMPLATE_CHARS:
                found.append("Setting {} is longer than {} characters.".format(key, MAX_TEMPLATE_CHARS))
                continue
            faults = [str(fault) for fault in problems(text, PLACEHOLDERS)]
            if faults:
                more = len(faults) - SHOWN_PROBLEMS
                found.append("Setting {}: {}{}.".format(key, "; ".join(faults[:SHOWN_PROBLEMS]),
                                                        "; and {} more".format(more) if more > 0 else ""))
    for language in languages(settings):
        if language not in BUILT_IN and not _setting(settings, "ACK_SUBJECT", language) \
                and _setting(settings, "ACK_BODY", language):
            found.append("Setting ACK_BODY_{0} has no subject: set ACK_SUBJECT_{0} or ACK_SUBJECT.".format(
                language.upper()))
    if found:
        raise ConfigError(" ".join(found) + " The placeholders are {}.".format(
            ", ".join("{" + name + "}" for name in PLACEHOLDERS)))


def html_paragraphs(text: str) -> str:
    """Plain text as HTML: a paragraph per blank-line-separated block, line breaks kept."""
    import html

    return "".join("<p>{}</p>".format(html.escape(part).replace("\n", "<br>")) for part in text.split("\n\n"))


def candidate_email(settings: Settings, profile: dict[str, object], recipient: str, first_name: str,
                    last_name: str) -> Email:
    """The acknowledgement for `recipient`, in the profile's language, from plausible names only."""
    language = language_of(settings, profile)
    subject, body = texts(settings, language)
    full_name = " ".join(name for name in (first_name, last_name) if name)
    values = {"first_name": first_name, "last_name": last_name, "full_name": full_name,
              "company": company(settings)}
    text = render(body, values)
    merge_vars = (("FIRST_NAME", first_name), ("LAST_NAME", last_name), ("FULL_NAME", full_name),
                  ("EMAIL", recipient), ("COMPANY", values["company"]), ("LANGUAGE", language))
    return Email((recipient,), line(render(subject, values), SUBJECT_CHARS), text, html=html_paragraphs(text),
                 template=mandrill_template(settings, language), merge_vars=merge_vars, reply_to=reply_to(settings))


CANDIDATE_EMAIL_SETTINGS = SettingsSpec(
    optional=("COMPANY_NAME", "ACK_LANGUAGE", "ACK_SUBJECT", "ACK_BODY", "REPLY_TO", "MANDRILL_TEMPLATE"),
    checks=(company, reply_to, chosen_language, check_texts),
    families=(_PER_LANGUAGE.pattern,),
)
