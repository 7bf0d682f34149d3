"""Shared helpers of the fixture workflows (never inlined: nothing imports from it)."""
