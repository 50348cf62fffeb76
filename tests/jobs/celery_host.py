"""The app the Celery worker builds in the Celery tests (``ORDER_ADMIN_EXPORT_APP_FACTORY =
"tests.jobs.celery_host:create_celery_app"``), and ``celery_app``, a host's own Celery app which the
worker's app names in ``ORDER_ADMIN_EXPORT_CELERY_APP`` instead of a broker URL when
ORDER_ADMIN_TEST_CELERY_HOST_APP=1.
"""

from __future__ import annotations

import os

from celery import Celery
from flask import Flask

from tests.jobs.worker_host import worker_app

celery_app = Celery("order_admin_test_host", broker=os.environ.get("ORDER_ADMIN_TEST_CELERY_BROKER_URL"),
                    set_as_current=False)


def create_celery_app() -> Flask:
    host_app = os.environ.get("ORDER_ADMIN_TEST_CELERY_HOST_APP") == "1"
    broker = ({"ORDER_ADMIN_EXPORT_CELERY_APP": "tests.jobs.celery_host:celery_app"} if host_app else
              {"ORDER_ADMIN_EXPORT_CELERY_BROKER_URL": os.environ["ORDER_ADMIN_TEST_CELERY_BROKER_URL"]})
    return worker_app(
        ORDER_ADMIN_EXPORT_RUNNER="celery",
        ORDER_ADMIN_EXPORT_APP_FACTORY="tests.jobs.celery_host:create_celery_app",
        ORDER_ADMIN_EXPORT_CELERY_QUEUE=os.environ["ORDER_ADMIN_TEST_CELERY_QUEUE"],
        **broker,
    )
