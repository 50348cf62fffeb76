"""Flask-Admin views of the orders (thin: parse, ask domain/services, flash, redirect).

``OrdersView`` (the "By orders" list and the order page) and ``ItemsView`` (the "By items"
list) are public: a host subclasses them to add or hide columns, the Flask-Admin way
(``column_list``, ``column_labels``, ``column_formatters``…), and passes its classes as
``OrderAdmin(app, admin=admin, db=db, views={"orders": ShopOrdersView})``.
"""

from __future__ import annotations

from .exports import ExportsView
from .items import ItemsView
from .mounting import create_views
from .places import check_places_are_free
from .orders import OrdersView

__all__ = ["ExportsView", "ItemsView", "OrdersView", "check_places_are_free", "create_views"]
