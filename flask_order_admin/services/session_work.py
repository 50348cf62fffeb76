"""Whether a session holds work its caller has not committed: pending objects, or writes already sent.

SQLAlchemy says what is pending (``session.new``, ``dirty``, ``deleted``) but keeps no public
record of what a transaction has already flushed. So every Session notes, in ``session.info``,
that it wrote (a flush, or a non-SELECT statement run with ``session.execute``) and forgets it
when its outermost transaction ends. SQL run on ``session.connection()`` directly is not seen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import TextClause

_WROTE = "flask_order_admin.wrote_in_transaction"


def uncommitted_work(session: Session) -> str | None:
    """What the caller would lose if its transaction were rolled back, in words; None when nothing."""
    pending = len(session.new) + len(session.dirty) + len(session.deleted)
    if pending:
        return f"{pending} object(s) added, changed or deleted and not flushed"
    if session.info.get(_WROTE):  # cleared when the outermost transaction ends
        return "changes flushed (or written with session.execute) and not committed"
    return None


def _is_write(state: ORMExecuteState) -> bool:
    if state.is_select:
        return False
    statement = state.statement
    if isinstance(statement, TextClause):  # raw SQL: only a SELECT is known to be a read
        return not statement.text.lstrip().lower().startswith("select")
    return True


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_write(state: ORMExecuteState) -> None:
    if _is_write(state):
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    # A savepoint's end leaves its writes (released) or not (rolled back) in the outer transaction:
    # only the outermost one's commit or rollback settles them.
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
