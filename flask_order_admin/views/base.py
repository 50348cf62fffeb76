"""What every plugin view shares (the access rule, read-only models), and the orders lists' exports."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask import Blueprint, abort, flash, g, has_request_context, make_response, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.model.base import ViewArgs
from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import Query
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from .. import access
from ..errors import ActionNotAllowed, OrderActionError, OrderSearchError
from ..panel import OrderPanel
from ..store import ModelBinding
from ..domain import OrderStatus
from ..domain.messages import CLAUSE_SEPARATOR, N_, Listing, Message
from ..domain.search_keys import NotSearchText, search_text
from ..i18n import gettext, lazy_gettext, message_of, source_language, translate
from ..services.row_estimates import planned_rows
from ..services.transaction import MAX_ID
from ..settings import Settings
from .actions import form_problem
from .bulk import BULK_ACTIONS, BulkActionsMixin, bulk_action_off
from .export_access import export_refusal
from .exporting import ExportRequest, start_export
from . import formats
from .forms import ExportForm
from .framing import forbid_framing
from .listing import OrderScope, StatusFilter, StatusInFilter
from .presentation import STATUS_BADGES, Presenter, order_page_url
from .redirects import forged_url_arg, return_url_arg
from .search_scope import accepted_filter_arguments, refused_filter_arguments
from .status_pills import StatusPill, other_filters_applied, shown_statuses, status_counts

logger = logging.getLogger("flask_order_admin.views")

# The error pages of the plugin's own views: a title and a line for the manager.
ERROR_PAGES = {
    404: (lazy_gettext("Page not found"),
          lazy_gettext("There is no such page in the orders panel. It may have been an old or mistyped link.")),
    405: (lazy_gettext("This address cannot be opened like that"),
          lazy_gettext("It is the address of a button (it changes an order), not of a page. "
                       "Go back to the order and use its Order actions menu.")),
    500: (lazy_gettext("Something went wrong"),
          lazy_gettext("The orders panel could not show this page; nothing was changed. "
                       "Try again, or tell the shop's administrator if it happens again.")),
}

# The "With selected" export actions and the format each writes.
EXPORT_ACTIONS = {"export_selected": "xls", "export_selected_xlsx": "xlsx"}

# The lists count matching rows only up to COUNT_CAP, or PAGES_AHEAD pages past the page shown when that
# is more: a count over a million rows costs more than the page itself (PostgreSQL reads the whole table),
# and "10,000+" is all a manager needs.
COUNT_CAP = 10_000
PAGES_AHEAD = 10  # deep in a long list the pager still offers this many pages further on


@dataclass(frozen=True)
class PanelUrls:
    """The addresses every plugin page links to (the list tabs, the search box): the views name them,
    the templates only print them."""

    orders: str
    items: str
    exports: str
    search: str


class AtLeast(int):
    """A capped count: the pager does arithmetic with it; Flask-Admin's "List (…)" shows "10,000+"."""

    def __str__(self) -> str:
        return f"{formats.amount(self - 1)}+"

    def __html__(self) -> str:
        return str(self)


