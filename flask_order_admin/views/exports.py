"""My exports: the exports log as a list, each export's progress page (polled as JSON), Cancel,
Run again and the download of a finished file.

A manager sees their own exports; a user the host's access callable answers True for
``"all_exports"`` sees everyone's (the audit view; the default rule never grants it). Downloads also need the export right on the export's orders
(``require_export_of``), so taking the right away also closes the files already made.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from flask import abort, flash, jsonify, redirect, send_file, url_for
from flask_admin import expose
from flask_admin.contrib.sqla import filters as sqla_filters
from sqlalchemy import false
from markupsafe import Markup
from werkzeug.wrappers import Response

from .. import access
from ..export.download import attachment_headers, export_filename
from ..export.files import CONTENT_TYPES
from ..panel import OrderPanel
from ..i18n import gettext, lazy_gettext, lazy_pgettext, translate
from ..jobs.records import expire_if_due, fail_if_stale
from ..jobs.selection import all_ids, first_ids
from ..jobs.service import Exporter, cancel_export, purge_exports, run_export_again
from ..jobs.storage import file_path
from ..models import ExportRecord, ExportState
from ..services.transaction import MAX_ID
from .actions import form_problem
from .base import OrderAdminView
from .exporting import job_started
from . import formats
from .forms import ExportJobForm
from .listing import TextValue
from .presentation import Presenter

logger = logging.getLogger("flask_order_admin.export")

STATE_LABELS = {
    ExportState.QUEUED: lazy_pgettext("export state", "Waiting to start"),
    ExportState.RUNNING: lazy_pgettext("export state", "Being prepared"),
    ExportState.DONE: lazy_pgettext("export state", "Ready"),
    ExportState.FAILED: lazy_pgettext("export state", "Failed"),
    ExportState.CANCELED: lazy_pgettext("export state", "Canceled"),
    ExportState.EXPIRED: lazy_pgettext("export state", "Expired"),
}
STATE_BADGES = {
    ExportState.QUEUED: "secondary", ExportState.RUNNING: "primary", ExportState.DONE: "success",
    ExportState.FAILED: "danger", ExportState.CANCELED: "dark", ExportState.EXPIRED: "light",
}


def clock(seconds: float) -> str:
    """1:05 or 1:02:03."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def state_badge(record: ExportRecord) -> Markup:
    label = STATE_LABELS.get(record.state, record.state)
    if record.runner == "inline" and record.state == ExportState.DONE:
        label = lazy_pgettext("export state", "Downloaded")
    return Markup('<span class="badge badge-{}" data-state="{}">{}</span>').format(
        STATE_BADGES.get(record.state, "light"), record.state, label
    )


def progress_facts(record: ExportRecord, now: datetime) -> dict[str, Any]:
    """What the progress bar shows: the figures and their sentences (the JSON poll and the page share it)."""
    written, total = record.rows_written or 0, record.rows_total
    percent = 100 if record.state == ExportState.DONE else (min(99, int(written * 100 / total)) if total else 0)
    started = record.started_at
    elapsed = ((record.finished_at or now) - started).total_seconds() if started else 0.0
    remaining = None
    if record.state == ExportState.RUNNING and total and 0 < written < total and elapsed > 0:
        remaining = (total - written) * elapsed / written
    if total is None:
        rows_text = gettext("Counting the rows…") if record.active else ""
    elif record.state == ExportState.RUNNING and written >= total:
        rows_text = gettext("%(total)s rows written; saving the file…", total=formats.amount(total))
    else:
        rows_text = gettext(
            "%(written)s of %(total)s rows", written=formats.amount(written), total=formats.amount(total)
        )
    if record.state == ExportState.QUEUED:
        time_text = gettext("Waiting for a free export worker…")
    elif remaining is not None:
        time_text = gettext("%(elapsed)s elapsed, about %(remaining)s left", elapsed=clock(elapsed), remaining=clock(remaining))
    elif started:
        time_text = gettext("%(elapsed)s elapsed", elapsed=clock(elapsed))
    else:
        time_text = ""
    return {
        "state": record.state, "state_label": str(STATE_LABELS.get(record.state, record.state)),
        "active": record.active, "rows_written": written, "rows_total": total, "percent": percent,
        "elapsed_seconds": round(elapsed, 1), "remaining_seconds": None if remaining is None else round(remaining, 1),
        "rows_text": rows_text, "time_text": time_text,
        "error": None if record.error is None else translate(record.error_message or ""),
        "file_size": record.file_size, "file_size_text": formats.file_size(record.file_size),
    }


def _when_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> str:
    return Presenter(view.settings).short_when(record.created_at)


def _what_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> Any:
    return Markup('<a href="{}">{}</a>').format(
        view.get_url(".progress_view", export_id=record.id), translate(record.description_message))


