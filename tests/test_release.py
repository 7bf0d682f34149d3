"""What a company checks before it pastes: a licence, one version, declared once and said everywhere, and a
README read in five minutes, with the reference in docs/."""
from __future__ import annotations

import json
import re

from conftest import ROOT, bundled_workflows
from shared.core.version import VERSION


def test_the_licence_is_mit():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_version_is_declared_once_and_pyproject_reads_it():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'version = {attr = "shared.core.version.VERSION"}' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_the_changelog_starts_with_the_version_declared():
    first = next(line for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
                 if line.startswith("## "))
    assert first.startswith("## {} ".format(VERSION))


def test_every_dist_file_and_the_manifest_say_the_version():
    manifest = json.loads((ROOT / "dist" / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["workflows"].items():
        assert entry["version"] == VERSION, name
        header = (ROOT / "dist" / entry["file"]).read_text(encoding="utf-8").split("\n\n")[0]
        assert "version {}".format(VERSION) in " ".join(line.lstrip("# ") for line in header.splitlines()), name


def test_the_readme_is_read_in_five_minutes_its_sections_in_order_and_its_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [re.match(r"\| `(\w+)\.py` \|", line) for line in readme.splitlines()]
    own_rows = [row for row in rows if row and row.group(1) not in bundled_workflows()]  # a user's own workflows
    assert len(readme.splitlines()) - len(own_rows) <= 250
    sections = [line[3:] for line in readme.splitlines() if line.startswith("## ")]
    assert sections == ["Set up", "Choose your workflow", "Settings", "Deploy", "Try it locally",
                        "Write your own workflow", "Reference"]
    links = re.findall(r"\]\((?!https?:)([^)#]+)", readme)
    assert {"docs/signing-and-headers.md", "docs/reliability-and-privacy.md", "docs/troubleshooting.md",
            "docs/emulator.md", "docs/performance.md", "LICENSE", "CHANGELOG.md"} <= set(links)
    assert [link for link in links if not (ROOT / link).is_file()] == []
