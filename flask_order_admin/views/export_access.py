"""The access rule asked about an export's orders ("export", order) in the request: a download of a job's
file asks again, so that taking the right away also closes the files already made. The check itself is
the export layer's (export/access_check.py); an export's start asks through the export use case
(jobs/service.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ..export.access_check import ids_refusal
from ..i18n import translate
from ..services.app_panel import ServicePanel


def export_refusal(session: Session, panel: ServicePanel, order_ids: Iterable[object]) -> str | None:
    """Why the current user may not export these orders, in their language; None when they may.

    Raises OrderNotFound for an id that cannot be an order, as the export itself would.
    """
    message = ids_refusal(session, panel, order_ids)
    return None if message is None else translate(message)
