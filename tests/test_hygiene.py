"""Cheap checks of the repository itself: no large binaries in git, and nothing citing a document that is not in
the repository (docs/design.md holds the decisions the code relies on)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1024 * 1024
# Spelled in two parts so that this file does not cite them itself.
FOREIGN_CITATIONS = ("SPEC " + "§", "../" + "shared")


def tracked_files() -> list[Path]:
    try:
        listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout (an unpacked sdist has no tracked files to check)")
    # A file deleted in the work tree but not yet in the index is not there to read.
    return [path for name in listing.decode().split("\0") if name and (path := ROOT / name).is_file()]


def is_binary(path: Path) -> bool:
    # git's own test: a NUL byte in the first 8000 bytes.
    with path.open("rb") as file:
        return b"\0" in file.read(8000)


def test_no_tracked_binary_is_over_1_mb():
    found = [f"{path.relative_to(ROOT)} ({path.stat().st_size / LIMIT:.1f} MB)" for path in tracked_files()
             if path.stat().st_size > LIMIT and is_binary(path)]
    assert not found, "binaries over 1 MB tracked by git:\n  " + "\n  ".join(found)


def test_no_wheel_is_tracked():
    # A ruff wheel once was; ruff comes with the dev extra (setup.cfg).
    found = [str(path.relative_to(ROOT)) for path in tracked_files() if path.suffix in {".whl", ".egg"}]
    assert not found, f"packages tracked by git: {found}"


def foreign_citations(paths: list[Path], root: Path) -> list[str]:
    found = []
    for path in paths:
        if is_binary(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found += [f"{path.relative_to(root)}:{number}: {line.strip()}" for citation in FOREIGN_CITATIONS
                      if citation in line]
    return found


def test_nothing_cites_a_document_outside_the_repository():
    found = foreign_citations(tracked_files(), ROOT)
    assert not found, "cite docs/design.md, \"Section\" instead:\n  " + "\n  ".join(found)


def test_the_citation_check_sees_a_citation(tmp_path):
    (tmp_path / "a.py").write_text('"""Why."""\n# as ' + FOREIGN_CITATIONS[0] + '3 says\n', encoding="utf-8")
    (tmp_path / "b.md").write_text("see " + FOREIGN_CITATIONS[1] + "/notes.md\n", encoding="utf-8")
    assert foreign_citations([tmp_path / "a.py", tmp_path / "b.md"], tmp_path) == [
        "a.py:2: # as " + FOREIGN_CITATIONS[0] + "3 says", "b.md:1: see " + FOREIGN_CITATIONS[1] + "/notes.md"]


def test_the_binary_check_sees_a_binary(tmp_path):
    (tmp_path / "text").write_text("x" * 10_000)
    (tmp_path / "blob").write_bytes(b"PK\3\4\0" + b"x" * 10)
    assert not is_binary(tmp_path / "text")
    assert is_binary(tmp_path / "blob")


def test_browser_tests_wait_for_states_not_for_time():
    """A fixed wait is too short on a loaded machine and too long on an idle one: wait for what the next step
    needs (tests/browser/menus.py; docs/development.md)."""
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "tests" / "browser").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "wait_for_timeout(" in line or "sleep(" in line]
    assert not found, "fixed waits in browser tests:\n  " + "\n  ".join(found)
