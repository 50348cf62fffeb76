"""What an action changes of an order's state: the argument of the one write path
(``OrderStore.write_changes``; docs/design.md, "Order store")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from ..domain import OrderStatus


@dataclass(frozen=True)
class OrderState:
    """What the panel keeps of an order beside the shop's columns."""

    version: int = 1
    merged_into_id: int | None = None
    status_changed_at: datetime | None = None
    stored: bool = True  # False: the order has no state row yet (no action ran on it)


class Keep(Enum):
    """A field an ``OrderChange`` leaves as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class OrderChange:
    """One order's change: its status (None: kept), its merge link (``KEEP``: kept), and always its
    version + 1. ``state`` is the order's state as read under this transaction's lock."""

    order: Any  # the loaded order object
    state: OrderState
    status: OrderStatus | None = None
    merged_into_id: int | None | Keep = KEEP
