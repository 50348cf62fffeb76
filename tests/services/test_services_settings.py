"""Settings are never silently defaulted: outside an app the services need ``settings=``, and say so."""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
import xlrd
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from flask_order_admin import services
from flask_order_admin.domain import NumberFormat
from flask_order_admin.errors import ActionNotAllowed
from flask_order_admin.export import order_xls
from flask_order_admin.models import Order
from tests.model_sets import BUILTIN

# What this file tests does not depend on the order tables: the plugin's own are enough.
pytestmark = pytest.mark.models(BUILTIN)

NO_APP = r"outside a Flask app context.*app\.app_context\(\).*settings="


def outside_any_app(run: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run as a CLI job or a worker would: in a fresh context, where no Flask app context is pushed."""
    return contextvars.Context().run(run, *args, **kwargs)


@pytest.fixture
def worker_session(db: Any) -> Any:
    """A plain SQLAlchemy session on the host's engine, as a worker outside Flask would have."""
    with Session(db.engine) as session:
        yield session


@pytest.fixture
def shop_settings(app: Flask) -> Any:
    """The app's settings with a prefix of its own, so a number shows which settings made it."""
    return dataclasses.replace(app.extensions["order_admin"].settings, number_format=NumberFormat("SH-", 6))


def status_of(db: Any, order_id: int) -> str:
    with db.engine.connect() as connection:
        return connection.scalar(select(Order.__table__.c.status).where(Order.__table__.c.id == order_id))


def test_a_service_outside_an_app_without_settings_fails_loudly_and_changes_nothing(db, make_order, worker_session):
    order_id, other_id = make_order("processing").id, make_order("awaiting_payment").id
    for run in (
        lambda: services.cancel(worker_session, order_id, actor="cron"),
        lambda: services.merge(worker_session, other_id, order_id, actor="cron"),
        lambda: services.search(worker_session, str(order_id)),
        lambda: services.merge_candidates(worker_session, order_id),
        lambda: order_xls(worker_session, order_id),
    ):
        with pytest.raises(RuntimeError, match=NO_APP):
            outside_any_app(run)
    assert (status_of(db, order_id), status_of(db, other_id)) == ("processing", "awaiting_payment")


def test_with_settings_a_service_works_outside_an_app_and_uses_them(db, make_order, worker_session, shop_settings,
                                                                    signals_sent):
    order_id, completed_id, merged_id = (make_order(status).id for status in ("processing", "completed", "merged"))
    canceled = outside_any_app(services.cancel, worker_session, order_id, actor="cron", settings=shop_settings)
    assert canceled.id == order_id and status_of(db, order_id) == "canceled"
    assert [(name, sender) for name, sender, _ in signals_sent] == [("order-canceled", None)]  # no app: no sender
    with pytest.raises(ActionNotAllowed, match=f"SH-{completed_id:06d}"):
        outside_any_app(services.close, worker_session, completed_id, actor="cron", settings=shop_settings)
    found = outside_any_app(services.search, worker_session, f"SH-{order_id:06d}", settings=shop_settings)
    assert [o.id for o in found] == [order_id]
    found = outside_any_app(services.find_merge_candidates, worker_session, merged_id, settings=shop_settings)
    assert str(found.reason) == f"SH-{merged_id:06d} is already merged."
    data = outside_any_app(order_xls, worker_session, order_id, settings=shop_settings)
    assert xlrd.open_workbook(file_contents=data).sheet_by_index(0).cell_value(1, 2) == f"SH-{order_id:06d}"


def test_order_number_outside_an_app_raises_but_repr_never_does(app):
    order = Order(id=23, status="processing")
    assert order.number == "ORD-0000000023"
    assert repr(order) == "<Order ORD-0000000023 processing>"
    with pytest.raises(RuntimeError, match=NO_APP):
        outside_any_app(lambda: order.number)
    assert outside_any_app(repr, order) == "<Order id=23 processing>"
    assert outside_any_app(repr, Order()) == "<Order new None>"


def test_an_app_without_order_admin_is_named(app):
    with Flask("shop_without_the_plugin").app_context():
        with pytest.raises(RuntimeError, match=r"shop_without_the_plugin.*no OrderAdmin.*settings="):
            Order(id=1).number
