"""The export use case (jobs/service.py) called from a host's own code, outside any request, on every database:
a small export answered with its file, a big one as a job its runner gets, cancel, run again, the refusals;
and the panel's start going through it (the view writes no export record itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import xlrd
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from flask_order_admin.domain.statuses import OrderStatus
from flask_order_admin.errors import (
    ActionNotAllowed, ExportFormatNotOffered, ExportLimitReached, ExportNotFound, ExportOwnerUnknown,
    ExportStillRunning, ExportTooLarge,
)
from flask_order_admin.jobs import (
    Exporter, ExportRequest, InstantExport, JobOutcome, JobStarted, cancel_export, run_export,
    run_export_again, start_export,
)
from flask_order_admin.jobs import records
from flask_order_admin.jobs.runners import ThreadRunner
from flask_order_admin.jobs.storage import file_path
from flask_order_admin.models import ExportRecord, OrderEvent
from flask_order_admin.settings import Settings
from tests.jobs.conftest import export_order_ids

NIGHTLY = Exporter("nightly job", "warehouse")
AT = datetime(2026, 3, 1, 2, 30)


@dataclass
class Handed:
    """A runner that keeps what it is handed (a host's queue would run it later)."""

    submitted: list[tuple[int, str | None]] = field(default_factory=list)
    canceled: list[str | None] = field(default_factory=list)
    fails: bool = False

    def submit(self, app: Flask, export_id: int, user_id: str | None = None) -> str | None:
        if self.fails:
            raise ConnectionError("the queue is down")
        self.submitted.append((export_id, user_id))
        return f"queue-job-{export_id}"

    def cancel(self, runner_job_id: str | None) -> None:
        self.canceled.append(runner_job_id)


@dataclass
class HostSide:
    """A host's own object satisfying ``ExportHost`` (not the extension's): the app's settings, store, resolver
    pool, session and clock, its own folder and runner."""

    panel: Any
    folder: Path
    runner: Handed = field(default_factory=Handed)

    @property
    def settings(self) -> Settings:
        return self.panel.settings  # type: ignore[no-any-return]

    @property
    def store(self) -> Any:
        return self.panel.store

    @property
    def resolver_pool(self) -> Any:
        return self.panel.resolver_pool

    @property
    def session(self) -> Any:
        return self.panel.session

    @property
    def clock(self) -> Any:
        return self.panel.clock

    def export_folder(self) -> Path:
        return self.folder

    def export_runner(self) -> Handed:
        return self.runner


@pytest.fixture
def host(app: Flask, folder: Path, clock: Any) -> HostSide:
    clock.set(AT)
    return HostSide(app.extensions["order_admin"], folder)


def shipped_select(host: HostSide) -> Any:
    binding = host.store
    return select(binding.order_pk).where(binding.status_in([OrderStatus.SHIPPED]))


def numbers_in(data: bytes) -> set[str]:
    book = xlrd.open_workbook(file_contents=data)
    return {str(value) for sheet in book.sheets() for value in sheet.col_values(2) if str(value).startswith("ORD-")}


def test_a_small_export_is_answered_with_its_file_and_recorded(host, make_order, session, db, tmp_path):
    shipped = [make_order("shipped", items=2), make_order("shipped", items=1)]
    make_order("processing", items=1)
    result = start_export(host, ExportRequest((), "xls", "matching", "Nightly", matching=shipped_select(host)),
                          NIGHTLY)
    assert isinstance(result, InstantExport)
    result.file.save(tmp_path / "nightly.xls")
    assert numbers_in((tmp_path / "nightly.xls").read_bytes()) == {order.number for order in shipped}
    assert result.file.file.closed and result.file.summary.rows == 3
    record = session.get(ExportRecord, result.export_id)
    assert (record.actor, record.actor_id, record.runner, record.state) == ("nightly job", "warehouse", "inline", "done")
    assert (record.created_at, record.finished_at, record.rows_written) == (AT, AT, 3)
    assert export_order_ids(db, record.id) == sorted(order.id for order in shipped)
    assert host.runner.submitted == [] and not host.folder.exists()  # nothing queued, no file kept


def test_a_big_export_becomes_a_job_the_runner_gets_and_runs(host, make_order, jobs, session, db):
    shipped = [make_order("shipped", items=2) for _ in range(3)]
    make_order("processing", items=2)
    wanted = ExportRequest((), "xls", "matching", "Nightly", matching=shipped_select(host))
    started = start_export(host, wanted, Exporter("nightly job", "warehouse", user_id="manager"))
    assert isinstance(started, JobStarted) and started.queued
    assert host.runner.submitted == [(started.export_id, "manager")]
    record = session.get(ExportRecord, started.export_id)
    assert (record.state, record.order_count, record.created_at, record.runner_job_id) == (
        "queued", 3, AT, f"queue-job-{started.export_id}")
    assert export_order_ids(db, started.export_id) == sorted(order.id for order in shipped)
    # What the host's queue does with it: the same job code as every runner, on the same host object.
    assert run_export(host, started.export_id, "manager") is JobOutcome.DONE
    record = session.get(ExportRecord, started.export_id, populate_existing=True)
    assert (record.state, record.rows_written, record.started_at, record.finished_at) == ("done", 6, AT, AT)
    path = file_path(host.folder, record.file_name)
    assert numbers_in(path.read_bytes()) == {order.number for order in shipped}


def test_cancel_and_run_again(host, make_order, jobs, session, db):
    orders = [make_order("shipped", items=2) for _ in range(2)]
    started = start_export(host, ExportRequest([o.id for o in orders], "xls", "selected", "Two"), NIGHTLY)
    assert isinstance(started, JobStarted)
    with pytest.raises(ExportStillRunning):  # queued: still being prepared
        run_export_again(host, started.export_id, NIGHTLY)
    assert cancel_export(host, started.export_id) is True
    assert host.runner.canceled == [f"queue-job-{started.export_id}"]
    assert cancel_export(host, started.export_id) is False  # already ended: nothing more to cancel
    assert host.runner.canceled == [f"queue-job-{started.export_id}"]
    record = session.get(ExportRecord, started.export_id, populate_existing=True)
    assert (record.state, record.finished_at) == ("canceled", AT)
    assert run_export(host, started.export_id) is JobOutcome.NOT_QUEUED

    again = run_export_again(host, started.export_id, Exporter("Li Wei", "li"))
    assert again.queued and again.export_id != started.export_id
    assert host.runner.submitted[-1] == (again.export_id, None)
    copy = session.get(ExportRecord, again.export_id)
    assert (copy.retry_of_id, copy.actor_id, copy.state, copy.fmt) == (started.export_id, "li", "queued", "xls")
    assert export_order_ids(db, again.export_id) == export_order_ids(db, started.export_id) == [o.id for o in orders]
    for missing in (cancel_export, lambda h, export_id: run_export_again(h, export_id, NIGHTLY)):
        with pytest.raises(ExportNotFound):
            missing(host, again.export_id + 100)


def test_refusals_raise_and_start_nothing(host, make_order, jobs, configure, session):
    orders = [make_order("shipped", items=2) for _ in range(3)]
    ids = [o.id for o in orders]
    refusals = [
        (ExportFormatNotOffered, ExportRequest(ids, "csv", "selected", "x"), NIGHTLY),
        (ExportOwnerUnknown, ExportRequest(ids, "xls", "selected", "x"), Exporter("nobody", None)),  # a job needs one
    ]
    for error, wanted, exporter in refusals:
        with pytest.raises(error):
            start_export(host, wanted, exporter)
    configure(export_max_rows=5)
    with pytest.raises(ExportTooLarge):  # 6 rows, by the start's count
        start_export(host, ExportRequest(ids, "xls", "selected", "x"), NIGHTLY)
    with pytest.raises(ExportTooLarge):  # 3 orders over a limit of 2 rows, a job over matching orders
        configure(export_max_rows=2)
        start_export(host, ExportRequest((), "xls", "matching", "x", matching=shipped_select(host)), NIGHTLY)
    assert session.query(ExportRecord).count() == 0 and host.runner.submitted == []
    configure(export_max_rows=100, export_max_jobs_per_user=1)
    first = start_export(host, ExportRequest(ids, "xls", "selected", "x"), NIGHTLY)
    with pytest.raises(ExportLimitReached):
        start_export(host, ExportRequest(ids, "xls", "selected", "x"), NIGHTLY)
    assert [r.id for r in session.query(ExportRecord).all()] == [first.export_id]


def test_an_instant_export_asks_the_access_rule_as_its_user(host, make_order, configure, session):
    """Outside a request the rule reads ``current_user`` as the exporter's user, loaded by the host's loader."""
    from flask_login import current_user

    order = make_order("shipped", items=1)
    configure(access=lambda action, order: current_user.get_id() == "manager" if order is not None else None)
    wanted = ExportRequest([order.id], "xls", "selected", "One")
    with pytest.raises(ActionNotAllowed, match=order.number):
        start_export(host, wanted, Exporter("intern", "intern", user_id="intern"))
    with pytest.raises(ActionNotAllowed):
        start_export(host, wanted, NIGHTLY)  # nobody logged in
    assert session.query(ExportRecord).count() == 0
    result = start_export(host, wanted, Exporter("manager", "manager", user_id="manager"))
    assert isinstance(result, InstantExport)
    result.file.close()
    assert session.query(OrderEvent).filter_by(order_id=order.id, action="export").count() == 1


def test_a_job_the_runner_cannot_take_is_failed_by_the_records(host, make_order, jobs, session, monkeypatch):
    failed_by_records = []
    fail_queued = records.fail_queued
    monkeypatch.setattr(records, "fail_queued",
                        lambda *args, **kwargs: failed_by_records.append(args[1]) or fail_queued(*args, **kwargs))
    host.runner.fails = True
    make_order("shipped", items=5)
    started = start_export(host, ExportRequest((), "xls", "matching", "x", matching=shipped_select(host)),
                           NIGHTLY)
    assert not started.queued and "the export queue cannot be reached" in str(started.failure)
    record = session.get(ExportRecord, started.export_id)
    assert (record.state, record.finished_at) == ("failed", AT) and "ConnectionError" in record.error
    assert failed_by_records == [started.export_id]


def test_the_panel_starts_through_the_use_case_and_writes_no_record_itself(
        client, make_order, jobs, start_export, session, monkeypatch, clock):
    """A failed hand-over from the panel: the job is failed through jobs/records.py, and the manager sees why."""
    clock.set(AT)
    failed_by_records = []
    fail_queued = records.fail_queued
    monkeypatch.setattr(records, "fail_queued",
                        lambda *args, **kwargs: failed_by_records.append(args[1]) or fail_queued(*args, **kwargs))

    def unreachable(self: Any, app: Flask, export_id: int, user_id: str | None = None) -> str | None:
        raise ConnectionError("no queue")

    monkeypatch.setattr(ThreadRunner, "submit", unreachable)
    make_order("shipped", items=5)
    response = start_export(client)
    export_id = int(response.location.rstrip("/").rsplit("/", 1)[1])
    assert failed_by_records == [export_id]
    page = client.get(response.location).text
    assert "The export could not be started" in page and "the export queue cannot be reached" in page
    record = session.get(ExportRecord, export_id, populate_existing=True)
    assert (record.state, record.finished_at, record.actor_id) == ("failed", AT, "manager")


def test_the_command_line_exports_through_the_use_case(app, make_order, folder, session, tmp_path, clock):
    clock.set(AT)
    shipped = make_order("shipped", items=2)
    make_order("processing", items=1)
    output = tmp_path / "out.xls"
    result = CliRunner().invoke(app.cli, ["order-admin", "export", "--status", "shipped", "-o", str(output)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert numbers_in(output.read_bytes()) == {shipped.number}
    [record] = session.query(ExportRecord).all()
    assert (record.actor, record.runner, record.source, record.created_at) == ("command line", "inline", "matching", AT)
    assert record.description == "order-admin export --status shipped"
    refused = CliRunner().invoke(app.cli, ["order-admin", "export", "--order", str(shipped.id), "--format", "csv",
                                           "-o", str(output)])
    assert refused.exit_code == 1 and "Export to .csv is not offered" in refused.output


def test_the_command_line_waits_for_a_job_and_copies_its_file(app, make_order, jobs, session, tmp_path):
    orders = [make_order("shipped", items=2) for _ in range(2)]
    output = tmp_path / "out.xls"
    result = CliRunner().invoke(app.cli, ["order-admin", "export", "--status", "shipped", "-o", str(output)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert numbers_in(output.read_bytes()) == {order.number for order in orders}
    [record] = session.query(ExportRecord).all()
    assert (record.runner, record.state, record.rows_written, record.actor_id) == ("thread", "done", 4, "command line")
    assert f"Export #{record.id}: 4 rows of 2 orders written to" in result.output

