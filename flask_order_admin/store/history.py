"""An event of an order's history as written and read back (``OrderStore.record_events``, ``events_of``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class EventRecord:
    """An event as written and read back (what the signals carry, what the history shows): a row of the
    history table. ``action`` is the kind (an ``Action`` value), which says what ``details`` holds."""

    id: int
    order_id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> EventRecord:
        """A row of the history table (a mapping of its columns) as read back."""
        return cls(**{**row, "details": row["details"] or {}})
