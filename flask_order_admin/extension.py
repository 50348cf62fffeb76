"""The Flask extension: ``OrderAdmin(app, admin=admin, db=db)`` or ``init_app`` later."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, request

from .errors import OrderAdminConfigError
from .i18n import template_callables
from .panel import OrderPanel
from .settings import Settings, load_settings
from .store import resolve_store
from .store.order_models import OrderModels

EXTENSION_KEY = "order_admin"
logger = logging.getLogger(__name__)


def templates_folder() -> str:
    """Where the plugin's templates are: inside the installed package, or the source checkout's top level."""
    installed = Path(__file__).parent / "templates"
    if (installed / "order_admin").is_dir():
        return str(installed)
    return str(Path(__file__).parent.parent / "templates")


# The panel's name until 0.2 (``flask_order_admin`` exports it), kept for one release: the same class.
OrderAdminState = OrderPanel


class OrderAdmin:
    """Order management for a Flask-Admin panel.

    ``admin`` is the host's ``flask_admin.Admin``; ``db`` its ``flask_sqlalchemy.SQLAlchemy``;
    ``models`` the order tables to work on (``OrderModels``), left out: the plugin's own;
    ``views`` the host's subclasses of the list views, ``{"orders": OrdersView subclass,
    "items": ItemsView subclass}`` (either or both). All may be given here or to ``init_app``;
    calling ``init_app`` on several apps works, each with its own settings and views.
    """

    def __init__(
        self, app: Flask | None = None, *, admin: Any = None, db: Any = None,
        models: OrderModels | None = None, views: Mapping[str, type] | None = None,
    ) -> None:
        self.admin = admin
        self.db = db
        self.models = models
        self.views = views
        if app is not None:
            self.init_app(app)

    def init_app(
        self, app: Flask, *, admin: Any = None, db: Any = None, models: OrderModels | None = None,
        views: Mapping[str, type] | None = None,
    ) -> OrderPanel:
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError("OrderAdmin is already initialised on this app")
        admin = admin if admin is not None else self.admin
        db = db if db is not None else self.db
        models = models if models is not None else self.models
        views = views if views is not None else self.views
        # Everything that can be wrong fails here, at start-up, before the app is changed.
        store = resolve_store(models)
        settings = load_settings(app.config)
        panel = OrderPanel(settings=settings, store=store, admin=admin, db=db, instance_path=app.instance_path)
        if admin is not None:
            from .views import create_views

            panel.views = create_views(admin, panel, views)
        elif views:
            raise OrderAdminConfigError("views: given without admin=, the Flask-Admin to add them to")
        if db is not None:
            add_tables_to(db.metadata, store.copied_tables)
        app.extensions[EXTENSION_KEY] = panel
        app.register_blueprint(
            Blueprint(f"{settings.endpoint_prefix}_templates", __name__, template_folder=templates_folder())
        )
        # Namespaced globals, not Flask-Babel's `_`: the host's own templates keep their own domain.
        app.jinja_env.globals.update(template_callables())
        from .cli import order_admin_cli

        app.cli.add_command(order_admin_cli)
        if admin is not None:
            admin.add_views(*panel.views)
            warn_if_nobody_can_get_in(app, settings)
            require_babel_once_installed(app, admin)
        return panel


def require_babel_once_installed(app: Flask, admin: Any) -> None:
    """Flask-Admin uses Flask-Babel as soon as it is importable and fails with ``KeyError: 'babel'`` on every page
    of an app that has not initialised it: say what to do instead, at the admin's first page. Checked per request,
    not here, as the host may set up Flask-Babel after OrderAdmin (docs/design.md, "Flask-Babel installed, not set
    up")."""
    if importlib.util.find_spec("flask_babel") is None:
        return

    def babel_initialised() -> None:
        if "babel" in app.extensions or request.blueprint not in {v.endpoint for v in getattr(admin, "_views", ())}:
            return
        raise OrderAdminConfigError(
            f"Flask-Babel is installed but not initialised on app {app.name!r}, and Flask-Admin's pages need it "
            "once it is installed (they fail with KeyError: 'babel'). Call Babel(app) (with your locale_selector, "
            "or BABEL_DEFAULT_LOCALE) before the first request, or uninstall Flask-Babel: the panel then reads "
            "in English."
        )

    app.before_request(babel_initialised)


def warn_if_nobody_can_get_in(app: Flask, settings: Settings) -> None:
    """The default access rule admits Flask-Login users only: without Flask-Login, say so now."""
    if settings.access is not None or getattr(app, "login_manager", None) is not None:
        return
    logger.warning(
        "flask-order-admin: the orders panel of app %r will let nobody in: ORDER_ADMIN_ACCESS is None, so "
        "the default rule admits logged-in Flask-Login users only, and the app has no Flask-Login "
        "LoginManager (set up before OrderAdmin). Install flask-order-admin[login] and set up "
        "LoginManager(app) first, or set ORDER_ADMIN_ACCESS to your own rule.",
        app.name,
    )


def add_tables_to(metadata: Any, tables: Any) -> None:
    """Put copies of the plugin's own tables in the host's metadata, so ``db.create_all()`` creates them.

    (On a shop's own order tables, the plugin's new tables are made in the metadata of the shop's order
    table, beside it, when the models are resolved.)
    """
    for table in tables:
        if table.name not in metadata.tables:
            table.to_metadata(metadata)
