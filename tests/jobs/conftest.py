"""Export jobs: the view tests' host app (Flask-Admin, Flask-Login, CSRF, the plugin) on every database,
with the exports written to a temporary folder, managers with browsers of their own, and ways to
hold a running job still (to cancel it, or to stop its heartbeat as a killed worker would)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from flask_order_admin.jobs.records import create_job
from flask_order_admin.jobs.selection import all_ids, store_ids
from flask_order_admin.models import ExportRecord, utcnow
from tests.faults import held_at, progress_of
from tests.model_sets import BUILTIN
from tests.views.conftest import _shared_app, configure, count_statements, form_fields, hidden_fields  # noqa: F401


@pytest.fixture(scope="session")
def model_set() -> str:
    """The jobs run on the plugin's own tables here; test_views_host_models.py runs one on a shop's."""
    return BUILTIN


class IsolatedClient(FlaskClient):
    """A browser of its own: the test's app context would otherwise carry one client's user in ``g``.

    Each request also starts a new transaction, as a real request's session does: the test's app
    context keeps one session, and on MariaDB (REPEATABLE READ) an open transaction would go on
    seeing what the background job changed meanwhile as it was.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for name in list(g):  # what the last request left: its CSRF token, user, refusal page, locale...
            g.pop(name, None)
        self.application.extensions["sqlalchemy"].session.rollback()
        return super().open(*args, **kwargs)


def log_in(app: Flask, username: str) -> FlaskClient:
    test_client = IsolatedClient(app, app.response_class, use_cookies=True)
    with test_client.session_transaction() as flask_session:
        flask_session["_user_id"] = username
        flask_session["_fresh"] = True
    return test_client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return log_in(app, "manager")


@pytest.fixture
def manager(app: Flask) -> Callable[[str], FlaskClient]:
    """``manager("other")``: another logged-in manager."""
    return lambda username: log_in(app, username)


@pytest.fixture
def folder(tmp_path: Path, configure: Callable[..., None], app: Flask) -> Iterator[Path]:
    """The exports folder of this test; the thread runners are stopped (their jobs finished) afterwards."""
    exports = tmp_path / "exports"
    configure(export_storage=str(exports))
    yield exports
    state = app.extensions["order_admin"]
    for runner in list(state._runners.values()):
        if hasattr(runner, "shutdown"):
            runner.shutdown(wait=True)
    state._runners.clear()


@pytest.fixture
def jobs(folder: Path, configure: Callable[..., None]) -> None:
    """Every export of more than 3 rows is a job."""
    configure(export_inline_rows=3)


@pytest.fixture
def read_export(db: Any) -> Callable[[int], ExportRecord]:
    """The export's row as the database has it now (a session of its own, detached)."""

    def read(export_id: int) -> ExportRecord:
        with Session(db.engine, expire_on_commit=False) as session:
            record = session.scalars(select(ExportRecord).where(ExportRecord.id == export_id)).one()
            session.expunge(record)
            return record

    return read


@pytest.fixture
def wait_for(read_export: Callable[[int], ExportRecord]) -> Callable[..., ExportRecord]:
    """``wait_for(export_id, "done")``: the export once it is in one of the states (fails after ``timeout``)."""

    def wait(export_id: int, *states: str, timeout: float = 30.0) -> ExportRecord:
        deadline = time.monotonic() + timeout
        while True:
            record = read_export(export_id)
            if record.state in states or time.monotonic() > deadline:
                assert record.state in states, (record.state, record.error)
                return record
            time.sleep(0.05)

    return wait


@pytest.fixture
def paused(db: Any) -> Iterator[SimpleNamespace]:
    """Running jobs stop just before their report of the rows they wrote reaches the database (the part file
    written, not yet renamed), until ``release()``: meanwhile each is "running" with no more heartbeats, as if
    its worker had been killed. ``reached(timeout)``: whether the first got there."""
    with held_at(db.engine, progress_of(ExportRecord.__tablename__), times=None) as held:
        yield SimpleNamespace(reached=held.wait_until_held, release=held.release_all)


