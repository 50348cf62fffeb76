"""How a service finds what it works with: the app's panel (docs/design.md, "One object per app").

Inside an app with OrderAdmin, ``current_app.extensions["order_admin"]``, as Flask-SQLAlchemy finds its
state; outside one, the panel the caller passes (``panel=app.extensions["order_admin"]``). Never the
defaults by surprise: without either, a RuntimeError says what to do.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from flask import current_app, has_app_context

from ..models import utcnow
from ..settings import Settings
from ..store import OrderStore, builtin_store
from .resolver_pool import ResolverPool


class ServicePanel(Protocol):
    """What the services need of the app's panel (``flask_order_admin.panel.OrderPanel`` is one)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> OrderStore: ...

    @property
    def resolver_pool(self) -> ResolverPool: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...


@dataclass(frozen=True)
class GivenSettings:
    """A service called with the deprecated ``settings=``: those settings, with the current app's store,
    resolver pool and clock, or outside an app with OrderAdmin, the plugin's own tables and a pool of
    its own for the call."""

    settings: Settings
    store: OrderStore
    resolver_pool: ResolverPool
    clock: Callable[[], datetime] = utcnow


def find_panel(panel: ServicePanel | None = None, settings: Settings | None = None) -> ServicePanel:
    """``panel``, else the current app's; ``settings`` (deprecated, for one release): the current app's
    panel with those settings instead (see ``GivenSettings``)."""
    if panel is not None:
        if settings is not None:
            raise TypeError("pass panel= or settings=, not both (settings= is deprecated: panel= holds them)")
        return panel
    if settings is not None:
        return _given_settings(settings, stacklevel=4)
    if not has_app_context():
        raise RuntimeError(
            "flask-order-admin needs its panel (settings and order tables), and this runs outside a Flask app "
            "context (a CLI job, a worker?): run it inside `with app.app_context():`, or pass the panel "
            "explicitly, e.g. services.cancel(session, order_id, actor=..., panel=app.extensions['order_admin'])"
        )
    found = _app_panel()
    if found is None:
        raise RuntimeError(
            f"flask-order-admin needs its panel, and the current app {current_app.name!r} has no OrderAdmin: "
            "initialise OrderAdmin(app, ...) on it, or pass panel= explicitly"
        )
    return found


def panel_from(given: ServicePanel | Settings) -> ServicePanel:
    """For the services that take the panel as a positional argument, where they took the settings until 0.2:
    ``Settings`` there is the deprecated ``settings=``."""
    return _given_settings(given, stacklevel=4) if isinstance(given, Settings) else given


def _given_settings(settings: Settings, *, stacklevel: int) -> ServicePanel:
    # stacklevel: the warning names the line that called the service.
    warnings.warn(
        "settings= is deprecated and goes in the next release: pass panel=app.extensions['order_admin'] "
        "outside the app, nothing inside it", DeprecationWarning, stacklevel=stacklevel)
    found = _app_panel()
    if found is not None:
        return GivenSettings(settings, found.store, found.resolver_pool, found.clock)
    return GivenSettings(settings, builtin_store(), ResolverPool(settings.price_resolver_workers))


def _app_panel() -> ServicePanel | None:
    if not has_app_context():
        return None
    return cast("ServicePanel | None", current_app.extensions.get("order_admin"))
