"""Status at a glance: the pills above a list, one per status with its count, each a link that filters.

The counts honour the list's other filters (not its status filter: each pill says how many rows
clicking it would show) and are capped as the list's own count is, at a lower cap of their own as
there are a dozen of them (``PILL_COUNT_CAP``, "1,000+"): every status's count is ``SELECT count(*) FROM (SELECT 1 … WHERE status = … LIMIT
cap + 1)``, all of them scalar subqueries of ONE statement. A grouped count over a million orders
would read them all; each capped count reads at most cap + 1 entries of the (status, created_at)
index, so the pills cost the same at a million orders as at a thousand.

A pill's link shows that status alone; its small +/− link adds it to the statuses shown, or takes
it away (the list filters by several at once: ``?flt0_status_in_list=processing,shipped``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, literal_column, select

from ..domain import OrderStatus
from .listing import OrderScope, StatusFilter, StatusInFilter, filters_applied


@dataclass(frozen=True)
class StatusPill:
    status: OrderStatus | None  # None: every status
    label: str
    count: int | None  # an ``AtLeast`` when capped; None on the "All" pill
    url: str  # the list showing this status alone (or every status)
    active: bool
    toggle_url: str | None = None  # add this status to those shown, or take it away
    toggle_adds: bool = True
    badge: str = "secondary"


def status_counts(session: Any, scope: OrderScope, base: Any, statuses: Sequence[OrderStatus], cap: int,
                  at_least: Any) -> dict[OrderStatus, int]:
    """Rows of ``base`` (a select over the list's rows, its other filters applied) per status, each capped
    at ``cap`` (``at_least(cap + 1)`` past it): one statement."""
    if not statuses:
        return {}
    to_host = scope.binding.statuses.to_host
    counts = [
        select(func.count()).select_from(
            base.where(scope.where("status", _equal_to(to_host(status))))
            .limit(cap + 1).subquery()
        ).scalar_subquery().label(f"s{index}")
        for index, status in enumerate(statuses)
    ]
    row = session.execute(select(*counts)).one()
    return {status: at_least(count) if count > cap else count for status, count in zip(statuses, row)}


def _equal_to(value: Any) -> Callable[[Any], Any]:
    return lambda column: column == value


def other_filters_applied(view: Any, filters: Iterable[Any]) -> Any:
    """``SELECT 1 FROM <the list's rows>`` with the list's filters but its status filters applied."""
    statement: Select[Any] = select(literal_column("1")).select_from(view.model)
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
