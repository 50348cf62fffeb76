"""Where export files live: one folder, names made from the export's id (never from user text).

A job writes ``<name>.part`` and renames it to ``<name>`` only once the file is complete, so a
name without ``.part`` is always a whole file; only a done export's file is ever offered.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

PART_SUFFIX = ".part"
FILE_NAME = re.compile(r"export-[0-9]{10,19}-[0-9a-f]{16}\.xlsx?")


def new_file_name(export_id: int, fmt: str) -> str:
    """``export-0000000042-<16 hex>.xls``: the random part keeps apps sharing a folder apart."""
    return f"export-{export_id:010d}-{secrets.token_hex(8)}.{fmt}"


def file_path(folder: Path, name: str) -> Path:
    """The path of a stored export; refuses any name this module did not make."""
    if not FILE_NAME.fullmatch(name):
        raise ValueError(f"not an export file name: {name!r}")
    return folder / name


def part_path(path: Path) -> Path:
    return path.with_name(path.name + PART_SUFFIX)


def remove_file(folder: Path, name: str | None) -> None:
    """Delete the export's file and any half-written part of it; a missing file is fine."""
    if not name:
        return
    path = file_path(folder, name)
    for candidate in (path, part_path(path)):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


def remove_old_files(folder: Path, older_than_seconds: float) -> int:
    """Delete export files (whole or part) not modified for ``older_than_seconds``; returns how many.

    Catches what no record points to any more, e.g. the part file of a worker that was killed.
    """
    if not folder.is_dir():
        return 0
    cutoff, removed = time.time() - older_than_seconds, 0
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name.removesuffix(PART_SUFFIX)
            if FILE_NAME.fullmatch(name) and entry.is_file() and entry.stat().st_mtime < cutoff:
                try:
                    os.unlink(entry.path)
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed
