"""The exports log (``ExportRecord``), the one place that writes it: start a job within the limits, record
an instant export, the job's own course (taken by a worker, progress, failed, done), a job that could not be
handed over, cancel, mark stopped workers' jobs failed, and expire old files. One transaction each: the
functions given a session commit it; those given a connection (a worker's progress, beside its snapshot)
run in the caller's ``engine.begin()``.

Every change of a job's state is a conditional ``UPDATE … WHERE state = …``, so the worker, a
manager's Cancel and the stale check can race without locks: whoever changes the row first wins,
and the others see that no row changed. Only starting a job takes a lock (the limits' row), since
it must count the jobs there are and add one as a single step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Result, and_, case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.messages import N_, NP_, Message, Quantity, stored_text
from ..errors import ExportLimitReached, ExportOwnerUnknown
from ..i18n import current_locale, translate
from ..models import BASE_URL_LIMIT, DESCRIPTION_LIMIT, ERROR_LIMIT, ExportLimitLock, ExportRecord, ExportState, utcnow
from ..services.app_panel import ServicePanel
from ..services.events import exported_event, record_events
from ..settings import Settings
from .selection import first_ids, store_ids
from .storage import new_file_name, remove_file, remove_old_files

Active = ExportRecord.state.in_(ExportState.ACTIVE)
LIMITS_SCOPE = "shop"  # one lock row: the shop's limit is over every user's jobs anyway


def _changed(result: Result[Any]) -> bool:
    """Whether the UPDATE changed a row (its condition held)."""
    return bool(cast("CursorResult[Any]", result).rowcount)


def _update_export(executor: Session | Connection, export_id: int, *conditions: Any, **values: Any) -> bool:
    """One conditional UPDATE of the export's row; whether it held."""
    return _changed(executor.execute(
        update(ExportRecord).where(ExportRecord.id == export_id, *conditions).values(**values)
        .execution_options(synchronize_session=False)
    ))


def _duration(seconds: float) -> Message:
    # Whole seconds or minutes: the plural form is chosen by the number shown («5,5 минут» would be wrong).
    if seconds < 120:
        amount = round(seconds)
        return NP_("%(amount)s second", "%(amount)s seconds", amount, amount=Quantity(amount))
    amount = round(seconds / 60)
    return NP_("%(amount)s minute", "%(amount)s minutes", amount, amount=Quantity(amount))


def stopped_message(settings: Settings) -> Message:
    return N_("The export stopped: its worker did not report for %(duration)s (the process was stopped or crashed). "
              "Run it again.", duration=_duration(settings.export_stale_seconds))


def not_started_message(settings: Settings) -> Message:
    duration = _duration(settings.export_queued_seconds)
    if settings.export_runner == "rq":
        return N_("No export worker started this export within %(duration)s. Check that the shop's RQ export worker "
                  "is running. Run it again.", duration=duration)
    if settings.export_runner == "celery":
        return N_("No export worker started this export within %(duration)s. Check that the shop's Celery export "
                  "worker is running. Run it again.", duration=duration)
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
    return _update_export(session, export_id, running if state == ExportState.RUNNING else queued,
                          state=ExportState.FAILED, finished_at=now, error=stored_text(message, ERROR_LIMIT))


def is_stale(record: ExportRecord, settings: Settings, now: datetime) -> bool:
    """A running job whose worker has not reported for ``ORDER_ADMIN_EXPORT_STALE_SECONDS``, or a queued one
    no worker took within ``ORDER_ADMIN_EXPORT_QUEUED_SECONDS``."""
    if record.state == ExportState.RUNNING:
        last = record.heartbeat_at or record.started_at or record.created_at
        return last < now - timedelta(seconds=settings.export_stale_seconds)
    if record.state == ExportState.QUEUED:
        return record.created_at < now - timedelta(seconds=settings.export_queued_seconds)
    return False


