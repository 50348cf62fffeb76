"""Hosts that configure the panel differently: menu category, prefixes, no CSRFProtect of their own."""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin
from flask_order_admin.models import Order


class Staff(UserMixin):
    def __init__(self, user_id: str) -> None:
        self.id = user_id


def small_host(**config) -> tuple[Flask, SQLAlchemy, Admin]:
    """An in-memory host app with Flask-Login but without CSRFProtect."""
    app = Flask("small_host")
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="small", **config)
    db = SQLAlchemy(app)
    LoginManager(app).user_loader(Staff)
    admin = Admin(app, theme=Bootstrap4Theme())
    OrderAdmin(app, admin=admin, db=db)
    with app.app_context():
        db.create_all()
    return app, db, admin


def test_views_are_created_per_app_under_the_configured_names():
    app, _, admin = small_host(ORDER_ADMIN_MENU_CATEGORY="Shop", ORDER_ADMIN_MENU_NAME="Customer orders",
                               ORDER_ADMIN_URL="sales", ORDER_ADMIN_ENDPOINT_PREFIX="sales_admin")
    other_app, _, other_admin = small_host()
    views = app.extensions["order_admin"].views
    assert [v.endpoint for v in views] == ["sales_admin_orders", "sales_admin_items", "sales_admin_exports"]
    assert not set(views) & set(other_app.extensions["order_admin"].views)
    assert admin.get_category_menu_item("Shop") is not None
    assert (views[0].category, views[0].name) == ("Shop", "Customer orders")
    assert not views[1].is_visible()  # the items tab has no menu entry of its own
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert "/admin/sales/" in rules and "/admin/sales/items/" in rules
    assert "/admin/orders/" in {rule.rule for rule in other_app.url_map.iter_rules()}


def test_without_the_hosts_csrfprotect_the_forms_still_require_their_token():
    app, db, _ = small_host()
    with app.app_context():
        order = Order(status="processing", buyer_name="Li")
        db.session.add(order)
        db.session.commit()
        order_id = order.id
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = "manager"
        response = client.post(f"/admin/orders/{order_id}/cancel/", data={"version": "1"}, follow_redirects=True)
        assert "missing its security token" in response.text
        db.session.expire_all()
        assert db.session.get(Order, order_id).status == "processing"
