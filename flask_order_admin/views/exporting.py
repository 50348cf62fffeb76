"""Starting an export from the panel: an instant download up to ``ORDER_ADMIN_EXPORT_INLINE_ROWS`` rows,
a background job above it (then the manager goes to its progress page). Every export is recorded.

The request that starts a job stays short whatever the export's size: it counts rows (COUNT
queries, at most one per 500 orders) only when there are few enough orders that the export might
be instant; with more orders than the threshold it is a job for sure, and the job counts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask import current_app, flash, redirect, url_for
from werkzeug.wrappers import Response

from .. import access
from ..domain.messages import N_, Message, stored_text
from ..export.download import prepare_download
from ..export.errors import ExportTooLarge
from ..export.files import check_format_offered
from ..export.query import count_rows, export_ids
from ..extension import OrderAdminState
from ..jobs.records import create_job, record_instant
from ..i18n import gettext, translate
from ..models import ERROR_LIMIT, ExportRecord, ExportState, utcnow

logger = logging.getLogger("flask_order_admin.export")


@dataclass(frozen=True)
class ExportRequest:
    order_ids: Sequence[object]
    fmt: str
    source: str  # "order", "selected" or "matching"
    description: Message | str  # kept untranslated: the exports log shows it in each manager's language
    query_args: Mapping[str, Any] | None = None


def progress_url(state: OrderAdminState, export_id: int) -> str:
    return url_for(f"{state.settings.endpoint_prefix}_exports.progress_view", export_id=export_id)


def start_export(state: OrderAdminState, wanted: ExportRequest) -> Response:
    """The file at once, or a redirect to the new job's progress page. A refusal (too big, over the limits)
    is an ``OrderActionError`` for the view's handler.

    Access checks are the caller's.
    """
    settings, session, actor = state.settings, state.session, access.actor_name(state.settings)
    check_format_offered(wanted.fmt)
    ids = export_ids(wanted.order_ids)
    if len(ids) > settings.export_max_rows:  # every order is at least one row
        raise ExportTooLarge(len(ids), settings.export_max_rows)
    rows = (count_rows(session, settings, ids, settings.export_max_rows)
            if len(ids) <= settings.export_inline_rows else None)
    if rows is not None and rows <= settings.export_inline_rows:
        download = prepare_download(session, ids, actor=actor, fmt=wanted.fmt)
        record_instant(
            session, settings, actor=actor, order_ids=download.summary.order_ids, rows=download.summary.rows,
            fmt=wanted.fmt, source=wanted.source, description=wanted.description, file_size=download.size,
            query_args=wanted.query_args,
        )
        return cast("Response", download.response)
    record = create_job(
        session, settings, state.export_folder(), actor=actor, order_ids=ids, fmt=wanted.fmt,
        source=wanted.source, description=wanted.description, query_args=wanted.query_args, rows_total=rows,
    )
    if submit_job(state, record):
        flash(gettext("Export #%(id)s is being prepared in the background.", id=record.id), "success")
    return redirect(progress_url(state, record.id))


def submit_job(state: OrderAdminState, record: ExportRecord) -> bool:
    """Hand a committed queued job to the runner; if the runner is unreachable, the job fails saying so."""
    session = state.session
    export_id = record.id
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a proxy
        runner_job_id = state.export_runner().submit(app, export_id)
    except Exception as error:
        logger.exception("export %s could not be handed to the %s runner", export_id, state.settings.export_runner)
        session.query(ExportRecord).filter_by(id=export_id, state=ExportState.QUEUED).update({
            "state": ExportState.FAILED, "finished_at": utcnow(),
            "error": stored_text(N_(
                "The export could not be queued (%(error)s): the export queue cannot be reached. Try again later, "
                "or tell the shop's administrator.", error=type(error).__name__), ERROR_LIMIT),
        })
        session.commit()
        flash(gettext("The export could not be started; see below why."), "error")
        return False
    if runner_job_id:
        session.query(ExportRecord).filter_by(id=export_id).update({"runner_job_id": runner_job_id})
        session.commit()
    return True
