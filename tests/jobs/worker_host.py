"""The app the RQ worker builds in the RQ tests (``ORDER_ADMIN_EXPORT_APP_FACTORY =
"tests.jobs.worker_host:create_rq_app"``), and the part every worker's app shares (``worker_app``,
also for tests.jobs.celery_host): the plugin on the test database, told by the environment.

ORDER_ADMIN_TEST_WORKER_SLOW (seconds) makes the job wait that long at every row it writes, so
that a test can kill the worker in the middle of an export.
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin


def create_rq_app() -> Flask:
    return worker_app(
        ORDER_ADMIN_EXPORT_RUNNER="rq",
        ORDER_ADMIN_EXPORT_APP_FACTORY="tests.jobs.worker_host:create_rq_app",
        ORDER_ADMIN_EXPORT_RQ_REDIS_URL=os.environ["ORDER_ADMIN_TEST_RQ_REDIS_URL"],
        ORDER_ADMIN_EXPORT_RQ_QUEUE=os.environ["ORDER_ADMIN_TEST_RQ_QUEUE"],
    )


def worker_app(**runner_config: Any) -> Flask:
    app = Flask("order_admin_worker_host")
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ["ORDER_ADMIN_TEST_WORKER_DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        ORDER_ADMIN_EXPORT_STORAGE=os.environ["ORDER_ADMIN_TEST_WORKER_STORAGE"],
        **runner_config,
    )
    db = SQLAlchemy()
    db.init_app(app)
    OrderAdmin(app, db=db)
    slow = float(os.environ.get("ORDER_ADMIN_TEST_WORKER_SLOW") or 0)
    if slow:
        slow_down(slow)
    return app


def slow_down(seconds: float) -> None:
    """Every progress report (at every row) waits ``seconds`` first."""
    from flask_order_admin.jobs import work

    report = work.Progress.report

    def slow_report(self: work.Progress, *, force: bool = False, **values: Any) -> None:
        time.sleep(seconds)
        report(self, force=True, **values)

    work.CHECK_EVERY_ROWS = 1
    work.Progress.report = slow_report  # type: ignore[method-assign]
