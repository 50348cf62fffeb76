"""The Flask extension: ``OrderAdmin(app, admin=admin, db=db)`` or ``init_app`` later."""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, request

from .i18n import template_callables
from .models import utcnow
from .store.order_models import OrderModels
from .services.resolver_pool import ResolverPool
from .errors import OrderAdminConfigError
from .settings import Settings, load_settings

EXTENSION_KEY = "order_admin"
logger = logging.getLogger(__name__)


def templates_folder() -> str:
    """Where the plugin's templates are: inside the installed package, or the source checkout's top level."""
    installed = Path(__file__).parent / "templates"
    if (installed / "order_admin").is_dir():
        return str(installed)
    return str(Path(__file__).parent.parent / "templates")


@dataclass
class OrderAdminState:
    """What ``app.extensions["order_admin"]`` holds for one app."""

    settings: Settings
    admin: Any = None
    db: Any = None
    views: list[Any] = field(default_factory=list)
    instance_path: str = "instance"
    # What "now" is, for export jobs (heartbeats, the stale check, expiry) and for the rules that measure time
    # (a note's edit window): tests put a clock of their own here instead of racing real time
    # (docs/design.md, "Clock").
    clock: Callable[[], datetime] = utcnow
    # Export runners, made on first use and kept per runner configuration (tests and hosts may swap settings).
    _runners: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    _runners_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def export_folder(self) -> Path:
        """ORDER_ADMIN_EXPORT_STORAGE, or ``<instance folder>/order_admin_exports``."""
        return Path(self.settings.export_storage or Path(self.instance_path) / "order_admin_exports")

    def export_runner(self) -> Any:
        """This app's export runner (``jobs.runners``), created lazily: a thread pool starts no thread until used."""
        from .jobs.runners import make_runner

        s = self.settings
        key = (s.export_runner, s.export_rq_redis_url, s.export_rq_queue, s.export_app_factory, s.export_max_jobs,
               s.export_celery_app, s.export_celery_broker_url, s.export_celery_queue)
        with self._runners_lock:
            runner = self._runners.get(key)
            if runner is None:
                runner = self._runners[key] = make_runner(self)
            return runner

    places_checked: bool = False  # no view the host added later sits at one of the plugin's URLs
    # Where Restore runs the price resolver; it starts a thread per call, so an idle pool holds none.
    resolver_pool: ResolverPool = field(init=False)

    def __post_init__(self) -> None:
        self.resolver_pool = ResolverPool(self.settings.price_resolver_workers)

    @property
    def session(self) -> Any:
        if self.db is None:
            raise RuntimeError("OrderAdmin was initialised without db=; the views need the host's Flask-SQLAlchemy db")
        return self.db.session


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
    ) -> OrderAdminState:
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError("OrderAdmin is already initialised on this app")
        admin = admin if admin is not None else self.admin
        db = db if db is not None else self.db
        models = models if models is not None else self.models
        views = views if views is not None else self.views
        # Everything that can be wrong fails here, at start-up, before the app is changed.
        binding = (models or OrderModels()).resolve()
        settings = load_settings(app.config, order_models=binding)
        state = OrderAdminState(settings=settings, admin=admin, db=db, instance_path=app.instance_path)
        if admin is not None:
            from .views import create_views

            state.views = create_views(admin, state, views)
        elif views:
            raise OrderAdminConfigError("views: given without admin=, the Flask-Admin to add them to")
        if db is not None:
            add_tables_to(db.metadata, binding.copied_tables)
        app.extensions[EXTENSION_KEY] = state
        app.register_blueprint(
            Blueprint(f"{settings.endpoint_prefix}_templates", __name__, template_folder=templates_folder())
        )
        # Namespaced globals, not Flask-Babel's `_`: the host's own templates keep their own domain.
        app.jinja_env.globals.update(template_callables())
        from .cli import order_admin_cli

        app.cli.add_command(order_admin_cli)
        if admin is not None:
            admin.add_views(*state.views)
            warn_if_nobody_can_get_in(app, settings)
            require_babel_once_installed(app, admin)
        return state


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
