"""A plugin field as the panel reads and queries it: a mapped attribute of the order (or line) class,
an attribute of a class reached through one many-to-one relationship, or a constant.

Read off a loaded object in Python (its relationship eager-loaded, see ``load_options``), and used in
SQL as a column of a select (``FieldJoins``) or as a condition (``where``: an IN over the related
table's key, so a filter on a customer's email is one statement, index to index).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import literal, null, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

NO_CONSTANT = object()


@dataclass(frozen=True, eq=False)
class Field:
    name: str
    base: Any  # the order or line class the field belongs to
    key: str | None = None  # attribute key on ``owner``; None for a constant
    via: str | None = None  # key of the many-to-one relationship on ``base`` leading to ``owner``
    owner: Any = None  # the class holding the attribute: ``base``, or the related class
    constant: Any = NO_CONSTANT

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
        return getattr(obj, self.mapped_key)

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
            return cast("ColumnElement[Any]", field.attribute)
        alias = self._aliases.get(field.via)
        if alias is None:
            alias = self._aliases[field.via] = aliased(field.owner)
        return cast("ColumnElement[Any]", getattr(alias, field.mapped_key))

    def apply(self, statement: Any) -> Any:
        for via, alias in self._aliases.items():
            statement = statement.outerjoin(alias, getattr(self.base, via).of_type(alias))
        return statement
