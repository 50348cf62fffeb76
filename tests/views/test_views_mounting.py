"""Mounting without surprises: collisions named at start-up, the Flask-Login extra and its warning, who did it,
the public list views a host subclasses, and Flask-Admin's own CSV export."""

from __future__ import annotations

import importlib.metadata
import logging
import re
from typing import Any

import pytest
from flask import Flask
from flask_babel import Babel
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin, OrderAdminConfigError
from flask_order_admin.models import Order, OrderEvent
from flask_order_admin.views import ExportsView, ItemsView, OrdersView


class Staff(UserMixin):
    """A shop's staff model: ``login`` and ``full_name``, none of username / name / email."""

    def __init__(self, user_id: str) -> None:
        self.id = user_id
        self.login = "wfang"
        self.full_name = "Wang Fang"


class ShopEventsView(ModelView):
    """A view of the host's own."""


def mount(*, before: Any = (), login: bool = True, **options: Any) -> tuple[Flask, SQLAlchemy, Admin]:
    """An in-memory host: ``before`` makes host views added ahead of the plugin; config keys go to app.config,
    other options to ``OrderAdmin``."""
    app = Flask("mounting_host")
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="mount", TESTING=True,
                      WTF_CSRF_ENABLED=False, **{k: v for k, v in options.items() if k.startswith("ORDER_ADMIN_")})
    db = SQLAlchemy(app)
    if login:
        LoginManager(app).user_loader(Staff)
    admin = Admin(app, theme=Bootstrap4Theme())
    for make_view in before:
        admin.add_view(make_view(db))
    OrderAdmin(app, admin=admin, db=db, **{k: v for k, v in options.items() if not k.startswith("ORDER_ADMIN_")})
    with app.app_context():
        db.create_all()
    return app, db, admin


def logged_in(app: Flask, user_id: str = "7") -> Any:
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user_id
    return client


def add_order(app: Flask, db: SQLAlchemy, **fields: Any) -> int:
    with app.app_context():
        order = Order(**{"status": "processing", "buyer_name": "Li Wei", **fields})
        db.session.add(order)
        db.session.commit()
        return order.id


# Collisions

@pytest.mark.parametrize(("host_view", "plugin_view", "key"), [
    ({"endpoint": "order_admin_orders"}, "OrdersView (endpoint 'order_admin_orders', URL '/admin/orders')",
     "ORDER_ADMIN_ENDPOINT_PREFIX"),
    ({"endpoint": "order_admin_items"}, "ItemsView (endpoint 'order_admin_items', URL '/admin/orders/items')",
     "ORDER_ADMIN_ENDPOINT_PREFIX"),
    ({"endpoint": "shop_orders", "url": "/admin/orders"}, "OrdersView (endpoint 'order_admin_orders'",
     "ORDER_ADMIN_URL"),
    ({"endpoint": "shop_orders", "url": "orders/"}, "OrdersView (endpoint 'order_admin_orders'", "ORDER_ADMIN_URL"),
    ({"endpoint": "shop_items", "url": "/admin/orders/items"}, "ItemsView (endpoint 'order_admin_items'",
     "ORDER_ADMIN_URL"),
])
def test_a_host_view_already_at_the_plugins_place_fails_at_start_up_naming_both(host_view, plugin_view, key):
    with pytest.raises(OrderAdminConfigError) as caught:
        mount(before=[lambda db: ShopEventsView(OrderEvent, db, **host_view)])
    message = str(caught.value)
    assert message.startswith(f"{key}:")
    assert "ShopEventsView (endpoint '" in message and plugin_view in message


def test_a_host_view_added_later_at_the_plugins_url_fails_on_the_first_request_naming_both():
    app, db, admin = mount()
    admin.add_view(ShopEventsView(OrderEvent, db, url="orders", endpoint="shop_orders"))
    with pytest.raises(OrderAdminConfigError, match=r"ShopEventsView \(endpoint 'shop_orders', URL '/admin/orders'\)"):
        app.test_client().get("/admin/orders/")


def test_a_host_view_added_later_at_the_plugins_endpoint_is_refused_by_flask():
    app, db, admin = mount()
    with pytest.raises(ValueError, match="'order_admin_orders' is already registered"):
        admin.add_view(ShopEventsView(OrderEvent, db, endpoint="order_admin_orders"))


def test_other_host_views_and_prefixes_mount_side_by_side():
    app, _, admin = mount(before=[lambda db: ShopEventsView(OrderEvent, db, url="/admin/events")],
                          ORDER_ADMIN_URL="sales", ORDER_ADMIN_ENDPOINT_PREFIX="sales")
    assert logged_in(app).get("/admin/sales/").status_code == 200


