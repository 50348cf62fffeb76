"""Starting an export from the panel: an instant download up to ``ORDER_ADMIN_EXPORT_INLINE_ROWS`` rows,
a background job above it (then the manager goes to its progress page). Every export is recorded.

The request that starts a job stays short whatever the export's size and whatever the access rule
(docs/design.md, "Export snapshots"): it counts the matching orders only as far as an instant export
goes, counts rows only when there are few enough orders that the export might be instant, and writes
a job's orders into its side table with one ``INSERT … SELECT`` (which counts them); the access rule
is asked about each order by the job's worker. Only an instant export asks the rule in the request, about at most
``ORDER_ADMIN_EXPORT_INLINE_ROWS`` orders.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app, flash, redirect, url_for
from sqlalchemy import Select, delete, update
from werkzeug.wrappers import Response

from .. import access
from ..domain.messages import N_, Message, stored_text
from ..errors import ActionNotAllowed
from ..export.download import Download, prepare_download
from ..errors import ExportTooLarge
from ..export.files import check_format_offered, export_base_url, export_preset
from ..export.query import count_rows, export_ids
from ..panel import OrderPanel
from ..jobs.records import create_job, record_instant
from ..jobs.selection import matching_count, store_ids, store_matching
from ..i18n import gettext
from ..models import ERROR_LIMIT, ExportRecord, ExportState
from .export_access import export_refusal

logger = logging.getLogger("flask_order_admin.export")


@dataclass(frozen=True)
class ExportRequest:
    order_ids: Sequence[object]  # the orders given (one order, the selected rows); unused with ``matching``
    fmt: str
    source: str  # "order", "selected" or "matching"
    description: Message | str  # kept untranslated: the exports log shows it in each manager's language
    query_args: Mapping[str, Any] | None = None
    # "matching": a SELECT of the ids the list's filters match, run by the database, never read into the request.
    matching: Select[Any] | None = None
    preset: str | None = None  # an ORDER_ADMIN_EXPORT_PRESETS key; None: the default columns


def progress_url(state: OrderPanel, export_id: int) -> str:
    return url_for(f"{state.settings.endpoint_prefix}_exports.progress_view", export_id=export_id)


def start_export(state: OrderPanel, wanted: ExportRequest) -> Response:
    """The file at once, or a redirect to the new job's progress page. A refusal (too big, over the limits,
    an order the access rule denies in an instant export) is an ``OrderActionError`` for the view's handler.

    The caller checks ("export", None), or for one order's export ("export", order).
    """
    settings, session, actor = state.settings, state.session, access.actor_name(state.settings)
    actor_id = access.actor_id(settings)  # owns the export; the name is only shown
    check_format_offered(wanted.fmt)
    preset = export_preset(settings, wanted.preset).key if wanted.preset else None
    if wanted.matching is not None:
        # Counted only as far as an instant export goes: past it, the job's INSERT … SELECT counts.
        if matching_count(session, wanted.matching, settings.export_inline_rows + 1) > settings.export_inline_rows:
            return _start_matching_job(state, wanted, wanted.matching, actor, actor_id, preset)
        ids = export_ids(session.scalars(wanted.matching))
    else:
        ids = export_ids(wanted.order_ids)
    if len(ids) > settings.export_max_rows:  # every order is at least one row
        raise ExportTooLarge(len(ids), settings.export_max_rows)
    rows = None
    if len(ids) <= settings.export_inline_rows:
        rows = count_rows(session, state, ids, settings.export_max_rows)
        if rows <= settings.export_inline_rows:
            return _instant(state, wanted, ids, actor, actor_id, preset)
    record = create_job(
        session, settings, state.export_folder(), actor=actor, actor_id=actor_id, order_count=len(ids), fmt=wanted.fmt,
        source=wanted.source, description=wanted.description, query_args=wanted.query_args, rows_total=rows,
        preset=preset, base_url=export_base_url(settings),  # the job writes links to where the manager is
        now=state.clock(),
    )
    return _submitted(state, record, lambda: store_ids(session, record.id, ids))


def _start_matching_job(state: OrderPanel, wanted: ExportRequest, matching: Select[Any], actor: str,
                        actor_id: str | None, preset: str | None) -> Response:
    """A job over the list's matching orders (``matching``, the request's SELECT), written by the database;
    more than the row limit allows (every order is at least one row) is refused, and the job it would have
    been is not kept."""
    settings, session = state.settings, state.session
    record = create_job(
        session, settings, state.export_folder(), actor=actor, actor_id=actor_id, order_count=0, fmt=wanted.fmt,
        source=wanted.source, description=wanted.description, query_args=wanted.query_args,
        preset=preset, base_url=export_base_url(settings), now=state.clock(),
    )
    export_id = record.id

    def store() -> None:
        orders = store_matching(session, export_id, matching, settings.export_max_rows + 1)
        if orders > settings.export_max_rows:
            raise ExportTooLarge(orders, settings.export_max_rows)
        session.execute(update(ExportRecord).where(ExportRecord.id == export_id).values(order_count=orders))

    try:
        return _submitted(state, record, store)
    except ExportTooLarge:
        session.execute(delete(ExportRecord).where(ExportRecord.id == export_id))  # never a job: no trace
        session.commit()
        raise


def _submitted(state: OrderPanel, record: ExportRecord, store: Callable[[], None]) -> Response:
    """Write the new job's orders (``store``), commit, hand the job to the runner, go to its progress page."""
    if _store_orders(state, record.id, store) and submit_job(state, record):
        flash(gettext("Export #%(id)s is being prepared in the background.", id=record.id), "success")
    return redirect(progress_url(state, record.id))


