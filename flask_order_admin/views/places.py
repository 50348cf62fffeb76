"""No two views at one place: a host view already at the plugin's endpoint or URL would make two menu entries
that lead to one list (or a Flask error about blueprint names)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import OrderAdminConfigError
from .flask_admin_internals import mounted_url


def check_places_are_free(admin: Any, views: Iterable[Any]) -> None:
    """OrderAdminConfigError naming both views where another view of ``admin`` has one's endpoint or URL."""
    views = list(views)
    others = [view for view in admin._views if not any(view is own for own in views)]
    for own in views:
        for other in others:
            if other.endpoint == own.endpoint:
                key = "ORDER_ADMIN_ENDPOINT_PREFIX"
            elif _url(admin, other) == _url(admin, own):
                key = "ORDER_ADMIN_URL"
            else:
                continue
            raise OrderAdminConfigError(
                f"{key}: the host's view {_describe(admin, other)} is already where the plugin's "
                f"{_describe(admin, own)} goes; give one of them another endpoint and URL "
                "(for the plugin: ORDER_ADMIN_ENDPOINT_PREFIX, ORDER_ADMIN_URL)"
            )


def _url(admin: Any, view: Any) -> str:
    # Flask-Admin's own rule, for views whose blueprint is not made yet too.
    return (mounted_url(view, admin) or "/").rstrip("/") or "/"


def _describe(admin: Any, view: Any) -> str:
    return f"{type(view).__name__} (endpoint {view.endpoint!r}, URL {_url(admin, view)!r})"
