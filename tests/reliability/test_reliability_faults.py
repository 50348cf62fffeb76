"""Faults in the middle of an action: everything rolls back, no event, a readable message, and the next action works."""

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, text

from flask_order_admin import services
from flask_order_admin.errors import ActionFailed
from flask_order_admin.models import Order, OrderEvent, OrderItem
from tests.faults import fault_at, raises, writes_to


def state_of(session, *order_ids):
    session.expire_all()
    result = {
        "orders": [(o.id, str(o.status), o.version, o.merged_into_id)
                   for o in session.query(Order).filter(Order.id.in_(order_ids)).order_by(Order.id)],
        "items": sorted((i.id, i.order_id, i.origin_order_id) for i in session.query(OrderItem)),
        "events": session.query(OrderEvent).count(),
    }
    session.rollback()
    return result


def test_exception_after_items_moved_rolls_back_everything(db, session, make_order):
    added, basic = make_order(items=4).id, make_order(items=2).id
    before = state_of(session, added, basic)
    with fault_at(db.engine, writes_to(OrderEvent.__tablename__),
                  raises(RuntimeError("injected failure after the items moved"))) as sent:
        with pytest.raises(RuntimeError, match="injected"):
            services.merge(session, added, basic, actor="ann")
    assert any(writes_to(OrderItem.__tablename__)(statement) for statement in sent[:-1]), "the items never moved"
    assert state_of(session, added, basic) == before
    assert services.merge(session, added, basic, actor="ann").id == basic


def test_connection_killed_mid_merge(app, db, session, make_order, dialect, database_url):
    if dialect != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    added, basic = make_order(items=3).id, make_order(items=2).id
    before = state_of(session, added, basic)
    killer = create_engine(database_url)

    def kill(cursor):
        with killer.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": cursor.connection.info.backend_pid})

    # Killed as the merge sends its first change, its orders locked and read.
    with fault_at(db.engine, lambda statement: statement.startswith(("UPDATE ", "INSERT ")), kill) as sent:
        with pytest.raises(ActionFailed, match="nothing was changed"):
            services.merge(session, added, basic, actor="ann")
    assert any("FOR UPDATE" in statement for statement in sent)
    killer.dispose()
    session.remove()
    assert state_of(session, added, basic) == before
    # pool_pre_ping: the next action gets a live connection.
    assert services.merge(session, added, basic, actor="ann").id == basic


def test_sqlite_lock_held_too_long_is_a_message_not_a_500(app, session, make_order, dialect, database_url):
    if dialect != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    order_id = make_order("processing").id
    state = app.extensions["order_admin"]
    state.settings = type(state.settings)(**{**state.settings.__dict__, "sqlite_busy_timeout": 0.2})
    blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ActionFailed, match="busy"):
            services.cancel(session, order_id, actor="ann")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert services.cancel(session, order_id, actor="ann").status == "canceled"


def test_sqlite_actions_queue_behind_a_short_lock(app, session, make_order, dialect, database_url):
    if dialect != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    order_id = make_order("processing").id
    blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None,
                              check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: blocker.execute("ROLLBACK"))
    release.start()
    try:
        assert services.cancel(session, order_id, actor="ann").status == "canceled"
    finally:
        release.join()
        blocker.close()
