"""One database transaction per order action, with the order rows locked, and its signals sent after it.

PostgreSQL and MariaDB lock the rows with ``SELECT … FOR UPDATE``, always in id
order so that two crossed merges queue instead of deadlocking. SQLite has no
row locks: the action takes the database write lock up front (``BEGIN
IMMEDIATE``) with a busy timeout, so concurrent actions wait their turn instead
of failing with "database is locked".

An action owns its transaction from the first statement: it starts one afresh
(so no earlier read pins an old snapshot and SQLite's ``BEGIN IMMEDIATE`` comes
first) and commits it. So it refuses, with ``SessionHasUncommittedWork``, to run
on a session holding the caller's uncommitted work, rather than discard it or
commit it along.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from blinker import Signal
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from ..domain.messages import N_
from ..errors import ActionFailed, OrderActionError, OrderNotFound, SessionHasUncommittedWork
from ..store.records import OrderRecord, order_records
from .app_panel import ServicePanel
from ..signals import signal_sender
from .session_work import uncommitted_work

MAX_ID = 2**63 - 1


def id_from_text(spelled: str) -> int | None:
    """The id that ``spelled`` spells in ASCII digits (1 to MAX_ID), or None.

    Not ``str.isdigit``: it takes "²" (which ``int`` refuses) and "٣" (which ``int`` reads as 3).
    The length is checked before ``int``, which refuses more than 4,300 digits.
    """
    cleaned = spelled.strip()
    if not re.fullmatch(r"[0-9]+", cleaned):
        return None
    digits = cleaned.lstrip("0")
    if not digits or len(digits) > len(str(MAX_ID)):
        return None
    value = int(digits)
    return value if value <= MAX_ID else None


def checked_id(order_id: object) -> int:
    """An order id from code or a URL; OrderNotFound for anything that cannot be one."""
    if isinstance(order_id, bool):
        raise OrderNotFound(N_("There is no order %(order)s.", order=repr(order_id)))
    if isinstance(order_id, str):
        order_id = id_from_text(order_id) or order_id
    if not isinstance(order_id, int) or not 1 <= order_id <= MAX_ID:
        shown = str(order_id)
        raise OrderNotFound(N_("There is no order %(order)s.", order=repr(shown[:40])))
    return order_id


class ActionTransaction:
    """The running action's transaction, as its body sees it: signals to send once it has committed."""

    def __init__(self) -> None:
        self._after_commit: list[tuple[Signal, dict[str, Any]]] = []

    def send_after_commit(self, signal: Signal, **data: Any) -> None:
        self._after_commit.append((signal, data))

    def _send_signals(self) -> None:
        sender = signal_sender()
        for signal, data in self._after_commit:
            signal.send(sender, **data)


@contextmanager
def action_transaction(session: Session, panel: ServicePanel) -> Iterator[ActionTransaction]:
    """Run the body in a fresh transaction; commit on success, roll back on any error, then send the signals
    the body asked for (only after a commit)."""
    _refuse_uncommitted_work(session)
    # Only reads are left to end: start afresh, so none of them pins an old snapshot.
    session.rollback()
    transaction = ActionTransaction()
    try:
        _take_write_lock_on_sqlite(session, panel)
        yield transaction
        session.commit()
    except OrderActionError:
        session.rollback()
        raise
    except (OperationalError, DBAPIError) as exc:
        session.rollback()
        _raise_if_busy_or_lost(exc)
        raise
    except BaseException:
        session.rollback()
        raise
    transaction._send_signals()


@contextmanager
def read_transaction(session: Session) -> Iterator[None]:
    """Read in a fresh transaction, ended with the block: afterwards the session holds no connection."""
    _refuse_uncommitted_work(session)
    session.rollback()
    try:
        yield
    except (OperationalError, DBAPIError) as exc:
        _raise_if_busy_or_lost(exc)
        raise
    finally:
        session.rollback()


def _refuse_uncommitted_work(session: Session) -> None:
    work = uncommitted_work(session)
    if work is not None:
        raise SessionHasUncommittedWork(
            f"the session has unsaved changes ({work}): commit or roll them back before an order action, "
            "which runs in a transaction of its own and will neither discard nor commit them"
        )


def _raise_if_busy_or_lost(exc: DBAPIError) -> None:
    if getattr(exc, "connection_invalidated", False) or _is_busy(exc):
        raise ActionFailed(N_(
            "The database is busy or the connection was lost; nothing was changed. Please try again."
        )) from exc


def _is_busy(exc: DBAPIError) -> bool:
    message = str(exc.orig).lower()
    return any(word in message for word in ("database is locked", "deadlock", "lock wait timeout", "could not serialize"))


def _take_write_lock_on_sqlite(session: Session, panel: ServicePanel) -> None:
    connection = session.connection(bind_arguments={"mapper": panel.store.order})
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(panel.settings.sqlite_busy_timeout * 1000)}")
    dbapi_connection = connection.connection.dbapi_connection
    # A host that manages SQLite transactions itself may have begun one already; then it holds the lock rules.
    if not getattr(dbapi_connection, "in_transaction", False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_orders(session: Session, panel: ServicePanel, order_ids: Iterable[int]) -> dict[int, OrderRecord]:
    """Lock and load the orders, in id order, with their state; OrderNotFound names a missing one.

    Only the order rows are locked (``SELECT … FOR UPDATE`` on the order table alone); the rows read
    through relationships and the plugin's state come in statements of their own.
    """
    ids = sorted({checked_id(i) for i in order_ids})
    found = lock_existing_orders(session, panel, ids)
    for order_id in ids:
        if order_id not in found:
            raise OrderNotFound.deleted(order_id)
    return found


def lock_existing_orders(session: Session, panel: ServicePanel, ids: list[int]) -> dict[int, OrderRecord]:
    """``lock_orders`` of checked ids (sorted), one SELECT … FOR UPDATE for all; an id with no order is left out."""
    binding = panel.store
    rows = binding.lock_orders(session, ids)
    return {record.id: record for record in order_records(
        session, binding, rows, panel.settings.number_format, with_state=True)}
