"""Who runs export jobs (``ORDER_ADMIN_EXPORT_RUNNER``): worker threads of the web process, RQ or Celery.

All run ``work.run_export``; a runner only decides where and when (``host.Runner``).
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask

from ..errors import OrderAdminConfigError
from .host import ExportHost, Runner
from .work import run_export

logger = logging.getLogger("flask_order_admin.export")

RQ_JOB_FUNCTION = "flask_order_admin.jobs.rq_task.run_export_job"
CELERY_TASK_NAME = "flask_order_admin.run_export_job"
# RQ (and Celery's prefork pool) kill a job still running after this long (RQ's default, 180 s, is too
# short for a big export); the stale check then marks it failed. Results are not kept: the exports
# table has the outcome.
EXPORT_JOB_TIMEOUT = 6 * 3600
RQ_FAILURE_TTL = 7 * 24 * 3600
# Handing a job to a Celery broker that is down must not hold the manager's request: each connection
# attempt gives up after CELERY_CONNECT_TIMEOUT seconds, and the publish is retried twice, half a
# second apart; then the job fails saying the queue cannot be reached.
CELERY_CONNECT_TIMEOUT = 3.0
CELERY_PUBLISH_RETRIES = 2
CELERY_RETRY_INTERVAL = 0.5


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

    def submit(self, app: Flask, export_id: int, user_id: str | None = None) -> str | None:
        self._executor().submit(_run_in_app, app, export_id, user_id)
        return None

    def cancel(self, runner_job_id: str | None) -> None:
        pass  # a queued job is skipped when its thread sees it canceled

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=wait)
                self._pool = None


def _run_in_app(app: Flask, export_id: int, user_id: str | None) -> None:
    try:
        with app.app_context():
            run_export(app.extensions["order_admin"], export_id, user_id)
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

    def submit(self, app: Flask, export_id: int, user_id: str | None = None) -> str | None:
        job = self.queue().enqueue(
            RQ_JOB_FUNCTION, export_id, self.app_factory, user_id,
            job_timeout=EXPORT_JOB_TIMEOUT, result_ttl=0, failure_ttl=RQ_FAILURE_TTL,
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


class CeleryRunner:
    """Sends ``CELERY_TASK_NAME`` to ``ORDER_ADMIN_EXPORT_CELERY_QUEUE`` through the host's Celery app
    (``ORDER_ADMIN_EXPORT_CELERY_APP``), or one made for the exports from ``ORDER_ADMIN_EXPORT_CELERY_BROKER_URL``."""

    def __init__(self, celery_app: Any, broker_url: str | None, queue_name: str, app_factory: str) -> None:
        self.given_app = celery_app
        self.broker_url = broker_url
        self.queue_name = queue_name
        self.app_factory = app_factory
        self._app: Any = None

    def celery_app(self) -> Any:
        if self._app is None:
            self._app = (resolve_celery_app(self.given_app) if self.given_app is not None
                         else exports_celery_app(self.broker_url or ""))
        return self._app

    def submit(self, app: Flask, export_id: int, user_id: str | None = None) -> str | None:
        celery_app = self.celery_app()
        # A connection of its own: its timeouts are ours, whatever the host's app configures. Redis needs its
        # socket timeouts too (a broker that accepts the connection and never answers would hold the request).
        with celery_app.connection_for_write(
            connect_timeout=CELERY_CONNECT_TIMEOUT,
            transport_options={"socket_timeout": CELERY_CONNECT_TIMEOUT, "socket_connect_timeout": CELERY_CONNECT_TIMEOUT},
        ) as connection:
            result = celery_app.send_task(
                CELERY_TASK_NAME, args=(export_id, self.app_factory, user_id), queue=self.queue_name,
                connection=connection, ignore_result=True, retry=True,
                retry_policy={"max_retries": CELERY_PUBLISH_RETRIES, "interval_start": CELERY_RETRY_INTERVAL,
                              "interval_step": CELERY_RETRY_INTERVAL, "interval_max": CELERY_RETRY_INTERVAL},
            )
        return str(result.id)

    def cancel(self, runner_job_id: str | None) -> None:
        pass  # the worker that takes a canceled job's task finds it canceled and does nothing


def _celery_class() -> Any:
    try:
        from celery import Celery
    except ImportError as exc:
        raise RuntimeError('The "celery" export runner needs Celery: pip install "flask-order-admin[celery]"') from exc
    return Celery


def resolve_celery_app(given: Any) -> Any:
    """``ORDER_ADMIN_EXPORT_CELERY_APP``: the Celery app itself, or "module:attribute" imported now (on first
    use, not at start-up: the host's Celery module often imports the web app's)."""
    celery_class = _celery_class()
    target = given
    if isinstance(given, str):
        module_name, _, attribute = given.partition(":")
        try:
            target = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise OrderAdminConfigError(f"ORDER_ADMIN_EXPORT_CELERY_APP: cannot import {given!r} ({exc})") from exc
    if not isinstance(target, celery_class):
        raise OrderAdminConfigError(f"ORDER_ADMIN_EXPORT_CELERY_APP: {given!r} is not a Celery app")
    return target


def exports_celery_app(broker_url: str) -> Any:
    """A Celery app for the exports alone, on ``ORDER_ADMIN_EXPORT_CELERY_BROKER_URL``."""
    celery_app = _celery_class()("flask_order_admin_exports", broker=broker_url, set_as_current=False)
    celery_app.conf.update(
        broker_connection_timeout=CELERY_CONNECT_TIMEOUT,
        # A worker process reserves no second export behind the one it runs, which could take hours.
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
    )
    return celery_app


def make_runner(host: ExportHost) -> Runner:
    """The runner ``ORDER_ADMIN_EXPORT_RUNNER`` names, for ``host``'s settings."""
    settings = host.settings
    if settings.export_runner == "rq":
        assert settings.export_app_factory is not None  # load_settings checks it
        return RQRunner(settings.export_rq_redis_url, settings.export_rq_queue, settings.export_app_factory)
    if settings.export_runner == "celery":
        assert settings.export_app_factory is not None  # load_settings checks it
        return CeleryRunner(settings.export_celery_app, settings.export_celery_broker_url,
                            settings.export_celery_queue, settings.export_app_factory)
    return ThreadRunner(settings.export_max_jobs)
