"""Checking a shop's ``OrderModels`` and binding the panel to its classes (at ``init_app``).

Every mistake fails at start-up with an ``OrderAdminConfigError`` that names the field and says
what is wrong and what to give instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Column, Integer, inspect
from sqlalchemy.orm import ColumnProperty, QueryableAttribute, RelationshipDirection, RelationshipProperty
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import TypeDecorator

from ..domain import OrderStatus
from ..errors import OrderAdminConfigError
from ..models import BulkResult, ExportLimitLock, ExportOrder, ExportRecord
from .order_models import (
    LINE_FIELDS, ORDER_FIELDS, SEARCH_KEY_FIELDS, Constant, FieldSpec, MinorUnits, OrderModels, Through,
)
from .fields import PER_UNIT_ALLOWED, Field, MinorUnit
from .numbers import IdNumbers, KeyedNumbers
from .own_tables import builtin_store
from .protocol import OrderStore
from .reference_types import reference_type_problem
from .statuses import StatusMapping
from .shop_tables import ShopTablesStore
from .search_index import SearchIndex
from .storage import side_tables


def _error(message: str) -> Exception:
    return OrderAdminConfigError(f"OrderModels {message}")


def _mapped_class(role: str, cls: Any) -> Any:
    try:
        mapper = inspect(cls)
    except Exception:  # inspect raises NoInspectionAvailable for anything that is not mapped
        mapper = None
    if mapper is None or not hasattr(mapper, "primary_key") or not isinstance(cls, type):
        raise _error(f"{role}={cls!r}: give the SQLAlchemy mapped class of your {role}s (e.g. ShopOrder)")
    if len(mapper.primary_key) != 1:
        raise _error(f"{role}={cls.__name__}: the panel needs a one-column primary key")
    column = mapper.primary_key[0]
    if not _holds(column, int):
        raise _error(f"{role}={cls.__name__}: the panel needs an integer primary key ({column.name} is {column.type})")
    return cls


def _holds(column: Any, python_type: type) -> bool:
    try:
        return issubclass(column.type.python_type, python_type)
    except NotImplementedError:
        return True  # a type that does not say: trust the host


def _describe(value: Any) -> str:
    owner = getattr(getattr(value, "class_", None), "__name__", None)
    return f"{owner}.{value.key}" if owner and getattr(value, "key", None) else repr(value)


def _column_attribute(value: Any) -> bool:
    return isinstance(value, QueryableAttribute) and isinstance(value.property, ColumnProperty)


def _field(where: str, name: str, spec: FieldSpec, base: Any, value: Any) -> Field:
    label = f"{where}[{name!r}]"
    if isinstance(value, Constant):
        if spec.writable and not spec.constant_allowed:
            raise _error(f"{label}: cannot be a constant: {spec.writable}, so it must be a column of {base.__name__}")
        return Field(name, base, constant=value.value)
    if isinstance(value, Through):
        return _through(label, name, spec, base, value)
    if isinstance(value, MinorUnits):
        return _minor_units(label, name, spec, base, value)
    if _column_attribute(value):
        if not issubclass(base, value.class_):
            raise _error(
                f"{label}: {_describe(value)} is an attribute of {value.class_.__name__}, not of {base.__name__}; "
                f"read it through a many-to-one relationship: Through({base.__name__}.<relationship>, {_describe(value)})"
            )
        if spec.writable and not _is_own_column(base, value):
            in_minor = (" (money kept as an integer count of fen: MinorUnits(<the integer column>))"
                        if spec.money else "")
            raise _error(f"{label}: {_describe(value)} is an SQL expression, but {spec.writable}: "
                         f"give a column of {base.__name__}{in_minor}")
        return _money_column(label, name, spec, base, value) if spec.money else Field(name, base, key=value.key,
                                                                                      owner=base)
    if isinstance(value, QueryableAttribute) and isinstance(value.property, RelationshipProperty):
        raise _error(f"{label}: {_describe(value)} is a relationship; give a column, or "
                     f"Through({_describe(value)}, <Related>.<column>)")
    if isinstance(value, ClauseElement):
        raise _error(
            f"{label}: an SQL expression must be mapped on {base.__name__} first: "
            f"`{name} = column_property(<expression>)` (SQLAlchemy's way to load an expression with the "
            f"object), then give {base.__name__}.{name}"
        )
    if isinstance(value, str) and hasattr(base, value):
        raise _error(f"{label}: {value!r} is a string; give the attribute {base.__name__}.{value} "
                     f"(or Constant({value!r}) if every row has that value)")
    raise _error(f"{label}: {value!r} is not a field; give a mapped attribute of {base.__name__}, "
                 f"Through(relationship, attribute) or Constant({value!r})")


def _money_column(label: str, name: str, spec: FieldSpec, base: Any, value: Any) -> Field:
    """A money column as given: yuan (a decimal column), or integers a ``TypeDecorator`` makes yuan of (summed
    through the type); a bare integer column is refused, for the panel cannot tell fen from yuan
    (docs/design.md, "Money in minor units")."""
    column_type = value.property.columns[0].type
    if isinstance(column_type, TypeDecorator):
        if isinstance(column_type.impl_instance, Integer):
            return Field(name, base, key=value.key, owner=base, converting_type=column_type)
    elif isinstance(column_type, Integer):
        raise _error(f"{label}: {_describe(value)} is an integer column; say what it counts: "
                     f"MinorUnits({_describe(value)}) for fen (100 to the yuan), "
                     f"MinorUnits({_describe(value)}, per_unit=1) for whole yuan")
    return Field(name, base, key=value.key, owner=base)


def _minor_units(label: str, name: str, spec: FieldSpec, base: Any, value: MinorUnits) -> Field:
    column, per_unit = value.column, value.per_unit
    if not spec.money:
        raise _error(f"{label}: {value!r}: MinorUnits is for money fields "
                     f"({', '.join(n for n, s in LINE_FIELDS.items() if s.money)})")
    if not (_column_attribute(column) and issubclass(base, column.class_) and _is_own_column(base, column)):
        raise _error(f"{label}: {value!r}: give an integer column of {base.__name__} itself")
    column_type = column.property.columns[0].type
    if isinstance(column_type, TypeDecorator):
        raise _error(f"{label}: {value!r}: {_describe(column)} is of type {column_type!r}, which converts its "
                     f"values already; give {_describe(column)} without MinorUnits")
    if not isinstance(column_type, Integer):
        raise _error(f"{label}: {value!r}: {_describe(column)} holds {column_type}, not integers; "
                     f"give an integer column, or the column itself if it holds yuan")
    if type(per_unit) is not int or per_unit not in PER_UNIT_ALLOWED:  # not 100.0, not True
        raise _error(f"{label}: {value!r}: per_unit must be one of {', '.join(map(str, PER_UNIT_ALLOWED))} "
                     "(how many of the column's units make a yuan; the panel's amounts are whole fen)")
    return Field(name, base, key=column.key, owner=base, minor=MinorUnit(per_unit))


def _one_money_unit(fields: Mapping[str, Field]) -> None:
    """A line's money columns share one unit, so the database adds them in one expression (``line_sums``)."""
    units = {name: field.money_unit for name, field in fields.items()
             if LINE_FIELDS[name].money and not field.is_constant}
    if len(set(units.values())) > 1:
        described = "; ".join(f"{name}: {_unit_text(unit)}" for name, unit in units.items())
        raise _error(f"line_fields: the money columns must be kept in one unit, as the database adds them "
                     f"({described})")


