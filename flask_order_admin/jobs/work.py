"""The export job itself, the same whatever runs it (a thread of the web process, an RQ or a Celery worker).

``run_export(host, export_id, user_id)`` (inside the app's context; ``host``: the app's ``ExportHost``): claim the queued job, ask the
access rule about each of its orders (as the manager who started it), count and read them from one
snapshot, write the file as ``<name>.part`` while reporting progress (which is also the heartbeat and
the check for Cancel), rename it to ``<name>`` once complete, mark it done.
Any error marks it failed with a reason a manager can read; the part file is always removed, and the
writer's temporary files (in ``<name>.tmp`` beside it) always are.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .. import access
from ..domain.messages import N_, Message
from ..errors import ActionNotAllowed, OrderActionError
from ..export.access_check import check_orders, refusal
from ..export.download import number_runs
from ..export.files import BACKENDS, SCRATCH_FORMATS, export_preset
from ..export.query import count_chunk_rows, export_rows
from ..export.rows import Row
from ..export.scratch import scratch_folder
from ..export.sheets import write_sheets
from ..i18n import locale_of
from ..models import ExportRecord
from ..settings import Settings
from ..signals import orders_exported, signal_sender
from . import records
from .host import ExportHost
from .selection import id_chunks
from .snapshot import snapshot_read
from .storage import file_path, part_path, scratch_path

logger = logging.getLogger("flask_order_admin.export")

# Progress is written at most this often (it is the heartbeat too), checked every CHECK_EVERY_ROWS rows.
REPORT_EVERY_SECONDS = 0.5
CHECK_EVERY_ROWS = 500


class JobOutcome(StrEnum):
    """How one run of a job ended (what ``run_export`` returns)."""

    DONE = "done"  # the file is saved and the job is done
    FAILED = "failed"  # it failed here, saying why (an error message on the job)
    CANCELED = "canceled"  # canceled while the file was being saved; the file is deleted
    STOPPED = "stopped"  # canceled, or failed by the stale check, while it ran: it stopped and removed its file
    NOT_QUEUED = "not queued"  # canceled or failed before this worker could take it: nothing was done


class JobStopped(Exception):
    """The job is no longer running in the database (canceled, or failed by the stale check)."""


class Progress:
    """The job's course in the exports log (jobs/records.py), each step its own short transaction, never the
    snapshot's: taken, progress and heartbeat, failed."""

    def __init__(self, engine: Engine, export_id: int, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        self.export_id = export_id
        self.reported_at = 0.0

    def claim(self, worker: str) -> bool:
        with self.engine.begin() as connection:
            return records.claim(connection, self.export_id, worker, self.clock())

    def report(self, *, force: bool = False, **values: Any) -> None:
        """Write progress (and the heartbeat) if due; JobStopped when the job was canceled or failed meanwhile."""
        now = time.monotonic()
        if not force and now - self.reported_at < REPORT_EVERY_SECONDS:
            return
        self.reported_at = now
        with self.engine.begin() as connection:
            running = records.report_progress(connection, self.export_id, self.clock(), **values)
        if not running:
            raise JobStopped

    def fail(self, message: Message | str) -> None:
        with self.engine.begin() as connection:
            records.fail_running(connection, self.export_id, message, self.clock())


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _reported(rows: Iterable[Row], progress: Progress) -> Iterator[Row]:
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % CHECK_EVERY_ROWS == 0:
            progress.report(rows_written=written)
    progress.report(force=True, rows_written=written)


def run_export(host: ExportHost, export_id: int, user_id: str | None = None) -> JobOutcome:
    """Run one export job to its end; returns how it ended. Needs the app's context.

    ``user_id``: the manager who started it (``access.user_id``), whom the access rule is asked as.
    """
    settings, session = host.settings, host.session
    engine = session.get_bind(mapper=host.store.order).engine
    progress = Progress(engine, export_id, host.clock)
    if not progress.claim(worker_name()):
        return JobOutcome.NOT_QUEUED
    with engine.connect() as connection:
        record = connection.execute(
            select(ExportRecord.fmt, ExportRecord.file_name, ExportRecord.actor, ExportRecord.locale,
                   ExportRecord.preset, ExportRecord.base_url)
            .where(ExportRecord.id == export_id)
        ).one()
    folder = host.export_folder()
    path = file_path(folder, record.file_name)
    part = part_path(path)
    started = time.monotonic()
    numbers: dict[int, str] = {}  # the exported orders' numbers, for the log
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The columns and the address the manager started it with (export_preset: refused if no longer offered).
        columns = export_preset(settings, record.preset).columns
        base_url = record.base_url or settings.public_url
        with snapshot_read(engine) as read:
            # The orders fixed at the start, read a chunk at a time by each pass: never all ids at once.
            def chunks() -> Iterator[list[int]]:
                return id_chunks(read.session, export_id)

            _check_access(read.session, host, _beating(chunks(), progress), user_id)
            orders = _Counted(_beating(chunks(), progress))
            total = count_chunk_rows(read.session, host, orders, settings.export_max_rows)
            # The start counted the orders a moment before writing them: the job's count is the exact one.
            progress.report(force=True, rows_total=total, order_count=orders.count)
            scratch = scratch_path(path) if record.fmt in SCRATCH_FORMATS else None
            # The file's texts (headers, Total) in the language of the manager who started the job.
            with open(part, "wb") as stream, locale_of(record.locale), scratch_folder(scratch):
                rows = export_rows(read.session, host, chunks(), settings.export_max_rows,
                                   numbers, chunk_reads=read.chunk_reads, columns=columns, base_url=base_url)
                written = write_sheets(BACKENDS[record.fmt](stream, scratch), _reported(rows, progress), columns)
                stream.flush()
                os.fsync(stream.fileno())
        progress.report(force=True)  # saving a big file takes a while: one more sign of life before the end
        os.replace(part, path)
        if not records.finish(session, host, export_id, rows=written, size=path.stat().st_size, now=host.clock()):
            path.unlink(missing_ok=True)  # canceled while the file was being saved
            return JobOutcome.CANCELED
    except JobStopped:
        part.unlink(missing_ok=True)
        logger.info("export %s stopped (canceled, or failed by the stale check)", export_id)
        return JobOutcome.STOPPED
    except OrderActionError as error:
        part.unlink(missing_ok=True)
        progress.fail(error.message)
        return JobOutcome.FAILED
    except Exception as error:
        part.unlink(missing_ok=True)
        logger.exception("export %s failed", export_id)
        progress.fail(N_("The export failed unexpectedly (%(error)s); the server log has the details.",
                         error=type(error).__name__))
        return JobOutcome.FAILED
    order_ids = sorted(numbers)
    logger.info(
        "%s exported %d order(s) as .%s, %d rows, in the background (%.1f s, %s): %s",
        record.actor, len(order_ids), record.fmt, written, time.monotonic() - started, read.guarantee,
        number_runs(order_ids, numbers),
        extra={"actor": record.actor, "order_ids": order_ids, "export_format": record.fmt,
               "export_rows": written, "export_id": export_id},
    )
    orders_exported.send(signal_sender(), order_ids=order_ids, actor=record.actor,
                         export_format=record.fmt, rows=written)
    return JobOutcome.DONE


class _Counted:
    """Chunks of ids passed on, counted."""

    def __init__(self, chunks: Iterable[list[int]]) -> None:
        self.chunks = chunks
        self.count = 0

    def __iter__(self) -> Iterator[list[int]]:
        for chunk in self.chunks:
            self.count += len(chunk)
            yield chunk


def _beating(chunks: Iterable[list[int]], progress: Progress) -> Iterator[list[int]]:
    """The chunks, with a sign of life (and a look for Cancel) between them: the passes before the
    first row is written take a while at 200,000 orders."""
    for chunk in chunks:
        progress.report()
        yield chunk


def _check_access(session: Session, host: ExportHost, chunks: Iterable[list[int]], user_id: str | None) -> None:
    """Ask the access rule about every order, a chunk at a time, as the manager who started the job; one
    denied order fails the job (ActionNotAllowed, with the message an instant export would show) before
    anything is written. With no host rule there is nothing to ask per order."""
    if host.settings.access is None:
        return
    with access.acting_as(user_id):
        message = refusal(session, host, check_orders(session, host, chunks))
    if message is not None:
        raise ActionNotAllowed(message)
