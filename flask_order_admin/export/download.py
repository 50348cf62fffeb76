"""The export as a file at hand: written to a temporary file, named, logged, and as a download (headers).

Buyer names and addresses leave the system with every export, so each one is
logged (logger ``flask_order_admin.export``) with who exported which orders.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from flask import Response
from sqlalchemy.orm import Session

from ..i18n import current_timezone
from ..settings import Settings
from ..services.app_panel import ServicePanel, find_panel
from ..signals import orders_exported, signal_sender
from .files import CONTENT_TYPES, SCRATCH_FORMATS, ExportSummary, check_format_offered, write_export
from .scratch import instant_scratch_name, scratch_folder

logger = logging.getLogger("flask_order_admin.export")

CHUNK_BYTES = 64 * 1024
# An audit line names at most this many runs of consecutive order numbers, then counts the rest.
LOGGED_RUNS = 100


def export_filename(
    order_ids: Sequence[int], fmt: str, now: datetime | None = None, numbers: Mapping[int, str] | None = None,
    *, panel: ServicePanel | None = None,
) -> str:
    """``ORD-0000000023.xls`` for one order (its number), ``orders-20260128-1530.xls`` for several, the time
    in the shop's timezone (as the pages show it); ``now`` is a stored time, naive UTC."""
    if len(order_ids) == 1:
        return f"{_numbering(numbers, panel)(order_ids[0])}.{fmt}"
    at = now.replace(tzinfo=UTC) if now is not None and now.tzinfo is None else (now or datetime.now(UTC))
    return f"orders-{at.astimezone(current_timezone()):%Y%m%d-%H%M}.{fmt}"


def _numbering(numbers: Mapping[int, str] | None, panel: ServicePanel | None) -> Callable[[int], str]:
    """The order number of an id: from ``numbers``, else made from the id with the app's number format."""
    def formatted(order_id: int) -> str:
        return find_panel(panel).settings.number_format.format(order_id)

    if numbers is None:
        return formatted
    return lambda order_id: numbers.get(order_id) or formatted(order_id)


def number_runs(
    order_ids: Sequence[int], numbers: Mapping[int, str] | None = None, *, panel: ServicePanel | None = None,
) -> str:
    """Sorted ids as order numbers, consecutive ids as a run: ``ORD-…01–ORD-…03, ORD-…07``."""
    number = _numbering(numbers, panel)
    runs: list[list[int]] = []
    for order_id in order_ids:
        if runs and order_id == runs[-1][1] + 1:
            runs[-1][1] = order_id
        else:
            runs.append([order_id, order_id])
    texts = [number(first) if first == last else f"{number(first)}–{number(last)}" for first, last in runs]
    if len(texts) > LOGGED_RUNS:
        return ", ".join(texts[:LOGGED_RUNS]) + f" and {len(texts) - LOGGED_RUNS} more runs"
    return ", ".join(texts)


def _file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    while chunk := file.read(CHUNK_BYTES):
        yield chunk


@dataclass(frozen=True)
class ExportFile:
    """A written export: an unnamed temporary file, read from its start and gone once closed, and its name."""

    file: IO[bytes]
    size: int  # bytes
    fmt: str
    filename: str  # what a download calls it (export_filename)
    summary: ExportSummary

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    def response(self) -> Response:
        """The file as a streamed download, closed once sent."""
        response = Response(_file_chunks(self.file), mimetype=self.content_type, direct_passthrough=True)
        response.call_on_close(self.file.close)
        response.content_length = self.size
        attachment_headers(response, self.filename)
        return response

    def save(self, path: Path) -> None:
        """Copy the file to ``path``, then close it."""
        with self.file, open(path, "wb") as target:
            shutil.copyfileobj(self.file, target, CHUNK_BYTES)

    def close(self) -> None:
        self.file.close()


def write_file(
    session: Session, order_ids: Iterable[int], *, actor: str, fmt: str = "xls", panel: ServicePanel | None = None,
    settings: Settings | None = None, storage: Path | None = None, preset: str | None = None,
) -> ExportFile:
    """The orders' file, written to a temporary file, logged and announced (``orders_exported``) once
    written. ``storage``: the export storage folder, where the writer keeps its temporary files
    (export/scratch.py); None: the system's temporary folder."""
    panel = find_panel(panel, settings)
    check_format_offered(fmt, panel)
    # Streamed from disk, so a big export is not held in memory; a file without a name, gone with the process.
    file = tempfile.TemporaryFile()
    try:
        own_folder = storage / instant_scratch_name() if storage is not None and fmt in SCRATCH_FORMATS else None
        with scratch_folder(own_folder) as scratch:
            summary = write_export(session, order_ids, file, fmt=fmt, panel=panel, scratch=scratch,
                                   preset=preset)
        size = file.tell()
        file.seek(0)
    except BaseException:
        file.close()
        raise
    logger.info(
        "%s exported %d order(s) as .%s, %d rows: %s",
        actor, len(summary.order_ids), fmt, summary.rows, number_runs(summary.order_ids, summary.numbers, panel=panel),
        extra={"actor": actor, "order_ids": summary.order_ids, "export_format": fmt, "export_rows": summary.rows},
    )
    written = ExportFile(file, size, fmt, export_filename(summary.order_ids, fmt, numbers=summary.numbers, panel=panel), summary)
    orders_exported.send(signal_sender(), order_ids=summary.order_ids, actor=actor, export_format=fmt,
                         rows=summary.rows)
    return written


def attachment_headers(response: Response, filename: str) -> None:
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"


def export_response(
    session: Session, order_ids: Iterable[int], *, actor: str, fmt: str = "xls", panel: ServicePanel | None = None,
    settings: Settings | None = None, preset: str | None = None,
) -> Response:
    """The orders as a file download (any status), logged and announced (``orders_exported``) once written.
    Access checks are the caller's.

    Raises ``OrderActionError`` subclasses with a message for managers: OrderNotFound,
    ExportTooLarge, ExportFormatNotOffered, ExportPresetNotOffered.
    """
    written = write_file(session, order_ids, actor=actor, fmt=fmt, panel=find_panel(panel, settings), preset=preset)
    return written.response()
