"""The shop's stored status values, each mapped to one ``OrderStatus`` (and back)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..domain import OrderStatus


class StatusMapping:
    """``status_values``: plugin status → the value the shop stores (a string or an integer), one-to-one.

    A stored value that no status maps to is an *unknown* status: shown as it is, and no action runs
    on it. A status with no value is *unmapped*: the actions that would set it are switched off.
    """

    def __init__(self, values: Mapping[OrderStatus, Any]) -> None:
        self._to_host = dict(values)
        self._from_host = {_hashable(value): status for status, value in values.items()}

    @property
    def mapped(self) -> frozenset[OrderStatus]:
        return frozenset(self._to_host)

    def is_mapped(self, status: OrderStatus) -> bool:
        return status in self._to_host

    def to_host(self, status: OrderStatus) -> Any:
        return self._to_host[OrderStatus.parse(status)]

    def from_host(self, value: Any) -> OrderStatus | None:
        """The plugin status of a stored value; None for a value this shop's mapping does not know."""
        if value is None:
            return None
        return self._from_host.get(_hashable(value))

    def host_values(self, statuses: Iterable[OrderStatus]) -> list[Any]:
        """The stored values of those of ``statuses`` the shop has, in status order (for ``IN``)."""
        wanted = set(statuses)
        return [value for status, value in self._to_host.items() if status in wanted]


def _hashable(value: Any) -> Any:
    # The built-in column loads an OrderStatus (a str): it must find the same entry as its plain code.
    return str(value) if isinstance(value, OrderStatus) else value
