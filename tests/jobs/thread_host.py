"""A web process with the "thread" runner, for the tests that kill one in the middle of an export:
``python -m tests.jobs.thread_host <export id>`` hands that queued job to the app's thread runner, as
the request that started it does, and waits for it to end.

The environment names the database (ORDER_ADMIN_TEST_THREAD_DATABASE_URL) and the export storage folder
(ORDER_ADMIN_TEST_THREAD_STORAGE); ORDER_ADMIN_TEST_THREAD_STOP_AT (rows) stops the job after that many
rows (tests.jobs.worker_host's ``stop_after``), for the test to kill the process there.
"""

from __future__ import annotations

import os
import sys

from flask import Flask
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin
from tests.jobs.worker_host import stop_after


def main(export_id: int) -> None:
    app = Flask("order_admin_thread_runner_host")
    Babel(app)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ["ORDER_ADMIN_TEST_THREAD_DATABASE_URL"],
        ORDER_ADMIN_EXPORT_RUNNER="thread",
        ORDER_ADMIN_EXPORT_STORAGE=os.environ["ORDER_ADMIN_TEST_THREAD_STORAGE"],
    )
    db = SQLAlchemy()
    db.init_app(app)
    OrderAdmin(app, db=db)
    stop_after(os.environ.get("ORDER_ADMIN_TEST_THREAD_STOP_AT"), None)
    runner = app.extensions["order_admin"].export_runner()
    runner.submit(app, export_id)
    runner.shutdown(wait=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
