"""The export job limits under concurrent starts, on every database: a start paused between its insert
and its commit while another runs (the interleaving that broke the old recount), and a barrier race
of many starts at once. Both limits must hold exactly, and a refused start writes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from flask_order_admin.models import ExportRecord, ExportState

from tests.faults import claim_of, held_at

from .conftest import log_in

MATCHING = "/admin/orders/export-matching/"


@pytest.fixture
def held_jobs(db: Any, jobs: None, folder: Any) -> Iterator[None]:
    """Started jobs stay queued (each worker thread stands still before it claims its job), so each one counts
    against the limits."""
    with held_at(db.engine, claim_of(ExportRecord.__tablename__), times=None):
        yield


def active_jobs(db: Any) -> list[tuple[int, str]]:
    with Session(db.engine) as session:
        return session.execute(
            select(ExportRecord.id, ExportRecord.actor_id).where(ExportRecord.state.in_(ExportState.ACTIVE))
        ).all()


def ready_start(client: FlaskClient, form_fields: Callable[[str, str], dict[str, str]]) -> dict[str, str]:
    """The "Export all matching" form's fields, as the list page gave them to this client."""
    return {**form_fields(client.get("/admin/orders/").text, "export-matching-form"), "format": "xls"}


def post_in_thread(app: Flask, client: FlaskClient, fields: dict[str, str], results: list[Any]) -> None:
    with app.app_context():  # a request of its own, with its own session, as in a server's thread
        response = client.post(MATCHING, data=fields)
        results.append((response.status_code, response.location))


def is_started(result: tuple[int, str]) -> bool:
    status, location = result
    return status == 302 and location.startswith("/admin/orders/exports/")


def is_refused(result: tuple[int, str]) -> bool:
    status, location = result
    return status == 302 and not location.startswith("/admin/orders/exports/")


def waits_on_a_lock(db: Any) -> bool:
    """Whether some transaction of this database is waiting for a row lock (PostgreSQL, MariaDB)."""
    backend = db.engine.dialect.name
    query = {
        "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                      "AND datname = current_database()",
        "mysql": "SELECT count(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'",
    }[backend]
    with db.engine.connect() as connection:
        return bool(connection.scalar(text(query)))


@pytest.fixture
def pause_first_insert(db: Any) -> Iterator[dict[str, threading.Event]]:
    """The start made in the thread named "first" stops right after its job's INSERT reached the database,
    before its COMMIT, until ``resume`` is set; ``locking`` is set once the thread named "second" sends
    the limits' lock statement (which the old code never did)."""
    signals = {"inserted": threading.Event(), "resume": threading.Event(), "locking": threading.Event()}

    def after_flush(session: Session, context: Any) -> None:
        if threading.current_thread().name == "first" and any(isinstance(o, ExportRecord) for o in session.new):
            signals["inserted"].set()
            assert signals["resume"].wait(30)

    def before_execute(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread().name == "second" and statement.startswith("UPDATE order_admin_export_limits"):
            signals["locking"].set()

    event.listen(Session, "after_flush", after_flush)
    event.listen(db.engine, "before_cursor_execute", before_execute)
    yield signals
    signals["resume"].set()
    event.remove(Session, "after_flush", after_flush)
    event.remove(db.engine, "before_cursor_execute", before_execute)


@pytest.mark.parametrize("second_user", ["manager", "other"])
def test_a_start_paused_between_insert_and_commit_holds_the_limits(
        app, db, configure, make_order, held_jobs, form_fields, pause_first_insert, second_user):
    """The first start has inserted its job but not committed it when the second start runs: the second
    must wait for it and then count it (same user: the per-user limit; another user: the shop's)."""
    configure(export_max_jobs_per_user=1, export_max_jobs=1 if second_user == "other" else 5)
    make_order("shipped", items=5)
    first, second = log_in(app, "manager"), log_in(app, second_user)
    first_fields, second_fields = ready_start(first, form_fields), ready_start(second, form_fields)
    first_result: list[Any] = []
    second_result: list[Any] = []
    first_start = threading.Thread(target=post_in_thread, args=(app, first, first_fields, first_result), name="first")
    second_start = threading.Thread(target=post_in_thread, args=(app, second, second_fields, second_result),
                                    name="second")
    first_start.start()
    assert pause_first_insert["inserted"].wait(10)
    second_start.start()
    # Wait until the second start has finished (the old code: it never waited) or is held at the lock.
    deadline = time.monotonic() + 10
    while second_start.is_alive() and time.monotonic() < deadline:
        if pause_first_insert["locking"].is_set() and (db.engine.dialect.name == "sqlite" or waits_on_a_lock(db)):
            break
        time.sleep(0.01)
    pause_first_insert["resume"].set()
    first_start.join(30), second_start.join(30)
    # The first start commits its job; the second, having waited for it, counts it and is refused.
    assert len(first_result) == len(second_result) == 1, (first_result, second_result)
    assert is_started(first_result[0]) and is_refused(second_result[0]), (first_result, second_result)
    assert len(active_jobs(db)) == 1


@pytest.mark.parametrize("users, starts_each, per_user, shop, expected", [
    (["manager"], 10, 2, 10, 2),  # one manager clicking ten times: their own limit
    (["manager", "other", "third", "fourth"], 3, 3, 4, 4),  # four managers at once: the shop's limit
])
def test_many_starts_at_once_keep_both_limits_exactly(
        app, db, configure, make_order, held_jobs, form_fields, users, starts_each, per_user, shop, expected):
    configure(export_max_jobs_per_user=per_user, export_max_jobs=shop)
    make_order("shipped", items=5)
    clients = [log_in(app, user) for user in users for _ in range(starts_each)]
    fields = [ready_start(client, form_fields) for client in clients]
    barrier = threading.Barrier(len(clients))
    results: list[Any] = []

    def start(client: FlaskClient, form: dict[str, str]) -> None:
        barrier.wait(30)
        post_in_thread(app, client, form, results)

    threads = [threading.Thread(target=start, args=pair) for pair in zip(clients, fields)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == len(clients) and all(is_started(r) or is_refused(r) for r in results), results
    active = active_jobs(db)
    assert len(active) == sum(map(is_started, results)) == expected
    per_actor = {user: sum(1 for _, actor_id in active if actor_id == user) for user in users}
    assert max(per_actor.values()) <= per_user, per_actor
    with Session(db.engine) as session:  # a refused start leaves no row behind
        assert session.scalar(select(func.count()).select_from(ExportRecord)) == expected
