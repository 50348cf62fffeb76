"""The exports log (``ExportRecord``): start a job within the limits, record an instant export, cancel,
mark stopped workers' jobs failed, and expire old files. One transaction each, committed.

Every change of a job's state is a conditional ``UPDATE … WHERE state = …``, so the worker, a
manager's Cancel and the stale check can race without locks: whoever changes the row first wins,
and the others see that no row changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from ..domain.messages import N_, NP_, Message, Quantity, stored_text
from ..export.errors import ExportLimitReached
from ..i18n import current_locale, translate
from ..models import DESCRIPTION_LIMIT, ERROR_LIMIT, ExportRecord, ExportState, utcnow
from ..services.events import exported_event, record_events
from ..settings import Settings
from .storage import new_file_name, remove_file, remove_old_files

Active = ExportRecord.state.in_(ExportState.ACTIVE)


def _duration(seconds: float) -> Message:
    if seconds < 120:
        return NP_("%(amount)s second", "%(amount)s seconds", int(seconds), amount=Quantity(seconds))
    return NP_("%(amount)s minute", "%(amount)s minutes", int(seconds / 60), amount=Quantity(seconds / 60))


def stopped_message(settings: Settings) -> Message:
    return N_("The export stopped: its worker did not report for %(duration)s (the process was stopped or crashed). "
              "Run it again.", duration=_duration(settings.export_stale_seconds))


def not_started_message(settings: Settings) -> Message:
    duration = _duration(settings.export_queued_seconds)
    if settings.export_runner == "rq":
        return N_("No export worker started this export within %(duration)s. Check that the shop's RQ export worker "
                  "is running. Run it again.", duration=duration)
    return N_("No export worker started this export within %(duration)s. Run it again.", duration=duration)


def _stale_conditions(settings: Settings, now: datetime) -> tuple[Any, Any]:
    running = and_(
        ExportRecord.state == ExportState.RUNNING,
        ExportRecord.heartbeat_at < now - timedelta(seconds=settings.export_stale_seconds),
    )
    queued = and_(
        ExportRecord.state == ExportState.QUEUED,
        ExportRecord.created_at < now - timedelta(seconds=settings.export_queued_seconds),
    )
    return running, queued


def _fail_if(session: Session, settings: Settings, export_id: int, state: str, now: datetime) -> bool:
    running, queued = _stale_conditions(settings, now)
    message = stopped_message(settings) if state == ExportState.RUNNING else not_started_message(settings)
    result = session.execute(
        update(ExportRecord)
        .where(ExportRecord.id == export_id, running if state == ExportState.RUNNING else queued)
        .values(state=ExportState.FAILED, finished_at=now, error=stored_text(message, ERROR_LIMIT))
        .execution_options(synchronize_session=False)
    )
    return bool(cast("CursorResult[Any]", result).rowcount)


def is_stale(record: ExportRecord, settings: Settings, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if record.state == ExportState.RUNNING:
        last = record.heartbeat_at or record.started_at or record.created_at
        return last < now - timedelta(seconds=settings.export_stale_seconds)
    if record.state == ExportState.QUEUED:
        return record.created_at < now - timedelta(seconds=settings.export_queued_seconds)
    return False


def fail_if_stale(session: Session, settings: Settings, folder: Path, record: ExportRecord) -> bool:
    """Mark this loaded job failed if its worker stopped reporting (one UPDATE, only when it looks stale)."""
    if not is_stale(record, settings):
        return False
    failed = _fail_if(session, settings, record.id, record.state, utcnow())
    session.commit()
    if failed:
        remove_file(folder, record.file_name)
    return failed


def fail_stale(session: Session, settings: Settings, folder: Path) -> int:
    """Mark every job whose worker stopped (or never started it) failed; returns how many.

    At most one SELECT plus one UPDATE per stale job, and active jobs are bounded by the limits.
    """
    now = utcnow()
    running, queued = _stale_conditions(settings, now)
    found = session.execute(
        select(ExportRecord.id, ExportRecord.state, ExportRecord.file_name).where(or_(running, queued))
    ).all()
    failed = [file_name for export_id, state, file_name in found if _fail_if(session, settings, export_id, state, now)]
    session.commit()
    for file_name in failed:
        remove_file(folder, file_name)
    return len(failed)


def _active_counts(session: Session, actor: str, up_to_id: int | None = None) -> tuple[int, int]:
    """(this actor's, the shop's) queued or running jobs, optionally only those with id ≤ ``up_to_id``."""
    # sum(case …) rather than count(*) FILTER (…): MariaDB has no FILTER clause.
    mine = func.coalesce(func.sum(case((ExportRecord.actor == actor, 1), else_=0)), 0)
    query = select(func.count(), mine).where(Active)
    if up_to_id is not None:
        query = query.where(ExportRecord.id <= up_to_id)
    shop, mine = session.execute(query).one()
    return mine, shop


def _limit_refusal(settings: Settings, mine: int, shop: int) -> Message | None:
    if mine > settings.export_max_jobs_per_user:
        return NP_(
            "You already have %(num)s export being prepared, the most one person may have at once; "
            "wait for it to finish, or cancel it in My exports.",
            "You already have %(num)s exports being prepared, the most one person may have at once; "
            "wait for one to finish, or cancel one in My exports.", mine - 1)
    if shop > settings.export_max_jobs:
        return NP_(
            "The shop already has %(num)s export being prepared, the most it runs at once; "
            "try again in a few minutes.",
            "The shop already has %(num)s exports being prepared, the most it runs at once; "
            "try again in a few minutes.", shop - 1)
    return None


def create_job(
    session: Session, settings: Settings, folder: Path, *, actor: str, order_ids: Sequence[int], fmt: str,
    source: str, description: Message | str, query_args: Mapping[str, Any] | None = None,
    rows_total: int | None = None,
    retry_of_id: int | None = None,
) -> ExportRecord:
    """Record a new queued export job (the caller hands it to a runner); ExportLimitReached over a limit.

    The limits hold without locks: the job is committed, then counted among the active jobs that
    came before it; if that passes a limit (two managers started one at the same moment), the
    newer job is deleted again and refused.
    """
    fail_stale(session, settings, folder)
    mine, shop = _active_counts(session, actor)
    refusal = _limit_refusal(settings, mine + 1, shop + 1)
    if refusal:
        raise ExportLimitReached(refusal)
    record = ExportRecord(
        actor=actor[:200], created_at=utcnow(), fmt=fmt, source=source, description=_stored_description(description),
        order_ids=list(order_ids), order_count=len(order_ids), query_args=dict(query_args) if query_args else None,
        runner=settings.export_runner, state=ExportState.QUEUED, rows_total=rows_total, rows_written=0,
        retry_of_id=retry_of_id, locale=str(current_locale()),
    )
    session.add(record)
    session.flush()
    record.file_name = new_file_name(record.id, fmt)
    session.commit()
    refusal = _limit_refusal(settings, *_active_counts(session, actor, up_to_id=record.id))
    if refusal:
        session.execute(update(ExportRecord).where(ExportRecord.id == record.id).values(
            state=ExportState.FAILED, finished_at=utcnow(), error=stored_text(refusal, ERROR_LIMIT)))
        session.commit()
        raise ExportLimitReached(refusal)
    return record


def _stored_description(description: Message | str) -> str:
    """What the exports log keeps: the description untranslated, or (too long for it) in the manager's words."""
    return stored_text(description, DESCRIPTION_LIMIT, too_long=translate)