def _state_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> Any:
    badge = state_badge(record)
    if record.active:
        return badge + Markup(' <small class="text-muted">{}%</small>').format(progress_facts(record, view.state.clock())["percent"])
    if record.state == ExportState.FAILED and record.error:
        return badge + Markup('<small class="d-block text-danger order-admin-export-error">{}</small>').format(
            translate(record.error_message or ""))
    return badge


def _rows_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> str:
    if record.rows_total is None:
        return "—"
    if record.state in (ExportState.DONE, ExportState.EXPIRED):
        return formats.amount(record.rows_written or 0)
    # Still going, or stopped on the way: how far it got.
    return gettext("%(written)s of %(total)s", written=formats.amount(record.rows_written or 0),
                   total=formats.amount(record.rows_total))


def _size_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> str:
    return formats.file_size(record.file_size)


def _file_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> Any:
    if record.runner == "inline":
        return Markup('<span class="text-muted" title="{}">—</span>').format(
            gettext("Small exports download at once; no file is kept."))
    if record.state == ExportState.DONE:
        return Markup('<a class="btn btn-sm btn-success" href="{}" data-download="{}">{}</a>').format(
            view.get_url(".download_view", export_id=record.id), record.id, gettext("Download"))
    return Markup('<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>').format(
        view.get_url(".progress_view", export_id=record.id), gettext("Details"))


def _format_cell(view: ExportsView, context: Any, record: ExportRecord, name: str) -> str:
    return f".{record.fmt}"


class StateFilter(TextValue, sqla_filters.FilterEqual):
    pass  # a value holding NUL or too long is refused, as on the orders lists (listing.TextValue)


class ActorFilter(TextValue, sqla_filters.FilterLike):
    pass


