"""The task Celery workers run, registered under ``CELERY_TASK_NAME`` on every Celery app of the
process (``shared_task``: the plugin cannot know the host's app). The web process sends it by name
and never imports this module; a worker imports it (``flask order-admin celery-worker`` does, or
``celery -A yourshop.celery worker --include flask_order_admin.jobs.celery_task``).

The task is ``host_app.run_export_job``, the same as RQ's; what Celery adds is only settled here:
- acknowledged when it starts (``acks_late=False``, docs/design.md, "Queue runners"), so a worker
  killed mid-export does not get the message back to run a second time;
- no result is stored: the exports table has the outcome;
- stopped after ``EXPORT_JOB_TIMEOUT`` by a prefork pool (a solo pool cannot stop its own job).
"""

from __future__ import annotations

from celery import shared_task

from .host_app import run_export_job
from .runners import CELERY_TASK_NAME, EXPORT_JOB_TIMEOUT

export_task = shared_task(
    name=CELERY_TASK_NAME, acks_late=False, ignore_result=True, time_limit=EXPORT_JOB_TIMEOUT,
)(run_export_job)
