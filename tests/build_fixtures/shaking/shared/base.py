"""Definitions reached through an alias, or left out with theirs."""


def helper() -> str:
    """Reached: the workflow's module imports it under another name and uses that."""
    return "helped"


def alias_only_target() -> str:
    """Left out: its only alias is never used."""
    return "never"
