"""The shop's stored status values, each mapped to one ``OrderStatus`` (and back)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, false

from ..domain import OrderStatus


class StatusMapping:
    """``status_values``: plugin status → the values the shop stores for it (strings or integers).

    A status may have several stored values (a shop's ``paid`` and ``in_work`` both Processing): the
    first is the one the panel writes; every one reads as that status, and a filter or count of the status
    matches them all (docs/design.md, "Several stored values per status"). A value belongs to one status.

    A stored value that no status maps to is an *unknown* status: shown as it is, and no action runs
    on it. A status with no value is *unmapped*: the actions that would set it are switched off.
    """

    def __init__(self, values: Mapping[OrderStatus, Any]) -> None:
        self._values: dict[OrderStatus, tuple[Any, ...]] = {
            status: tuple(value) if isinstance(value, (tuple, list)) else (value,) for status, value in values.items()
        }
        self._from_host = {_hashable(value): status for status, stored in self._values.items() for value in stored}

    @property
    def mapped(self) -> frozenset[OrderStatus]:
        return frozenset(self._values)

    def is_mapped(self, status: OrderStatus) -> bool:
        return status in self._values

    def to_host(self, status: OrderStatus) -> Any:
        """The value the panel writes for ``status``: its first."""
        return self._values[OrderStatus.parse(status)][0]

    def values_of(self, status: OrderStatus) -> tuple[Any, ...]:
        """Every value the shop stores for ``status`` (empty for a status it has none for)."""
        return self._values.get(OrderStatus.parse(status), ())

    def from_host(self, value: Any) -> OrderStatus | None:
        """The plugin status of a stored value; None for a value this shop's mapping does not know."""
        if value is None:
            return None
        return self._from_host.get(_hashable(value))

    def host_values(self, statuses: Iterable[OrderStatus]) -> list[Any]:
        """Every stored value of those of ``statuses`` the shop has, in status order (for ``IN``)."""
        wanted = set(statuses)
        return [value for status, stored in self._values.items() if status in wanted for value in stored]

    def matches(self, column: Any, statuses: Iterable[OrderStatus]) -> ColumnElement[Any]:
        """``column`` holds one of ``statuses``: ``= value`` for one stored value, ``IN (…)`` for several,
        false for none."""
        values = self.host_values(statuses)
        if not values:
            return false()
        return column == values[0] if len(values) == 1 else column.in_(values)  # type: ignore[no-any-return]


def _hashable(value: Any) -> Any:
    # The built-in column loads an OrderStatus (a str): it must find the same entry as its plain code.
    return str(value) if isinstance(value, OrderStatus) else value
