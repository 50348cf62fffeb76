"""Order statuses: the codes stored in the database and the labels managers read."""

from __future__ import annotations

import enum

from .messages import NC_, Message


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_ADDITIONAL_PAYMENT = "awaiting_additional_payment"
    PROCESSING = "processing"
    ADDITIONAL_ORDER = "additional_order"
    PROCESSING_AT_WAREHOUSE = "processing_at_warehouse"
    AWAITING_PACKING_CONFIRMATION = "awaiting_packing_confirmation"
    READY_FOR_PACKING = "ready_for_packing"
    READY_TO_SHIP = "ready_to_ship"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELED = "canceled"
    MERGED = "merged"

    @property
    def label(self) -> Message:
        return STATUS_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> "OrderStatus":
        """The member for a code or member; ValueError naming the value otherwise."""
        try:
            return cls(value)  # type: ignore[arg-type]  # an Enum looks up any value: ValueError for the rest
        except ValueError:
            raise ValueError(f"unknown order status {value!r}") from None


# "order status": a manager reads these on badges and in refusals ("Canceled" is a state, not an action).
STATUS_LABELS: dict[OrderStatus, Message] = {
    OrderStatus.AWAITING_PAYMENT: NC_("order status", "Awaiting payment"),
    OrderStatus.AWAITING_ADDITIONAL_PAYMENT: NC_("order status", "Awaiting additional payment"),
    OrderStatus.PROCESSING: NC_("order status", "Processing"),
    OrderStatus.ADDITIONAL_ORDER: NC_("order status", "Additional order"),
    OrderStatus.PROCESSING_AT_WAREHOUSE: NC_("order status", "Processing at warehouse"),
    OrderStatus.AWAITING_PACKING_CONFIRMATION: NC_("order status", "Awaiting confirmation of packing"),
    OrderStatus.READY_FOR_PACKING: NC_("order status", "Ready for packing"),
    OrderStatus.READY_TO_SHIP: NC_("order status", "Ready to ship"),
    OrderStatus.SHIPPED: NC_("order status", "Shipped"),
    OrderStatus.COMPLETED: NC_("order status", "Completed"),
    OrderStatus.CANCELED: NC_("order status", "Canceled"),
    OrderStatus.MERGED: NC_("order status", "Merged"),
}
