"""What every orders view shares: the access rule, read-only models, the list tabs' toolbar."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, abort, flash, has_request_context, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import gettext, lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.model.base import ViewArgs
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Query
from werkzeug.wrappers import Response

from .. import access
from ..errors import OrderActionError
from ..export import export_response
from ..extension import OrderAdminState
from ..binding import ModelBinding
from ..services.transaction import MAX_ID
from ..settings import Settings
from .export_access import export_refusal
from .framing import forbid_framing
from .listing import order_page_url
from .presentation import Presenter
from .redirects import forged_url_arg, return_url_arg

# The lists count matching rows only up to COUNT_CAP, or PAGES_AHEAD pages past the page shown when that
# is more: a count over a million rows costs more than the page itself (PostgreSQL reads the whole table),
# and "10,000+" is all a manager needs.
COUNT_CAP = 10_000
PAGES_AHEAD = 10  # deep in a long list the pager still offers this many pages further on


class AtLeast(int):
    """A capped count: the pager does arithmetic with it; Flask-Admin's "List (…)" shows "10,000+"."""

    def __str__(self) -> str:
        return f"{self - 1:,}+"

    def __html__(self) -> str:
        return str(self)


class CappedCountQuery(Query):
    """Flask-Admin's count query (filters and joins applied as usual) that stops counting at ``cap`` + 1 rows:
    ``SELECT count(*) FROM (SELECT 1 FROM … WHERE … LIMIT cap + 1)``."""

    cap = COUNT_CAP

    def scalar(self) -> int:
        rows = self.limit(self.cap + 1).subquery()
        count = self.session.execute(select(func.count()).select_from(rows)).scalar_one()
        return AtLeast(count) if count > self.cap else count


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

    def __init__(self, model: Any, state: OrderAdminState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(model, state.db, **kwargs)

    @property
    def settings(self) -> Settings:
        return self.state.settings  # read per request: tests and hosts may swap settings

    @property
    def binding(self) -> ModelBinding:
        return self.settings.models

    def create_blueprint(self, admin: Any) -> Blueprint:
        # Flask-Admin gives each view a blueprint of its own: its after_request sees every response of
        # this view (pages, redirects, downloads, 403s), and no page of the host's.
        blueprint = super().create_blueprint(admin)
        blueprint.after_request(forbid_framing)
        return blueprint

    @property
    def last_page(self) -> int:
        """The furthest page a list reads, so that OFFSET and the count's LIMIT stay within BIGINT: PostgreSQL
        and MariaDB refuse more, and so does SQLite's driver. Pages that far hold nothing anyway."""
        return MAX_ID // max(*self.page_size_options, self.page_size) - PAGES_AHEAD - 1

    def _get_list_extra_args(self) -> ViewArgs:
        """Flask-Admin's reading of the query string, with the page kept to 0..last_page and a page size
        that is not offered read as none given (the default), as Flask-Admin's page does."""
        args = super()._get_list_extra_args()
        page_size = args.page_size if args.page_size in self.page_size_options else 0
        return args.clone(page=min(max(args.page, 0), self.last_page), page_size=page_size)

    def get_count_query(self) -> Any:
        query = CappedCountQuery([literal_column("1")], self.state.session).select_from(self.model)
        if has_request_context():
            args = self._get_list_extra_args()
            query.cap = max(COUNT_CAP, (args.page + PAGES_AHEAD) * (args.page_size or self.page_size))
        return query

    def is_accessible(self) -> bool:
        return access.is_allowed(self.settings, "view")

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if not self.state.places_checked:  # a host view added after OrderAdmin, at its URL, would be unreachable
            from .mounting import check_places_are_free

            check_places_are_free(self.admin, self.state.views)
            self.state.places_checked = True
        refused = super()._handle_view(name, **kwargs)  # the access check
        # Flask-Admin's own endpoints (the bulk action; create, edit, delete, export, turned off here) redirect
        # to url= once its is_safe_url passes, which reads past CR/LF: Werkzeug then fails on the header.
        if refused is None and forged_url_arg():
            abort(400)
        return refused

    def inaccessible_callback(self, name: Any, **kwargs: Any) -> Response:
        return access.login_redirect_or_403()

    def render(self, template: str, **kwargs: Any) -> str:
        kwargs.setdefault("oa", Presenter(self.settings, kwargs.pop("numbers", None)))
        kwargs.setdefault("orders_endpoint", f"{self.settings.endpoint_prefix}_orders")
        kwargs.setdefault("items_endpoint", f"{self.settings.endpoint_prefix}_items")
        return super().render(template, **kwargs)

    def order_url(self, order_id: int, return_url: str | None = None, **extra: Any) -> str:
        return order_page_url(self.settings, order_id, return_url, **extra)

    def list_url(self) -> str:
        """Where Back goes: the list the manager came from (filters and page kept), or the orders list."""
        return return_url_arg() or self.get_url(f"{self.settings.endpoint_prefix}_orders.index_view")

    # Export: the selected rows (a Flask-Admin bulk action) or every row the current filters match.

    def order_ids_of(self, row_ids: Iterable[str]) -> list[int]:
        raise NotImplementedError

    def matching_order_ids(self) -> list[int]:
        raise NotImplementedError

    def require(self, action: str, order: Any = None) -> None:
        """403 unless the access rule lets the current user run ``action`` (on ``order``)."""
        if not access.is_allowed(self.settings, action, order):
            abort(403)

    def download(self, order_ids: list[int], fallback_url: str) -> Response:
        """The export file of ``order_ids``; a refused export comes back as a message on ``fallback_url``."""
        try:
            return export_response(self.state.session, order_ids, actor=access.actor_name(self.settings))
        except OrderActionError as error:
            flash(str(error), "error")
            return redirect(fallback_url)

    def bulk_download(self, order_ids: list[int], fallback_url: str) -> Response:
        """``download`` after asking the access rule about each order: refused whole if it denies any."""
        try:
            refusal = export_refusal(self.state.session, self.settings, order_ids)
        except OrderActionError as error:
            refusal = str(error)
        if refusal is not None:
            flash(refusal, "error")
            return redirect(fallback_url)
        return self.download(order_ids, fallback_url)

    @action("export_selected", lazy_gettext("Export selected"))
    def action_export_selected(self, row_ids: list[str]) -> Response:
        self.require("export")
        return self.bulk_download(self.order_ids_of(row_ids), self.list_url())

    @expose("/export-matching/")
    def export_matching_view(self) -> Response:
        self.require("export")
        back = self.get_url(".index_view", **request.args)
        if self.refused_filter_args():  # Flask-Admin would drop them, and the export would widen
            flash(gettext("Nothing was exported: a filter value is not valid."), "error")
            return redirect(back)
        return self.bulk_download(self.matching_order_ids(), back)

    def refused_filter_args(self) -> list[str]:
        """The request's filter arguments whose value their filter refuses (read as Flask-Admin reads them)."""
        refused = []
        for arg, value in request.args.items():
            if not arg.startswith("flt") or "_" not in arg:
                continue
            _, flt = (self._filter_args or {}).get(arg[3:].split("_", 1)[1], (None, None))
            if flt is not None and not flt.validate(value):
                refused.append(arg)
        return refused

    def matching_query(self) -> Any:
        """The list's query with the request's search and filters, unsorted and unpaged."""
        view_args = self._get_list_extra_args()
        _, query = self.get_list(0, None, False, view_args.search, view_args.filters, execute=False, page_size=0)
        return query.order_by(None)
