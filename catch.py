#!/usr/bin/env python3
"""Emulate HrFlow Catch locally and send it signed sample events, as the Stripe CLI does for Stripe.

    python catch.py serve dist/profile_parsing_success.py --settings settings.json
    python catch.py send profile.parsing.success --url http://127.0.0.1:8080/ --settings settings.json
    python catch.py run dist/profile_parsing_success.py --settings settings.json
    python catch.py preview dist/all_events.py   # every email it sends, as files in preview/
    python catch.py sign --secret 1234 --scheme raw-body --body 4567
    python catch.py fakes        # fake HrFlow and Mandrill for samples/local-settings.json

Settings come from a JSON object file and `CATCH_SETTING_<NAME>` variables (which win); --secret wins over
both for HRFLOW_WEBHOOK_SECRET (docs/emulator.md). Only their names are printed. `send`, `run` and `sign`
sign with the scheme form-json unless --scheme, or the setting HRFLOW_SIGNATURE_SCHEME, names another. Exit
status: 0 on success, 1 when the endpoint or the workflow says no, 2 on a usage error, 130 on Ctrl-C.

This file is only the entry point: the emulator is in localcatch/, beginning with localcatch/cli.py.
"""
from __future__ import annotations

import sys

from localcatch.cli import main

if __name__ == "__main__":
    sys.exit(main())
