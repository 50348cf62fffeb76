"""The services find the app's panel, or are given it (``panel=``); never the defaults by surprise: outside an app
they need ``panel=``, and say so. ``settings=`` still works for one release, with a DeprecationWarning."""

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

from flask_order_admin import OrderPanel, services
from flask_order_admin.domain import NumberFormat
from flask_order_admin.errors import ActionNotAllowed
from flask_order_admin.export import order_xls
from flask_order_admin.models import Order
from tests.model_sets import BUILTIN

# What this file tests does not depend on the order tables: the plugin's own are enough.
pytestmark = pytest.mark.models(BUILTIN)

NO_APP = r"outside a Flask app context.*app\.app_context\(\).*panel="


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


@pytest.fixture
def shop_panel(app: Flask, shop_settings: Any) -> OrderPanel:
    """A panel as a worker outside the app would pass: the app's tables, the shop's own settings."""
    return OrderPanel(settings=shop_settings, store=app.extensions["order_admin"].store)


def status_of(db: Any, order_id: int) -> str:
    with db.engine.connect() as connection:
        return connection.scalar(select(Order.__table__.c.status).where(Order.__table__.c.id == order_id))


def test_a_service_outside_an_app_without_a_panel_fails_loudly_and_changes_nothing(db, make_order, worker_session):
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


def works_as_a_worker(db: Any, make_order: Any, session: Session, signals_sent: Any, **given: Any) -> None:
    """Run each kind of service outside any app with ``given`` (``panel=`` or ``settings=``): what they do and
    the numbers they write are those of the shop's settings (prefix "SH-", six digits)."""
    order_id, completed_id, merged_id = (make_order(status).id for status in ("processing", "completed", "merged"))
    canceled = outside_any_app(services.cancel, session, order_id, actor="cron", **given)
    assert canceled.id == order_id and status_of(db, order_id) == "canceled"
    assert [(name, sender) for name, sender, _ in signals_sent] == [("order-canceled", None)]  # no app: no sender
    with pytest.raises(ActionNotAllowed, match=f"SH-{completed_id:06d}"):
        outside_any_app(services.close, session, completed_id, actor="cron", **given)
    found = outside_any_app(services.search, session, f"SH-{order_id:06d}", **given)
    assert [o.id for o in found] == [order_id]
    found = outside_any_app(services.find_merge_candidates, session, merged_id, **given)
    assert str(found.reason) == f"SH-{merged_id:06d} is already merged."
    data = outside_any_app(order_xls, session, order_id, **given)
    assert xlrd.open_workbook(file_contents=data).sheet_by_index(0).cell_value(1, 2) == f"SH-{order_id:06d}"
    record = outside_any_app(services.get_order_record, session, order_id, **given)
    assert record.number == f"SH-{order_id:06d}"


def test_with_a_panel_a_service_works_outside_an_app_and_uses_it(db, make_order, worker_session, shop_panel,
                                                                  signals_sent):
    works_as_a_worker(db, make_order, worker_session, signals_sent, panel=shop_panel)


DEPRECATED = r"settings= is deprecated.*panel="


def test_settings_still_work_for_a_release_and_warn(db, make_order, worker_session, shop_settings, signals_sent):
    """Outside an app, ``settings=`` means those settings on the plugin's own tables (docs/design.md, "One object
    per app")."""
    with pytest.warns(DeprecationWarning, match=DEPRECATED) as warned:
        works_as_a_worker(db, make_order, worker_session, signals_sent, settings=shop_settings)
    ours = [w for w in warned if "settings= is deprecated" in str(w.message)]
    assert len(ours) == 6  # one per call, each naming the line that called the service
    assert {w.filename for w in ours} == {__file__}


def test_settings_in_an_app_are_those_settings_on_the_apps_store(app, session, make_order, shop_settings, orders):
    order = make_order("processing")
    with pytest.warns(DeprecationWarning, match=DEPRECATED):
        record = services.get_order_record(session, order.id, settings=shop_settings)
        events = services.events_of(session, shop_settings, order.id)  # positional, as until 0.2
    assert record.number == f"SH-{order.id:06d}" and record.obj is orders.get(order.id).obj
    assert events == services.events_of(session, app.extensions["order_admin"], order.id)


def test_a_panel_and_settings_together_are_refused(app, session, make_order, shop_panel, shop_settings):
    with pytest.raises(TypeError, match="panel= or settings=, not both"):
        services.get_order_record(session, make_order().id, panel=shop_panel, settings=shop_settings)


def test_an_order_reads_no_app_globals(app):
    """Its number is the store's (the app's format), never the model's: the model has none, and its repr is the
    same in and outside an app."""
    order = Order(id=23, status="processing")
    assert not hasattr(order, "number") and not hasattr(order, "provider_label")
    assert repr(order) == outside_any_app(repr, order) == "<Order id=23 processing>"
    assert outside_any_app(repr, Order()) == "<Order new None>"
    assert app.extensions["order_admin"].number_of(order) == "ORD-0000000023"


def test_an_app_without_order_admin_is_named(app, worker_session):
    with Flask("shop_without_the_plugin").app_context():
        with pytest.raises(RuntimeError, match=r"shop_without_the_plugin.*no OrderAdmin.*panel="):
            services.search(worker_session, "1")