# Flask-Login: an extra, and a warning when the default rule can let nobody in

def test_flask_login_is_the_login_extra():
    metadata = importlib.metadata.metadata("flask-order-admin")
    assert "login" in metadata.get_all("Provides-Extra")
    assert any(re.fullmatch(r'Flask-Login>=0\.6\.3 ?; extra == "login"', r) for r in metadata.get_all("Requires-Dist"))


def test_the_default_rule_without_flask_login_warns_at_start_up(caplog):
    with caplog.at_level(logging.WARNING, logger="flask_order_admin"):
        mount(login=False)
    [warning] = [r for r in caplog.records if r.name.startswith("flask_order_admin")]
    assert warning.levelno == logging.WARNING
    text = warning.getMessage()
    assert "nobody" in text and "flask-order-admin[login]" in text and "ORDER_ADMIN_ACCESS" in text


@pytest.mark.parametrize("host", [{"login": True}, {"login": False, "ORDER_ADMIN_ACCESS": lambda action, order: True}])
def test_no_warning_when_someone_can_get_in(caplog, host):
    with caplog.at_level(logging.WARNING, logger="flask_order_admin"):
        mount(**host)
    assert [r for r in caplog.records if r.name.startswith("flask_order_admin")] == []


# Who did it

@pytest.mark.parametrize(("config", "actor"), [
    ({}, "7"),  # today's rule: username, name, email, else the id
    ({"ORDER_ADMIN_ACTOR_NAME": lambda user: f"{user.full_name} ({user.login})"}, "Wang Fang (wfang)"),
])
def test_the_history_names_the_user_as_the_host_says(config, actor):
    app, db, _ = mount(**config)
    order_id = add_order(app, db)
    response = logged_in(app).post(f"/admin/orders/{order_id}/cancel/", data={"version": "1"})
    assert response.status_code == 302
    with app.app_context():
        [event] = db.session.query(OrderEvent).filter_by(order_id=order_id).all()
        assert (event.action, event.actor) == ("cancel", actor)


# The list views: public classes a host subclasses

class ShopOrdersView(OrdersView):
    """Adds the buyer's email, hides the provider."""

    column_list = [c for c in OrdersView.column_list if c != "provider"] + ["buyer_email"]
    column_labels = {**OrdersView.column_labels, "buyer_email": "E-mail"}


class ShopItemsView(ItemsView):
    column_list = [c for c in ItemsView.column_list if c != "photo_url"]


def test_a_host_passes_its_own_subclasses_of_the_lists():
    app, db, _ = mount(views={"orders": ShopOrdersView, "items": ShopItemsView})
    add_order(app, db, buyer_email="li@example.com", items=[])
    assert [type(v) for v in app.extensions["order_admin"].views] == [ShopOrdersView, ShopItemsView, ExportsView]
    client = logged_in(app)
    page = client.get("/admin/orders/").text
    header = re.search(r'class="column-header col-buyer_email">(.*?)</th>', page, re.S)
    assert header and header.group(1).strip() == "E-mail"
    assert re.search(r'<td class="col-buyer_email">\s*li@example.com\s*</td>', page)
    assert "col-provider" not in page and "col-status" in page
    items_page = client.get("/admin/orders/items/").text
    assert "col-photo_url" not in items_page and "col-title" in items_page


@pytest.mark.parametrize(("views", "message"), [
    ({"orders": ModelView}, r"views\['orders'\]: must be a subclass of flask_order_admin.views.OrdersView"),
    ({"items": OrdersView}, r"views\['items'\]: must be a subclass of flask_order_admin.views.ItemsView"),
    ({"order": ShopOrdersView}, r"views\['order'\]: unknown; known: 'orders', 'items'"),
])
def test_wrong_views_fail_at_start_up(views, message):
    with pytest.raises(OrderAdminConfigError, match=message):
        mount(views=views)


# Flask-Admin's own CSV export

class ExportingOrdersView(OrdersView):
    can_export = True


@pytest.mark.parametrize("how", ["subclass", "class attribute"])
def test_flask_admins_csv_export_is_refused_at_start_up(monkeypatch, how):
    options: dict[str, Any] = {}
    if how == "subclass":
        options["views"] = {"orders": ExportingOrdersView}
    else:
        monkeypatch.setattr(ItemsView, "can_export", True)
    with pytest.raises(OrderAdminConfigError, match=r"can_export.*Export"):
        mount(**options)
