"""The lists' filters as addresses and words: a list's URL with some filters set (the status pills, a
buyer's orders), the filters of a request in words (the exports log), the filter arguments the search box
carries or a filter refuses.
"""

from __future__ import annotations

from typing import Any

from flask import request

from ..domain import OrderStatus
from ..domain.messages import CLAUSE_SEPARATOR, N_, Listing, Message
from .flask_admin_internals import filter_keys, filters_of
from .listing import StatusFilter, StatusInFilter
from .search_scope import accepted_filter_arguments, refused_filter_arguments


def list_url_with_filter(view: Any, kind: type, value: str, **args: Any) -> str:
    """The view's list with one filter of type ``kind`` set to ``value`` (and ``args``)."""
    index, flt = next((i, f) for i, f in enumerate(filters_of(view)) if isinstance(f, kind))
    return str(view.get_url(".index_view", **{**args, f"flt0_{view.get_filter_arg(index, flt)}": value}))


def status_url(view: Any, statuses: list[OrderStatus]) -> str:
    """This list with its other filters and page size, showing ``statuses`` (none: every status)."""
    status_keys = {key for key, (_, flt) in filter_keys(view).items() if isinstance(flt, (StatusFilter, StatusInFilter))}
    args: dict[str, Any] = {
        name: values for name, values in request.args.lists()
        if name != "page" and not (name.startswith("flt") and name.partition("_")[2] in status_keys)
    }
    if not statuses:
        return str(view.get_url(".index_view", **args))
    return list_url_with_filter(view, StatusInFilter, ",".join(status.value for status in statuses), **args)


def filter_description(view: Any, list_tab: str, filters: Any, search: str | None) -> Message:
    """The list's tab, filters and search in words, e.g. "By orders: Status equals Shipped; search “Li”",
    kept untranslated: the exports log shows it in each manager's language."""
    listed = filters_of(view)
    parts = [listed[index].in_words(value) for index, _, value in filters or ()]
    if search:
        parts.append(N_("search “%(text)s”", text=search))
    tab = N_("By orders") if list_tab == "orders" else N_("By items")
    if not parts:
        return N_("%(tab)s: every order", tab=tab)
    return N_("%(tab)s: %(filters)s", tab=tab, filters=Listing(tuple(parts), CLAUSE_SEPARATOR))


def search_box_fields(view: Any) -> list[tuple[str, str]]:
    """The list's filter arguments, hidden fields of its search box: it searches within them
    (views/search_scope.py)."""
    return [(argument.name, argument.value) for argument in accepted_filter_arguments(view)]


def refused_filter_args(view: Any) -> list[str]:
    """The request's filter arguments whose value their filter refuses (read as Flask-Admin reads them)."""
    return [argument.name for argument in refused_filter_arguments(view)]
