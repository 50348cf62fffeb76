"""Cancel, close or restore many orders at once: each order changes, or is refused, on its own.

Every order gets the single action's rules (status tables, the shop's statuses), the host's access rule
asked about it (``allowed``), its own event and its own signal; a refused order is left as it was and
listed with the reason; a refusal or a failure of one order never undoes or stops another.

**Why chunks, not a transaction per order.** A transaction per order costs its fixed statements
(BEGIN, the locking SELECT, the UPDATE, the INSERT of the event, COMMIT; on SQLite also the write lock)
500 times for 500 orders. Savepoints inside one transaction would not save them: SAVEPOINT and RELEASE
are two more statements per order, and the writes could no longer be batched. So Cancel and Close take
``CHUNK_SIZE`` orders at a time, in one transaction: one ``SELECT … FOR UPDATE`` locks and loads the
chunk (rows in id order, as every action locks them), each order is checked on its own, and the orders
allowed are written together, their state in one UPDATE per kind of write and their events in one
INSERT (``status_actions.transition_orders``, which the single action runs for its one order). An order's
status and its event are written in the same transaction, so each order still changes all or nothing,
and an order refused by a rule simply takes no part in the writes. What a chunk cannot give by itself is
isolation from a *database* failure of another order (a deadlock, a lost connection, a host's trigger
refusing one row): then the chunk is rolled back, and its orders are run again one at a time, each in
its own transaction (a chunk of one), so only the order that fails is refused. The outcome is the one a
transaction per order gives, at a fraction of the statements (docs/performance.md, "Bulk actions").

**Versions.** With ``versions`` (each order's version as the confirm screen showed it), an order whose
version moved since is not acted on and is refused as "changed since you looked", in a group of its own:
the Yes acts only on what the manager saw (docs/design.md, "Bulk actions").

Restore asks the host's price resolver for each order's lines, outside any lock, so it is batched no
further: each order goes through ``services.restore``, its own transaction, and an order whose items are
no longer sold (or whose lookup fails) is refused with restore's own message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..domain import Action
from ..domain.rules import ACCESS_DENIED
from ..domain.messages import Message, N_, Quantity
from ..errors import BulkActionTooLarge, OrderActionError, OrderNotFound, StaleOrder
from ..store.records import OrderRecord, order_records
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from .restoring import restore
from .events import closed_event
from .status_actions import action_refusal, cancel_event_builder, transition_orders
from .transaction import action_transaction, checked_id, lock_existing_orders, read_transaction

CHUNK_SIZE = 100  # orders locked and written together; well under every database's bound-parameter limit

BULK_ACTIONS = (Action.CANCEL, Action.CLOSE, Action.RESTORE)

# An order whose version is not the one the confirm screen showed: the Yes was given for something else.
CHANGED_SINCE_SHOWN = N_("Changed since you looked, so left as it is; open it to see what changed.")

EventBuilder = Callable[..., dict[str, Any]]  # services/events.py: the history row of one order
Permission = Callable[[Any], bool]  # the host's rule for this action, asked with the order (the host's object)
Versions = Mapping[int, int]  # order id -> the version the manager's confirm screen showed




@dataclass(frozen=True)
class BulkRefusal:
    """An order the bulk action left as it was: its id (None for an id that can name no order), its
    number where it exists, and why."""

    order_id: int | None
    number: str | None
    reason: Message | str


@dataclass
class BulkOutcome:
    action: Action
    done: list[int] = field(default_factory=list)  # ids of the orders changed, in id order
    refused: list[BulkRefusal] = field(default_factory=list)

    def _sort(self) -> BulkOutcome:
        self.done.sort()
        self.refused.sort(key=lambda refusal: (refusal.order_id is None, refusal.order_id or 0))
        return self


def bulk_cancel(
    session: Session, order_ids: Iterable[object], *, actor: str, reason: str | None = None,
    reason_choice: str | None = None, allowed: Permission | None = None, panel: ServicePanel | None = None,
    settings: Settings | None = None,
    versions: Versions | None = None,
) -> BulkOutcome:
    """Cancel each order that may be canceled (``cancel``'s rule, and ``allowed``) and, with ``versions``, is
    unchanged since the confirm screen; the reasons (as ``cancel`` takes them) go into every event, and a
    choice not listed refuses them all before any changes."""
    panel = find_panel(panel, settings)
    return _bulk_transition(session, order_ids, Action.CANCEL, actor=actor, allowed=allowed, panel=panel,
                            versions=versions, event=cancel_event_builder(panel, reason, reason_choice))


def bulk_close(
    session: Session, order_ids: Iterable[object], *, actor: str, allowed: Permission | None = None,
    panel: ServicePanel | None = None, settings: Settings | None = None, versions: Versions | None = None,
) -> BulkOutcome:
    """Close each order that may be closed (``close``'s rule, and ``allowed``) and, with ``versions``, is
    unchanged since the confirm screen."""
    panel = find_panel(panel, settings)
    return _bulk_transition(session, order_ids, Action.CLOSE, actor=actor, allowed=allowed, panel=panel,
                            versions=versions, event=closed_event)


def bulk_restore(
    session: Session, order_ids: Iterable[object], *, actor: str, allowed: Permission | None = None,
    panel: ServicePanel | None = None, settings: Settings | None = None, versions: Versions | None = None,
) -> BulkOutcome:
    """Restore each canceled order through ``services.restore`` (prices recalculated), one transaction each;
    with ``versions``, only the orders unchanged since the confirm screen."""
    panel = find_panel(panel, settings)
    outcome = BulkOutcome(Action.RESTORE)
    ids = _checked_ids(order_ids, panel, outcome)
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start:start + CHUNK_SIZE]
        with read_transaction(session):
            found = _read_orders(session, panel, chunk)
        for order_id in chunk:
            order = found.get(order_id)
            refusal = (_missing(order_id) if order is None else
                       _changed(order, versions) or _denied(order, Action.RESTORE, allowed))
            if refusal is not None:
                outcome.refused.append(refusal)
                continue
            assert order is not None  # a missing order is refused above
            try:
                restore(session, order_id, actor=actor, panel=panel,
                        expected_version=None if versions is None else versions.get(order_id))
            except StaleOrder:  # changed while its prices were looked up
                outcome.refused.append(BulkRefusal(order_id, order.number, CHANGED_SINCE_SHOWN))
            except OrderActionError as error:
                outcome.refused.append(BulkRefusal(order_id, order.number, error.message))
            else:
                outcome.done.append(order_id)
    return outcome._sort()


def _bulk_transition(
    session: Session, order_ids: Iterable[object], action: Action, *, actor: str, allowed: Permission | None,
    panel: ServicePanel, versions: Versions | None, event: EventBuilder,
) -> BulkOutcome:
    outcome = BulkOutcome(action)
    ids = _checked_ids(order_ids, panel, outcome)
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start:start + CHUNK_SIZE]
        try:
            done, refused = _transition_chunk(session, panel, chunk, action, actor, allowed, versions, event)
        except (SQLAlchemyError, OrderActionError):
            # The database failed the chunk (rolled back): each order again in its own transaction.
            done, refused = _one_at_a_time(session, panel, chunk, action, actor, allowed, versions, event)
        outcome.done += done
        outcome.refused += refused
    return outcome._sort()


def _transition_chunk(
    session: Session, panel: ServicePanel, chunk: list[int], action: Action, actor: str,
    allowed: Permission | None, versions: Versions | None, event: EventBuilder,
) -> tuple[list[int], list[BulkRefusal]]:
    """One transaction: lock the chunk's orders, check each, write the allowed ones together."""
    refused: list[BulkRefusal] = []
    with action_transaction(session, panel) as transaction:
        found = lock_existing_orders(session, panel, chunk)
        moving: list[OrderRecord] = []
        for order_id in chunk:
            order = found.get(order_id)
            refusal = (_missing(order_id) if order is None else
                       _changed(order, versions) or _refusal(panel, order, action, allowed))
            if refusal is None:
                assert order is not None  # a missing order is refused
                moving.append(order)
            else:
                refused.append(refusal)
        transition_orders(session, panel, transaction, moving, action, actor=actor, event=event)
    return [order.id for order in moving], refused


def _one_at_a_time(
    session: Session, panel: ServicePanel, chunk: list[int], action: Action, actor: str,
    allowed: Permission | None, versions: Versions | None, event: EventBuilder,
) -> tuple[list[int], list[BulkRefusal]]:
    done: list[int] = []
    refused: list[BulkRefusal] = []
    for order_id in chunk:
        try:
            one_done, one_refused = _transition_chunk(session, panel, [order_id], action, actor, allowed,
                                                      versions, event)
        except OrderActionError as error:
            one_done, one_refused = [], [BulkRefusal(order_id, error.order_number, error.message)]
        except SQLAlchemyError:
            one_done, one_refused = [], [BulkRefusal(order_id, None, N_(
                "The database refused the change of this order; it was left as it was."))]
        done += one_done
        refused += one_refused
    return done, refused


def _checked_ids(order_ids: Iterable[object], panel: ServicePanel, outcome: BulkOutcome) -> list[int]:
    """The distinct ids, sorted (every action locks in id order); one that can name no order is refused."""
    ids: set[int] = set()
    for raw in order_ids:
        try:
            ids.add(checked_id(raw))
        except OrderNotFound as error:
            outcome.refused.append(BulkRefusal(None, None, error.message))
    if len(ids) > panel.settings.bulk_action_limit:
        raise BulkActionTooLarge(len(ids), panel.settings.bulk_action_limit)
    return sorted(ids)


def _read_orders(session: Session, panel: ServicePanel, ids: list[int]) -> dict[int, OrderRecord]:
    binding = panel.store
    rows = binding.orders_by_id(session, ids)
    return {record.id: record for record in order_records(session, binding, rows, panel.settings.number_format,
                                                          with_state=True)}


def _refusal(panel: ServicePanel, order: OrderRecord, action: Action, allowed: Permission | None) -> BulkRefusal | None:
    reason = action_refusal(panel, order, action, allowed)
    return None if reason is None else BulkRefusal(order.id, order.number, reason)


def _changed(order: OrderRecord, versions: Versions | None) -> BulkRefusal | None:
    if versions is None or versions.get(order.id) == order.version:
        return None
    return BulkRefusal(order.id, order.number, CHANGED_SINCE_SHOWN)


def _denied(order: OrderRecord, action: Action, allowed: Permission | None) -> BulkRefusal | None:
    if allowed is None or allowed(order.obj):
        return None
    return BulkRefusal(order.id, order.number, ACCESS_DENIED[action])


def _missing(order_id: int) -> BulkRefusal:
    return BulkRefusal(order_id, None, OrderNotFound.deleted(order_id).message)
