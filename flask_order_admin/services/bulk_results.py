"""A bulk action's result, kept on the server for the page that shows it (POST-redirect-GET).

The Yes of a bulk confirm screen acts, keeps what happened here and redirects to a GET of the result: a
reload, or Back and Forward, shows the result again and changes nothing. Up to the bulk cap of 1,000 orders
is too much for a cookie session, so the result is a row (``order_admin_bulk_results``) under a random key;
the view remembers its keys in the manager's session, and the row also names the manager who ran it, so no
one else reads it (docs/design.md, "Bulk actions"). Rows older than ``KEEP`` are deleted when a new one is
kept.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain import Action
from ..domain.messages import from_stored_text, stored_text
from ..models import BulkResult, utcnow
from .app_panel import ServicePanel
from .bulk import BulkOutcome, BulkRefusal
from .transaction import action_transaction, read_transaction

KEEP = timedelta(days=1)
KEY_PATTERN = r"[A-Za-z0-9_-]{22,43}"  # what ``secrets.token_urlsafe(24)`` writes
# A refusal's reason may hold an order's unsold items; the column is JSON, so no limit is needed but a sane one.
REASON_LIMIT = 20_000


@dataclass(frozen=True)
class KeptResult:
    outcome: BulkOutcome
    back_url: str
    created_at: datetime


def keep_result(session: Session, panel: ServicePanel, outcome: BulkOutcome, *, actor: str, back_url: str) -> str:
    """Keep ``outcome`` for ``actor`` (one transaction); its key, for the result page's URL."""
    key = secrets.token_urlsafe(24)
    refused = [[r.order_id, r.number, stored_text(r.reason, REASON_LIMIT)] for r in outcome.refused]
    with action_transaction(session, panel):
        session.execute(delete(BulkResult).where(BulkResult.created_at < utcnow() - KEEP))
        session.add(BulkResult(key=key, actor=actor[:200], action=outcome.action.value, back_url=back_url,
                               outcome={"done": list(outcome.done), "refused": refused}))
    return key


def kept_result(session: Session, key: str, *, actor: str) -> KeptResult | None:
    """The result kept under ``key`` for ``actor``; None when there is none (another manager's, or too old)."""
    with read_transaction(session):
        row = session.scalars(select(BulkResult).where(
            BulkResult.key == key, BulkResult.actor == actor[:200], BulkResult.created_at >= utcnow() - KEEP,
        )).first()
        if row is None:
            return None
        outcome = BulkOutcome(Action(row.action), done=list(row.outcome.get("done", [])), refused=[
            BulkRefusal(order_id, number, from_stored_text(reason) or "")
            for order_id, number, reason in row.outcome.get("refused", [])
        ])
        return KeptResult(outcome, row.back_url, row.created_at)
