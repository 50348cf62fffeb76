"""The app the RQ worker builds in the RQ tests (``ORDER_ADMIN_EXPORT_APP_FACTORY =
"tests.jobs.worker_host:create_rq_app"``), and the part every worker's app shares (``worker_app``,
also for tests.jobs.celery_host): the plugin on the test database, told by the environment.

ORDER_ADMIN_TEST_WORKER_STOP_AT (rows) stops the job in the middle of its export, for a test to kill the
worker there: see ``stop_after``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin
from flask_order_admin.models import ExportRecord
from tests.faults import HOLD_AT_MOST, progress_of, statement_text


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
    stop_after(os.environ.get("ORDER_ADMIN_TEST_WORKER_STOP_AT"), os.environ.get("ORDER_ADMIN_TEST_WORKER_GATE"))
    return app


def stop_after(rows: str | None, gate: str | None) -> None:
    """With ``rows``: this process's jobs report their progress at every row, and once ``rows`` reports are in
    the database each later report waits, before it is sent, until the file ``gate`` exists (with no gate,
    until the test has killed the process). The test waits for the reports, not for a time that is
    "surely" mid-export."""
    if not rows:
        return
    from sqlalchemy import Engine, event

    from flask_order_admin.jobs import work

    work.CHECK_EVERY_ROWS = 1  # the job's own cadence (no setting says how often it reports)
    work.REPORT_EVERY_SECONDS = 0
    is_report = progress_of(ExportRecord.__tablename__)
    reports = 0

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        nonlocal reports
        if not is_report(statement_text(statement)):
            return
        reports += 1
        deadline = time.monotonic() + HOLD_AT_MOST
        while reports > int(rows) and not (gate and Path(gate).exists()) and time.monotonic() < deadline:
            time.sleep(0.05)

    event.listen(Engine, "before_cursor_execute", before)
