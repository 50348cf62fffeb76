"""The Flask extension: ``OrderAdmin(app, admin=admin, db=db)`` or ``init_app`` later."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from .models import OrderAdminBase
from .settings import Settings, load_settings

EXTENSION_KEY = "order_admin"


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
        key = (s.export_runner, s.export_rq_redis_url, s.export_rq_queue, s.export_app_factory, s.export_max_jobs)
        with self._runners_lock:
            runner = self._runners.get(key)
            if runner is None:
                runner = self._runners[key] = make_runner(self)
            return runner

    @property
    def session(self) -> Any:
        if self.db is None:
            raise RuntimeError("OrderAdmin was initialised without db=; the views need the host's Flask-SQLAlchemy db")
        return self.db.session


class OrderAdmin:
    """Order management for a Flask-Admin panel.

    ``admin`` is the host's ``flask_admin.Admin``; ``db`` its ``flask_sqlalchemy.SQLAlchemy``.
    Both may be given here or to ``init_app``; calling ``init_app`` on several apps works,
    each with its own settings and views.
    """

    def __init__(self, app: Flask | None = None, *, admin: Any = None, db: Any = None) -> None:
        self.admin = admin
        self.db = db
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, *, admin: Any = None, db: Any = None) -> OrderAdminState:
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError("OrderAdmin is already initialised on this app")
        admin = admin if admin is not None else self.admin
        db = db if db is not None else self.db
        settings = load_settings(app.config)  # fails here, at start-up, naming a wrong key
        if db is not None:
            add_tables_to(db.metadata)
        state = OrderAdminState(settings=settings, admin=admin, db=db, instance_path=app.instance_path)
        app.extensions[EXTENSION_KEY] = state
        app.register_blueprint(
            Blueprint(f"{settings.endpoint_prefix}_templates", __name__, template_folder=templates_folder())
        )
        from .cli import order_admin_cli

        app.cli.add_command(order_admin_cli)
        if admin is not None:
            from .views import register_views

            state.views = register_views(admin, state)
        return state


def add_tables_to(metadata: Any) -> None:
    """Put copies of the plugin's tables in the host's metadata, so ``db.create_all()`` creates them."""
    for table in OrderAdminBase.metadata.sorted_tables:
        if table.name not in metadata.tables:
            table.to_metadata(metadata)
