"""The "By orders" list tab, the order page and the search by number."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import flash, redirect, request
from flask_admin import expose
from flask_admin.babel import gettext, lazy_gettext
from werkzeug.wrappers import Response

from ..domain import Action, order_totals
from ..errors import OrderActionError
from ..extension import OrderAdminState
from ..models import Order
from ..services import get_order, search
from ..services.transaction import id_from_text
from .actions import OrderActionsMixin
from .base import OrderAdminView, OrderListView
from .forms import CommentForm
from .listing import BuyerEmailFilter, CustomerFilter, order_filters, order_link, page_totals, status_badge
from .menu import action_menu, action_refusal
from .presentation import Presenter
from .redirects import local_path

ORDER_PAGE_TABS = ("items", "history", "comments")


def _number_cell(view: OrderAdminView, context: Any, order: Order, name: str) -> Any:
    return order_link(view.settings, order.id, context.get("return_url"))


def _date_cell(view: OrderAdminView, context: Any, order: Order, name: str) -> str:
    return Presenter(view.settings).when(order.created_at)


def _provider_cell(view: OrderAdminView, context: Any, order: Order, name: str) -> str:
    return view.settings.provider_label(order.provider)


def _status_cell(view: OrderAdminView, context: Any, order: Order, name: str) -> Any:
    return status_badge(Presenter(view.settings), order.status)


def _lines_cell(view: OrderAdminView, context: Any, order: Order, name: str) -> Any:
    return context["page_totals"][order.id].lines


def _total_cell(view: OrderAdminView, context: Any, order: Order, name: str) -> str:
    return Presenter(view.settings).money(context["page_totals"][order.id].total)


class OrdersView(OrderActionsMixin, OrderListView):
    list_tab = "orders"
    can_view_details = True
    details_template = "order_admin/order.html"
    column_list = ["id", "created_at", "buyer_name", "provider", "status", "lines", "total"]
    column_labels = {
        "id": lazy_gettext("Number"), "created_at": lazy_gettext("Date"), "buyer_name": lazy_gettext("Buyer"),
        "provider": lazy_gettext("Provider"), "status": lazy_gettext("Status"), "lines": lazy_gettext("Lines"),
        "total": lazy_gettext("Total"),
    }
    column_sortable_list = ["id", "created_at", "buyer_name", "provider", "status"]
    column_default_sort = ("id", True)
    column_formatters = {
        "id": _number_cell, "created_at": _date_cell, "provider": _provider_cell, "status": _status_cell,
        "lines": _lines_cell, "total": _total_cell,
    }

    def __init__(self, state: OrderAdminState) -> None:
        settings = state.settings
        self.column_filters = order_filters(settings)
        super().__init__(
            Order, state, name=settings.menu_name, category=settings.menu_category,
            endpoint=f"{settings.endpoint_prefix}_orders", url=settings.url,
        )

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute:
            self._template_args["page_totals"] = page_totals(self.state.session, [order.id for order in rows])
        return count, rows

    def order_ids_of(self, row_ids: list[str]) -> list[int]:
        return [order_id for order_id in map(id_from_text, row_ids) if order_id is not None]

    def matching_order_ids(self) -> list[int]:
        return [order_id for (order_id,) in self.matching_query().with_entities(Order.id)]

    def selection_description(self, order_ids: Sequence[int]) -> str:
        if len(order_ids) == 1:
            return gettext("Order %(number)s", number=self.settings.number_format.format(order_ids[0]))
        return gettext("%(count)s selected orders", count=len(order_ids))

    def buyer_orders_url(self, order: Order) -> str | None:
        """The orders list filtered by this order's customer (its ref, or its email where it has none)."""
        ref = (order.customer_ref or "").strip()
        kind, value = (CustomerFilter, ref) if ref else (BuyerEmailFilter, order.buyer_email_key)
        if not value:
            return None
        index, flt = next((i, f) for i, f in enumerate(self._filters) if isinstance(f, kind))
        return self.get_url(".index_view", **{f"flt0_{self.get_filter_arg(index, flt)}": value})

    @expose("/details/")
    def details_view(self) -> Response | str:
        return_url = self.list_url()
        session, settings = self.state.session, self.settings
        try:
            order = get_order(session, request.args.get("id", ""))
        except OrderActionError as error:
            flash(str(error), "error")
            return redirect(return_url)
        candidates = self.merge_candidates_of(order)
        tab = request.args.get("tab")
        return self.render(
            self.details_template,
            model=order,
            order=order,
            items=order.items,  # one statement for every line, however many
            events=order.events,
            totals=order_totals(item.totals for item in order.items),
            menu=action_menu(settings, order, candidates),
            comment_refusal=action_refusal(settings, Action.COMMENT, order),
            comment_form=CommentForm(url=return_url),
            buyer_orders_url=self.buyer_orders_url(order),
            active_tab=tab if tab in ORDER_PAGE_TABS else "items",
            return_url=return_url,
            details_columns=[],
            get_value=self.get_detail_value,
        )

    @expose("/search/")
    def search_view(self) -> Response | str:
        """Digits of an order number: one match opens it, several are listed (the exact one first)."""
        return_url = self.list_url()
        text = request.args.get("q", "")
        try:
            found = search(self.state.session, text, settings=self.settings)
        except OrderActionError as error:
            flash(str(error), "error")
            return redirect(local_path(request.args.get("back")) or return_url)
        if len(found) == 1:
            return redirect(self.order_url(found[0].id, return_url))
        return self.render("order_admin/search_results.html", query=text, orders=found, return_url=return_url)
