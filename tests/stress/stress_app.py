"""The example shop as the load test serves it under gunicorn: ``tests.stress.stress_app:create_app()``.

Everything comes from the environment the load script sets, so that the four workers share
one database, one ``SECRET_KEY`` (a session made by one worker is read by the next) and one
admin password. Restore keeps every price as it is, so the money totals of the whole shop
must be the same after the run as before it.
"""

from __future__ import annotations

import os
from datetime import datetime

from flask import Flask

import example_app
from flask_order_admin.models import OrderItem
from flask_order_admin.pricing import Price


def same_price(item: OrderItem, at: datetime) -> Price:
    """``ORDER_ADMIN_PRICE_RESOLVER`` for the load test: today's price is the price the item has."""
    return Price(item.price, item.discount_price, item.china_delivery)


def stress_config(database_url: str, secret_key: str, password: str) -> dict[str, object]:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": secret_key,
        "DEMO_ADMIN_PASSWORD": password,
        "ORDER_ADMIN_PRICE_RESOLVER": same_price,
        "WTF_CSRF_TIME_LIMIT": None,
    }


def create_app() -> Flask:
    env = os.environ
    return example_app.create_app(stress_config(
        env["STRESS_DATABASE_URL"], env["STRESS_SECRET_KEY"], env["STRESS_ADMIN_PASSWORD"]))
