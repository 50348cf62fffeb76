"""The orders lists' exports: the selected rows (a Flask-Admin "With selected" action per format) or every
row the current filters match (a POST form); small exports download at once, big ones become jobs
(views/exporting.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from flask import flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import Select
from werkzeug.wrappers import Response

from ..domain.messages import Message
from ..i18n import gettext, lazy_gettext
from .actions import form_problem
from .exporting import ExportRequest, start_export
from .forms import ExportForm
from .list_filters import filter_description

# The "With selected" export actions and the format each writes.
EXPORT_ACTIONS = {"export_selected": "xls", "export_selected_xlsx": "xlsx"}

if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker only
    from .base import OrderAdminView as _MixedInto
else:
    _MixedInto = object


class ListExportsMixin(_MixedInto):
    """Mixed into both list views (``OrderListView``), whose ``order_ids_of``, ``selection_description``,
    ``matching_ids_select``, ``refused_filter_args`` and ``list_view_args`` it uses."""

    list_tab: str  # "orders" or "items"

    if TYPE_CHECKING:
        def order_ids_of(self, row_ids: Sequence[str]) -> list[int]: ...
        def selection_description(self, order_ids: Sequence[int]) -> Message: ...
        def matching_ids_select(self) -> Select[Any]: ...
        def refused_filter_args(self) -> list[str]: ...

    def start_export(self, wanted: ExportRequest) -> Response:
        return start_export(self.state, wanted)

    def export_selected(self, row_ids: list[str], fmt: str) -> Response:
        """The ticked rows' orders: ("export", order) is asked about each by the instant export's request,
        or by the job's worker (views/exporting.py)."""
        self.require("export")
        order_ids = self.order_ids_of(row_ids)
        return self.start_export(ExportRequest(order_ids, fmt, "selected", self.selection_description(order_ids)))

    @action("export_selected", lazy_gettext("Export selected"))
    def action_export_selected(self, row_ids: list[str]) -> Response:
        return self.export_selected(row_ids, "xls")

    @action("export_selected_xlsx", lazy_gettext("Export selected"))
    def action_export_selected_xlsx(self, row_ids: list[str]) -> Response:
        return self.export_selected(row_ids, "xlsx")

    def export_action_offered(self, name: str) -> bool:
        """Whether the "With selected" entry ``name`` is offered: an export action only in an offered format."""
        fmt = EXPORT_ACTIONS.get(name)
        return fmt is None or fmt in self.settings.export_formats

    def export_action_labels(self, actions: list[Any]) -> list[Any]:
        """Flask-Admin's "With selected" entries; with several formats offered, one export entry per format."""
        several = len(self.settings.export_formats) > 1
        return [
            (name, gettext("Export selected (.%(format)s)", format=EXPORT_ACTIONS[name]) if several
             else gettext("Export selected")) if name in EXPORT_ACTIONS else (name, text)
            for name, text in actions
        ]

    @expose("/export-matching/", methods=("POST",))
    def export_matching_view(self) -> Response:
        """Every order the list's current filters (in this POST's query string) match."""
        self.require("export")
        back = self.get_url(".index_view", **request.args)
        self.refusals_go_to(back)
        if self.refused_filter_args():  # Flask-Admin would drop them, and the export would widen
            flash(gettext("Nothing was exported: a filter value is not valid."), "error")
            return redirect(back)
        form = ExportForm()
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(back)
        query_args = {key: values if len(values) > 1 else values[0] for key, values in request.args.lists()}
        fmt = cast(str, form.format.data)  # validated: a format
        wanted = ExportRequest((), fmt, "matching", self.filter_description(), query_args,
                               matching=self.matching_ids_select(), preset=form.preset.data or None)
        return self.start_export(wanted)

    def filter_description(self) -> Message:
        """The list's tab, filters and search in words (views/list_filters.py), for the exports log."""
        view_args = self.list_view_args()
        return filter_description(self, self.list_tab, view_args.filters, view_args.search)
