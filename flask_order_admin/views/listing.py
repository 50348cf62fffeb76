"""What the two list tabs share: filters, cell formatters and per-page totals.

Totals of the rows on a page come from one aggregate over the page's order ids
(``page_totals``, i.e. ``services.item_sums_by_order``: GROUP BY order_id), so a
list page makes the same number of statements, and reads no item row, whatever
its orders hold.

The filters are conditions the binding builds on the plugin's fields: a field of the order
itself is compared directly; one on the shop's customer table (``Through``) is an IN over that
table's key, and on the items tab a field of the line's order is an IN over the orders: one
statement, in SQL, whatever the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.contrib.sqla.tools import parse_like_term
from sqlalchemy import Select, false
from sqlalchemy.sql.elements import ColumnElement

from ..store import OrderStore
from ..store.reference_types import reference_value
from ..domain import OrderStatus
from ..domain.merge import normalize_email
from ..domain.messages import N_, Listing, Message
from ..domain.search_keys import NotSearchText, normalize_text, search_text
from ..i18n import lazy_gettext, lazy_pgettext, lazy_translate, message_of
from ..services.app_panel import ServicePanel
from ..services.totals_query import item_sums_by_order
from ..settings import Settings


def page_totals(session: Any, order_ids: Any, panel: ServicePanel) -> Any:
    """Lines and total per order of a page: one GROUP BY (``services.item_sums_by_order``)."""
    return item_sums_by_order(session, order_ids, panel=panel)


@dataclass(frozen=True)
class OrderScope:
    """Conditions on a list's rows by a field of their order: the orders themselves, or (``lines``)
    the lines, whose order must match."""

    binding: OrderStore
    lines: bool = False

    def where(self, name: str, predicate: Callable[[Any], ColumnElement[Any]]) -> ColumnElement[Any]:
        return self._rows(self.binding.where_order(name, predicate))

    def email(self, email_key: str) -> ColumnElement[Any]:
        return self.where_email(self.binding.where_email_key(email_key))

    def where_email(self, condition: ColumnElement[Any]) -> ColumnElement[Any]:
        """``condition`` on the orders (an email condition of the binding) as one on this list's rows."""
        return self._rows(condition)

    def _rows(self, condition: ColumnElement[Any]) -> ColumnElement[Any]:
        if not self.lines:
            return condition
        return self.binding.where_lines_of_orders(condition)

    def coerce(self, name: str, text: str) -> Any:
        """``text`` (from the URL) as the field holds it: an integer within the column's range for an integer
        column; None: no such value (docs/design.md, "Typed text and the reference column's type")."""
        field = self.binding.order_field(name)
        if field.is_constant:
            return text
        return reference_value(field.attribute.property.columns[0].type, text)


if TYPE_CHECKING:  # what the mixin is mixed into (a Flask-Admin filter), for the type checker only
    _MixedInto = sqla_filters.BaseSQLAFilter
else:
    _MixedInto = object


class TextValue(_MixedInto):
    """Mixed into every list filter: a value is refused (Flask-Admin then flashes "Invalid Filter Value" and
    leaves the filter out) when the search box would refuse it as too long or holding NUL (``search_text``;
    docs/design.md, "Text from requests"). PostgreSQL text cannot hold NUL; a value of 100,000 characters
    was a LIKE pattern SQLite calls too complex, a statement MariaDB's packet limit drops."""

    def validate(self, value: str) -> bool:
        try:
            search_text(value, empty_allowed=True)
        except NotSearchText:
            return False
        return super().validate(value)


# The words of Flask-Admin's filter operations, in the plugin's catalog: an export's description keeps them
# untranslated, so that each manager reads it in their own language (Flask-Admin's lazy text cannot be kept).
EQUALS = lazy_pgettext("filter operation", "equals")
OPERATION_WORDS = (
    (sqla_filters.DateBetweenFilter, lazy_pgettext("filter operation", "between")),
    (sqla_filters.FilterInList, lazy_pgettext("filter operation", "in list")),
    (sqla_filters.FilterLike, lazy_pgettext("filter operation", "contains")),
    (sqla_filters.FilterEqual, EQUALS),
)


