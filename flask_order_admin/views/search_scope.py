"""Where the search box searches: on a filtered list (Flask-Admin's ``flt*_`` filters, the status pills),
among the orders those filters match; elsewhere, every order.

The list's search box carries the list's filter arguments as hidden fields, so the search page reads them
from its own address, as the list reads them; its "Search everywhere" link is the same address without
them. The filters become one condition on the orders, added to each statement of the search
(``services.search(within=…)``): a search within filters sends as many statements as one without.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import request
from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement

from ..domain.messages import Message
from .flask_admin_internals import filter_keys
from .listing import filters_applied


class FilterArgument(NamedTuple):
    name: str  # as the address spells it: flt0_status_in_list
    filter: Any
    value: str


def is_filter_argument(name: str) -> bool:
    """Whether Flask-Admin reads ``name`` as a filter's (``flt`` + position + ``_`` + the filter's key)."""
    return name.startswith("flt") and "_" in name


def filter_arguments(view: Any) -> list[FilterArgument]:
    """The request's arguments that name one of the view's filters, in the order of their position, as
    Flask-Admin reads them (the first value of each); their values may be refused (``filter.validate``)."""
    found = []
    for name, value in request.args.items():
        if not is_filter_argument(name):
            continue
        position, key = name[3:].split("_", 1)
        _, flt = filter_keys(view).get(key, (None, None))
        if flt is not None:
            found.append((position, FilterArgument(name, flt, value)))
    return [argument for _, argument in sorted(found, key=lambda pair: pair[0])]


def accepted_filter_arguments(view: Any) -> list[FilterArgument]:
    return [argument for argument in filter_arguments(view) if argument.filter.validate(argument.value)]


def refused_filter_arguments(view: Any) -> list[FilterArgument]:
    return [argument for argument in filter_arguments(view) if not argument.filter.validate(argument.value)]


@dataclass(frozen=True)
class SearchScope:
    """The filters a search ran within (none: every order)."""

    arguments: tuple[FilterArgument, ...]
    refused: tuple[FilterArgument, ...]  # values the filter refuses: left out, as the list leaves them out
    everywhere_url: str  # the same search, every order

    @property
    def words(self) -> list[Message]:
        return [argument.filter.in_words(argument.value) for argument in self.arguments]

    @property
    def fields(self) -> list[tuple[str, str]]:
        """The filter arguments as hidden fields of the search box: the next search stays within them."""
        return [(argument.name, argument.value) for argument in self.arguments]

    def condition(self, order_pk: Any) -> ColumnElement[Any] | None:
        """The filters as one condition on the orders (the search view's filters are on orders)."""
        if not self.arguments:
            return None
        statement = filters_applied(select(order_pk), [(a.filter, a.value) for a in self.arguments])
        return statement.whereclause


def search_scope(view: Any) -> SearchScope:
    """The scope of the search view's request: its filter arguments."""
    others = {name: values for name, values in request.args.lists() if not is_filter_argument(name)}
    return SearchScope(tuple(accepted_filter_arguments(view)), tuple(refused_filter_arguments(view)),
                       view.get_url(".search_view", **others))