def _unit_text(unit: tuple[Any, ...] | None) -> str:
    if unit is None:
        return "yuan"
    if unit[0] == "MinorUnits":
        return f"MinorUnits, per_unit={unit[1]}"
    return f"integers of type {unit[2]}"


def _is_own_column(base: Any, attribute: Any) -> bool:
    columns = attribute.property.columns
    return len(columns) == 1 and isinstance(columns[0], Column) and columns[0].table in inspect(base).tables


def _through(label: str, name: str, spec: FieldSpec, base: Any, value: Through) -> Field:
    relationship, attribute = value.relationship, value.attribute
    if spec.writable:
        raise _error(f"{label}: {spec.writable}, so it must be a column of {base.__name__}, not {value!r}")
    if not (isinstance(relationship, QueryableAttribute) and isinstance(relationship.property, RelationshipProperty)):
        raise _error(f"{label}: {value!r}: the first argument must be a relationship of {base.__name__}")
    prop = relationship.property
    if not issubclass(base, cast("type[Any]", relationship.class_)):  # a class's attribute, never an alias's
        raise _error(f"{label}: {value!r}: {_describe(relationship)} is not a relationship of {base.__name__}")
    if prop.direction is not RelationshipDirection.MANYTOONE or len(prop.local_remote_pairs) != 1:
        raise _error(f"{label}: {value!r}: {_describe(relationship)} must be a many-to-one relationship on one "
                     "foreign-key column (each row has at most one related row)")
    related = prop.mapper.class_
    if not (_column_attribute(attribute) and issubclass(related, attribute.class_)):
        raise _error(f"{label}: {value!r}: the second argument must be a mapped attribute of {related.__name__}")
    return Field(name, base, key=attribute.key, via=relationship.key, owner=related)


def _fields(where: str, base: Any, specs: Mapping[str, FieldSpec], given: Mapping[str, Any],
            optional_absent: frozenset[str]) -> dict[str, Field]:
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise _error(f"{where}[{unknown[0]!r}]: unknown field (known: {', '.join(specs)})")
    fields: dict[str, Field] = {}
    for name, spec in specs.items():
        if name in given:
            fields[name] = _field(where, name, spec, base, given[name])
        elif _column_attribute(getattr(base, name, None)):
            fields[name] = _field(where, name, spec, base, getattr(base, name))
        elif spec.required or (spec.writable and not spec.constant_allowed):
            raise _error(f"{where}[{name!r}]: missing: {base.__name__} has no attribute {name!r}; "
                         f"give the attribute that holds {spec.doc}")
        elif name not in optional_absent:
            fields[name] = Field(name, base, constant=spec.default)
    return fields