class FieldFilter(TextValue):
    """A Flask-Admin filter on a plugin field: no column of its own (so Flask-Admin adds no join),
    its condition built by the scope."""

    def __init__(self, scope: OrderScope, field: str, name: Any, options: Any = None) -> None:
        super().__init__(None, name, options)
        self.scope = scope
        self.field = field

    def operation(self) -> Any:
        return next(word for kind, word in OPERATION_WORDS if isinstance(self, kind))

    def in_words(self, value: str) -> Message:
        """The filter and its value from the address in words, kept untranslated: "Status equals Shipped"
        (an option by its label); the search page and the exports log show it."""
        return N_("%(filter)s %(operation)s %(value)s", filter=message_of(self.name),
                  operation=message_of(self.shown_operation(value)), value=self.shown_value(value))

    def shown_operation(self, value: str) -> Any:
        return self.operation()

    def shown_value(self, value: str) -> Any:
        options = {} if callable(self.options) else dict(self.options or ())
        return message_of(options.get(value, value))

    def where(self, predicate: Callable[[Any], ColumnElement[Any]]) -> ColumnElement[Any]:
        return self.scope.where(self.field, predicate)


class FieldEqualFilter(FieldFilter, sqla_filters.FilterEqual):
    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        return query.filter(self.where(lambda column: column == value))


class OptionFilter(FieldEqualFilter):
    """Equal to one of the filter's options (the dropdown's); any other value is refused, not queried."""

    def clean(self, value: str) -> Any:
        if value not in dict(self.get_options(None) or ()):
            raise ValueError(value)
        return value


class StatusFilter(OptionFilter):
    """By status: the options are the plugin's statuses the shop has, compared as the shop stores them."""

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        # Every value the shop stores for it (docs/design.md, "Several stored values per status").
        statuses = self.scope.binding.statuses
        return query.filter(self.where(lambda column: statuses.matches(column, [OrderStatus.parse(value)])))


class StatusInFilter(FieldFilter, sqla_filters.FilterInList):
    """By several statuses at once (``?flt0_status_in_list=processing,shipped``; the status pills make it)."""

    def clean(self, value: str) -> list[str]:
        codes = list(dict.fromkeys(super().clean(value)))
        known = dict(self.get_options(None) or ())
        if not codes or any(code not in known for code in codes):
            raise ValueError(value)
        return codes

    def apply(self, query: Any, value: list[str], alias: Any = None) -> Any:
        statuses, wanted = self.scope.binding.statuses, [OrderStatus.parse(code) for code in value]
        return query.filter(self.where(lambda column: statuses.matches(column, wanted)))

    def shown_operation(self, value: str) -> Any:
        # One status (a status pill's): "Status equals Shipped", as the filter on one status says it.
        return EQUALS if "," not in value else super().shown_operation(value)

    def shown_value(self, value: str) -> Any:
        return Listing(tuple(FieldFilter.shown_value(self, code) for code in value.split(",")))


class CustomerFilter(FieldEqualFilter):
    """The host's customer reference; the order page links the buyer's other orders through it."""

    def clean(self, value: str) -> Any:
        return self.scope.coerce(self.field, value)

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        if value is None:
            return query.filter(false())
        return super().apply(query, value, alias)


class BuyerNameFilter(FieldFilter, sqla_filters.FilterLike):
    """The buyer's name contains the text."""

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        term = parse_like_term(value)
        return query.filter(self.where(lambda column: column.ilike(term)))


class BuyerEmailFilter(FieldFilter, sqla_filters.FilterEqual):
    """Equal email ignoring case, by the lower-cased key (an index lookup where the shop has one)."""

    def clean(self, value: str) -> str:
        return normalize_email(value)

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        return query.filter(self.scope.email(value))


