"""The folder a writer keeps its temporary files in: XlsxWriter's ``constant_memory`` rows (buyer names
and addresses) go to a folder of their own inside the export storage folder, never the system's
temporary folder, and the folder goes when the file is written or fails. A process killed meanwhile
leaves it behind for the stale check and the purge (``jobs.storage``), which know its name.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRATCH_SUFFIX = ".tmp"
INSTANT_PREFIX = "instant-"


def instant_scratch_name() -> str:
    """``instant-<16 hex>.tmp``: the folder of an instant export, which has no job to be named after."""
    return f"{INSTANT_PREFIX}{secrets.token_hex(8)}{SCRATCH_SUFFIX}"


@contextmanager
def scratch_folder(path: Path | None) -> Iterator[Path | None]:
    """Make the folder ``path`` for the time of the block, then remove it and all in it, whatever happens;
    None: no folder of ours (the writer's own default)."""
    if path is None:
        yield None
        return
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
