"""A "legacy shop": its own order tables, names, integer status codes, customers and numbers, with rows
that existed before the order panel; the panel mounts on them as they are (no copy, no sync).

``flask --app example_app.legacy seed-shop`` fills the shop's own tables; ``make demo-legacy`` serves
it at http://127.0.0.1:5001/backoffice/ (orders under Orders).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, redirect, url_for
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext
from flask_wtf import CSRFProtect
from werkzeug.wrappers import Response

from flask_order_admin import OrderAdmin

from ..deployment import require_secret_key
from ..languages import init_languages

from .backoffice import add_shop_views
from .catalog import catalog_price
from .commands import register_commands
from .login import BackofficeIndex, ensure_staff, init_login
from .models import db
from .order_models import SHOP_ORDER_MODELS

DEFAULT_PASSWORD = "admin"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the shop; ``config`` is applied before any extension, so it may override the database URL."""
    # The demo shop's item photos (example_app/static) serve this shop's catalog too.
    app = Flask(__name__, instance_relative_config=True, static_folder=str(Path(__file__).parent.parent / "static"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'legacy_shop.sqlite'}"
        ),
        SECRET_KEY=os.environ.get("SECRET_KEY"),  # required, but for flask run and tests (as the demo shop)
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        DEMO_ADMIN_PASSWORD=os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_PASSWORD),
        ORDER_ADMIN_PRICE_RESOLVER=catalog_price,
        # The category the shop's own views open (backoffice.py, translated there): the panel joins it.
        ORDER_ADMIN_MENU_CATEGORY="Sales",
        # The history names staff as the shop does: by full name (Staff has no username).
        ORDER_ADMIN_ACTOR_NAME=lambda staff: staff.full_name,
    )
    app.config.update(config or {})
    require_secret_key(app)

    init_languages(app)  # Flask-Babel: ?lang=ru|zh_Hans|en or DEMO_LANGUAGE, times in DEMO_TIMEZONE
    db.init_app(app)
    CSRFProtect(app)
    init_login(app)
    backoffice = Admin(app, name=lazy_gettext("Legacy shop"), url="/backoffice", theme=Bootstrap4Theme(),
                       index_view=BackofficeIndex(url="/backoffice"))
    add_shop_views(backoffice)
    # The panel on the shop's own order tables: it adds new tables of its own, and nothing else.
    OrderAdmin(app, admin=backoffice, db=db, models=SHOP_ORDER_MODELS)
    register_commands(app)

    @app.get("/")
    def home() -> Response:
        return redirect(url_for("admin.index"))

    with app.app_context():
        db.create_all()
        ensure_staff(app.config["DEMO_ADMIN_PASSWORD"])
    return app
