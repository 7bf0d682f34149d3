"""`redact` on hostile text: 1 MB of each adversarial input, and how its time grows from 1 MB to 2 MB.

`redact` runs on every log line and response body, on text that may come from
a CV anyone can write. Each input repeats a unit up to the size and aims at
one way a regex can go wrong: long runs, many "@", addresses back to back,
digits and separators that never end a phone number. The subject is the
`redact` that dist/profile_parsing_success.py inlines, called with the
workflows' three secrets; 1 MB and 2 MB of the same input are timed in
alternating blocks. The implementation it replaced is quadratic, so it is
timed on 4 KB only, for contrast.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from harness import API_SECRET, MANDRILL_TOKEN, dist_file, load_dist
from payloads import SECRET
from report import Row, ratio_row, seconds, section, verdict
from timing import Profile, compare

MB = 1 << 20  # characters; every input is ASCII, so bytes too
LIMIT_SECONDS = 0.050
SCALING_LIMIT = 2.2
SECRETS = [SECRET, API_SECRET, MANDRILL_TOKEN]


def _repeated(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


# In the order of benchmarks/README.md.
INPUTS = {
    "a run, no @": lambda size: "a" * size,
    "a run, then @x": lambda size: "a" * (size - 2) + "@x",
    "@ only": _repeated("@"),
    "a@ repeated": _repeated("a@"),
    "a@b.c repeated": _repeated("a@b.c "),
    '" then a run': lambda size: '"' + "a" * (size - 1),
    '"a b"@c repeated': _repeated('"a b"@c '),
    "1 2 3 ...": _repeated("1 "),
    "1-1-1-...": _repeated("1-"),
    "1(1(1(...": _repeated("1("),
    "digits only": _repeated("1"),
    "phone numbers": _repeated("+33 6 12 34 56 78 "),
    "1@ repeated": _repeated("1@"),
    "mixture": _repeated('a@1 2@b.c +3 "x y"@z 0612345678 aa.bb@cc 1-2-3 ((( @@ '),
}
REPEATS = {"quick": 3, "full": 15}  # blocks per side: a call on 1 MB takes 10 to 70 ms

# The implementation this one replaced (shared/untrusted/redact.py at 8e705c0), verbatim but for names.
_OLD_EMAIL = re.compile(r"([^\s@\"'<>,;:()\[\]\\])[^\s@\"'<>,;:()\[\]\\]*@([\w.-]+\.\w{2,})")
_OLD_PHONE = re.compile(r"(?<![\w.+-])\+?\(?\d[\d ().-]{6,}\d(?![\w])")


def _old_mask_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    long_enough = len(digits) >= (7 if match.group(0).startswith("+") else 9)
    return "***" + digits[-2:] if long_enough else match.group(0)


def old_redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in sorted((s for s in secrets if len(s) >= 4 and s in text), key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    if "@" in text:
        text = _OLD_EMAIL.sub(r"\1***@\2", text)
    return _OLD_PHONE.sub(_old_mask_phone, text)


def redaction_rows(dist: Path, profile: Profile) -> list[Row]:
    """The worst 1 MB time, the steepest growth to 2 MB, and the 4 KB contrast with the implementation replaced."""
    redact = load_dist(dist_file(dist, "profile.parsing.success"))["redact"]
    sizes = profile._replace(repeats=REPEATS[profile.name])
    rows = [section("redact, in process, on 1 MB (2^20 characters) of each of {} adversarial inputs, with the "
                    "workflows' 3 secrets (note 9)".format(len(INPUTS)))]
    one, two = {}, {}
    for name, build in INPUTS.items():
        small, large = build(MB), build(2 * MB)
        two[name], one[name] = compare(lambda text=large: redact(text, SECRETS),
                                       lambda text=small: redact(text, SECRETS), sizes)
    worst = max(one, key=one.get)
    rows.append(Row(f"1 MB, worst input: {worst}", seconds(one[worst]), "", "", f"< {LIMIT_SECONDS * 1e3:g} ms",
                    verdict(one[worst] < LIMIT_SECONDS),
                    "ms per input, README order: " + " ".join(f"{one[name] * 1e3:.0f}" for name in INPUTS)))
    ratios = {name: two[name] / one[name] for name in INPUTS}
    steepest = max(ratios, key=ratios.get)
    rows.append(ratio_row(f"2 MB vs 1 MB, steepest input: {steepest}", two[steepest], one[steepest], SCALING_LIMIT,
                          detail="ratio per input: " + " ".join(f"{ratios[name]:.2f}" for name in INPUTS)))
    text = "a" * 4094 + "@x"
    new, old = redact(text, SECRETS), old_redact(text, SECRETS)
    timed = compare(lambda: redact(text, SECRETS), lambda: old_redact(text, SECRETS), sizes)
    masked = new == "a" * (len(text) - 2 - 64) + "***@x"
    rows.append(Row("4 KB, a run then @x: this redact vs the one before", seconds(timed.subject),
                    seconds(timed.baseline), f"1/{1 / timed.ratio:.0f}×", "faster, and masked",
                    verdict(timed.ratio < 1 and masked),
                    "before, the address came out unmasked" if old.endswith("a@x") else ""))
    return rows
