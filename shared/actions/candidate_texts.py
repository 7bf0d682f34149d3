"""The acknowledgement's built-in texts, in the languages the bundle has: short and warm, each written
as a native speaker writes such a letter (its greeting, its closing, the polite form), saying thanks,
that the application was received and what happens next, and promising no answer.

Each is a template (`placeholders`) of `{first_name}` and `{company}`: without a name the greeting
stands alone ("Hello,", "Bonjour,", "Guten Tag,", "Hola:"), and without a company the text names none.
"""
from __future__ import annotations

from shared.core.records import Record


class BuiltInText(Record):
    """One language's acknowledgement: its subject without and with a company, its body (greeting,
    paragraphs, closing) and who signs it, without and with a company."""

    subject: str
    subject_with_company: str
    body: str
    team: str
    team_of_company: str


BUILT_IN = {
    "en": BuiltInText(
        subject="Thank you for your application",
        subject_with_company="Thank you for your application to {company}",
        body="Hello {first_name},\n\n"
             "Thank you for applying: your application has been received. Our recruiting team will now review "
             "your profile, and will be in touch if one of our openings matches it.\n\n"
             "Best regards,",
        team="The recruiting team",
        team_of_company="The recruiting team of {company}",
    ),
    "fr": BuiltInText(
        subject="Merci pour votre candidature",
        subject_with_company="Merci pour votre candidature chez {company}",
        body="Bonjour {first_name},\n\n"
             "Nous vous remercions pour votre candidature, que nous avons bien reçue. Notre équipe de "
             "recrutement va maintenant étudier votre profil et reviendra vers vous si l'une de nos offres "
             "y correspond.\n\n"
             "Bien cordialement,",
        team="L'équipe de recrutement",
        team_of_company="L'équipe de recrutement de {company}",
    ),
    "de": BuiltInText(
        subject="Vielen Dank für Ihre Bewerbung",
        subject_with_company="Vielen Dank für Ihre Bewerbung bei {company}",
        body="Guten Tag {first_name},\n\n"
             "vielen Dank für Ihre Bewerbung, die wir gut erhalten haben. Unser Recruiting-Team prüft nun Ihr "
             "Profil und meldet sich bei Ihnen, wenn eine unserer Stellen dazu passt.\n\n"
             "Mit freundlichen Grüßen",
        team="Ihr Recruiting-Team",
        team_of_company="Ihr Recruiting-Team von {company}",
    ),
    "es": BuiltInText(
        subject="Gracias por su candidatura",
        subject_with_company="Gracias por su candidatura a {company}",
        body="Hola {first_name}:\n\n"
             "Le agradecemos su candidatura, que hemos recibido correctamente. Nuestro equipo de selección "
             "revisará ahora su perfil y se pondrá en contacto con usted si alguna de nuestras ofertas "
             "encaja con él.\n\n"
             "Saludos cordiales,",
        team="El equipo de selección",
        team_of_company="El equipo de selección de {company}",
    ),
}
DEFAULT_LANGUAGE = "en"
_VOWELS = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ"


def built_in_subject(language: str, company: str) -> str:
    """The subject template of a built-in language, naming the company when there is one."""
    text = BUILT_IN[language]
    return text.subject_with_company if company else text.subject


def built_in_body(language: str, company: str) -> str:
    """The body template of a built-in language, signed by its recruiting team, of the company when
    there is one (French elides "de" before a vowel: "l'équipe de recrutement d'Airbus")."""
    text = BUILT_IN[language]
    team = text.team_of_company if company else text.team
    if language == "fr" and company and company[0].upper() in _VOWELS:
        team = team.replace("de {company}", "d'{company}")
    return text.body + "\n" + team
