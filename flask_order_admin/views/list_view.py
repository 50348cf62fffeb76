"""The orders lists (both tabs, "By orders" and "By items"): what they share besides the access rule: the
status pills, the exports (views/list_exports.py) and the bulk actions (views/bulk.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import has_request_context
from sqlalchemy import Select

from ..domain import OrderStatus
from ..domain.messages import Message
from ..i18n import gettext
from ..services.row_estimates import planned_rows
from .base import OrderAdminView
from .bulk import BULK_ACTIONS, BulkActionsMixin, bulk_action_off
from .flask_admin_internals import template_args
from .list_exports import ListExportsMixin
from .list_filters import refused_filter_args, search_box_fields, status_url
from .listing import OrderScope
from .presentation import STATUS_BADGES, Presenter
from .status_pills import StatusPill, other_filters_applied, shown_statuses, status_counts


class OrderListView(ListExportsMixin, BulkActionsMixin, OrderAdminView):
    list_tab: str  # "orders" or "items"

    def order_ids_of(self, row_ids: Sequence[str]) -> list[int]:
        raise NotImplementedError

    def matching_order_ids(self, limit: int | None = None) -> list[int]:
        """The ids of the orders the list's current filters match (at most ``limit`` of them)."""
        raise NotImplementedError

    def matching_ids_select(self) -> Select[Any]:
        """A SELECT of those ids (maybe repeated), for the database to run (an export's ``INSERT … SELECT``)."""
        raise NotImplementedError

    def selection_description(self, order_ids: Sequence[int]) -> Message:
        raise NotImplementedError

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute and has_request_context():
            template_args(self)["status_pills"] = self.status_pills(filters, search)
        return count, rows

    def status_pills(self, filters: Any, search: str | None = None) -> list[StatusPill]:
        """The pills above the list: every status with its count (views/status_pills.py), and "All statuses"."""
        binding, settings = self.binding, self.settings
        statuses = [status for status in OrderStatus if binding.statuses.is_mapped(status)]
        scope = OrderScope(binding, lines=self.list_tab == "items")
        counts = status_counts(self.state.session, scope, other_filters_applied(self, filters, search), statuses,
                               settings.status_count_budget, self.planned_rows)
        shown = shown_statuses(self, filters)
        presenter = Presenter(settings)
        pills = [StatusPill(None, gettext("All statuses"), None, status_url(self, []), not shown)]
        for status in statuses:
            active = status in shown
            if not counts[status] and not active:
                continue
            if shown:
                selection = [s for s in shown if s != status] if active else [*shown, status]
                toggle_url, adds = status_url(self, selection), not active
            else:
                toggle_url, adds = None, True
            pills.append(StatusPill(
                status, presenter.status_label(status.value), counts[status], status_url(self, [status]), active,
                toggle_url, adds, STATUS_BADGES.get(status, "light"),
            ))
        return pills

    def planned_rows(self, session: Any, statements: Sequence[Select[Any]]) -> list[float] | None:
        """The database planner's row estimate of each statement (the pills' budget asks it; tests replace it)."""
        return planned_rows(session, statements)

    def search_box_fields(self) -> list[tuple[str, str]]:
        """The list's filter arguments, hidden fields of its search box: it searches within them."""
        return search_box_fields(self)

    def refused_filter_args(self) -> list[str]:
        return refused_filter_args(self)

    def is_action_allowed(self, name: str) -> bool:
        if not self.export_action_offered(name):
            return False
        if name in BULK_ACTIONS and bulk_action_off(self.settings, BULK_ACTIONS[name], self.binding):
            return False
        return super().is_action_allowed(name)

    def get_actions_list(self) -> tuple[list[Any], dict[Any, Any]]:
        actions, confirmations = super().get_actions_list()
        return self.export_action_labels(actions), confirmations

    def matching_query(self) -> Any:
        """The list's query with the request's search and filters, unsorted and unpaged."""
        view_args = self.list_view_args()
        _, query = self.get_list(0, None, False, view_args.search, view_args.filters, execute=False, page_size=0)
        return query.order_by(None)
