"""Export as a use case (docs/design.md, "Export as a use case"): start an export, cancel it, run it again,
tidy the exports up. The panel's views, ``flask order-admin`` and a host's own code (a nightly job) all
call these.

``start_export`` answers a small export at once, up to ``ORDER_ADMIN_EXPORT_INLINE_ROWS`` rows, with the
file (``InstantExport``), and makes a bigger one a background job (``JobStarted``). Every export is
recorded in the exports log. A refusal raises an ``OrderActionError`` and starts nothing: too many
rows (``ExportTooLarge``), over the job limits (``ExportLimitReached``), a job for nobody
(``ExportOwnerUnknown``), a format or column set not offered, an order missing (``OrderNotFound``) or
one the access rule denies in an instant export (``ActionNotAllowed``).

Starting stays short whatever the export's size and whatever the access rule (docs/design.md, "Export
snapshots"): it counts the matching orders only as far as an instant export goes, counts rows only when
there are few enough orders that the export might be instant, and writes a job's orders into its side
table with one ``INSERT … SELECT`` (which counts them); the access rule is asked about each order by
the job's worker. Only an instant export asks the rule as it starts, about at most
``ORDER_ADMIN_EXPORT_INLINE_ROWS`` orders. Whether the caller may export at all (``("export", None)``,
or ``("export", order)`` for one order's export) is the caller's to ask.

Every call needs the app's context; ``host`` is the app's ``ExportHost`` (``app.extensions["order_admin"]``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context
from sqlalchemy import Select, select

from .. import access
from ..domain.messages import N_, Message
from ..errors import ActionNotAllowed, ExportNotFound, ExportStillRunning, ExportTooLarge
from ..export.access_check import ids_refusal
from ..export.download import ExportFile, write_file
from ..export.files import check_format_offered, export_base_url, export_preset
from ..export.query import count_rows, export_ids
from ..models import ExportRecord
from ..settings import Settings
from . import records
from .host import ExportHost
from .selection import matching_count, store_copy, store_ids, store_matching

logger = logging.getLogger("flask_order_admin.export")


@dataclass(frozen=True)
class Exporter:
    """Who starts an export: ``name`` as the exports log and the audit log show it, ``actor_id`` who owns it
    (``ORDER_ADMIN_ACTOR_ID``: they see it in My exports, and it counts against their job limit; a job needs
    one), ``user_id`` the Flask-Login id as whom the access rule is asked about its orders (None: as nobody
    logged in)."""

    name: str
    actor_id: str | None
    user_id: str | None = None

    @classmethod
    def current(cls, settings: Settings) -> Exporter:
        """The user of the current request."""
        return cls(access.actor_name(settings), access.actor_id(settings), access.user_id())


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the orders ``order_ids``, or those ``matching`` gives; the file's format; the column
    set ``preset`` (an ``ORDER_ADMIN_EXPORT_PRESETS`` key; None: the default columns)."""

    order_ids: Sequence[object]  # the orders given (one order, the selected rows); unused with ``matching``
    fmt: str
    # "order" (one order: its caller asked ("export", order) itself), "selected" (given ids) or "matching"
    source: str
    description: Message | str  # a Message is kept untranslated: the exports log shows it in each reader's language
    query_args: Mapping[str, Any] | None = None
    # A SELECT of order ids (e.g. the list's filters), run by the database, never read into the process.
    matching: Select[Any] | None = None
    preset: str | None = None


@dataclass(frozen=True)
class InstantExport:
    """A small export, answered at once: its file (``file.response()`` for a download, ``file.save(path)``,
    or read ``file.file``; closing it deletes it) and its record in the exports log."""

    export_id: int
    file: ExportFile


@dataclass(frozen=True)
class JobStarted:
    """A background job (record ``export_id``; the runner writes its file). ``failure``: why it failed at
    once, as its record says too (its orders could not be written, or the runner could not be reached);
    None: it was handed to the runner."""

    export_id: int
    failure: Message | None = None

    @property
    def queued(self) -> bool:
        return self.failure is None


