"""Putting the plugin's views into the host's Flask-Admin: the host's own classes, and a free place for them.

A host view already at the plugin's endpoint or URL would make two menu entries that
lead to one list (or a Flask error about blueprint names): it fails at start-up, naming both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..panel import OrderPanel
from ..errors import OrderAdminConfigError
from .places import check_places_are_free
from .exports import ExportsView
from .items import ItemsView
from .orders import OrdersView

VIEW_CLASSES: dict[str, type] = {"orders": OrdersView, "items": ItemsView, "exports": ExportsView}


def create_views(admin: Any, state: OrderPanel, chosen: Mapping[str, type] | None = None) -> list[Any]:
    """This app's views (never shared between apps), of the host's classes where it chose some,
    checked against what ``admin`` already holds; the caller adds them."""
    classes = dict(VIEW_CLASSES)
    for key, view_class in (chosen or {}).items():
        if key not in VIEW_CLASSES:
            raise OrderAdminConfigError(f"views[{key!r}]: unknown; known: {', '.join(map(repr, VIEW_CLASSES))}")
        base = VIEW_CLASSES[key]
        if not (isinstance(view_class, type) and issubclass(view_class, base)):
            raise OrderAdminConfigError(
                f"views[{key!r}]: must be a subclass of flask_order_admin.views.{base.__name__} (got {view_class!r})"
            )
        classes[key] = view_class
    views = [classes[key](state) for key in VIEW_CLASSES]
    for view in views:
        if view.can_export:
            # Its column formatters are HTML for the list; and that export would skip the "export" access rule,
            # the export log and the orders_exported signal.
            raise OrderAdminConfigError(
                f"views: {type(view).__name__}.can_export is True, but Flask-Admin's CSV export is not offered on "
                "the order lists; they have their own Export (.xls/.xlsx, ORDER_ADMIN_EXPORT_FORMATS): "
                "leave can_export False"
            )
    check_places_are_free(admin, views)
    return views
