"""Exports as a use case (``service``: start, cancel, run again) and big exports as background jobs: the
exports log (``records``), the job (``work``), its consistent read (``snapshot``), where files go
(``storage``) and who runs it (``runners``: threads, RQ or Celery). What they need of the app is the
``ExportHost`` protocol (``host``)."""

from .host import ExportHost, Runner
from .service import (
    Exporter, ExportRequest, InstantExport, JobStarted, Purged, cancel_export, purge_exports, run_export_again,
    start_export,
)
from .work import JobOutcome, run_export

__all__ = [
    "ExportHost", "ExportRequest", "Exporter", "InstantExport", "JobOutcome", "JobStarted", "Purged", "Runner",
    "cancel_export", "purge_exports", "run_export", "run_export_again", "start_export",
]
