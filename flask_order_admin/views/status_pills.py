"""Status at a glance: the pills above a list, one per status with its count, each a link that filters.

The counts honour the list's other filters and its search (not its status filter: each pill says how
many rows clicking it would show), and are exact: one grouped count, ``SELECT status, count(*) … GROUP BY
status``, which reads the status index alone (an index-only scan on PostgreSQL); on a list with no other
filter and no search, one statement counting each status on its own (a range of that index each). It
reads every matching row, so it has a budget (``ORDER_ADMIN_STATUS_COUNT_BUDGET``, rows): the planner's
estimate of each status's rows comes first (``services.planned_rows``: one ``EXPLAIN``, or the status
column's statistics where that is all the planner would read; no row read), the statuses are
counted exactly from the smallest while their estimates add up to no more than the budget, and the rest
show the estimate, marked "≈" (docs/design.md, "Exact status counts"). Where the database gives no
estimate (SQLite, MariaDB) every count is exact.

A pill's link shows that status alone; its small +/− link adds it to the statuses shown, or takes
it away (the list filters by several at once: ``?flt0_status_in_list=processing,shipped``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal_column, select

from ..domain import OrderStatus
from ..i18n import gettext
from ..services.row_estimates import planned_rows
from . import formats
from .listing import OrderScope, StatusFilter, StatusInFilter, filters_applied


@dataclass(frozen=True)
class StatusPill:
    status: OrderStatus | None  # None: every status
    label: str
    count: int | None  # ``Estimated`` past the budget; None on the "All" pill
    url: str  # the list showing this status alone (or every status)
    active: bool
    toggle_url: str | None = None  # add this status to those shown, or take it away
    toggle_adds: bool = True
    badge: str = "secondary"

    @property
    def estimated(self) -> bool:
        return isinstance(self.count, Estimated)

    @property
    def shown_count(self) -> str:
        """The count as the badge reads it: ``12,345`` (the locale's grouping), or ``≈ 200,000``."""
        return str(self.count) if self.estimated else formats.amount(self.count or 0)


class Estimated(int):
    """A pill's count the planner estimated, shown "≈ 200,000" (rounded to two significant digits)."""

    def __new__(cls, rows: float) -> Estimated:
        whole = max(int(rows), 1)
        step = 10 ** max(len(str(whole)) - 2, 0)
        return super().__new__(cls, round(whole / step) * step)

    def __str__(self) -> str:
        return gettext("≈ %(count)s", count=formats.amount(int(self)))

    def __html__(self) -> str:
        return str(self)


Estimator = Callable[[Any, Sequence[Select[Any]]], "list[float] | None"]


def status_counts(session: Any, scope: OrderScope, base: Select[Any], statuses: Sequence[OrderStatus], budget: int,
                  estimate: Estimator = planned_rows) -> dict[OrderStatus, int]:
    """Rows of ``base`` (a select over the list's rows, its other filters applied) per status: exact for the
    statuses whose estimated rows fit in ``budget`` together (smallest first), ``Estimated`` for the rest.
    Two statements (the estimate, the count), one where the database gives no estimate."""
    if not statuses:
        return {}
    mapping = scope.binding.statuses
    estimates = estimate(session, [base.where(scope.where("status", _of_status(mapping, s))) for s in statuses])
    exact = list(statuses) if estimates is None else _within(budget, dict(zip(statuses, estimates)))
    counts = _grouped_count(session, scope, base, exact, every=len(exact) == len(statuses))
    return {status: counts.get(status, 0) if status in exact else Estimated(rows)
            for status, rows in zip(statuses, estimates or [0.0] * len(statuses))}


def _within(budget: int, estimates: dict[OrderStatus, float]) -> list[OrderStatus]:
    """The statuses counted exactly: the smallest first, while their estimated rows add up to ``budget``."""
    exact, spent = [], 0.0
    for status, rows in sorted(estimates.items(), key=lambda pair: pair[1]):
        if spent + rows > budget:
            break
        exact.append(status)
        spent += rows
    return exact


def _grouped_count(session: Any, scope: OrderScope, base: Select[Any], statuses: Sequence[OrderStatus], *,
                   every: bool) -> dict[OrderStatus, int]:
    """``SELECT status, count(*) … GROUP BY status`` over ``base``'s rows (the items tab: joined to their
    order), of ``statuses`` only unless ``every`` one is wanted (then no condition: the cheapest index)."""
    if not statuses:
        return {}
    binding = scope.binding
    field = binding.order_field("status")
    column = field.attribute
    if base.whereclause is None and not scope.lines and field.is_direct:
        return _counted_apart(session, binding, base, column, statuses)
    grouped = base.with_only_columns(column, func.count(), maintain_column_froms=True)
    if scope.lines:
        grouped = grouped.join(binding.order, binding.line_order_id == binding.order_pk)
    if not every:
        grouped = grouped.where(binding.status_in(statuses))
    counts: dict[OrderStatus, int] = {}
    for value, count in session.execute(grouped.group_by(column)):
        status = binding.statuses.from_host(value)
        if status is not None:  # a value no status maps to has no pill
            counts[status] = counts.get(status, 0) + count  # a status a shop stores as several values: their sum
    return counts


def _counted_apart(session: Any, binding: Any, base: Select[Any], column: Any,
                   statuses: Sequence[OrderStatus]) -> dict[OrderStatus, int]:
    """The orders of each status counted on their own, ``SELECT (SELECT count(*) … WHERE status = 'a'), …``:
    with no other condition each is a range of the status index counted without reading the value, which
    a grouped count reads and compares for every row (a third of its time at 200,000 orders)."""
    counting = base.with_only_columns(func.count(), maintain_column_froms=True)
    matches = binding.statuses.matches
    counts = session.execute(select(*(counting.where(matches(column, [status])).scalar_subquery()
                                      for status in statuses))).one()
    return dict(zip(statuses, counts))


def _of_status(mapping: Any, status: OrderStatus) -> Callable[[Any], Any]:
    return lambda column: mapping.matches(column, [status])  # each value the shop stores for it


def other_filters_applied(view: Any, filters: Iterable[Any], search: str | None = None) -> Select[Any]:
    """``SELECT 1 FROM <the list's rows>`` with the list's search and filters but its status filters applied."""
    statement: Select[Any] = select(literal_column("1")).select_from(view.model)
    if search and view._search_supported:  # as Flask-Admin's get_list applies it
        statement = view._apply_search(statement, None, {}, {}, search)[0]
    others = [(view._filters[index], value) for index, _, value in filters or ()]
    return filters_applied(statement, [(flt, value) for flt, value in others
                                       if not isinstance(flt, (StatusFilter, StatusInFilter))])


def shown_statuses(view: Any, filters: Iterable[Any]) -> list[OrderStatus]:
    """The statuses the list's status filters keep (none: every status)."""
    shown: list[OrderStatus] = []
    for index, _, value in filters or ():
        flt = view._filters[index]
        if isinstance(flt, StatusInFilter):
            shown += [OrderStatus.parse(code) for code in flt.clean(value)]
        elif isinstance(flt, StatusFilter):
            shown.append(OrderStatus.parse(flt.clean(value)))
    return list(dict.fromkeys(shown))
