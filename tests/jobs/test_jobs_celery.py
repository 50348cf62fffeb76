"""The "celery" runner against real brokers (Redis 127.0.0.1:6379 database 3, RabbitMQ 127.0.0.1:5672) and
real worker processes (``flask order-admin celery-worker``, the README's command, prefork pool of one
process), on every test database: a job runs and downloads; a worker killed mid-export (SIGKILL, with
its pool process) leaves a job that is failed once the stale time has passed, not before, and runs
again on another worker; a broker that is down, or that never answers, fails the job at once saying so.

On Redis the plugin makes the Celery app from ORDER_ADMIN_EXPORT_CELERY_BROKER_URL; on RabbitMQ it
uses the host's app (the object in the web process, "module:attribute" in the worker)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery import Celery
from kombu import Connection

from flask_order_admin.models import utcnow
from tests.jobs.conftest import wait_until_written
from tests.jobs.test_jobs_rq import check_a_worker_runs_the_export, numbers_in

ROOT = Path(__file__).resolve().parent.parent.parent
FACTORY = "tests.jobs.celery_host:create_celery_app"
BROKERS = {
    "redis": SimpleNamespace(url="redis://127.0.0.1:6379/3", host_app=False),  # database 3: this project's tests only
    "rabbitmq": SimpleNamespace(url="amqp://guest:guest@127.0.0.1:5672//", host_app=True),
}
EPSILON = timedelta(milliseconds=1)


def broker_answers(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


@pytest.fixture(params=list(BROKERS))
def broker(request: pytest.FixtureRequest) -> Iterator[SimpleNamespace]:
    """The broker of the test, with a queue name of its own (deleted afterwards)."""
    chosen = BROKERS[request.param]
    if not broker_answers(chosen.url):
        if os.environ.get("CI"):
            pytest.fail(f"{request.param} does not answer at {chosen.url}; .ci/run starts it")
        pytest.skip(f"{request.param} does not answer at {chosen.url}")
    queue = f"oa_jobs_test_{uuid.uuid4().hex[:12]}"
    yield SimpleNamespace(name=request.param, url=chosen.url, host_app=chosen.host_app, queue=queue)
    with Connection(chosen.url, connect_timeout=2) as connection:
        connection.default_channel.queue_delete(queue)


@pytest.fixture
def celery_app(configure: Callable[..., None], folder: Path, broker: SimpleNamespace, jobs: None) -> None:
    """The web app sends its jobs to the test's queue: through a host's Celery app, or one the plugin makes."""
    way = ({"export_celery_app": Celery("order_admin_test_web", broker=broker.url, set_as_current=False)}
           if broker.host_app else {"export_celery_broker_url": broker.url})
    configure(export_runner="celery", export_app_factory=FACTORY, export_celery_queue=broker.queue, **way)


@pytest.fixture
def start_worker(database_url: str, folder: Path, broker: SimpleNamespace,
                 tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen]]:
    """``start_worker(stop_at=None, gate=None)``: a real Celery worker on the test's queue, in a process group of
    its own with its pool (its log in tmp_path; ``stop_at``, ``gate``: tests.jobs.worker_host's ``stop_after``);
    the group is killed afterwards."""
    started: list[subprocess.Popen] = []

    def start(stop_at: int | None = None, gate: Path | None = None) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ORDER_ADMIN_TEST_WORKER_DATABASE_URL": database_url,
               "ORDER_ADMIN_TEST_WORKER_STORAGE": str(folder), "ORDER_ADMIN_TEST_WORKER_STOP_AT": str(stop_at or ""),
               "ORDER_ADMIN_TEST_WORKER_GATE": str(gate or ""),
               "ORDER_ADMIN_TEST_CELERY_BROKER_URL": broker.url, "ORDER_ADMIN_TEST_CELERY_QUEUE": broker.queue,
               "ORDER_ADMIN_TEST_CELERY_HOST_APP": "1" if broker.host_app else "0"}
        command = [sys.executable, "-m", "flask", "--app", FACTORY, "order-admin", "celery-worker",
                   "--pool", "prefork", "--concurrency", "1", "--hostname", f"{broker.queue}-{len(started)}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
        with open(tmp_path / f"celery-worker-{len(started)}.log", "w") as log:
            worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        kill_group(worker)


def kill_group(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes, and wait until the worker is gone."""
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.wait(timeout=10)


def is_gone(pid: int) -> bool:
    """The process is dead: no more, or a zombie its parent has not reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_a_celery_worker_runs_the_export(client, make_order, celery_app, start_worker, start_export, wait_for,
                                         job_id_of, folder):
    check_a_worker_runs_the_export("celery", client, make_order, start_worker, start_export, wait_for, job_id_of,
                                   folder)


def test_a_killed_celery_worker_fails_its_job_once_the_stale_time_passed_and_it_runs_again(
        client, make_order, celery_app, start_worker, start_export, read_export, wait_for, job_id_of,
        form_fields, folder, clock, tmp_path):
    orders = [make_order("shipped", items=5) for _ in range(4)]
    # Two workers: one takes the job and stops after 2 of its 20 rows, is killed there, the other runs it again
    # once the test lets it go on.
    go_on = tmp_path / "go-on"
    workers = [start_worker(stop_at=2, gate=go_on), start_worker(stop_at=2, gate=go_on)]
    export_id = job_id_of(start_export(client))
    wait_until_written(read_export, export_id, 2)
    pool_process = int(read_export(export_id).worker.rsplit(":", 1)[1])
    [worker] = [w for w in workers if w.pid == os.getpgid(pool_process)]
    assert pool_process != worker.pid  # the prefork pool's process runs the job
    kill_group(worker)  # the machine went down: worker and pool both gone (SIGKILL)
    deadline = time.monotonic() + 10
    while not is_gone(pool_process):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    killed_at = utcnow()  # every heartbeat the worker wrote was taken before this
    last_heartbeat = read_export(export_id).heartbeat_at
    stale = timedelta(seconds=120)  # ORDER_ADMIN_EXPORT_STALE_SECONDS, the default

    def status_at(now: datetime) -> dict:
        clock.set(now)  # the web process's clock; the worker is dead
        return client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()

    assert status_at(last_heartbeat + stale - EPSILON)["state"] == "running"
    status = status_at(killed_at + stale + EPSILON)
    assert status["state"] == "failed" and "its worker did not report for 2 minutes" in status["error"]
    assert [p for p in folder.iterdir() if p.name.endswith(".part")] == []  # the half-written file is gone
    clock.now = None  # real time again
    go_on.touch()

    page = client.get(f"/admin/orders/exports/{export_id}/").text
    again_id = job_id_of(client.post(f"/admin/orders/exports/{export_id}/again/",
                                     data=form_fields(page, "export-again-form")))
    assert wait_for(again_id, "done", timeout=60).rows_written == 20
    assert numbers_in(client.get(f"/admin/orders/exports/{again_id}/download/").data) == {o.number for o in orders}
    assert read_export(export_id).state == "failed"  # the killed task was not delivered again


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers, as a hung broker does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.mark.parametrize("down", ["closed port", "never answers"])
@pytest.mark.parametrize("url", ["redis://127.0.0.1:{port}/3", "amqp://guest:guest@127.0.0.1:{port}//"],
                         ids=["redis", "rabbitmq"])
def test_a_celery_broker_that_is_down_fails_the_job_at_once_saying_so(
        client, make_order, configure, folder, jobs, start_export, job_id_of, read_export, silent_port, url, down):
    port = 1 if down == "closed port" else silent_port  # nothing listens on port 1
    configure(export_runner="celery", export_app_factory=FACTORY, export_celery_broker_url=url.format(port=port))
    make_order("shipped", items=5)
    started = time.monotonic()
    response = start_export(client)
    took = time.monotonic() - started
    export_id = job_id_of(response)
    page = client.get(response.location).text
    assert "The export could not be started" in page and "the export queue cannot be reached" in page
    assert read_export(export_id).state == "failed" and "could not be queued (OperationalError)" in page
    # Connection attempts of at most 3 s, 2 retries 0.5 s apart (jobs/runners.py): bounded, never a hang.
    assert took < 3 * 3 + 2 * 0.5 + 5, took


def test_a_celery_job_no_worker_takes_fails_saying_to_check_the_celery_worker(
        app, client, make_order, folder, session, configure, read_export, clock):
    from .conftest import queued_job

    configure(export_runner="celery", export_app_factory=FACTORY, export_celery_broker_url=BROKERS["redis"].url)
    state = app.extensions["order_admin"]
    record = queued_job(session, state.settings, folder, [make_order().id], fmt="xls", source="order",
                        description="Order")  # never handed to a worker
    queued = timedelta(seconds=900)  # ORDER_ADMIN_EXPORT_QUEUED_SECONDS, the default
    clock.set(record.created_at + queued - EPSILON)
    assert "No export worker started this export" not in client.get("/admin/orders/exports/").text
    clock.set(record.created_at + queued + EPSILON)
    page = client.get("/admin/orders/exports/").text
    assert "No export worker started this export within 15 minutes. Check that the shop&#39;s Celery export " \
           "worker is running." in page
    assert read_export(record.id).state == "failed"
