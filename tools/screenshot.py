#!/usr/bin/env python3
"""Render the acknowledgement email a candidate gets, in one language, to docs/acknowledgement-LANGUAGE.png,
for the README.

    python tools/screenshot.py [--language en] [--out docs/acknowledgement-en.png]

Runs `catch.py preview` for profile.parsing.success (fakes on 127.0.0.1, nothing sent), then has headless
Chromium (Debian's package `chromium`: apt-get update && apt-get install -y chromium) take a picture of the
page, with a profile of its own and its background networking off. Exit status: 0 when the PNG is written,
1 when preview or Chromium fails, 2 when Chromium is missing.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENT_TYPE = "profile.parsing.success"
WINDOW = "900,660"  # the page is 48em wide, and its header and the email's frame 650 px high
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fail(message: str, status: int = 1) -> int:
    print("screenshot: " + message, file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", default="en", help="the language of the acknowledgement (default: en)")
    parser.add_argument("--out", type=Path, help="the PNG to write (default: docs/acknowledgement-LANGUAGE.png)")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "docs" / "acknowledgement-{}.png".format(args.language)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return fail("no chromium: apt-get update && apt-get install -y chromium", 2)
    with tempfile.TemporaryDirectory(prefix="screenshot-") as scratch:
        folder = Path(scratch)
        preview = subprocess.run(
            [sys.executable, str(ROOT / "catch.py"), "preview", str(ROOT / "dist" / "profile_parsing_success.py"),
             EVENT_TYPE, "--out", str(folder / "preview")],
            capture_output=True, text=True, timeout=120, check=False)
        page = folder / "preview" / "{}.{}.html".format(EVENT_TYPE, args.language)
        if preview.returncode != 0 or not page.is_file():
            return fail("catch.py preview failed:\n" + preview.stdout + preview.stderr)
        shot = folder / "shot.png"
        rendered = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, "--user-data-dir=" + str(folder / "profile"), "--window-size=" + WINDOW,
             "--screenshot=" + str(shot), page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
        if rendered.returncode != 0 or not shot.is_file() or not shot.read_bytes().startswith(PNG_SIGNATURE):
            return fail("chromium made no PNG (exit status {}):\n{}".format(rendered.returncode, rendered.stderr))
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, out)
    print("wrote {}".format(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