class CappedCountQuery(Query[Any]):
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
    numeric_columns: tuple[str, ...] = ()  # right-aligned in the list, as amounts are read: by their last digits

    def __init__(self, model: Any, state: OrderPanel, **kwargs: Any) -> None:
        self.state = state
        super().__init__(model, state.db, **kwargs)

    @property
    def settings(self) -> Settings:
        return self.state.settings  # read per request: tests and hosts may swap settings

    @property
    def binding(self) -> ModelBinding:
        return self.state.store

    def get_filter_arg(self, index: int, flt: Any) -> str:
        # Made from the filter's name: in English whatever the manager's language, so that the arguments
        # Flask-Admin reads (named once, at start-up) are those the panel's links carry.
        with source_language():
            return super().get_filter_arg(index, flt)

    def create_blueprint(self, admin: Any) -> Blueprint:
        # Flask-Admin gives each view a blueprint of its own: its after_request sees every response of
        # this view (pages, redirects, downloads, 403s), and no page of the host's. Its error pages too
        # are this view's only: the host's own pages keep the host's.
        blueprint = super().create_blueprint(admin)
        blueprint.after_request(forbid_framing)
        for code in ERROR_PAGES:
            blueprint.register_error_handler(code, self.error_page)
        return cast("Blueprint", blueprint)

    def error_page(self, error: HTTPException) -> Response:
        """A 404, 405 or 500 of this view as a page of the panel (its menu, a way back), not a bare one."""
        code = error.code or 500
        title, explanation = ERROR_PAGES.get(code, ERROR_PAGES[500])
        try:
            if code >= 500:
                self.state.session.rollback()  # the failed request's transaction, before the page reads anything
            body = self.render("order_admin/error.html", code=code, title=str(title),
                               explanation=str(explanation), orders_url=self.orders_list_url())
        except Exception:  # the page itself failed (the database is down…): the plain one, as Flask's
            logger.exception("the error page of %s could not be rendered", self.endpoint)
            return error.get_response()
        response = make_response(body, code)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    def orders_list_url(self) -> str:
        return self.get_url(f"{self.settings.endpoint_prefix}_orders.index_view")

    def panel_urls(self) -> PanelUrls:
        prefix = self.settings.endpoint_prefix
        return PanelUrls(
            orders=self.orders_list_url(), items=self.get_url(f"{prefix}_items.index_view"),
            exports=self.get_url(f"{prefix}_exports.index_view"), search=self.get_url(f"{prefix}_orders.search_view"),
        )

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
        return cast("ViewArgs", args.clone(page=min(max(args.page, 0), self.last_page), page_size=page_size,
                                           search=self._list_search(args.search)))

    def _list_search(self, typed: str | None) -> str | None:
        """The list's ``?search=`` read as the search box reads its text (``search_text``), refused the same
        way: the manager is sent back to the list without it (docs/design.md, "Text from requests")."""
        if not typed:
            return None
        try:
            return search_text(typed)
        except NotSearchText as refusal:
            args = request.args.to_dict(flat=False)
            args.pop("search", None)
            self.refusals_go_to(self.get_url(".index_view", **args))
            raise OrderSearchError(refusal.message) from None

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute and page and not rows and has_request_context():
            self._go_to_last_page(count, page_size or self.page_size)
        return count, rows

    def _go_to_last_page(self, count: int, page_size: int) -> None:
        """A page past the end (``?page=999`` of a list of 400) goes to the last page, not to "List (400)"
        over an empty table; the filters, sort and page size are kept."""
        last = max(math.ceil(count / page_size) - 1, 0) if page_size else 0
        args: dict[str, Any] = request.args.to_dict(flat=False)
        if last:
            args["page"] = [str(last)]
        else:
            args.pop("page", None)
        abort(redirect(url_for(cast(str, request.endpoint), **args)))  # a view's request has its endpoint

    def get_count_query(self) -> Any:
        query = CappedCountQuery([literal_column("1")], self.state.session).select_from(self.model)
        if has_request_context():
            query.cap = self.count_cap()
        return query

    def count_cap(self) -> int:
        """Where the list's counts stop: COUNT_CAP, or PAGES_AHEAD pages past the page shown."""
        args = self._get_list_extra_args()
        return max(COUNT_CAP, ((args.page or 0) + PAGES_AHEAD) * (args.page_size or self.page_size))

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

    def _run_view(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Flask-Admin runs every view through here: a refused action (an ``OrderActionError`` the view lets
        through) is flashed by ``handle_view_exception`` and the manager goes back (``refusal_url``)."""
        try:
            return super()._run_view(fn, *args, **kwargs)
        except OrderActionError as error:
            self.state.session.rollback()  # what the view had begun is dropped, as the service dropped its own
            if not self.handle_view_exception(error):
                raise
            return redirect(self.refusal_url())

    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, OrderActionError):
            flash(translate(exc.message), "error")
            return True
        return super().handle_view_exception(exc)

    def refusal_url(self) -> str:
        """Where a refused request goes back to: the page the view named (``refusals_go_to``), else the list."""
        return g.get("order_admin_refusal_url") or self.list_url()

    def refusals_go_to(self, url: str) -> None:
        """From now on in this request, a refusal brings the manager back to ``url`` (e.g. the order page,
        once the order is known)."""
        g.order_admin_refusal_url = url

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

    def order_url(self, order_id: int, return_url: str | None = None, **extra: Any) -> str:
        return order_page_url(self.settings, order_id, return_url, **extra)

    def list_url(self) -> str:
        """Where Back goes: the list the manager came from (filters and page kept), or the orders list."""
        return return_url_arg() or self.orders_list_url()

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


class OrderListView(BulkActionsMixin, OrderAdminView):
    """The orders lists (both tabs): what they share besides the access rule: the exports, and the bulk
    actions (views/bulk.py)."""

    # Export: the selected rows (a Flask-Admin bulk action per format) or every row the current filters
    # match (a POST form); small exports download at once, big ones become jobs (views/exporting.py).

    list_tab: str  # "orders" or "items"

    def order_ids_of(self, row_ids: Sequence[str]) -> list[int]:
        raise NotImplementedError

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute and has_request_context():
            self._template_args["status_pills"] = self.status_pills(filters, search)
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
        pills = [StatusPill(None, gettext("All statuses"), None, self._status_url([]), not shown)]
        for status in statuses:
            active = status in shown
            if not counts[status] and not active:
                continue
            if shown:
                selection = [s for s in shown if s != status] if active else [*shown, status]
                toggle_url, adds = self._status_url(selection), not active
            else:
                toggle_url, adds = None, True
            pills.append(StatusPill(
                status, presenter.status_label(status.value), counts[status], self._status_url([status]), active,
                toggle_url, adds, STATUS_BADGES.get(status, "light"),
            ))
        return pills

    def planned_rows(self, session: Any, statements: Sequence[Select[Any]]) -> list[float] | None:
        """The database planner's row estimate of each statement (the pills' budget asks it; tests replace it)."""
        return planned_rows(session, statements)

    def _status_url(self, statuses: list[OrderStatus]) -> str:
        """This list with its other filters and page size, showing ``statuses`` (none: every status)."""
        status_keys = {key for key, (_, flt) in (self._filter_args or {}).items()
                       if isinstance(flt, (StatusFilter, StatusInFilter))}
        args: dict[str, Any] = {
            name: values for name, values in request.args.lists()
            if name != "page" and not (name.startswith("flt") and name.partition("_")[2] in status_keys)
        }
        if statuses:
            index, flt = next((i, f) for i, f in enumerate(self._filters) if isinstance(f, StatusInFilter))
            args[f"flt0_{self.get_filter_arg(index, flt)}"] = ",".join(status.value for status in statuses)
        return self.get_url(".index_view", **args)

    def search_box_fields(self) -> list[tuple[str, str]]:
        """The list's filter arguments, hidden fields of its search box: it searches within them
        (views/search_scope.py)."""
        return [(argument.name, argument.value) for argument in accepted_filter_arguments(self)]

    def matching_order_ids(self, limit: int | None = None) -> list[int]:
        """The ids of the orders the list's current filters match (at most ``limit`` of them)."""
        raise NotImplementedError

    def matching_ids_select(self) -> Select[Any]:
        """A SELECT of those ids (maybe repeated), for the database to run (an export's ``INSERT … SELECT``)."""
        raise NotImplementedError

    def selection_description(self, order_ids: Sequence[int]) -> Message:
        raise NotImplementedError

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

    def is_action_allowed(self, name: str) -> bool:
        fmt = EXPORT_ACTIONS.get(name)
        if fmt is not None and fmt not in self.settings.export_formats:
            return False
        if name in BULK_ACTIONS and bulk_action_off(self.settings, BULK_ACTIONS[name], self.binding):
            return False
        return super().is_action_allowed(name)

    def get_actions_list(self) -> tuple[list[Any], dict[Any, Any]]:
        """Flask-Admin's "With selected" entries; with several formats offered, one export entry per format."""
        actions, confirmations = super().get_actions_list()
        several = len(self.settings.export_formats) > 1
        return [
            (name, gettext("Export selected (.%(format)s)", format=EXPORT_ACTIONS[name]) if several
             else gettext("Export selected")) if name in EXPORT_ACTIONS else (name, text)
            for name, text in actions
        ], confirmations

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
        """The list's tab, filters and search in words, e.g. "By orders: Status equals Shipped; search “Li”",
        kept untranslated: the exports log shows it in each manager's language."""
        view_args = self._get_list_extra_args()
        parts = []
        for index, _, value in view_args.filters or ():
            parts.append(self._filters[index].in_words(value))
        if view_args.search:
            parts.append(N_("search “%(text)s”", text=view_args.search))
        tab = N_("By orders") if self.list_tab == "orders" else N_("By items")
        if not parts:
            return N_("%(tab)s: every order", tab=tab)
        return N_("%(tab)s: %(filters)s", tab=tab, filters=Listing(tuple(parts), CLAUSE_SEPARATOR))

    def refused_filter_args(self) -> list[str]:
        """The request's filter arguments whose value their filter refuses (read as Flask-Admin reads them)."""
        return [argument.name for argument in refused_filter_arguments(self)]

    def matching_query(self) -> Any:
        """The list's query with the request's search and filters, unsorted and unpaged."""
        view_args = self._get_list_extra_args()
        _, query = self.get_list(0, None, False, view_args.search, view_args.filters, execute=False, page_size=0)
        return query.order_by(None)