def start_export(host: ExportHost, wanted: ExportRequest, exporter: Exporter) -> InstantExport | JobStarted:
    """The file at once, or a new job; an ``OrderActionError`` when refused (see the module's docstring)."""
    settings, session = host.settings, host.session
    check_format_offered(wanted.fmt, host)
    preset = export_preset(settings, wanted.preset).key if wanted.preset else None
    if wanted.matching is not None:
        # Counted only as far as an instant export goes: past it, the job's INSERT … SELECT counts.
        if matching_count(session, wanted.matching, settings.export_inline_rows + 1) > settings.export_inline_rows:
            return _start_matching_job(host, wanted, wanted.matching, exporter, preset)
        ids = export_ids(session.scalars(wanted.matching))
    else:
        ids = export_ids(wanted.order_ids)
    if len(ids) > settings.export_max_rows:  # every order is at least one row
        raise ExportTooLarge(len(ids), settings.export_max_rows)
    rows = None
    if len(ids) <= settings.export_inline_rows:
        rows = count_rows(session, host, ids, settings.export_max_rows)
        if rows <= settings.export_inline_rows:
            return _instant(host, wanted, ids, exporter, preset)
    export_id = _create_job(host, wanted, exporter, preset, order_count=len(ids), rows_total=rows)
    return _hand_over(host, export_id, exporter, lambda: store_ids(session, export_id, ids))


def _create_job(host: ExportHost, wanted: ExportRequest, exporter: Exporter, preset: str | None, *,
                order_count: int, rows_total: int | None = None) -> int:
    record = records.create_job(
        host.session, host.settings, host.export_folder(), actor=exporter.name, actor_id=exporter.actor_id,
        order_count=order_count, fmt=wanted.fmt, source=wanted.source, description=wanted.description,
        query_args=wanted.query_args, rows_total=rows_total, preset=preset,
        base_url=export_base_url(host.settings),  # the job writes links to where the manager is
        now=host.clock(),
    )
    return record.id


def _start_matching_job(host: ExportHost, wanted: ExportRequest, matching: Select[Any], exporter: Exporter,
                        preset: str | None) -> JobStarted:
    """A job over the orders ``matching`` gives, written by the database; more than the row limit allows (every
    order is at least one row) is refused, and the job it would have been is not kept."""
    settings, session = host.settings, host.session
    export_id = _create_job(host, wanted, exporter, preset, order_count=0)

    def store() -> None:
        orders = store_matching(session, export_id, matching, settings.export_max_rows + 1)
        if orders > settings.export_max_rows:
            raise ExportTooLarge(orders, settings.export_max_rows)
        records.set_order_count(session, export_id, orders)

    try:
        return _hand_over(host, export_id, exporter, store)
    except ExportTooLarge:
        records.discard_job(session, export_id)
        raise


def _instant(host: ExportHost, wanted: ExportRequest, ids: list[int], exporter: Exporter,
             preset: str | None) -> InstantExport:
    settings, session = host.settings, host.session
    if wanted.source != "order":  # one order's caller asked ("export", order) itself
        refusal = _instant_refusal(host, ids, exporter)
        if refusal is not None:
            raise ActionNotAllowed(refusal)
    written = write_file(session, ids, actor=exporter.name, fmt=wanted.fmt, panel=host,
                         storage=host.export_folder(), preset=preset)
    try:
        record = records.record_instant(
            session, host, actor=exporter.name, actor_id=exporter.actor_id, order_ids=written.summary.order_ids,
            rows=written.summary.rows, fmt=wanted.fmt, source=wanted.source, description=wanted.description,
            file_size=written.size, query_args=wanted.query_args, preset=preset, now=host.clock(),
        )
    except BaseException:
        written.close()
        raise
    return InstantExport(record.id, written)


def _instant_refusal(host: ExportHost, ids: list[int], exporter: Exporter) -> Message | None:
    """The access rule on each order, as the exporter: in their own request as it is; elsewhere (a host's code,
    the command line) as their user, loaded (``access.acting_as``)."""
    # With no host rule nothing is asked per order: no user to load.
    if host.settings.access is None or (has_request_context() and access.user_id() == exporter.user_id):
        return ids_refusal(host.session, host, ids)
    with access.acting_as(exporter.user_id):
        return ids_refusal(host.session, host, ids)