def fail_if_stale(session: Session, settings: Settings, folder: Path, record: ExportRecord, now: datetime) -> bool:
    """Mark this loaded job failed if it is stale (``is_stale``: one UPDATE, only then), saying why, and delete
    its part file; whether it did."""
    if not is_stale(record, settings, now):
        return False
    failed = _fail_if(session, settings, record.id, record.state, now)
    session.commit()
    if failed:
        remove_file(folder, record.file_name)
    return failed


def fail_stale(session: Session, settings: Settings, folder: Path, now: datetime) -> int:
    """Mark every job whose worker stopped (or never started it) failed; returns how many.

    At most one SELECT plus one UPDATE per stale job, and active jobs are bounded by the limits.
    """
    running, queued = _stale_conditions(settings, now)
    found = session.execute(
        select(ExportRecord.id, ExportRecord.state, ExportRecord.file_name).where(or_(running, queued))
    ).all()
    failed = [file_name for export_id, state, file_name in found if _fail_if(session, settings, export_id, state, now)]
    session.commit()
    for file_name in failed:
        remove_file(folder, file_name)
    return len(failed)


def _active_counts(session: Session, actor_id: str) -> tuple[int, int]:
    """(this actor's, the shop's) queued or running jobs."""
    # sum(case …) rather than count(*) FILTER (…): MariaDB has no FILTER clause.
    mine = func.coalesce(func.sum(case((ExportRecord.actor_id == actor_id, 1), else_=0)), 0)
    shop, mine = session.execute(select(func.count(), mine).where(Active)).one()
    return mine, shop


def _limit_refusal(settings: Settings, mine: int, shop: int) -> Message | None:
    """Why one more job would pass a limit, given the active jobs there are now; None when it would not."""
    if mine >= settings.export_max_jobs_per_user:
        return NP_(
            "You already have %(num)s export being prepared, the most one person may have at once; "
            "wait for it to finish, or cancel it in My exports.",
            "You already have %(num)s exports being prepared, the most one person may have at once; "
            "wait for one to finish, or cancel one in My exports.", mine)
    if shop >= settings.export_max_jobs:
        return NP_(
            "The shop already has %(num)s export being prepared, the most it runs at once; "
            "try again in a few minutes.",
            "The shop already has %(num)s exports being prepared, the most it runs at once; "
            "try again in a few minutes.", shop)
    return None


