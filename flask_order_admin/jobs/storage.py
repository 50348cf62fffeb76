"""Where export files live: one folder, names made from the export's id (never from user text).

A job writes ``<name>.part`` and renames it to ``<name>`` only once the file is complete, so a
name without ``.part`` is always a whole file; only a done export's file is ever offered. Meanwhile
its writer's temporary files are in the folder ``<name>.tmp`` (export/scratch.py).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from pathlib import Path

from ..export.scratch import INSTANT_PREFIX, SCRATCH_SUFFIX

PART_SUFFIX = ".part"
FILE_NAME = re.compile(r"export-[0-9]{10,19}-[0-9a-f]{16}\.xlsx?")
INSTANT_SCRATCH_NAME = re.compile(re.escape(INSTANT_PREFIX) + r"[0-9a-f]{16}" + re.escape(SCRATCH_SUFFIX))


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


def scratch_path(path: Path) -> Path:
    """The folder of the job's writer's temporary files."""
    return path.with_name(path.name + SCRATCH_SUFFIX)


def remove_file(folder: Path, name: str | None) -> None:
    """Delete the export's file, any half-written part of it and its writer's temporary files; a missing
    file is fine."""
    if not name:
        return
    path = file_path(folder, name)
    for candidate in (path, part_path(path)):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
    shutil.rmtree(scratch_path(path), ignore_errors=True)


def _is_scratch(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    return entry.is_dir(follow_symlinks=False) and (
        INSTANT_SCRATCH_NAME.fullmatch(name) is not None
        or (name.endswith(SCRATCH_SUFFIX) and FILE_NAME.fullmatch(name.removesuffix(SCRATCH_SUFFIX)) is not None))


def remove_old_files(folder: Path, older_than_seconds: float) -> int:
    """Delete export files (whole or part) and writers' temporary folders not modified for
    ``older_than_seconds``; returns how many.

    Catches what no record points to any more, e.g. the part file of a worker that was killed, or
    the temporary files of an instant export whose process was.
    """
    if not folder.is_dir():
        return 0
    cutoff, removed = time.time() - older_than_seconds, 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            if _is_scratch(entry):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
            elif FILE_NAME.fullmatch(entry.name.removesuffix(PART_SUFFIX)) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed
