"""A plugin field as the panel reads and queries it: a mapped attribute of the order (or line) class,
an attribute of a class reached through one many-to-one relationship, or a constant.

Read off a loaded object in Python (its relationship eager-loaded, see ``load_options``), and used in
SQL as a column of a select (``FieldJoins``) or as a condition (``where``: an IN over the related
table's key, so a filter on a customer's email is one statement, index to index).

A money field kept as an integer count of minor units (``MinorUnits``, or a column whose ``TypeDecorator``
converts integers to yuan) is scaled here and nowhere else: read, selected, summed and written
(docs/design.md, "Money in minor units").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Integer, literal, null, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

NO_CONSTANT = object()

# How many minor units a yuan may have: every stored amount is then a whole number of fen, as the panel's
# totals are (docs/design.md, "Totals"), so the database's sums and the line-by-line totals agree.
PER_UNIT_ALLOWED = (1, 10, 100)
FEN = Decimal("0.01")


class AmountNotInMinorUnits(ValueError):
    """An amount that is not a whole number of the shop's minor unit (e.g. 12.34 where the column holds whole
    yuan): never rounded, so what is written is what the manager saw."""


@dataclass(frozen=True)
class MinorUnit:
    """Money kept as an integer count of ``per_unit``-ths of a yuan (100: fen)."""

    per_unit: int

    @property
    def places(self) -> int:
        return len(str(self.per_unit)) - 1  # per_unit is a power of ten (PER_UNIT_ALLOWED)

    def to_major(self, raw: Any) -> Decimal | None:
        """The stored integer (or the database's sum of them) as yuan, exactly, to the fen as the panel's
        amounts are: 19136 → Decimal("191.36"); whole yuan (``per_unit=1``) 12 → Decimal("12.00")."""
        if raw is None:
            return None
        return Decimal(whole(raw)).scaleb(-self.places).quantize(FEN)

    def to_minor(self, value: Any) -> int | None:
        """Yuan as the stored integer: Decimal("191.36") → 19136; ``AmountNotInMinorUnits`` if it does not fit."""
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError(f"money is Decimal, never float: {value!r}")
        minor = Decimal(value).scaleb(self.places)
        if minor != minor.to_integral_value():
            raise AmountNotInMinorUnits(
                f"{value} is not a whole number of 1/{self.per_unit} yuan (the column holds minor units)")
        return int(minor)


def whole(raw: Any) -> int:
    """An integer the database gave back (an int, or a Decimal sum with no fraction) as ``int``."""
    value = Decimal(raw)
    if value != value.to_integral_value():
        raise ValueError(f"expected a whole number of minor units, got {raw!r}")
    return int(value)


class MinorUnitsType(TypeDecorator[Decimal]):
    """The SQL type ``MinorUnits`` fields are selected as: an integer in the database, yuan in Python."""

    impl = Integer
    cache_ok = True

    def __init__(self, per_unit: int) -> None:
        super().__init__()
        self.per_unit = per_unit

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return MinorUnit(self.per_unit).to_minor(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return MinorUnit(self.per_unit).to_major(value)


@dataclass(frozen=True, eq=False)
class Field:
    name: str
    base: Any  # the order or line class the field belongs to
    key: str | None = None  # attribute key on ``owner``; None for a constant
    via: str | None = None  # key of the many-to-one relationship on ``base`` leading to ``owner``
    owner: Any = None  # the class holding the attribute: ``base``, or the related class
    constant: Any = NO_CONSTANT
    minor: MinorUnit | None = None  # money kept as ``MinorUnits``: scaled when read, selected and written
    converting_type: Any = None  # money in a column whose TypeDecorator makes yuan of stored integers

    @property
    def is_constant(self) -> bool:
        return self.constant is not NO_CONSTANT

    @property
    def mapped_key(self) -> str:
        """``key``, for a field that is not a constant."""
        if self.key is None:
            raise TypeError(f"field {self.name} is a constant")
        return self.key

    @property
    def is_direct(self) -> bool:
        """A mapped attribute of the class itself (the only kind the panel may write)."""
        return not self.is_constant and self.via is None

    @property
    def attribute(self) -> Any:
        """The mapped attribute (on the related class for a field through a relationship)."""
        if self.is_constant:
            raise TypeError(f"field {self.name} is a constant")
        return getattr(self.owner, self.mapped_key)

    def read(self, obj: Any) -> Any:
        if self.is_constant:
            return self.constant
        if self.via is not None:
            obj = getattr(obj, self.via)
            if obj is None:
                return None
        value = getattr(obj, self.mapped_key)
        return value if self.minor is None else self.minor.to_major(value)

    def stored(self, value: Any) -> Any:
        """``value`` (yuan for money) as the column stores it (minor units for ``MinorUnits``; a
        ``TypeDecorator`` converts on its own); ``AmountNotInMinorUnits`` if it does not fit."""
        return value if self.minor is None else self.minor.to_minor(value)

    # -- money in SQL sums ------------------------------------------------------------------------

    @property
    def money_type(self) -> Any:
        """The type whose results are yuan when the column's raw SQL values are not (``MinorUnits``, or an
        integer ``TypeDecorator``); None: the database sees yuan."""
        if self.minor is not None:
            return MinorUnitsType(self.minor.per_unit)
        return self.converting_type

    @property
    def money_unit(self) -> tuple[Any, ...] | None:
        """What one stored 1 means, for the rule that a line's money columns share one unit."""
        if self.minor is not None:
            return ("MinorUnits", self.minor.per_unit)
        if self.converting_type is not None:
            return ("type", type(self.converting_type), repr(self.converting_type))
        return None

    def summable(self, money_type: Any) -> ColumnElement[Any]:
        """The field in SQL as the line's money unit stores it (``money_type`` None: yuan), for sums: a
        column as stored, a constant in that unit."""
        if self.is_constant:
            if self.constant is None:
                return null()
            return literal(self.constant) if money_type is None else literal(self.constant, money_type)
        attribute = cast("ColumnElement[Any]", self.attribute)
        return attribute if money_type is None else type_coerce(attribute, Integer())

    def literal(self) -> ColumnElement[Any]:
        return null() if self.constant is None else literal(self.constant)

    def where(self, predicate: Callable[[Any], ColumnElement[Any]]) -> ColumnElement[Any]:
        """``predicate(field)`` as a condition on ``base``'s rows."""
        if self.is_constant:
            return predicate(self.literal())
        if self.via is None:
            return predicate(self.attribute)
        local, remote = relationship_columns(getattr(self.base, self.via))
        return cast("ColumnElement[Any]", local.in_(select(remote).where(predicate(self.attribute))))

    def load_option(self, *, joined: bool = False) -> Any | None:
        if self.via is None:
            return None
        relationship = getattr(self.base, self.via)
        return joinedload(relationship) if joined else selectinload(relationship)


def relationship_columns(relationship: Any) -> tuple[Any, Any]:
    """The local foreign-key column and the related table's key of a one-column many-to-one."""
    [(local, remote)] = relationship.property.local_remote_pairs
    return local, remote


def load_options(fields: Iterable[Field], *, joined: bool = False) -> list[Any]:
    """Eager loads of every relationship the fields read through, each once."""
    options: dict[str, Any] = {}
    for field in fields:
        if field.via is not None and field.via not in options:
            options[field.via] = field.load_option(joined=joined)
    return list(options.values())


class FieldJoins:
    """Columns of a select over ``base``: a field through a relationship is read from an outer join, one
    aliased join per relationship, however many of its fields are selected."""

    def __init__(self, base: Any) -> None:
        self.base = base
        self._aliases: dict[str, Any] = {}

    def column(self, field: Field) -> ColumnElement[Any]:
        if field.is_constant:
            return field.literal()
        if field.via is None:
            column = cast("ColumnElement[Any]", field.attribute)
        else:
            alias = self._aliases.get(field.via)
            if alias is None:
                alias = self._aliases[field.via] = aliased(field.owner)
            column = cast("ColumnElement[Any]", getattr(alias, field.mapped_key))
        return column if field.minor is None else type_coerce(column, field.money_type)

    def apply(self, statement: Any) -> Any:
        for via, alias in self._aliases.items():
            statement = statement.outerjoin(alias, getattr(self.base, via).of_type(alias))
        return statement


def line_money_type(fields: Iterable[Field]) -> Any:
    """The type that makes yuan of the sums of a line's money fields (they share one unit, which
    ``resolve`` checks); None where the database sums yuan."""
    types = [field.money_type for field in fields if not field.is_constant]
    return types[0] if types else None


def summed_money(money_type: Any, raw: Any, dialect: Dialect) -> Any:
    """A sum in the line's money unit as yuan: through the type's ``process_result_value`` (as the ORM reads
    one column of that type), from the exact integer sum."""
    if money_type is None or raw is None:
        return raw
    return money_type.process_result_value(whole(raw), dialect)
