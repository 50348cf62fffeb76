"""An instant export asks the access rule about each of its orders in the request, as
``("export", order)`` (export/access_check.py); a job asks in its worker instead (jobs/work.py),
so that starting one stays short whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ..export.access_check import check_orders, refusal
from ..export.query import export_ids
from ..i18n import translate
from ..services.app_panel import ServicePanel

IDS_PER_SELECT = 1000  # well under every database's limit of bound parameters


def export_refusal(session: Session, panel: ServicePanel, order_ids: Iterable[object]) -> str | None:
    """Why the current user may not export these orders, for the manager; None when they may.

    Raises OrderNotFound for an id that cannot be an order, as the export itself would.
    """
    ids = export_ids(order_ids)
    chunks = (ids[start:start + IDS_PER_SELECT] for start in range(0, len(ids), IDS_PER_SELECT))
    message = refusal(session, panel, check_orders(session, panel, chunks))
    return None if message is None else translate(message)
