"""Starting an export from the panel: the export use case (jobs/service.py) as the request's user, answered
with the file (an instant export) or a redirect to the new job's progress page."""

from __future__ import annotations

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response

from ..panel import OrderPanel
from ..i18n import gettext
from ..jobs.service import Exporter, ExportRequest, InstantExport, JobStarted
from ..jobs.service import start_export as start

__all__ = ["ExportRequest", "job_started", "progress_url", "start_export"]


def progress_url(state: OrderPanel, export_id: int) -> str:
    return url_for(f"{state.settings.endpoint_prefix}_exports.progress_view", export_id=export_id)


def start_export(state: OrderPanel, wanted: ExportRequest) -> Response:
    """The file at once, or a redirect to the new job's progress page. A refusal is an ``OrderActionError`` for
    the view's handler. The caller checks ("export", None), or for one order's export ("export", order)."""
    result = start(state, wanted, Exporter.current(state.settings))
    if isinstance(result, InstantExport):
        return result.file.response()
    if result.queued:
        flash(gettext("Export #%(id)s is being prepared in the background.", id=result.export_id), "success")
    return job_started(state, result)


def job_started(state: OrderPanel, started: JobStarted) -> Response:
    """The job's progress page; a job that failed at once says so there (its record has why)."""
    if not started.queued:
        flash(gettext("The export could not be started; see below why."), "error")
    return redirect(progress_url(state, started.export_id))