def _status_mapping(raw: Mapping[Any, Any] | None, status: Field) -> StatusMapping:
    column = status.attribute.property.columns[0]
    if raw is None:
        if not _holds(column, str):
            raise _error(f"status_values: {_describe(status.attribute)} holds {column.type}, not the plugin's "
                         "status codes; map every status to the value your shop stores")
        return StatusMapping({s: s.value for s in OrderStatus})
    if not isinstance(raw, Mapping) or not raw:
        raise _error("status_values: give a mapping of OrderStatus to the value your shop stores, e.g. "
                     "{OrderStatus.AWAITING_PAYMENT: 10, ...}")
    values: dict[OrderStatus, tuple[Any, ...]] = {}
    seen: dict[Any, OrderStatus] = {}
    expected = int if _holds(column, int) and not _holds(column, str) else str if _holds(column, str) else None
    for key, given in raw.items():
        try:
            plugin_status = OrderStatus.parse(key)
        except ValueError as exc:
            raise _error(f"status_values[{key!r}]: {exc}") from None
        # Several values: the first is the one the panel writes (docs/design.md, "Several stored values per status").
        stored = tuple(given) if isinstance(given, (tuple, list)) else (given,)
        if not stored:
            raise _error(f"status_values[{plugin_status.value!r}]: give at least one value, or leave the status out")
        for value in stored:
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise _error(f"status_values[{plugin_status.value!r}]: {value!r} must be a string or an integer "
                             "(or a tuple of them)")
            if expected is not None and not isinstance(value, expected):
                raise _error(f"status_values[{plugin_status.value!r}]: {value!r} is a {type(value).__name__}, but "
                             f"{_describe(status.attribute)} holds {expected.__name__} values")
            if value in seen:
                other = "it" if seen[value] == plugin_status else repr(seen[value].value)
                raise _error(f"status_values[{plugin_status.value!r}]: {value!r} is already a value of {other}; "
                             "a stored value belongs to one status")
            seen[value] = plugin_status
        values[plugin_status] = stored
    return StatusMapping(values)


def _check_reference(field: Field | None) -> None:
    """The customer reference is compared with typed text (the search box, the buyer's orders): a type typed
    text cannot be is refused (docs/design.md, "Typed text and the reference column's type")."""
    if field is None or field.is_constant:
        return
    problem = reference_type_problem(field.attribute.property.columns[0].type)
    if problem is not None:
        raise _error(f"order_fields['customer_ref']: {_describe(field.attribute)} {problem}")


def resolve_store(models: OrderModels | None = None) -> OrderStore:
    """The checked store of ``models`` (None, or ``OrderModels()``: the plugin's own tables) that the panel's
    layers use; ``OrderAdminConfigError`` names a wrong field."""
    if models is None or models.is_builtin:
        if models is not None and (models.order_fields or models.line_fields or models.status_values is not None):
            raise OrderAdminConfigError(
                "OrderModels: fields and status_values describe a shop's own classes; give order= and line= too"
            )
        return builtin_store()
    return resolve_host_models(models)


def resolve_host_models(models: OrderModels) -> ShopTablesStore:
    order = _mapped_class("order", models.order)
    line = _mapped_class("line", models.line)
    order_fields = _fields("order_fields", order, ORDER_FIELDS, models.order_fields,
                           optional_absent=frozenset(SEARCH_KEY_FIELDS | {"number"}))
    line_fields = _fields("line_fields", line, LINE_FIELDS, models.line_fields, optional_absent=frozenset())
    _one_money_unit(line_fields)
    statuses = _status_mapping(models.status_values, order_fields["status"])
    _check_reference(order_fields.get("customer_ref"))
    number = order_fields.pop("number", None)
    if number is not None and not number.is_direct:
        raise _error("order_fields['number']: give a column (or column_property) of "
                     f"{order.__name__}, or leave it out for numbers made from the id")
    order_pk = inspect(order).primary_key[0]
    line_pk = inspect(line).primary_key[0]
    line_order = line_fields["order_id"].attribute.property.columns[0]
    if not _holds(line_order, int):
        raise _error(f"line_fields['order_id']: {_describe(line_fields['order_id'].attribute)} must hold the "
                     f"order's integer key, not {line_order.type}")
    tables = side_tables(order_pk.table.metadata, order_pk, line_pk, number_keys=number is not None)
    pk_key = inspect(order).get_property_by_column(order_pk).key
    numbers = IdNumbers() if number is None else KeyedNumbers(number, tables.number_keys, pk_key)
    return ShopTablesStore(
        order=order, line=line, order_fields=order_fields, line_fields=line_fields, statuses=statuses,
        numbers=numbers, events=tables.events, states_table=tables.states, origins_table=tables.origins,
        tables=tuple(t for t in (tables.states, tables.origins, tables.events, tables.number_keys,
                                 tables.search_keys.orders, tables.search_keys.lines) if t is not None),
        search_index=SearchIndex(tables.search_keys),
        copied_tables=(ExportRecord.__table__, ExportLimitLock.__table__, ExportOrder.__table__, BulkResult.__table__),
    )
