"""Who runs export jobs (``ORDER_ADMIN_EXPORT_RUNNER``): worker threads of the web process, or RQ.

Both run ``work.run_export``; a runner only decides where and when.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask

from .work import run_export

if TYPE_CHECKING:
    from ..extension import OrderAdminState

logger = logging.getLogger("flask_order_admin.export")

RQ_JOB_FUNCTION = "flask_order_admin.jobs.rq_task.run_export_job"
# RQ kills a job still running after this long (its default, 180 s, is too short for a big export);
# the stale check then marks it failed. Results are not kept: the exports table has the outcome.
RQ_JOB_TIMEOUT = 6 * 3600
RQ_FAILURE_TTL = 7 * 24 * 3600


class Runner(Protocol):
    def submit(self, app: Flask, export_id: int) -> str | None:
        """Hand the queued job over; returns the runner's own job id, if it has one."""

    def cancel(self, runner_job_id: str | None) -> None:
        """Best effort: drop a job that has not started (the database state is what counts)."""


class ThreadRunner:
    """A bounded pool of worker threads in this web process, created on first use.

    Limits (docs/export.md, "Big exports"): jobs die with the process (the stale check then marks them failed); each
    web process has its own pool; jobs share the process's CPU (and GIL) with its requests.
    """

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            # A pool made before a fork (a preloading server) has no threads in the child: make a new one.
            if self._pool is None or self._pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="order-admin-export")
                self._pid = os.getpid()
            return self._pool

    def submit(self, app: Flask, export_id: int) -> str | None:
        self._executor().submit(_run_in_app, app, export_id)
        return None

    def cancel(self, runner_job_id: str | None) -> None:
        pass  # a queued job is skipped when its thread sees it canceled

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=wait)
                self._pool = None


def _run_in_app(app: Flask, export_id: int) -> None:
    try:
        with app.app_context():
            run_export(app.extensions["order_admin"], export_id)
    except Exception:  # run_export records its own failures; this is a failure to record one
        logger.exception("export %s: the worker thread failed", export_id)


class RQRunner:
    """Enqueues ``rq_task.run_export_job`` on ``ORDER_ADMIN_EXPORT_RQ_QUEUE`` at ``ORDER_ADMIN_EXPORT_RQ_REDIS_URL``."""

    def __init__(self, redis_url: str, queue_name: str, app_factory: str) -> None:
        self.redis_url = redis_url
        self.queue_name = queue_name
        self.app_factory = app_factory
        self._queue: Any = None

    def queue(self) -> Any:
        if self._queue is None:
            try:
                from redis import Redis
                from rq import Queue
            except ImportError as exc:
                raise RuntimeError(
                    'The "rq" export runner needs RQ: pip install "flask-order-admin[rq]"'
                ) from exc
            self._queue = Queue(self.queue_name, connection=Redis.from_url(self.redis_url))
        return self._queue

    def submit(self, app: Flask, export_id: int) -> str | None:
        job = self.queue().enqueue(
            RQ_JOB_FUNCTION, export_id, self.app_factory,
            job_timeout=RQ_JOB_TIMEOUT, result_ttl=0, failure_ttl=RQ_FAILURE_TTL,
            description=f"order-admin export {export_id}",
        )
        return str(job.id)

    def cancel(self, runner_job_id: str | None) -> None:
        if not runner_job_id:
            return
        from rq.exceptions import InvalidJobOperation, NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(runner_job_id, connection=self.queue().connection)
            if job.get_status() in ("queued", "deferred", "scheduled"):
                job.cancel()
        except (NoSuchJobError, InvalidJobOperation):
            pass


def make_runner(state: OrderAdminState) -> Runner:
    settings = state.settings
    if settings.export_runner == "rq":
        assert settings.export_app_factory is not None  # load_settings checks it
        return RQRunner(settings.export_rq_redis_url, settings.export_rq_queue, settings.export_app_factory)
    return ThreadRunner(settings.export_max_jobs)