def _hand_over(host: ExportHost, export_id: int, exporter: Exporter, store: Callable[[], None]) -> JobStarted:
    """Write the new job's orders (``store``), commit, hand the job to the runner. If either fails, the job
    is failed saying why (ExportTooLarge from ``store`` is the caller's)."""
    session = host.session
    try:
        store()
        session.commit()
    except ExportTooLarge:
        session.rollback()
        raise
    except Exception as error:
        session.rollback()
        logger.exception("the orders of export %s could not be stored", export_id)
        return _failed_at_start(host, export_id, N_(
            "The export failed unexpectedly (%(error)s); the server log has the details.", error=type(error).__name__))
    return _submit(host, export_id, exporter)


def _submit(host: ExportHost, export_id: int, exporter: Exporter) -> JobStarted:
    """Hand a committed queued job to the runner; if the runner is unreachable, the job fails saying so."""
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a proxy
        runner_job_id = host.export_runner().submit(app, export_id, exporter.user_id)
    except Exception as error:
        logger.exception("export %s could not be handed to the %s runner", export_id, host.settings.export_runner)
        return _failed_at_start(host, export_id, N_(
            "The export could not be queued (%(error)s): the export queue cannot be reached. Try again later, "
            "or tell the shop's administrator.", error=type(error).__name__))
    if runner_job_id:
        records.set_runner_job_id(host.session, export_id, runner_job_id)
    return JobStarted(export_id)


def _failed_at_start(host: ExportHost, export_id: int, message: Message) -> JobStarted:
    records.fail_queued(host.session, export_id, message, host.clock())
    return JobStarted(export_id, failure=message)


def _runner_job_id(host: ExportHost, export_id: int) -> str | None:
    """The export's runner job id; ExportNotFound when there is no such export."""
    found = host.session.execute(select(ExportRecord.runner_job_id).where(ExportRecord.id == export_id)).first()
    if found is None:
        raise ExportNotFound(N_("There is no export #%(id)s.", id=export_id))
    runner_job_id: str | None = found.runner_job_id
    return runner_job_id


def cancel_export(host: ExportHost, export_id: int) -> bool:
    """Cancel a queued or running job (a queued one is also dropped from its runner's queue where the runner
    can); False when it had already ended. ExportNotFound when there is no such export. Who may cancel it
    is the caller's to decide."""
    runner_job_id = _runner_job_id(host, export_id)
    if not records.mark_canceled(host.session, export_id, host.clock()):
        return False
    host.export_runner().cancel(runner_job_id)
    return True


def run_export_again(host: ExportHost, export_id: int, exporter: Exporter) -> JobStarted:
    """A new job over the same orders as export ``export_id`` (copied in the database), in its format and column
    set (a filter is not applied again); the access rule is asked about each order by its worker, as for
    any job. ExportNotFound when there is no such export, ExportStillRunning while it is queued or running;
    the job limits apply (ExportLimitReached, ExportOwnerUnknown)."""
    session = host.session
    record = session.get(ExportRecord, export_id, populate_existing=True)  # its latest state
    if record is None:
        raise ExportNotFound(N_("There is no export #%(id)s.", id=export_id))
    if record.active:
        raise ExportStillRunning(N_("Export #%(id)s is still being prepared.", id=export_id))
    again = records.create_job(
        session, host.settings, host.export_folder(), actor=exporter.name, actor_id=exporter.actor_id,
        order_count=record.order_count, fmt=record.fmt, source=record.source, description=record.description,
        query_args=record.query_args, retry_of_id=record.id, preset=record.preset, base_url=record.base_url,
        now=host.clock(),
    )
    return _hand_over(host, again.id, exporter, lambda: store_copy(session, again.id, export_id))


@dataclass(frozen=True)
class Purged:
    expired: int  # finished exports past ORDER_ADMIN_EXPORT_KEEP_HOURS, their files deleted
    failed: int  # jobs whose worker stopped (or that no worker took), marked failed


def purge_exports(host: ExportHost) -> Purged:
    """Tidy the exports up: fail the jobs whose worker stopped, expire old files (My exports does it as it opens,
    ``flask order-admin purge-exports`` for cron)."""
    folder, now = host.export_folder(), host.clock()
    failed = records.fail_stale(host.session, host.settings, folder, now)
    return Purged(expired=records.purge_expired(host.session, host.settings, folder, now), failed=failed)

