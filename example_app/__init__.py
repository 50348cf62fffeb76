"""A small Taobao-reselling shop that mounts flask-order-admin: ``flask --app example_app run``."""

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

from .auth import ShopAdminIndex, ensure_admin_user, init_login
from .catalog import catalog_price
from .commands import register_commands
from .deployment import HttpsSessionInterface, require_secret_key, trust_proxies
from .languages import init_languages
from .models import db

DEFAULT_ADMIN_PASSWORD = "admin"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the shop; ``config`` is applied before any extension, so it may override the database URL."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'example_shop.sqlite'}"
        ),
        SECRET_KEY=os.environ.get("SECRET_KEY"),  # required, but for flask run and tests (deployment.py)
        SESSION_COOKIE_SAMESITE="Lax",  # not sent on another site's POST, nor into its frames
        SESSION_COOKIE_HTTPONLY=True,
        TRUSTED_PROXY_COUNT=os.environ.get("TRUSTED_PROXY_COUNT", 0),
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        DEMO_ADMIN_PASSWORD=os.environ.get("DEMO_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD),
        ORDER_ADMIN_PRICE_RESOLVER=catalog_price,
    )
    app.config.update(config or {})
    require_secret_key(app)
    trust_proxies(app)
    app.session_interface = HttpsSessionInterface()  # Secure where the request came over HTTPS

    init_languages(app)  # Flask-Babel: ?lang=ru|zh_Hans|en or DEMO_LANGUAGE, times in DEMO_TIMEZONE
    db.init_app(app)
    CSRFProtect(app)
    init_login(app)
    # A new Admin per app: module-level Admin or views would be bound to the first app only.
    admin = Admin(
        app, name=lazy_gettext("Demo shop"), url="/admin", index_view=ShopAdminIndex(url="/admin"),
        theme=Bootstrap4Theme(base_template="shop/admin_base.html"),  # Flask-Admin's, with a language switcher
    )
    OrderAdmin(app, admin=admin, db=db)
    register_commands(app)

    @app.get("/")
    def home() -> Response:
        return redirect(url_for("admin.index"))

    with app.app_context():
        db.create_all()  # the shop's tables and, added by OrderAdmin, the plugin's
        ensure_admin_user(app.config["DEMO_ADMIN_PASSWORD"])
    return app
