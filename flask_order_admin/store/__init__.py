"""The one place that reads and writes a shop's orders (docs/design.md, "Order store").

``builtin_store()`` is the plugin's own tables; ``resolve_store(OrderModels(...))`` a shop's. Both are an
``OrderStore``: services, export and views have one code path for either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import KEEP, OrderChange, OrderState
from .fields import Field, FieldJoins
from .history import EventRecord
from .own_tables import OwnTablesStore, builtin_store
from .protocol import OrderStore
from .resolve import resolve_store
from .shop_tables import ShopTablesStore
from .sql_store import SQLOrderStore

__all__ = [
    "KEEP", "EventRecord", "Field", "FieldJoins", "OrderChange", "OrderState", "OrderStore", "OwnTablesStore",
    "SQLOrderStore", "ShopTablesStore", "builtin_store", "resolve_store",
]

if TYPE_CHECKING:  # mypy checks that both adapters are what the protocol says
    _ADAPTERS: tuple[type[OrderStore], ...] = (OwnTablesStore, ShopTablesStore)
