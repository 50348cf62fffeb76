"""Order statuses: the codes stored in the database and the labels managers read."""

from __future__ import annotations

import enum


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
    def label(self) -> str:
        return STATUS_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> "OrderStatus":
        """The member for a code or member; ValueError naming the value otherwise."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown order status {value!r}") from None


STATUS_LABELS: dict[OrderStatus, str] = {
    OrderStatus.AWAITING_PAYMENT: "Awaiting payment",
    OrderStatus.AWAITING_ADDITIONAL_PAYMENT: "Awaiting additional payment",
    OrderStatus.PROCESSING: "Processing",
    OrderStatus.ADDITIONAL_ORDER: "Additional order",
    OrderStatus.PROCESSING_AT_WAREHOUSE: "Processing at warehouse",
    OrderStatus.AWAITING_PACKING_CONFIRMATION: "Awaiting confirmation of packing",
    OrderStatus.READY_FOR_PACKING: "Ready for packing",
    OrderStatus.READY_TO_SHIP: "Ready to ship",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.COMPLETED: "Completed",
    OrderStatus.CANCELED: "Canceled",
    OrderStatus.MERGED: "Merged",
}
