"""Order numbers: ``ORD-0000000023`` is the prefix and the zero-padded id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import N_


class NotAnOrderNumber(ValueError):
    """The text is not an order number; its one argument is a ``Message`` for managers."""


@dataclass(frozen=True)
class TrailingDigits:
    """What a manager typed, read as the last ``width`` digits of an order number.

    ``value`` is the number those digits make (``0023`` -> 23) and ``width`` how
    many were typed (4), so the orders that match are those whose id ends with
    them: ``id % 10**width == value``.
    """

    value: int
    width: int

    @property
    def modulus(self) -> int:
        return int(10**self.width)  # a power of ints is typed Any (a negative exponent makes a float)


@dataclass(frozen=True)
class NumberFormat:
    prefix: str = "ORD-"
    width: int = 10

    def format(self, order_id: int) -> str:
        return f"{self.prefix}{order_id:0{self.width}d}"

    def parse(self, text: str) -> TrailingDigits:
        """Read a full number or its last digits: ``23``, ``0023``, ``ORD-0000000023``, `` ord-23 ``."""
        cleaned = (text or "").strip()
        if not cleaned:
            raise NotAnOrderNumber(N_("Enter the last digits of an order number, for example %(example)s.", example=23))
        if self.prefix and cleaned.lower().startswith(self.prefix.lower()):
            cleaned = cleaned[len(self.prefix):].strip()
        if not re.fullmatch(r"[0-9]+", cleaned):
            raise NotAnOrderNumber(N_(
                "“%(text)s” is not an order number: enter its last digits (for example 23 for %(number)s).",
                text=_shorten(text), number=self.format(23),
            ))
        if len(cleaned) > self.width:
            raise NotAnOrderNumber(N_(
                "An order number has at most %(width)s digits; “%(text)s” has %(digits)s.",
                width=self.width, text=_shorten(text), digits=len(cleaned),
            ))
        value = int(cleaned)
        if value == 0:
            raise NotAnOrderNumber(N_(
                "Enter the last digits of the number other than zeros (for example 23 for %(number)s).",
                number=self.format(23),
            ))
        return TrailingDigits(value=value, width=len(cleaned))


def _shorten(text: str, limit: int = 40) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
