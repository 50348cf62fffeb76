"""What exports need of the app they run in, as protocols: the jobs layer sits below the extension and never
imports it (docs/design.md, "Export as a use case"). The per-app object the extension keeps in
``app.extensions["order_admin"]`` has all of it; so may a host's own object, or a test's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from flask import Flask
from sqlalchemy.orm import Session

from ..services.app_panel import ServicePanel


class Runner(Protocol):
    """Who runs export jobs (``jobs.runners``: threads, RQ or Celery)."""

    def submit(self, app: Flask, export_id: int, user_id: str | None = None) -> str | None:
        """Hand the queued job over, to run as the user of ``user_id`` (``access.user_id``: the access rule
        is asked as them); returns the runner's own job id, if it has one."""

    def cancel(self, runner_job_id: str | None) -> None:
        """Best effort: drop a job that has not started (the database state is what counts)."""


class ExportHost(ServicePanel, Protocol):
    """The app's side of an export: what the services need (settings, store, resolver pool, clock), its
    session, where files go and who runs jobs."""

    @property
    def session(self) -> Session: ...

    def export_folder(self) -> Path: ...

    def export_runner(self) -> Runner: ...
