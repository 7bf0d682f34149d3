"""Text helpers."""
import re

from .settings import Settings as _Settings  # a relative import, aliased

WORD = re.compile(r"[a-z]+")


def words(text: str) -> list:
    """Lower-case words of a text, in order."""
    return WORD.findall(text.lower())


def describe(settings: _Settings) -> str:
    return ", ".join(settings.required)
