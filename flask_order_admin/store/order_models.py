"""``OrderModels``: which tables the panel works on — its own (the default), or the shop's.

A shop that already has order and line tables describes them, in the spirit of
Flask-Security's ``SQLAlchemyUserDatastore(db, User, Role)``::

    OrderModels(
        order=ShopOrder, line=ShopOrderLine,
        order_fields={"number": ShopOrder.number, "status": ShopOrder.state,
                      "buyer_name": Through(ShopOrder.customer, ShopCustomer.full_name),
                      "currency": Constant("CNY"), ...},
        line_fields={"title": ShopOrderLine.name, ...},
        status_values={OrderStatus.AWAITING_PAYMENT: 10, ...},
    )

Each plugin field (docs/design.md, "Orders and their data") is one of: a mapped attribute of the class (a column, whatever
its name, or a ``column_property`` — SQLAlchemy's way to map an SQL expression), a
``Through(relationship, attribute)`` of a many-to-one relationship (buyer fields on the
shop's customer table), a ``MinorUnits(column)`` for money kept as an integer count of fen (cents),
or a ``Constant(value)`` where the shop has no such column. A field
not given is the class's attribute of the same name, if it has one. ``resolve`` checks it
all at ``init_app``; an error names the field and what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class Through:
    """A field read through a many-to-one relationship: ``Through(ShopOrder.customer, Customer.email)``."""

    def __init__(self, relationship: Any, attribute: Any) -> None:
        self.relationship = relationship
        self.attribute = attribute

    def __repr__(self) -> str:
        return f"Through({_name(self.relationship)}, {_name(self.attribute)})"


class MinorUnits:
    """Money kept as an integer count of minor units: ``MinorUnits(ShopLine.price_fen)`` holds fen, 100 to the
    yuan (``per_unit``: 1, 10 or 100). The panel reads it as ``Decimal`` yuan (19136 → 191.36), sums it in SQL
    as the integers it is and scales each sum once, and writes it back in minor units (docs/design.md,
    "Money in minor units"). A column whose SQLAlchemy ``TypeDecorator`` already makes yuan of its integers
    is given as it is, without ``MinorUnits``."""

    def __init__(self, column: Any, per_unit: int = 100) -> None:
        self.column = column
        self.per_unit = per_unit

    def __repr__(self) -> str:
        return f"MinorUnits({_name(self.column)}, per_unit={self.per_unit!r})"


@dataclass(frozen=True)
class Constant:
    """The same value for every order (or line): ``Constant("CNY")`` where the shop has no such column."""

    value: Any


def _name(attribute: Any) -> str:
    owner = getattr(getattr(attribute, "class_", None), "__name__", None)
    key = getattr(attribute, "key", None)
    return f"{owner}.{key}" if owner and key else repr(attribute)


@dataclass(frozen=True)
class FieldSpec:
    """A plugin field: what it holds, and how a shop may give it."""

    doc: str
    required: bool = False  # False: a Constant default where the shop has no same-named attribute
    default: Any = None
    writable: str | None = None  # why the panel writes it: then a column of the class itself
    constant_allowed: bool = True  # a writable field that may still be a constant (the panel then leaves it)
    money: bool = False  # an amount in yuan: may be ``MinorUnits`` (docs/design.md, "Money in minor units")


ORDER_FIELDS: Mapping[str, FieldSpec] = {
    "number": FieldSpec("the order number shown, exported and searched; none: prefix + zero-padded id"),
    "status": FieldSpec("the status column (values mapped by status_values)", required=True,
                        writable="the actions change it", constant_allowed=False),
    "provider": FieldSpec("the goods provider code (ORDER_ADMIN_PROVIDERS)", required=True),
    "customer_ref": FieldSpec("the customer's reference, for the same-customer merge rule"),
    "buyer_name": FieldSpec("the buyer's full name", required=True),
    "buyer_email": FieldSpec("the buyer's email"),
    "buyer_email_key": FieldSpec("the email lower-cased, ideally indexed; none: lower(buyer_email)"),
    "buyer_phone": FieldSpec("the buyer's phone"),
    "buyer_name_key": FieldSpec("the name as search_keys.name_key makes it, ideally indexed; none: lower(buyer_name)"),
    "buyer_phone_key": FieldSpec("the phone as search_keys.phone_key makes it (digits reversed), ideally indexed; "
                                 "none: the phone equal to the typed text"),
    "buyer_address": FieldSpec("the delivery address, one display string"),
    "created_at": FieldSpec("when the order was placed", required=True),
    "updated_at": FieldSpec("when the order last changed (shown on the order page)"),
    "currency": FieldSpec("the currency code; none: ORDER_ADMIN_CURRENCY"),
}

# Fields the panel only searches by: left out, it compares the plain field instead (no constant stands in).
SEARCH_KEY_FIELDS = frozenset({"buyer_email_key", "buyer_name_key", "buyer_phone_key"})

LINE_FIELDS: Mapping[str, FieldSpec] = {
    "order_id": FieldSpec("the line's order (its primary key)", required=True,
                          writable="a merge moves the line", constant_allowed=False),
    "provider_item_id": FieldSpec("the item's id at the provider (the price resolver's key)"),
    "title": FieldSpec("the item title", required=True),
    "url": FieldSpec("the item page"),
    "photo_url": FieldSpec("the item photo"),
    "color": FieldSpec("color"),
    "size": FieldSpec("size"),
    "color_cn": FieldSpec("颜色分类"),
    "size_cn": FieldSpec("尺码"),
    "quantity": FieldSpec("quantity", required=True),
    "price": FieldSpec("item price (yuan)", required=True, writable="Restore reprices it", constant_allowed=False,
                       money=True),
    "discount_price": FieldSpec("discount price (yuan), empty: none", writable="Restore reprices it", money=True),
    "china_delivery": FieldSpec("China delivery per unit (yuan)", default=Decimal("0.00"),
                                writable="Restore reprices it", money=True),
}


@dataclass
class OrderModels:
    """The order and line classes the panel works on, and how its fields map onto them.

    ``OrderModels()`` (all arguments left out) is the plugin's own tables, as with no ``models=``.
    ``status_values`` maps each ``OrderStatus`` to the value the shop stores (strings or integers), or
    to several (a tuple or list: the first is the one the panel writes, each reads as that status);
    left out, the shop stores the plugin's codes. A status the shop has no value for switches off
    the actions that would set it (the panel says why).
    """

    order: Any = None
    line: Any = None
    order_fields: Mapping[str, Any] = field(default_factory=dict)
    line_fields: Mapping[str, Any] = field(default_factory=dict)
    status_values: Mapping[Any, Any] | None = None

    @property
    def is_builtin(self) -> bool:
        return self.order is None and self.line is None

