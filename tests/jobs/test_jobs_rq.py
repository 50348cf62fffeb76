"""The "rq" runner against the real Redis (127.0.0.1:6379, database 3) and real worker processes
(``flask order-admin export-worker``, the documented command), on every test database: a job runs and
downloads; a queued job that is canceled never runs; a worker killed mid-export (SIGKILL, with its
work horse) leaves a job that is failed within the stale bound and runs again on a new worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import xlrd

from flask_order_admin.jobs.storage import scratch_path
from flask_order_admin.models import utcnow

from .conftest import BUYER, files_with_buyer_data, moved_back, wait_until_written, worker_stopped_long_ago

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_URL = "redis://127.0.0.1:6379/3"  # database 3: this project's tests only
FACTORY = "tests.jobs.worker_host:create_rq_app"


def redis_answers() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def queue_name() -> Iterator[str]:
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer at 127.0.0.1:6379; .ci/run starts it")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    from redis import Redis
    from rq import Queue

    name = f"oa_jobs_test_{uuid.uuid4().hex[:12]}"
    yield name
    Queue(name, connection=Redis.from_url(REDIS_URL)).delete(delete_jobs=True)


@pytest.fixture
def rq_app(configure: Callable[..., None], folder: Path, queue_name: str, jobs: None) -> None:
    configure(export_runner="rq", export_app_factory=FACTORY, export_rq_redis_url=REDIS_URL,
              export_rq_queue=queue_name)


@pytest.fixture
def start_worker(database_url: str, folder: Path, queue_name: str,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., subprocess.Popen]]:
    """``start_worker(stop_at=None, burst=False, tmpdir=None)``: a real worker process on the test's queue
    (``tmpdir``: its TMPDIR, the system's temporary folder as it sees it). Its output goes to a file, never
    to a pipe nobody reads (a full pipe would stop the worker at its next log line); ``worker.log`` names it."""
    started: list[subprocess.Popen] = []
    logs = tmp_path_factory.mktemp("rq-workers")

    def start(stop_at: int | None = None, burst: bool = False, tmpdir: Path | None = None) -> subprocess.Popen:
        env = {**os.environ, **({"TMPDIR": str(tmpdir)} if tmpdir else {}), "PYTHONPATH": str(ROOT),
               "ORDER_ADMIN_TEST_WORKER_DATABASE_URL": database_url,
               "ORDER_ADMIN_TEST_RQ_REDIS_URL": REDIS_URL, "ORDER_ADMIN_TEST_RQ_QUEUE": queue_name,
               "ORDER_ADMIN_TEST_WORKER_STORAGE": str(folder), "ORDER_ADMIN_TEST_WORKER_STOP_AT": str(stop_at or "")}
        command = [sys.executable, "-m", "flask", "--app", FACTORY, "order-admin", "export-worker"]
        log = logs / f"worker-{len(started)}.log"
        with open(log, "wb") as output:
            worker = subprocess.Popen(command + (["--burst"] if burst else []), cwd=ROOT, env=env,
                                      stdout=output, stderr=subprocess.STDOUT)
        worker.log = log  # type: ignore[attr-defined]
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def numbers_in(data: bytes) -> set[str]:
    book = xlrd.open_workbook(file_contents=data)
    return {str(sheet.cell_value(r, 2)) for sheet in book.sheets() for r in range(1, sheet.nrows)
            if str(sheet.cell_value(r, 2)).startswith("ORD-")}


def check_a_worker_runs_the_export(runner: str, client, make_order, start_worker, start_export, wait_for,
                                   job_id_of, folder) -> None:
    """A worker process (``start_worker()``) runs an export of 9 rows; the file downloads with every order."""
    orders = [make_order("shipped", items=3) for _ in range(3)]
    start_worker()
    export_id = job_id_of(start_export(client))
    record = wait_for(export_id, "done", timeout=60)
    assert record.runner == runner and record.runner_job_id and record.rows_written == 9
    assert int(record.worker.rsplit(":", 1)[1]) != os.getpid()  # written by the worker process
    assert numbers_in(client.get(f"/admin/orders/exports/{export_id}/download/").data) == {o.number for o in orders}
    assert sorted(p.name for p in folder.iterdir()) == [record.file_name]


def test_an_rq_worker_runs_the_export(client, make_order, rq_app, start_worker, start_export, wait_for,
                                      job_id_of, folder):
    check_a_worker_runs_the_export("rq", client, make_order, start_worker, start_export, wait_for, job_id_of, folder)


def test_a_canceled_queued_rq_job_never_runs(client, make_order, rq_app, start_worker, start_export, wait_for,
                                             job_id_of, form_fields, read_export, folder):
    from redis import Redis
    from rq.job import Job

    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))  # no worker yet: it waits in the queue
    page = client.get(f"/admin/orders/exports/{export_id}/").text
    assert "Waiting to start" in page
    client.post(f"/admin/orders/exports/{export_id}/cancel/", data=form_fields(page, "export-cancel-form"))
    job = Job.fetch(read_export(export_id).runner_job_id, connection=Redis.from_url(REDIS_URL))
    assert job.get_status() == "canceled"
    worker = start_worker(burst=True)
    try:
        assert worker.wait(timeout=60) == 0, worker.log.read_text(errors="replace")[-4000:]
    except subprocess.TimeoutExpired:
        pytest.fail("the burst worker did not stop within 60 s; its output:\n" + worker.log.read_text(errors="replace")[-4000:])
    assert read_export(export_id).state == "canceled"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_killed_rq_worker_fails_its_job_in_bounded_time_and_it_runs_again(
        client, make_order, rq_app, configure, start_worker, start_export, read_export, wait_for, job_id_of,
        form_fields, folder, db, clock):
    orders = [make_order("shipped", items=5) for _ in range(4)]
    worker = start_worker(stop_at=2)  # of 20 rows
    export_id = job_id_of(start_export(client))
    wait_until_written(read_export, export_id, 2)
    horse = int(read_export(export_id).worker.rsplit(":", 1)[1])
    assert horse != worker.pid  # RQ's work horse, a child of the worker in a process group of its own
    os.kill(worker.pid, signal.SIGKILL)
    os.kill(horse, signal.SIGKILL)  # the machine went down: worker and horse both gone
    worker.wait(timeout=10)
    # The clock moves instead of the test waiting: the job's last report just inside, then just past the stale time.
    now = clock.set(utcnow().replace(microsecond=0))
    moved_back(db, export_id, "heartbeat_at", hours=120 / 3600, now=now)
    assert client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()["state"] == "running"
    moved_back(db, export_id, "heartbeat_at", hours=121 / 3600, now=now)
    status = client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()
    assert status["state"] == "failed" and "its worker did not report for 2 minutes" in status["error"]
    assert [p for p in folder.iterdir() if p.name.endswith(".part")] == []  # the half-written file is gone

    start_worker()
    page = client.get(f"/admin/orders/exports/{export_id}/").text
    again_id = job_id_of(client.post(f"/admin/orders/exports/{export_id}/again/",
                                     data=form_fields(page, "export-again-form")))
    assert wait_for(again_id, "done", timeout=60).rows_written == 20
    assert numbers_in(client.get(f"/admin/orders/exports/{again_id}/download/").data) == {o.number for o in orders}


def test_an_rq_worker_killed_mid_xlsx_leaves_buyer_data_only_in_the_storage_folder(
        client, db, make_order, rq_app, configure, start_worker, start_export, read_export, job_id_of, folder,
        tmp_path):
    configure(export_formats=("xls", "xlsx"))
    for _ in range(10):
        make_order("shipped", items=10, buyer_name=BUYER)
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    worker = start_worker(stop_at=60, tmpdir=system_tmp)  # of 100 rows
    export_id = job_id_of(start_export(client, fmt="xlsx"))
    wait_until_written(read_export, export_id, 60)
    horse = int(read_export(export_id).worker.rsplit(":", 1)[1])
    os.kill(worker.pid, signal.SIGKILL)
    os.kill(horse, signal.SIGKILL)
    worker.wait(timeout=10)
    record = read_export(export_id)
    assert record.state == "running"

    assert files_with_buyer_data(system_tmp) == []
    assert files_with_buyer_data(scratch_path(folder / record.file_name))

    worker_stopped_long_ago(db, export_id)
    assert client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()["state"] == "failed"
    assert list(folder.iterdir()) == []


def test_an_unreachable_redis_fails_the_job_saying_so(client, make_order, rq_app, configure, start_export,
                                                      job_id_of, read_export):
    configure(export_rq_redis_url="redis://127.0.0.1:1/3")  # nothing listens there
    make_order("shipped", items=5)
    response = start_export(client)
    export_id = job_id_of(response)
    page = client.get(response.location).text
    assert "The export could not be started" in page and "the export queue cannot be reached" in page
    assert read_export(export_id).state == "failed"