class ExportsView(OrderAdminView):
    """The exports log (read-only), reached from the "My exports" tab of the orders lists."""

    list_tab = "exports"
    list_template = "order_admin/exports.html"
    column_display_actions = False
    page_size = 20
    column_list = ["id", "created_at", "actor", "description", "fmt", "state", "rows", "file_size", "file"]
    numeric_columns = ("rows", "file_size")
    column_labels = {
        "id": "#", "created_at": lazy_gettext("Started"), "actor": lazy_gettext("Who"),
        "description": lazy_gettext("What"), "fmt": lazy_gettext("Format"), "state": lazy_gettext("State"),
        "rows": lazy_gettext("Rows"), "file_size": lazy_pgettext("file size", "Size"), "file": lazy_gettext("File"),
    }
    column_sortable_list = ["id", "created_at", "actor", "state"]
    column_default_sort = ("id", True)
    column_formatters = {
        "created_at": _when_cell, "description": _what_cell, "state": _state_cell, "rows": _rows_cell,
        "file_size": _size_cell, "file": _file_cell, "fmt": _format_cell,
    }

    def __init__(self, state: OrderPanel) -> None:
        settings = state.settings
        self.column_filters = [
            StateFilter("state", lazy_gettext("State"), options=[(code, label) for code, label in STATE_LABELS.items()]),
            ActorFilter("actor", lazy_gettext("Who")),
        ]
        super().__init__(
            ExportRecord, state, name=lazy_gettext("My exports"), endpoint=f"{settings.endpoint_prefix}_exports",
            url=f"{settings.url}/exports",
        )

    def is_visible(self) -> bool:
        return False  # reached through the "My exports" tab of the orders lists

    def is_accessible(self) -> bool:
        return super().is_accessible() and (self.sees_all() or access.is_allowed(self.settings, "export"))

    def sees_all(self) -> bool:
        return access.explicitly_allowed(self.settings, "all_exports")

    def owned(self, query: Any) -> Any:
        """The query's exports the current user may see: everyone's for an auditor, else those their
        ``ORDER_ADMIN_ACTOR_ID`` owns (none for a user without one; an export's name never decides)."""
        if self.sees_all():
            return query
        actor_id = access.actor_id(self.settings)
        return query.filter(false() if actor_id is None else ExportRecord.actor_id == actor_id)

    def get_query(self) -> Any:
        return self.owned(super().get_query())

    def get_count_query(self) -> Any:
        return self.owned(super().get_count_query())

    @expose("/")
    def index_view(self) -> Any:
        # Opening the list tidies up: jobs whose worker stopped fail, expired files go (a SELECT each when
        # there is nothing to do, and a look at the folder).
        purge_exports(self.state)
        self._template_args["keep_hours"] = self.settings.export_keep_hours
        self._template_args["sees_all"] = self.sees_all()
        return super().index_view()

    def load_export(self, export_id: int) -> ExportRecord:
        """The export, if the current user may see it (their own, or everyone's with "all_exports"); else 404.
        Past its keep time it reads expired (and its file is gone) even before the purge ran."""
        if export_id > MAX_ID:  # no database takes it as an id
            abort(404)
        record = self.state.session.get(ExportRecord, export_id, populate_existing=True)  # always the latest state
        if record is None or not (self.sees_all() or self._owns(record)):
            abort(404)
        expire_if_due(self.state.session, self.settings, self.state.export_folder(), record, self.state.clock())
        return cast("ExportRecord", record)

    def _owns(self, record: ExportRecord) -> bool:
        actor_id = access.actor_id(self.settings)
        return actor_id is not None and record.actor_id == actor_id

    @expose("/<int:export_id>/")
    def progress_view(self, export_id: int) -> str:
        record = self.load_export(export_id)
        fail_if_stale(self.state.session, self.settings, self.state.export_folder(), record, self.state.clock())
        return self.render(
            "order_admin/export_progress.html", export=record, facts=progress_facts(record, self.state.clock()),
            state_badge=state_badge(record), form=ExportJobForm(),
            status_url=self.get_url(".status_view", export_id=record.id),
            list_url=self.get_url(".index_view"),
            orders_url=url_for(f"{self.settings.endpoint_prefix}_orders.index_view"),
            keep_hours=self.settings.export_keep_hours,
        )

    @expose("/<int:export_id>/status.json")
    def status_view(self, export_id: int) -> Response:
        """The progress bar's poll: the same few statements whatever the export's size."""
        record = self.load_export(export_id)
        fail_if_stale(self.state.session, self.settings, self.state.export_folder(), record, self.state.clock())
        facts = progress_facts(record, self.state.clock())
        if record.state == ExportState.DONE:
            facts["download_url"] = self.get_url(".download_view", export_id=record.id)
        response = jsonify(facts)
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/<int:export_id>/cancel/", methods=("POST",))
    def cancel_view(self, export_id: int) -> Response:
        record = self.load_export(export_id)
        back = self.get_url(".progress_view", export_id=export_id)
        form = ExportJobForm()
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(back)
        if cancel_export(self.state, record.id):
            flash(gettext("Export #%(id)s was canceled.", id=export_id), "success")
        else:
            flash(gettext("Export #%(id)s had already ended, so there was nothing to cancel.", id=export_id), "error")
        return redirect(back)

    @expose("/<int:export_id>/again/", methods=("POST",))
    def again_view(self, export_id: int) -> Response:
        """Run again: a new job over the same orders (copied in the database), in the same format (the filter
        is not applied again)."""
        record = self.load_export(export_id)
        back = self.get_url(".progress_view", export_id=export_id)
        form = ExportJobForm()
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(back)
        # The access rule is asked about each order by the new job's worker, as for any job.
        self.require("export")
        self.refusals_go_to(back)
        again = run_export_again(self.state, record.id, Exporter.current(self.settings))
        if again.queued:
            flash(gettext("Export #%(id)s runs again as export #%(again)s.", id=export_id, again=again.export_id),
                  "success")
        return job_started(self.state, again)

    @expose("/<int:export_id>/download/")
    def download_view(self, export_id: int) -> Response:
        record = self.load_export(export_id)
        session = self.state.session
        self.require_export_of(all_ids(session, record.id))
        if record.state != ExportState.DONE or not record.file_name:
            flash(self._unavailable(record), "error")
            return redirect(self.get_url(".progress_view", export_id=export_id))
        path = file_path(self.state.export_folder(), record.file_name)
        if not path.is_file():
            flash(gettext("The file of export #%(id)s is no longer there (it may have expired); run it again.",
                          id=export_id), "error")
            return redirect(self.get_url(".progress_view", export_id=export_id))
        logger.info("%s downloaded export %s (%d orders, .%s)", access.actor_name(self.settings), record.id, record.order_count,
                    record.fmt, extra={"actor": access.actor_name(self.settings), "export_id": record.id})
        response = send_file(path, mimetype=CONTENT_TYPES[record.fmt], conditional=False, max_age=0)
        # One order's file is named by its number: a shop's own number is looked up (one statement).
        first = first_ids(session, record.id, 2)
        numbers = self.state.store.numbers_of(session, first[:1], self.settings.number_format)
        attachment_headers(response, export_filename(first, record.fmt, record.created_at, numbers))
        return response

    def _unavailable(self, record: ExportRecord) -> str:
        if record.state == ExportState.EXPIRED:
            return gettext("Export #%(id)s expired and its file was deleted; run it again.", id=record.id)
        if record.active:
            return gettext("Export #%(id)s is not ready yet.", id=record.id)
        return gettext("Export #%(id)s has no file (%(state)s).", id=record.id,
                       state=STATE_LABELS.get(record.state, record.state))