def record_instant(
    session: Session, settings: Settings, *, actor: str, order_ids: Sequence[int], rows: int, fmt: str, source: str,
    description: Message | str, file_size: int, query_args: Mapping[str, Any] | None = None,
) -> ExportRecord:
    """Log an export that was downloaded at once (no file kept); one order's export shows in its history."""
    now = utcnow()
    record = ExportRecord(
        actor=actor[:200], created_at=now, fmt=fmt, source=source, description=_stored_description(description),
        order_ids=list(order_ids), order_count=len(order_ids), query_args=dict(query_args) if query_args else None,
        runner="inline", state=ExportState.DONE, rows_total=rows, rows_written=rows, started_at=now,
        finished_at=now, file_size=file_size,
    )
    session.add(record)
    session.flush()
    add_order_event(session, settings, record)
    session.commit()
    return record


def add_order_event(session: Session, settings: Settings, record: ExportRecord) -> None:
    """An "export" event in the order's history (the plugin's, or on a shop's tables ``order_admin_history``)
    when the export was of exactly one order."""
    if record.order_count == 1:
        [order_id] = record.order_ids
        record_events(session, settings, [exported_event(
            order_id, actor=record.actor, export_id=record.id, fmt=record.fmt, rows=record.rows_written,
        )])


def cancel_export(session: Session, export_id: int) -> bool:
    """Cancel a queued or running job; False when it had already ended. A running job notices at
    its next progress report, stops and deletes its part file."""
    result = session.execute(
        update(ExportRecord).where(ExportRecord.id == export_id, Active)
        .values(state=ExportState.CANCELED, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(cast("CursorResult[Any]", result).rowcount)


def purge_expired(session: Session, settings: Settings, folder: Path) -> int:
    """Delete the files of exports done more than ORDER_ADMIN_EXPORT_KEEP_HOURS ago (they become
    "expired"), and any stray file that old; returns how many exports expired."""
    keep = timedelta(hours=settings.export_keep_hours)
    cutoff = utcnow() - keep
    found = session.execute(
        select(ExportRecord.id, ExportRecord.file_name)
        .where(ExportRecord.state == ExportState.DONE, ExportRecord.runner != "inline", ExportRecord.finished_at < cutoff)
    ).all()
    if found:
        session.execute(
            update(ExportRecord).where(ExportRecord.id.in_([export_id for export_id, _ in found]),
                                       ExportRecord.state == ExportState.DONE)
            .values(state=ExportState.EXPIRED)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    for _, file_name in found:
        remove_file(folder, file_name)
    remove_old_files(folder, keep.total_seconds())
    return len(found)
