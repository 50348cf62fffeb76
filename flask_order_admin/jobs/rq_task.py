"""The function RQ workers run, under the name queued jobs carry: ``flask_order_admin.jobs.rq_task.run_export_job``
(``host_app.run_export_job``, the same for every queue)."""

from __future__ import annotations

from .host_app import run_export_job

__all__ = ["run_export_job"]