def _instant(state: OrderPanel, wanted: ExportRequest, ids: list[int], actor: str, actor_id: str | None,
             preset: str | None) -> Response:
    settings, session = state.settings, state.session
    if wanted.source != "order":  # one order's view asked ("export", order) itself
        refusal = export_refusal(session, state, ids)
        if refusal is not None:
            raise ActionNotAllowed(refusal)
    download: Download = prepare_download(session, ids, actor=actor, fmt=wanted.fmt, storage=state.export_folder(),
                                preset=preset)
    record_instant(
        session, state, actor=actor, actor_id=actor_id, order_ids=download.summary.order_ids,
        rows=download.summary.rows, fmt=wanted.fmt, source=wanted.source, description=wanted.description,
        file_size=download.size, query_args=wanted.query_args, preset=preset, now=state.clock(),
    )
    return download.response


def _store_orders(state: OrderPanel, export_id: int, store: Callable[[], None]) -> bool:
    """Write the new job's orders; if that fails, the job fails saying so and the manager sees it on its
    progress page. ExportTooLarge is the caller's."""
    session = state.session
    try:
        store()
        session.commit()
        return True
    except ExportTooLarge:
        session.rollback()
        raise
    except Exception as error:
        session.rollback()
        logger.exception("the orders of export %s could not be stored", export_id)
        _fail_queued(state, export_id, N_(
            "The export failed unexpectedly (%(error)s); the server log has the details.", error=type(error).__name__))
        flash(gettext("The export could not be started; see below why."), "error")
        return False


def _fail_queued(state: OrderPanel, export_id: int, message: Message) -> None:
    session = state.session
    session.query(ExportRecord).filter_by(id=export_id, state=ExportState.QUEUED).update({
        "state": ExportState.FAILED, "finished_at": state.clock(), "error": stored_text(message, ERROR_LIMIT),
    })
    session.commit()


def submit_job(state: OrderPanel, record: ExportRecord) -> bool:
    """Hand a committed queued job to the runner; if the runner is unreachable, the job fails saying so."""
    session = state.session
    export_id = record.id
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a proxy
        runner_job_id = state.export_runner().submit(app, export_id, access.user_id())
    except Exception as error:
        logger.exception("export %s could not be handed to the %s runner", export_id, state.settings.export_runner)
        _fail_queued(state, export_id, N_(
            "The export could not be queued (%(error)s): the export queue cannot be reached. Try again later, "
            "or tell the shop's administrator.", error=type(error).__name__))
        flash(gettext("The export could not be started; see below why."), "error")
        return False
    if runner_job_id:
        session.query(ExportRecord).filter_by(id=export_id).update({"runner_job_id": runner_job_id})
        session.commit()
    return True
