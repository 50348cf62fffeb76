"""The "By orders" list tab, the order page and the search box."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from flask import abort, current_app, flash, redirect, request
from flask_admin import expose
from sqlalchemy import Select
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from .. import access
from ..domain import Action, OrderStatus, order_totals
from ..domain.messages import N_, NP_, Message
from ..domain.search_keys import TYPED_TEXT_LENGTH, normalize_text
from ..panel import OrderPanel
from ..i18n import lazy_gettext, lazy_translate, translate
from ..store.records import OrderRecord, line_records, order_records
from ..services import events_of, get_order_record, preview_unmerge, search
from ..services.events import EventRecord
from ..services.moved_lines import moved_lines
from ..services.list_rows import column_select, column_values
from ..services.transaction import id_from_text
from .actions import OrderActionsMixin
from .base import OrderAdminView
from .flask_admin_internals import template_args
from .list_filters import list_url_with_filter
from .list_view import OrderListView
from .forms import CommentForm
from .notes import OrderNotesMixin, notes_on_page
from .listing import (
    BuyerEmailFilter, CustomerFilter, order_filters, page_totals, sort_target,
)
from .history import history_lines, linked_order_ids
from .menu import action_menu, refusal_for_current_user, unmerge_access_refusal
from .presentation import Presenter
from .redirects import local_path, with_query_arg
from .search_scope import search_scope

ORDER_PAGE_TABS = ("items", "history", "comments")


def _record(view: OrderAdminView, context: Any, order: Any) -> OrderRecord:
    return cast("OrderRecord", context["order_records"][view.binding.order_id(order)])


def _number_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> Any:
    record = _record(view, context, order)
    return context["oa"].order_link(record.id, record.number)


def _date_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> str:
    return cast("str", context["oa"].short_when(_record(view, context, order).created_at))


def _buyer_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> str:
    return _record(view, context, order).buyer_name or ""


def _provider_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> str:
    return cast("str", context["oa"].provider_label(_record(view, context, order).provider))


def _status_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> Any:
    return context["oa"].status_badge(_record(view, context, order))


def _lines_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> Any:
    return context["page_totals"][view.binding.order_id(order)].lines


def _total_cell(view: OrderAdminView, context: Any, order: Any, name: str) -> str:
    record = _record(view, context, order)
    return cast("str", context["oa"].money(context["page_totals"][record.id].total, record.currency))


class OrdersView(OrderNotesMixin, OrderActionsMixin, OrderListView):
    list_tab = "orders"
    can_view_details = True
    details_template = "order_admin/order.html"
    column_list = ["number", "created_at", "buyer_name", "provider", "status", "lines", "total"]
    numeric_columns = ("lines", "total")
    column_labels = {
        "number": lazy_gettext("Number"), "created_at": lazy_gettext("Date"), "buyer_name": lazy_gettext("Buyer"),
        "provider": lazy_gettext("Provider"), "status": lazy_gettext("Status"), "lines": lazy_gettext("Lines"),
        "total": lazy_gettext("Total"),
    }
    column_formatters = {
        "number": _number_cell, "created_at": _date_cell, "buyer_name": _buyer_cell, "provider": _provider_cell,
        "status": _status_cell, "lines": _lines_cell, "total": _total_cell,
    }

    def __init__(self, state: OrderPanel) -> None:
        settings, binding = state.settings, state.store
        self.column_filters = order_filters(settings, binding)
        number = binding.numbers.field
        sortable = [("number", binding.order_pk if number is None else number.attribute)]
        for name in ("created_at", "buyer_name", "provider", "status"):
            target = sort_target(binding, binding.order, binding.order_field(name))
            if target is not None:
                sortable.append((name, target))
        self.column_sortable_list = sortable
        self.column_default_sort = (binding.order_pk_key, True)
        super().__init__(
            binding.order, state, name=lazy_translate(settings.menu_name), category=settings.menu_category,
            endpoint=f"{settings.endpoint_prefix}_orders", url=settings.url,
        )

    def get_query(self) -> Any:
        # The fields read through a relationship (a shop's customer table) come in the same statement.
        return super().get_query().options(*self.binding.order_load_options())

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute:
            session, settings = self.state.session, self.settings
            records = order_records(session, self.binding, rows, settings.number_format)
            template_args(self)["order_records"] = {record.id: record for record in records}
            template_args(self)["page_totals"] = page_totals(session, [r.id for r in records], self.state)
        return count, rows

    def order_ids_of(self, row_ids: Sequence[str]) -> list[int]:
        return [order_id for order_id in map(id_from_text, row_ids) if order_id is not None]

    def matching_order_ids(self, limit: int | None = None) -> list[int]:
        return column_values(self.matching_query(), self.binding.order_pk, limit)

    def matching_ids_select(self) -> Select[Any]:
        return column_select(self.matching_query(), self.binding.order_pk)

    def selection_description(self, order_ids: Sequence[int]) -> Message:
        if len(order_ids) == 1:
            number = self.binding.numbers_of(self.state.session, order_ids, self.settings.number_format)[order_ids[0]]
            return N_("Order %(number)s", number=number)
        return NP_("%(num)s selected order", "%(num)s selected orders", len(order_ids))

    def buyer_orders_url(self, order: OrderRecord) -> str | None:
        """The orders list filtered by this order's customer (its ref, or its email where it has none)."""
        ref = (order.customer_ref or "").strip()
        kind, value = (CustomerFilter, ref) if ref else (BuyerEmailFilter, order.buyer_email_key)
        if not value:
            return None
        return list_url_with_filter(self, kind, value)

    @expose("/details/")
    def details_view(self) -> Response | str:
        return_url = self.list_url()
        session, settings, binding = self.state.session, self.settings, self.binding
        # The page never asks the price resolver (a remote API, maybe slow): Restore's confirm screen does,
        # once (docs/design.md, "Views").
        order = get_order_record(session, request.args.get("id", ""), panel=self.state)
        candidates = self.merge_candidates_of(order)
        items = line_records(session, binding, order.id, binding.lines_of(session, order.id))
        events = events_of(session, self.state, order.id)
        moved = moved_lines(session, self.state, order)
        oa = Presenter(settings, self._linked_numbers(order, [*items, *moved.lines], events, moved.holder_id),
                       return_url, order.currency)
        tab = request.args.get("tab")
        return self.render(
            self.details_template,
            model=order.obj,
            order=order,
            oa=oa,
            items=items,  # one statement for every line, however many
            history=history_lines(events, oa, unmerge_url=self.unmerge_url(order, return_url)),
            totals=order_totals(item.totals for item in items),
            moved=moved,
            moved_totals=order_totals(line.totals for line in moved.lines),
            menu=action_menu(settings, order, candidates, return_url,
                             refusals=self.unmerge_refusal(order)),
            comment_refusal=refusal_for_current_user(settings, Action.COMMENT, order),
            comment_form=CommentForm(url=return_url),
            notes=notes_on_page(settings, events, oa, return_url, self.state.clock()),
            comment_url=self.get_url(".comment_view", order_id=order.id),
            buyer_orders_url=self.buyer_orders_url(order),
            active_tab=tab if tab in ORDER_PAGE_TABS else "items",
            tab_urls={name: self.order_url(order.id, return_url, tab=name) for name in ORDER_PAGE_TABS},
            return_url=return_url,
            details_columns=[],
            get_value=self.get_detail_value,
        )

    def unmerge_refusal(self, order: OrderRecord) -> dict[Action, str]:
        """Why the merge of this merged order cannot be undone now (what changed since), if it cannot."""
        if order.status != OrderStatus.MERGED:
            return {}
        preview = preview_unmerge(self.state.session, order, self.state)
        refusal = unmerge_access_refusal(self.settings, order, preview.basic)
        if refusal is None and preview.refusal is not None:
            refusal = translate(preview.refusal)
        return {} if refusal is None else {Action.UNMERGE: refusal}

    def unmerge_url(self, order: OrderRecord, return_url: str) -> Any:
        """The confirm screen of undoing the merge of an order merged into ``order`` (the History tab links a
        merge to it while the user may unmerge; the screen itself says when the merge can no longer be undone)."""
        def url(added_id: int) -> str:
            return self.get_url(".confirm_view", order_id=added_id, action_name=Action.UNMERGE.value, url=return_url)
        return url if access.is_allowed(self.settings, Action.UNMERGE.value, order.obj) else None

    def _linked_numbers(
        self, order: OrderRecord, items: list[Any], events: list[EventRecord], holder_id: int | None
    ) -> dict[int, str]:
        """The numbers of every order the page links to (merged into, the holder of its moved lines, lines'
        origins, merge events): one lookup."""
        ids = {order.id, order.merged_into_id, holder_id, *(item.origin_order_id for item in items),
               *linked_order_ids(events)}
        return self.binding.numbers_of(
            self.state.session, [i for i in ids if isinstance(i, int)], self.settings.number_format
        )

    @expose("/<path:unknown_path>")
    def unknown_page_view(self, unknown_path: str) -> Response:
        """Any other address under the orders panel: the panel's own 404 page, or its 405 for a GET on the
        address of a button (a POST), or the address with its missing slash (the router's own redirect,
        which this catch-all would otherwise shadow)."""
        adapter = current_app.url_map.bind_to_environ(request.environ)
        slashed = request.path if request.path.endswith("/") else request.path + "/"
        if slashed != request.path and self._routed_elsewhere(adapter, slashed, "GET"):
            query = request.query_string.decode("latin-1")
            return redirect(slashed + (f"?{query}" if query else ""), code=308)
        methods = {method for method in ("POST", "GET") for path in {request.path, slashed}
                   if self._routed_elsewhere(adapter, path, method)}
        if methods:
            raise MethodNotAllowed(valid_methods=sorted(methods))
        abort(404)

    def _routed_elsewhere(self, adapter: Any, path: str, method: str) -> bool:
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:
            return False
        return cast("bool", endpoint != request.endpoint)

    @expose("/search/")
    def search_view(self) -> Response | str:
        """The search box: one match opens it, several are listed (the order number's exact match first).
        The typed text stays in the box (``q`` in the URL), also where a refusal sends the manager back.
        Filter arguments (the list's, carried by its box) keep the search within them (views/search_scope.py)."""
        return_url = self.list_url()
        text = request.args.get("q", "")
        # What was typed goes back into the box, cut to what search_text reads at all.
        self.refusals_go_to(with_query_arg(local_path(request.args.get("back")) or return_url, "q",
                                           text[:TYPED_TEXT_LENGTH]))
        scope = search_scope(self)
        for refused in scope.refused:  # left out, as the list leaves them out; the page says what the search ran in
            flash(self.get_invalid_value_msg(refused.value, refused.filter), "error")
        found = search(self.state.session, text, panel=self.state, within=scope.condition(self.binding.order_pk))
        if len(found) == 1:
            return redirect(self.order_url(self.binding.order_id(found[0]), return_url, q=text))
        records = order_records(self.state.session, self.binding, found, self.settings.number_format)
        return self.render("order_admin/search_results.html", query=normalize_text(text), orders=records,
                           return_url=return_url, scope=scope)
