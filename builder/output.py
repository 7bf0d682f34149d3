"""The files a build writes (the built workflows, the manifest, README.md's tables), compared with those on
disk for `--check`, or written."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

from builder.amalgamation import Built
from builder.manifest import manifest_entries, manifest_text
from builder.readme import with_tables


def relative(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def planned_files(root: Path, out: Path, built: list[Built], keep_others: bool) -> dict[Path, str]:
    """Each output file and its text: the built workflows, the manifest, and the README's
    tables when building into the root's dist/ and the README has their markers."""
    files = {out / f"{item.contract.name}.py": item.text for item in built}
    manifest = out / "manifest.json"
    entries = manifest_entries(manifest, relative(root, manifest), built, keep_others)
    files[manifest] = manifest_text(entries)
    readme = root / "README.md"
    if out == root / "dist" and readme.is_file():
        text = with_tables(readme.read_text(encoding="utf-8"), entries)
        if text is not None:
            files[readme] = text
    return files


def stale_diff(root: Path, files: dict[Path, str], extras: list[Path]) -> str:
    """A unified diff from the files on disk to those a build would write; empty if up to date."""
    chunks: list[str] = []
    wanted: list[tuple[Path, str | None]] = [*files.items(), *((extra, None) for extra in extras)]
    for path, new in wanted:
        on_disk = path.read_bytes() if path.is_file() else None
        if new is not None and on_disk == new.encode("utf-8"):
            continue
        old = None if on_disk is None else on_disk.decode("utf-8", "replace")
        name = relative(root, path)
        chunks += difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(),
                                       "/dev/null" if old is None else f"a/{name}",
                                       "/dev/null" if new is None else f"b/{name}", lineterm="")
    return "\n".join(chunks)


def write_files(root: Path, files: dict[Path, str], extras: list[Path]) -> None:
    """Write the files that changed and remove the extras, saying so for each."""
    for path, text in files.items():
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {relative(root, path)}")
    for path in extras:
        path.unlink()
        print(f"removed {relative(root, path)} (no workflow produces it)")