@pytest.fixture
def start_export(form_fields: Callable[[str, str], dict[str, str]]) -> Callable[..., Any]:
    """POST "Export all matching" from the orders list (``query``: its filters), as the list's form does."""

    def start(client: FlaskClient, query: str = "", fmt: str = "xls", tab: str = "") -> Any:
        url = f"/admin/orders/{tab}"
        page = client.get(url + (f"?{query}" if query else "")).text
        fields = {**form_fields(page, "export-matching-form"), "format": fmt}
        return client.post(f"{url}export-matching/" + (f"?{query}" if query else ""), data=fields)

    return start


def export_id_of(response: Any) -> int:
    """The job's id from the redirect to its progress page."""
    assert response.status_code == 302, (response.status_code, response.text[:300])
    location = response.location
    assert location.startswith("/admin/orders/exports/"), location
    return int(location.rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def job_id_of() -> Callable[[Any], int]:
    return export_id_of


# A buyer name found nowhere else on this machine: where it is in a file, buyer data is.
BUYER = "Zhang Sanfeng-7f3a"


def files_with_buyer_data(folder: Path) -> list[Path]:
    """Every file under ``folder`` that holds the test buyer's name."""
    return [path for path in folder.rglob("*") if path.is_file() and BUYER.encode() in path.read_bytes()]


def wait_until_written(read_export: Callable[[int], ExportRecord], export_id: int, rows: int) -> None:
    """Wait until the job has written ``rows`` rows (it reports at every row in these tests)."""
    deadline = time.monotonic() + 60
    while (read_export(export_id).rows_written or 0) < rows:
        assert time.monotonic() < deadline, read_export(export_id).state
        time.sleep(0.05)


def wait_until_gone(folder: Path) -> None:
    """Wait (at most a minute) until nothing is left in ``folder``: a worker told to stop removes its files
    at its next report, when its thread gets to run."""
    deadline = time.monotonic() + 60
    while folder.exists() and list(folder.iterdir()):
        assert time.monotonic() < deadline, list(folder.iterdir())
        time.sleep(0.05)


def moved_back(db: Any, export_id: int, column: str, hours: float = 1, now: datetime | None = None) -> None:
    """As if the clock had moved on ``hours`` since the export's ``column`` (a stored time) was written:
    it is set to ``hours`` before ``now`` (the test's clock; the real time when not given)."""
    with db.engine.begin() as connection:
        connection.execute(update(ExportRecord).where(ExportRecord.id == export_id)
                           .values({column: (now or utcnow()) - timedelta(hours=hours)}))


class SettableClock:
    """The app's clock in a test: the real time until the test sets it, then that time until set again."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or utcnow()

    def set(self, now: datetime) -> datetime:
        self.now = now
        return now


@pytest.fixture
def clock(app: Flask) -> Iterator[SettableClock]:
    """``clock.set(at)``: the panel's "now" (stale checks, heartbeats, expiry) is ``at`` from then on.
    Set whole seconds: MariaDB's DATETIME keeps none of a fraction."""
    state = app.extensions["order_admin"]
    real, state.clock = state.clock, SettableClock()
    yield state.clock
    state.clock = real


def worker_stopped_long_ago(db: Any, export_id: int) -> None:
    """As if the clock had moved on an hour since the killed worker's last report."""
    with db.engine.begin() as connection:
        connection.execute(update(ExportRecord).where(ExportRecord.id == export_id)
                           .values(heartbeat_at=utcnow() - timedelta(hours=1)))


def queued_job(session: Session, settings: Any, folder: Path, order_ids: list[int], **fields: Any) -> ExportRecord:
    """A queued job over these orders, made as the start of an export makes one (never handed to a runner)."""
    actor = fields.pop("actor", "manager")
    record = create_job(session, settings, folder, actor=actor, actor_id=fields.pop("actor_id", actor),
                        order_count=len(order_ids), now=fields.pop("now", utcnow()), **fields)
    store_ids(session, record.id, sorted(set(order_ids)))
    session.commit()
    return record


def export_order_ids(db: Any, export_id: int) -> list[int]:
    """The orders the export covers, as its side table has them."""
    with Session(db.engine) as session:
        return all_ids(session, export_id)
