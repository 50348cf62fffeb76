"""Checking a shop's ``OrderModels`` and binding the panel to its classes (at ``init_app``).

Every mistake fails at start-up with an ``OrderAdminConfigError`` that names the field and says
what is wrong and what to give instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Column, inspect
from sqlalchemy.orm import ColumnProperty, QueryableAttribute, RelationshipDirection, RelationshipProperty
from sqlalchemy.sql.elements import ClauseElement

from ..domain import OrderStatus
from ..errors import OrderAdminConfigError
from ..models import BulkResult, ExportLimitLock, ExportOrder, ExportRecord
from .order_models import LINE_FIELDS, ORDER_FIELDS, SEARCH_KEY_FIELDS, Constant, FieldSpec, OrderModels, Through
from .fields import Field
from .numbers import IdNumbers, KeyedNumbers
from .own_tables import builtin_store
from .protocol import OrderStore
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
    if _column_attribute(value):
        if not issubclass(base, value.class_):
            raise _error(
                f"{label}: {_describe(value)} is an attribute of {value.class_.__name__}, not of {base.__name__}; "
                f"read it through a many-to-one relationship: Through({base.__name__}.<relationship>, {_describe(value)})"
            )
        if spec.writable and not _is_own_column(base, value):
            raise _error(f"{label}: {_describe(value)} is an SQL expression, but {spec.writable}: "
                         f"give a column of {base.__name__}")
        return Field(name, base, key=value.key, owner=base)
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
    values: dict[OrderStatus, Any] = {}
    seen: dict[Any, OrderStatus] = {}
    for key, value in raw.items():
        try:
            plugin_status = OrderStatus.parse(key)
        except ValueError as exc:
            raise _error(f"status_values[{key!r}]: {exc}") from None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise _error(f"status_values[{plugin_status.value!r}]: {value!r} must be a string or an integer")
        expected = int if _holds(column, int) and not _holds(column, str) else str if _holds(column, str) else None
        if expected is not None and not isinstance(value, expected):
            raise _error(f"status_values[{plugin_status.value!r}]: {value!r} is a {type(value).__name__}, but "
                         f"{_describe(status.attribute)} holds {expected.__name__} values")
        if value in seen:
            raise _error(f"status_values[{plugin_status.value!r}]: {value!r} is already the value of "
                         f"{seen[value].value!r}; each status needs a value of its own")
        seen[value] = plugin_status
        values[plugin_status] = value
    return StatusMapping(values)


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
    statuses = _status_mapping(models.status_values, order_fields["status"])
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