class BuyerEmailStartsWithFilter(FieldFilter, sqla_filters.FilterLike):
    """The email starts with the text, ignoring case (``li.wei@``, ``li``): a range of the email key's index."""

    def clean(self, value: str) -> str:
        return normalize_email(normalize_text(value))

    def validate(self, value: str) -> bool:
        return super().validate(value) and bool(self.clean(value))

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        return query.filter(self.scope.where_email(self.scope.binding.where_email_starts_with(value)))

    def operation(self) -> Any:
        return lazy_gettext("starts with")


class BuyerEmailDomainFilter(BuyerEmailStartsWithFilter):
    """The email's domain is the text (``example.com`` or ``@example.com``), ignoring case."""

    def clean(self, value: str) -> str:
        return super().clean(value).lstrip("@")

    def apply(self, query: Any, value: str, alias: Any = None) -> Any:
        return query.filter(self.scope.where_email(self.scope.binding.where_email_domain(value)))

    def operation(self) -> Any:
        return lazy_gettext("domain is")


class CreatedBetweenFilter(FieldFilter, sqla_filters.DateBetweenFilter):
    """Created from the first day to the last day inclusive (the column holds date and time)."""

    def validate(self, value: str) -> bool:
        # The end is read as "before the next day", and 9999-12-31 has none.
        return super().validate(value) and self.clean(value)[1] < date.max

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        start, end = value
        return query.filter(self.where(lambda column: (column >= start) & (column < end + timedelta(days=1))))

    def shown_value(self, value: str) -> str:
        # ISO dates without Flask-Admin's English "to" (its "2026-11-01 to 2026-11-30")
        return " – ".join(day.isoformat() for day in self.clean(value))


def order_filters(settings: Settings, binding: OrderStore, *, lines: bool = False) -> list[Any]:
    """New filter instances for one view (on ``binding``, the panel's store): on orders, or (``lines``) on lines
    by their order's fields."""
    scope = OrderScope(binding, lines=lines)
    statuses = [(s.value, lazy_translate(s.label)) for s in OrderStatus if binding.statuses.is_mapped(s)]
    providers = [(code, lazy_translate(label)) for code, label in settings.providers.items()]
    return [
        StatusFilter(scope, "status", lazy_gettext("Status"), options=statuses),
        StatusInFilter(scope, "status", lazy_gettext("Status"), options=statuses),
        OptionFilter(scope, "provider", lazy_gettext("Provider"), options=providers),
        CreatedBetweenFilter(scope, "created_at", lazy_gettext("Date")),
        BuyerNameFilter(scope, "buyer_name", lazy_gettext("Buyer")),
        BuyerEmailFilter(scope, "buyer_email", lazy_gettext("Buyer email")),
        BuyerEmailStartsWithFilter(scope, "buyer_email", lazy_gettext("Buyer email")),
        BuyerEmailDomainFilter(scope, "buyer_email", lazy_gettext("Buyer email")),
        CustomerFilter(scope, "customer_ref", lazy_gettext("Customer")),
    ]


def filters_applied(statement: Select[Any], filters: Iterable[tuple[Any, str]]) -> Select[Any]:
    """``statement`` with each (filter, value from the address) applied, as the list applies them."""
    for flt, value in filters:
        statement = flt.apply(statement, flt.clean(value))
    return statement


def sort_target(binding: OrderStore, base: Any, field: Any) -> Any:
    """What Flask-Admin sorts a field by: its attribute, or ``"relationship.attribute"`` through its relationship."""
    if field.is_constant:
        return None
    if field.via is not None:
        return f"{field.via}.{field.key}"
    return getattr(base, field.key)


def both_languages(english: str | None, chinese: str | None) -> str:
    return " / ".join(part for part in (english, chinese) if part)
