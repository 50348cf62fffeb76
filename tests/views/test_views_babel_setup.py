"""A host with Flask-Babel installed but not set up gets ``OrderAdminConfigError`` saying what to do, not
Flask-Admin's ``KeyError: 'babel'`` (docs/design.md, "Flask-Babel installed, not set up")."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin, OrderAdminConfigError


def host(*, babel_after_order_admin: bool = False) -> Flask:
    app = Flask("babel_host")
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="babel", TESTING=True,
                      ORDER_ADMIN_ACCESS=lambda *args: True)
    db = SQLAlchemy(app)
    OrderAdmin(app, admin=Admin(app, theme=Bootstrap4Theme()), db=db)
    if babel_after_order_admin:
        Babel(app)
    app.add_url_rule("/shop", "shop", lambda: "the shop's own page")
    with app.app_context():
        db.create_all()
    return app


@pytest.mark.parametrize("url", ["/admin/orders/", "/admin/orders/items/", "/admin/orders/exports/", "/admin/"])
def test_admin_pages_name_the_missing_babel_setup(url):
    with pytest.raises(OrderAdminConfigError, match=r"Flask-Babel is installed but not initialised.*Babel\(app\)"):
        host().test_client().get(url)


def test_the_hosts_own_pages_are_left_alone():
    response = host().test_client().get("/shop")
    assert (response.status_code, response.text) == (200, "the shop's own page")


def test_babel_set_up_after_order_admin_serves_the_panel():
    response = host(babel_after_order_admin=True).test_client().get("/admin/orders/")
    assert response.status_code == 200
