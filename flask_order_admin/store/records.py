"""Orders and lines as the panel reads them, whatever the tables: the plugin's field names over the
shop's objects (``OrderRecord(order).buyer_name`` may be ``order.customer.full_name``).

Services use them for the rules, the views and templates to show an order, the export for its rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from .changes import KEEP, Keep, OrderChange, OrderState
from .protocol import OrderStore
from ..domain import OrderStatus, line_totals
from ..domain.messages import N_, Message
from ..domain.totals import LineTotals


class OrderRecord:
    """One order: ``obj`` is the mapped object (the shop's class, or ``models.Order``)."""

    def __init__(self, binding: OrderStore, obj: Any, number: str, state: OrderState | None = None) -> None:
        self.binding = binding
        self.obj = obj
        self.id: int = binding.order_id(obj)
        self.number = number
        self._state = state

    def _field(self, name: str) -> Any:
        field = self.binding.order_fields.get(name)
        return None if field is None else field.read(self.obj)

    @property
    def raw_status(self) -> Any:
        return self.binding.raw_status(self.obj)

    @property
    def status(self) -> OrderStatus | None:
        """The plugin status; None for a stored value the shop's mapping does not know."""
        return self.binding.status_of(self.obj)

    @property
    def status_label(self) -> Message:
        status = self.status
        return status.label if status is not None else N_("unknown status %(value)s", value=self.raw_status)

    @property
    def provider(self) -> str:
        return cast("str", self._field("provider"))

    @property
    def customer_ref(self) -> str | None:
        value = self._field("customer_ref")
        return None if value is None else str(value)

    @property
    def raw_customer_ref(self) -> Any:
        return self._field("customer_ref")

    @property
    def buyer_name(self) -> str | None:
        return cast("str | None", self._field("buyer_name"))

    @property
    def buyer_email(self) -> str | None:
        return cast("str | None", self._field("buyer_email"))

    @property
    def buyer_email_key(self) -> str:
        from ..domain.merge import normalize_email

        return normalize_email(self._field("buyer_email"))

    @property
    def buyer_phone(self) -> str | None:
        return cast("str | None", self._field("buyer_phone"))

    @property
    def buyer_address(self) -> str | None:
        return cast("str | None", self._field("buyer_address"))

    @property
    def created_at(self) -> datetime | None:
        return cast("datetime | None", self._field("created_at"))

    @property
    def updated_at(self) -> datetime | None:
        return cast("datetime | None", self._field("updated_at"))

    @property
    def currency(self) -> str | None:
        return cast("str | None", self._field("currency"))

    @property
    def state(self) -> OrderState:
        if self._state is None:
            raise RuntimeError("the order's state was not loaded (order_records(..., with_state=True))")
        return self._state

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def merged_into_id(self) -> int | None:
        return self.state.merged_into_id

    @property
    def status_changed_at(self) -> datetime | None:
        return self.state.status_changed_at

    def change(self, status: OrderStatus | None = None, *, merged_into_id: int | None | Keep = KEEP) -> OrderChange:
        """This order's change for ``OrderStore.write_changes``: ``status`` (None: kept), the merge link
        (``KEEP``: kept), version + 1, from the state read with the order."""
        return OrderChange(self.obj, self.state, status, merged_into_id)

    def __repr__(self) -> str:
        return f"<OrderRecord {self.number} {self.status_label}>"


class LineRecord:
    """One order line; ``origin_order_id`` is the order it was first placed in (None: not known)."""

    def __init__(self, binding: OrderStore, obj: Any, origin_order_id: int | None = None) -> None:
        self.binding = binding
        self.obj = obj
        self.id: int = binding.line_id(obj)
        self.origin_order_id = origin_order_id

    def _field(self, name: str) -> Any:
        return self.binding.line_fields[name].read(self.obj)

    order_id = property(lambda self: self._field("order_id"))
    provider_item_id = property(lambda self: self._field("provider_item_id"))
    title = property(lambda self: self._field("title"))
    url = property(lambda self: self._field("url"))
    photo_url = property(lambda self: self._field("photo_url"))
    color = property(lambda self: self._field("color"))
    size = property(lambda self: self._field("size"))
    color_cn = property(lambda self: self._field("color_cn"))
    size_cn = property(lambda self: self._field("size_cn"))
    quantity = property(lambda self: self._field("quantity"))
    price = property(lambda self: self._field("price"))
    discount_price = property(lambda self: self._field("discount_price"))
    china_delivery = property(lambda self: self._field("china_delivery"))

    @property
    def totals(self) -> LineTotals:
        return line_totals(self.quantity or 0, self.price, self.discount_price, self.china_delivery)

    def __repr__(self) -> str:
        return f"<LineRecord {self.id} of order {self.order_id}>"


def order_records(
    session: Session, binding: OrderStore, orders: Iterable[Any], number_format: Any, *, with_state: bool = False
) -> list[OrderRecord]:
    """Records of loaded orders (their relationships eager-loaded); ``with_state`` adds version and merge
    link (one statement for a shop's own tables, none for the plugin's)."""
    orders = list(orders)
    states = binding.states_of(session, orders) if with_state else {}
    return [
        OrderRecord(binding, o, binding.number_of(o, number_format), states.get(binding.order_id(o)))
        for o in orders
    ]


def line_records(session: Session, binding: OrderStore, order_id: int, lines: list[Any]) -> list[LineRecord]:
    """Records of an order's lines, with their origins (one statement for a shop's tables, none for the plugin's)."""
    origins = binding.origins_of(session, order_id, lines)
    return [LineRecord(binding, line, origins.get(binding.line_id(line))) for line in lines]

