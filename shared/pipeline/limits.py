"""The pipeline's own settings: the webhook secret and schemes it verifies with (read by
`wire.verification`), the execution's time limits and how long the delivery record counts a duplicate."""
from __future__ import annotations

from shared.core.settings import Settings, SettingsSpec


def execution_limits(config: Settings) -> tuple[float, float]:
    """`EXECUTION_BUDGET_SECONDS` and `HTTP_TIMEOUT_SECONDS`; whether they leave room for an
    action's calls is checked once the action is known (`budget.check_room`)."""
    budget = config.number("EXECUTION_BUDGET_SECONDS", 30.0, 1.0, 900.0)
    timeout = config.number("HTTP_TIMEOUT_SECONDS", 10.0, 0.1, 300.0)
    return budget, timeout


def dedupe_window(config: Settings) -> float:
    return config.number("DEDUPE_WINDOW_SECONDS", 600.0, 0.0, 365 * 86400.0)


PIPELINE_SETTINGS = SettingsSpec(
    required=("HRFLOW_WEBHOOK_SECRET",),
    optional=("HRFLOW_SIGNATURE_SCHEME", "EXECUTION_BUDGET_SECONDS", "DEDUPE_WINDOW_SECONDS", "HTTP_TIMEOUT_SECONDS"),
    checks=(execution_limits, dedupe_window),
)


