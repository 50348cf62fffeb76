"""The view every plugin page derives from: a read-only Flask-Admin model view behind the plugin's access
rule, with the panel's error pages, refusals, list paging and count, and the addresses every page links to.

Each concern lives in its own module (docs/design.md, "Views"): error_pages.py, refusal_redirects.py,
list_paging.py, list_count.py, flask_admin_internals.py (what of Flask-Admin's private API is used, and why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask import Blueprint, abort, has_request_context
from flask_admin.contrib.sqla import ModelView
from flask_admin.model.base import ViewArgs
from sqlalchemy import literal_column
from werkzeug.wrappers import Response

from .. import access
from ..domain.search_keys import NotSearchText
from ..errors import OrderActionError, OrderSearchError
from ..panel import OrderPanel
from ..i18n import source_language, translate
from ..settings import Settings
from ..store import OrderStore
from .error_pages import register_error_pages
from .export_access import export_refusal
from .forms import ExportForm
from .framing import forbid_framing
from .list_count import CappedCountQuery, count_cap
from .list_paging import go_to_last_page, kept_within_bounds, last_page, list_search, without_search_url
from .presentation import Presenter, order_page_url
from .redirects import forged_url_arg, return_url_arg
from .places import check_places_are_free
from .refusal_redirects import refusal_redirect, refusal_url, refusals_go_to


@dataclass(frozen=True)
class PanelUrls:
    """The addresses every plugin page links to (the list tabs, the search box): the views name them,
    the templates only print them."""

    orders: str
    items: str
    exports: str
    search: str


class OrderAdminView(ModelView):
    """A read-only Flask-Admin model view behind the plugin's access rule."""

    # Orders change only through the order actions (services): no edit, create or delete forms.
    can_create = False
    can_edit = False
    can_delete = False
    can_set_page_size = True
    page_size = 50
    page_size_options = (20, 50, 100, 200)
    named_filter_urls = True  # readable, stable filter arguments: ?flt0_status_equals=processing
    list_template = "order_admin/list.html"
    numeric_columns: tuple[str, ...] = ()  # right-aligned in the list, as amounts are read: by their last digits

    def __init__(self, model: Any, state: OrderPanel, **kwargs: Any) -> None:
        self.state = state
        super().__init__(model, state.db, **kwargs)

    @property
    def settings(self) -> Settings:
        return self.state.settings  # read per request: tests and hosts may swap settings

    @property
    def binding(self) -> OrderStore:
        return self.state.store

    def get_filter_arg(self, index: int, flt: Any) -> str:
        # Made from the filter's name: in English whatever the manager's language, so that the arguments
        # Flask-Admin reads (named once, at start-up) are those the panel's links carry.
        with source_language():
            return super().get_filter_arg(index, flt)

    def create_blueprint(self, admin: Any) -> Blueprint:
        # Flask-Admin gives each view a blueprint of its own: its hooks see every request and response of
        # this view (pages, redirects, downloads, 403s), and no page of the host's. Its error pages too are
        # this view's only: the host's own pages keep the host's.
        blueprint = cast("Blueprint", super().create_blueprint(admin))
        blueprint.before_request(self.check_request)
        blueprint.after_request(forbid_framing)
        register_error_pages(blueprint, self)
        blueprint.register_error_handler(OrderActionError, lambda error: refusal_redirect(self, error))
        return blueprint

    def check_request(self) -> None:
        """Before any of this view's pages (Flask's before_request: Flask-Admin's ``_handle_view`` is private)."""
        if not self.state.places_checked:  # a host view added after OrderAdmin, at its URL, would be unreachable
            check_places_are_free(self.admin, self.state.views)
            self.state.places_checked = True
        # Flask-Admin's own endpoints (the bulk action; create, edit, delete, export, turned off here) redirect
        # to url= once its is_safe_url passes, which reads past CR/LF: Werkzeug then fails on the header.
        # No link of the panel carries one, so it is refused before the access check too.
        if forged_url_arg():
            abort(400)

    def is_accessible(self) -> bool:
        return access.is_allowed(self.settings, "view")

    def inaccessible_callback(self, name: Any, **kwargs: Any) -> Response:
        return access.login_redirect_or_403()

    # The list's page, count and search (views/list_paging.py, views/list_count.py).

    @property
    def last_page(self) -> int:
        return last_page(self.page_size_options, self.page_size)

    def _get_list_extra_args(self) -> ViewArgs:
        # A private Flask-Admin method (2.x, flask_admin/model/base.py): index_view's one reading of the query
        # string, with no public hook. Kept, and why: views/flask_admin_internals.py, PRIVATE_OVERRIDES.
        args = kept_within_bounds(super()._get_list_extra_args(), self.page_size_options, self.page_size)
        try:
            search = list_search(args.search)
        except NotSearchText as refusal:  # refused as the search box refuses it: back to the list without it
            self.refusals_go_to(without_search_url(self))
            raise OrderSearchError(refusal.message) from None
        return args.clone(search=search)

    def list_view_args(self) -> ViewArgs:
        """The list's page, sort, search and filters as this request gives them, read as the list reads them."""
        return self._get_list_extra_args()

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute and page and not rows and has_request_context():
            go_to_last_page(count, page_size or self.page_size)
        return count, rows

    def get_count_query(self) -> Any:
        query = CappedCountQuery([literal_column("1")], self.state.session).select_from(self.model)
        if has_request_context():
            args = self.list_view_args()
            query.cap = count_cap(args.page, args.page_size or self.page_size)
        return query

    # Refusals (views/refusal_redirects.py).

    def refusal_url(self) -> str:
        """Where a refused request goes back to: the page the view named (``refusals_go_to``), else the list."""
        return refusal_url(self.list_url())

    def refusals_go_to(self, url: str) -> None:
        """From now on in this request, a refusal brings the manager back to ``url`` (e.g. the order page,
        once the order is known)."""
        refusals_go_to(url)

    def require(self, action: str, order: Any = None) -> None:
        """403 unless the access rule lets the current user run ``action`` (on ``order``)."""
        if not access.is_allowed(self.settings, action, order):
            abort(403)

    def require_export_of(self, order_ids: Sequence[int]) -> None:
        """403 unless the current user may export these orders: every download of an export file goes through
        it. The rule is asked about each order (``export_access``); one denied order is a 403."""
        self.require("export")
        try:
            refusal = export_refusal(self.state.session, self.state, order_ids)
        except OrderActionError:
            abort(403)
        if refusal is not None:
            abort(403)

    # What every page prints.

    def render(self, template: str, **kwargs: Any) -> str:
        # A page about one order (confirm screens, merge): its amounts are in that order's currency.
        currency = getattr(kwargs.get("order"), "currency", None)
        numbers = kwargs.pop("numbers", None)
        kwargs.setdefault("oa", Presenter(self.settings, numbers, kwargs.get("return_url"), currency))
        kwargs.setdefault("panel_urls", self.panel_urls())
        kwargs.setdefault("export_formats", self.settings.export_formats)
        kwargs.setdefault("export_presets", [(preset.key, translate(preset.label))
                                             for preset in self.settings.export_presets])
        kwargs.setdefault("export_form", ExportForm())
        return super().render(template, **kwargs)

    def orders_list_url(self) -> str:
        return self.get_url(f"{self.settings.endpoint_prefix}_orders.index_view")

    def panel_urls(self) -> PanelUrls:
        prefix = self.settings.endpoint_prefix
        return PanelUrls(
            orders=self.orders_list_url(), items=self.get_url(f"{prefix}_items.index_view"),
            exports=self.get_url(f"{prefix}_exports.index_view"), search=self.get_url(f"{prefix}_orders.search_view"),
        )

    def order_url(self, order_id: int, return_url: str | None = None, **extra: Any) -> str:
        return order_page_url(self.settings, order_id, return_url, **extra)

    def list_url(self) -> str:
        """Where Back goes: the list the manager came from (filters and page kept), or the orders list."""
        return return_url_arg() or self.orders_list_url()
