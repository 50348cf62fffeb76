"""What an order's lines add up to, as the database sums them (``OrderStore.line_sums``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .storage import LineSpan


@dataclass(frozen=True)
class LineSums:
    """An order's lines: how many, their quantity, goods at the unit price charged (the discount price, else
    the price) and China delivery, each × quantity, the two together (``total``, summed line by line in SQL),
    and the lowest and highest line id."""

    lines: int = 0
    quantity: int = 0
    goods: Any = Decimal(0)
    china_delivery: Any = Decimal(0)
    total: Any = Decimal(0)
    first_id: int | None = None
    last_id: int | None = None

    @property
    def span(self) -> LineSpan:
        return LineSpan(self.lines, self.first_id, self.last_id)
