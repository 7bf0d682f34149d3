"""The fixture's version, which its built files and manifest say (never inlined: nothing imports it)."""
VERSION = "0.1.0"
