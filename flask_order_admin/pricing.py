"""What a host's price resolver returns for an item on restore."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .domain.totals import money


@dataclass(frozen=True)
class Price:
    """Prices in yuan as of a date: ``discount_price`` None means no discount."""

    price: Decimal
    discount_price: Decimal | None = None
    china_delivery: Decimal = Decimal("0.00")

    def __post_init__(self) -> None:
        object.__setattr__(self, "price", money(self.price))
        if self.discount_price is not None:
            object.__setattr__(self, "discount_price", money(self.discount_price))
        object.__setattr__(self, "china_delivery", money(self.china_delivery))
        for name in ("price", "china_delivery"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
