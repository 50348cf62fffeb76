"""Typed text compared with a column as its type holds it: the customer reference the search box and the
buyer filter compare (docs/design.md, "Typed text and the reference column's type").

A value the column cannot hold (digits past an integer type's range, text longer than a string column)
equals no row: it is not compared, never sent for the database to refuse (PostgreSQL answers an integer
out of range with an error, not with no rows). A type whose values typed text cannot be (a date, JSON,
binary) is refused at start-up (``reference_type_problem``).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import types

# Signed ranges; an unsigned MySQL/MariaDB column holds twice the top and nothing below zero.
_INTEGER_BITS = ((types.SmallInteger, 16), (types.BigInteger, 64), (types.Integer, 32))
_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _plain(type_: Any) -> Any:
    """The type a ``TypeDecorator`` stores as (its ``impl``), the type itself otherwise."""
    while isinstance(type_, types.TypeDecorator):
        type_ = type_.impl_instance
    return type_


def reference_type_problem(type_: Any) -> str | None:
    """Why text typed in the search box cannot be compared with a column of ``type_``; None when it can."""
    plain = _plain(type_)
    if isinstance(plain, (types.Integer, types.Numeric, types.String, types.Uuid, types.NullType)):
        return None
    return f"holds {type_}, which typed text cannot be compared with; give a string, integer or decimal column"


def reference_value(type_: Any, text: str) -> Any | None:
    """``text`` as a column of ``type_`` holds it; None when no value of the column can equal it."""
    plain = _plain(type_)
    if isinstance(plain, types.Integer):
        return _integer(plain, text)
    if isinstance(plain, types.Numeric):
        return _decimal(plain, text)
    if isinstance(plain, types.Enum):
        return text if text in plain.enums else None
    if isinstance(plain, types.String):
        return text if plain.length is None or len(text) <= plain.length else None
    if isinstance(plain, types.Uuid):
        try:
            parsed = uuid.UUID(text)
        except ValueError:
            return None
        return parsed if plain.as_uuid else str(parsed)
    if isinstance(plain, types.NullType):
        return text  # an expression of no known type: the shop's database compares it
    return None


def _integer(type_: types.Integer, text: str) -> int | None:
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        return None
    bits = next(size for kind, size in _INTEGER_BITS if isinstance(type_, kind))
    top = 2 ** bits - 1 if getattr(type_, "unsigned", False) else 2 ** (bits - 1) - 1
    value = int(text)
    return value if value <= top else None


def _decimal(type_: types.Numeric[Any], text: str) -> Decimal | float | None:
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        return None
    value = Decimal(text)
    if isinstance(type_, types.Float):
        return float(value) if len(text) <= 30 else None
    precision, scale = type_.precision, type_.scale or 0
    if precision is not None:
        whole_digits = len(text.lstrip("-").partition(".")[0].lstrip("0"))
        places = len(text.partition(".")[2].rstrip("0"))
        if whole_digits > precision - scale or places > scale:
            return None  # more than the column holds: no stored value equals it
    return value