def _take_limits_lock(session: Session) -> None:
    """Begin a transaction that holds the limits' lock row until it ends (docs/design.md, "Export job limits").

    Its first statement writes the row: PostgreSQL and MariaDB lock it, SQLite takes the database's
    write lock; another start waits there until this transaction commits or rolls back, and then
    counts what it committed. A database made by ``create_all`` gets the row on first use.
    """
    for _ in range(2):
        locked = session.execute(
            update(ExportLimitLock).where(ExportLimitLock.scope == LIMITS_SCOPE).values(locked_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if _changed(locked):
            return
        session.rollback()
        try:
            session.execute(insert(ExportLimitLock).values(scope=LIMITS_SCOPE))
            session.commit()
        except IntegrityError:  # another start made it meanwhile
            session.rollback()
    raise RuntimeError("the export limits' lock row cannot be written")


def create_job(
    session: Session, settings: Settings, folder: Path, *, actor: str, actor_id: str | None,
    order_count: int, fmt: str, source: str, description: Message | str,
    query_args: Mapping[str, Any] | None = None, rows_total: int | None = None, retry_of_id: int | None = None,
    preset: str | None = None, base_url: str | None = None, now: datetime,
) -> ExportRecord:
    """Record a new queued export job (the caller stores its orders, jobs/selection.py, and hands it to a
    runner); ExportLimitReached over a limit, ExportOwnerUnknown when the user has no
    ``ORDER_ADMIN_ACTOR_ID`` to own it.

    Stale jobs are failed first (``fail_stale``), so a stopped worker's job no longer counts. The count of
    active jobs and the insert of the new one happen under the limits' lock, so concurrent starts are taken
    one after the other, and a refused start adds no job.
    """
    if actor_id is None:
        raise ExportOwnerUnknown(N_("Exports prepared in the background belong to the person who started them, "
                                    "and the panel cannot tell who you are; log in and start it again."))
    fail_stale(session, settings, folder, now)
    _take_limits_lock(session)
    refusal = _limit_refusal(settings, *_active_counts(session, actor_id))
    if refusal:
        session.rollback()
        raise ExportLimitReached(refusal)
    record = ExportRecord(
        actor=actor[:200], actor_id=actor_id, created_at=now, fmt=fmt, source=source,
        description=_stored_description(description),
        order_count=order_count, query_args=dict(query_args) if query_args else None,
        runner=settings.export_runner, state=ExportState.QUEUED, rows_total=rows_total, rows_written=0,
        retry_of_id=retry_of_id, locale=str(current_locale()), preset=preset,
        base_url=base_url if base_url and len(base_url) <= BASE_URL_LIMIT else None,
    )
    session.add(record)
    session.flush()
    record.file_name = new_file_name(record.id, fmt)
    session.commit()  # ends the lock's transaction
    return record


def _stored_description(description: Message | str) -> str:
    """What the exports log keeps: the description untranslated, or (too long for it) in the manager's words."""
    return stored_text(description, DESCRIPTION_LIMIT, too_long=translate)


def record_instant(
    session: Session, panel: ServicePanel, *, actor: str, actor_id: str | None, order_ids: Sequence[int], rows: int,
    fmt: str, source: str, description: Message | str, file_size: int, query_args: Mapping[str, Any] | None = None,
    preset: str | None = None, now: datetime,
) -> ExportRecord:
    """Log an export answered at once (its file handed to the caller, none kept) with its orders; one order's
    export shows in its history."""
    record = ExportRecord(
        actor=actor[:200], actor_id=actor_id, created_at=now, fmt=fmt, source=source,
        description=_stored_description(description),
        order_count=len(order_ids), query_args=dict(query_args) if query_args else None,
        runner="inline", state=ExportState.DONE, rows_total=rows, rows_written=rows, started_at=now,
        finished_at=now, file_size=file_size, preset=preset,
    )
    session.add(record)
    session.flush()
    store_ids(session, record.id, order_ids)
    add_order_event(session, panel, record)
    session.commit()
    return record


def add_order_event(session: Session, panel: ServicePanel, record: ExportRecord) -> None:
    """An "export" event in the order's history (the plugin's, or on a shop's tables ``order_admin_history``)
    when the export was of exactly one order."""
    if record.order_count == 1:
        [order_id] = first_ids(session, record.id, 1)
        record_events(session, panel, [exported_event(
            order_id, actor=record.actor, export_id=record.id, fmt=record.fmt, rows=record.rows_written,
        )])


def set_order_count(session: Session, export_id: int, order_count: int) -> None:
    """The number of orders a job over the list's matches covers, once they are written (not committed: it
    belongs to the writing of its orders)."""
    _update_export(session, export_id, order_count=order_count)


def discard_job(session: Session, export_id: int) -> None:
    """Delete a queued job that never was one (its orders were over the row limit): it leaves no trace."""
    session.execute(delete(ExportRecord).where(ExportRecord.id == export_id))
    session.commit()


def fail_queued(session: Session, export_id: int, message: Message, now: datetime) -> bool:
    """Mark a job that is still queued failed, saying why (its orders could not be written, or no runner
    took it); False when it had left the queue meanwhile."""
    failed = _update_export(session, export_id, ExportRecord.state == ExportState.QUEUED,
                            state=ExportState.FAILED, finished_at=now, error=stored_text(message, ERROR_LIMIT))
    session.commit()
    return failed


def set_runner_job_id(session: Session, export_id: int, runner_job_id: str) -> None:
    """The runner's own id of the job (RQ's, Celery's), which Cancel hands back to the runner."""
    _update_export(session, export_id, runner_job_id=runner_job_id)
    session.commit()


def claim(connection: Connection, export_id: int, worker: str, now: datetime) -> bool:
    """A worker takes the queued job: it is running from now; False when it is not queued any more
    (canceled, or failed by the stale check, before this worker got to it)."""
    return _update_export(connection, export_id, ExportRecord.state == ExportState.QUEUED,
                          state=ExportState.RUNNING, started_at=now, heartbeat_at=now, worker=worker[:200])


def report_progress(connection: Connection, export_id: int, now: datetime, **values: Any) -> bool:
    """The running job's heartbeat, with its progress (``rows_written``, ``rows_total``, ``order_count``);
    False when it is not running any more (canceled, or failed by the stale check): it must stop."""
    return _update_export(connection, export_id, ExportRecord.state == ExportState.RUNNING, heartbeat_at=now, **values)


def fail_running(connection: Connection, export_id: int, message: Message | str, now: datetime) -> bool:
    """The running job failed, saying why; False when it had been canceled or failed meanwhile."""
    return _update_export(connection, export_id, ExportRecord.state == ExportState.RUNNING,
                          state=ExportState.FAILED, finished_at=now, error=stored_text(message, ERROR_LIMIT))


def finish(session: Session, panel: ServicePanel, export_id: int, *, rows: int, size: int, now: datetime) -> bool:
    """Mark the running job done with its file's figures (and one order's history); False when it was canceled
    (or failed) at the last moment, and nothing is written."""
    if not _update_export(session, export_id, ExportRecord.state == ExportState.RUNNING, state=ExportState.DONE,
                          finished_at=now, heartbeat_at=now, rows_written=rows, file_size=size):
        session.rollback()
        return False
    record = session.get(ExportRecord, export_id, populate_existing=True)
    assert record is not None  # its row was just updated
    add_order_event(session, panel, record)
    session.commit()
    return True


def mark_canceled(session: Session, export_id: int, now: datetime) -> bool:
    """Cancel a queued or running job; False when it had already ended. A running job notices at
    its next progress report, stops and deletes its part file."""
    canceled = _update_export(session, export_id, Active, state=ExportState.CANCELED, finished_at=now)
    session.commit()
    return canceled


def _expired_condition(settings: Settings, now: datetime) -> Any:
    return and_(ExportRecord.state == ExportState.DONE, ExportRecord.runner != "inline",
                ExportRecord.finished_at < now - timedelta(hours=settings.export_keep_hours))


def expire_if_due(session: Session, settings: Settings, folder: Path, record: ExportRecord, now: datetime) -> bool:
    """Mark this loaded export expired, and delete its file, if it was done more than
    ORDER_ADMIN_EXPORT_KEEP_HOURS ago: an old file is never served, whether the purge ran or not."""
    if not (record.state == ExportState.DONE and record.runner != "inline" and record.finished_at is not None
            and record.finished_at < now - timedelta(hours=settings.export_keep_hours)):
        return False
    expired = _update_export(session, record.id, _expired_condition(settings, now), state=ExportState.EXPIRED)
    session.commit()  # the record reloads: it reads expired from here on
    remove_file(folder, record.file_name)
    return expired


def purge_expired(session: Session, settings: Settings, folder: Path, now: datetime) -> int:
    """Delete the files of exports done more than ORDER_ADMIN_EXPORT_KEEP_HOURS ago (they become
    "expired"), and any stray file that old; returns how many exports expired."""
    keep = timedelta(hours=settings.export_keep_hours)
    found = session.execute(
        select(ExportRecord.id, ExportRecord.file_name).where(_expired_condition(settings, now))
    ).all()
    expired = 0
    if found:
        expired = cast("CursorResult[Any]", session.execute(
            update(ExportRecord).where(ExportRecord.id.in_([export_id for export_id, _ in found]),
                                       ExportRecord.state == ExportState.DONE)
            .values(state=ExportState.EXPIRED)
            .execution_options(synchronize_session=False)
        )).rowcount
    session.commit()
    for _, file_name in found:
        remove_file(folder, file_name)
    remove_old_files(folder, keep.total_seconds())
    return expired
