"""Flask-Admin views of the orders (thin: parse, ask domain/services, flash, redirect)."""

from __future__ import annotations

from typing import Any

from ..extension import OrderAdminState
from .exports import ExportsView
from .items import ItemsView
from .orders import OrdersView


def register_views(admin: Any, state: OrderAdminState) -> list[Any]:
    """Create this app's views (never shared between apps) and add them to ``admin``."""
    views = [OrdersView(state), ItemsView(state), ExportsView(state)]
    admin.add_views(*views)
    return views
