"""What a queue's worker runs (RQ's and Celery's alike): ``run_export_job(export_id, app_factory, user_id)``.

The worker builds the host app from ``ORDER_ADMIN_EXPORT_APP_FACTORY`` ("module:create_app", called
with no arguments, or "module:app") and runs the same job code as the thread runner in its context.
The app is built once per process: RQ's default worker forks a work horse per job, so there it is
built in each horse; a Celery prefork child or an RQ SimpleWorker builds it once.
"""

from __future__ import annotations

import importlib
from functools import cache

from flask import Flask

from .work import run_export


@cache
def build_app(app_factory: str) -> Flask:
    module_name, _, attribute = app_factory.partition(":")
    target = getattr(importlib.import_module(module_name), attribute or "create_app")
    app = target if isinstance(target, Flask) else target()
    if not isinstance(app, Flask) or "order_admin" not in app.extensions:
        raise RuntimeError(f"{app_factory} did not give a Flask app with OrderAdmin on it")
    return app


def run_export_job(export_id: int, app_factory: str, user_id: str | None = None) -> str:
    """``user_id``: the manager who started the job, as whom the access rule is asked (``access.acting_as``)."""
    app = build_app(app_factory)
    with app.app_context():
        return run_export(app.extensions["order_admin"], export_id, user_id).value
