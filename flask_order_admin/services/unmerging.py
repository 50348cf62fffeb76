"""Unmerge: undo a merge, every line back in the order it came from and both statuses as before
(docs/design.md, "Third-round decisions" and "Unmerge: what "changed since the merge" means").

A merge records, in both orders' merge events, the statuses it left (``from_status``) and each order's
version once merged (``versions``). Unmerge is allowed while both orders still have those versions (no
action changed either since; a note is not a change) and the lines that left the merged order are in the
basic order as many as moved; a merge recorded before versions were kept is refused, since what changed
since it cannot be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy.orm import Session

from ..domain import Action, OrderStatus
from ..domain.messages import N_, Message
from ..errors import UnmergeNotAllowed
from ..store.records import LineRecord, OrderRecord, order_records
from ..settings import Settings
from .app_panel import ServicePanel, find_panel, panel_from
from ..signals import order_unmerged
from .events import EventRecord, check_version, record_events, unmerged_event
from .moved_lines import moved_lines
from .orders import get_order_record
from .totals_query import OrderSums, item_sums_by_order
from .transaction import action_transaction, checked_id, lock_orders, read_transaction


@dataclass(frozen=True)
class UnmergePlan:
    """What unmerging ``added`` does: ``lines`` go back from ``basic``; the statuses each order gets back."""

    added: OrderRecord
    basic: OrderRecord
    added_event: EventRecord  # each order's event of the merge undone
    basic_event: EventRecord
    lines: list[LineRecord]
    added_status: OrderStatus
    basic_status: OrderStatus

    @property
    def moved(self) -> dict[str, Any]:
        # unmerge_plan compared this record's lines and quantity with the lines found: it is a dict.
        return cast("dict[str, Any]", self.added_event.details["moved"])


def _refused(message: Message, order: OrderRecord) -> UnmergeNotAllowed:
    return UnmergeNotAllowed(message, order_number=order.number)


def _merge_event(session: Session, panel: ServicePanel, order_id: int, role: str, other_key: str,
                      other_id: int) -> EventRecord | None:
    """The order's newest merge event as side ``role`` of a merge with ``other_id``, or None."""
    binding = panel.store
    events: list[EventRecord] = binding.newest_events(session, order_id, Action.MERGE.value)
    for event in events:
        if event.details.get("role") == role and event.details.get(other_key) == other_id:
            return event
    return None


def _status_before(panel: ServicePanel, event: EventRecord) -> OrderStatus | None:
    """The status the merge found the order in, if the shop still has a value for it."""
    if event.from_status is None:
        return None
    try:
        status = OrderStatus(event.from_status)
    except ValueError:
        return None
    return status if status in panel.store.statuses.mapped else None


def unmerge_plan(session: Session, panel: ServicePanel, added: OrderRecord, basic: OrderRecord | None) -> UnmergePlan:
    """What unmerging ``added`` (with its state) from ``basic`` (the order it is merged into) would do, or
    UnmergeNotAllowed saying why it cannot. Reads only; ``unmerge`` calls it with both orders locked."""
    if added.status != OrderStatus.MERGED or added.merged_into_id is None or basic is None:
        raise _refused(N_("%(number)s is not merged into another order, so there is no merge to undo.",
                          number=added.number), added)
    facts = {"number": added.number, "basic": basic.number}
    added_event = _merge_event(session, panel, added.id, "added", "into_id", basic.id)
    basic_event = _merge_event(session, panel, basic.id, "basic", "from_id", added.id)
    if added_event is None or basic_event is None:
        raise _refused(N_("The history has no record of merging %(number)s into %(basic)s, so the merge cannot "
                          "be undone.", **facts), added)
    versions = added_event.details.get("versions")
    if not isinstance(versions, dict):
        raise _refused(N_("%(number)s was merged into %(basic)s before the panel kept what undoing a merge "
                          "needs, so this merge cannot be undone.", **facts), added)
    if basic.version != versions.get("basic") or basic.status != _merge_result(basic_event):
        raise _refused(N_("The basic order %(basic)s has changed since %(number)s was merged into it, so the "
                          "merge can no longer be undone.", **facts), added)
    if added.version != versions.get("added"):
        raise _refused(N_("The added order %(number)s has changed since it was merged into %(basic)s, so the "
                          "merge can no longer be undone.", **facts), added)
    added_status, basic_status = _status_before(panel, added_event), _status_before(panel, basic_event)
    if added_status is None or basic_status is None:
        raise _refused(N_("The statuses %(number)s and %(basic)s had before the merge cannot be set in this "
                          "shop, so the merge cannot be undone.", **facts), added)
    moved = moved_lines(session, panel, added)
    recorded = added_event.details.get("moved") or {}
    own = item_sums_by_order(session, [added.id], panel=panel)[added.id]
    if (moved.holder_id != basic.id or own.lines
            or (len(moved.lines), sum(line.quantity or 0 for line in moved.lines))
            != (recorded.get("lines"), recorded.get("quantity"))):
        raise _refused(N_("The items of %(number)s have changed since it was merged into %(basic)s, so the "
                          "merge can no longer be undone.", **facts), added)
    return UnmergePlan(added, basic, added_event, basic_event, moved.lines, added_status, basic_status)


def _merge_result(basic_event: EventRecord) -> OrderStatus | None:
    if basic_event.to_status is None:
        return None
    try:
        return OrderStatus(basic_event.to_status)
    except ValueError:
        return None


def unmerge(
    session: Session, merged_order_id: int, *, actor: str, expected_version: int | None = None,
    panel: ServicePanel | None = None, settings: Settings | None = None,
) -> Any:
    """Undo the merge of order ``merged_order_id`` (now Merged): its lines go back to it from the basic order
    and both orders get their statuses from before the merge. Returns the merged order, restored.

    ``expected_version`` is the merged order's version as the manager's page showed it.
    """
    panel = find_panel(panel, settings)
    added_id = checked_id(merged_order_id)
    # The basic order is known from the merged one's link; read before the lock, checked again under it.
    with read_transaction(session):
        basic_id = get_order_record(session, added_id, panel=panel).merged_into_id
    with action_transaction(session, panel) as transaction:
        orders = lock_orders(session, panel, [added_id] if basic_id is None else [added_id, basic_id])
        added = orders[added_id]
        check_version(session, panel, added, expected_version)
        plan = unmerge_plan(session, panel, added,
                            orders.get(basic_id) if basic_id is not None and added.merged_into_id == basic_id else None)
        basic = plan.basic  # unmerge_plan refuses without one
        basic_from = basic.status
        panel.store.move_lines_by_id(session, [line.id for line in plan.lines], basic.id, added.id)
        panel.store.write_changes(session, [
            added.change(plan.added_status, merged_into_id=None), basic.change(plan.basic_status),
        ])
        added_event, basic_event = record_events(session, panel, [
            unmerged_event(added, basic, role="added", actor=actor, from_status=OrderStatus.MERGED,
                           to_status=plan.added_status, moved=plan.moved, merge_event_id=plan.added_event.id),
            unmerged_event(basic, added, role="basic", actor=actor, from_status=basic_from,
                           to_status=plan.basic_status, moved=plan.moved, merge_event_id=plan.basic_event.id),
        ])
        transaction.send_after_commit(order_unmerged, basic=basic.obj, added=added.obj, actor=actor,
                                      details={"moved": plan.moved}, basic_event=basic_event,
                                      added_event=added_event)
    # The lines moved under the ORM's feet: what it holds of both orders is out of date.
    session.expire(added.obj)
    session.expire(basic.obj)
    return added.obj


@dataclass(frozen=True)
class UnmergePreview:
    """The confirm screen of an unmerge: what goes back where, or why it cannot (``refusal``)."""

    added: OrderRecord
    basic: OrderRecord | None
    plan: UnmergePlan | None
    basic_after: OrderSums | None  # the basic order's lines and total once the lines have left
    back: OrderSums | None  # the lines going back, counted
    refusal: Message | str | None  # an UnmergeNotAllowed's message


def preview_unmerge(session: Session, added: OrderRecord, panel: ServicePanel | Settings) -> UnmergePreview:
    """What unmerging ``added`` would do, read without locks (``unmerge`` checks it all again under its lock).
    ``panel``: ``Settings`` there is deprecated (``panel_from``)."""
    panel = panel_from(panel)
    basic = None
    if added.merged_into_id is not None:
        # Read afresh, not taken from the identity map: the page costs the same statements whatever it loaded.
        binding = panel.store
        found = order_records(session, binding, binding.orders_by_id(session, [added.merged_into_id]),
                              panel.settings.number_format, with_state=True)
        basic = found[0] if found else None
    try:
        plan = unmerge_plan(session, panel, added, basic)
    except UnmergeNotAllowed as refusal:
        return UnmergePreview(added, basic, None, None, None, refusal.message)
    back = _sums(plan.lines)
    now = item_sums_by_order(session, [plan.basic.id], panel=panel)[plan.basic.id]
    after = OrderSums(now.lines - back.lines, now.quantity - back.quantity, now.total - back.total)
    return UnmergePreview(added, basic, plan, after, back, None)


def _sums(lines: list[LineRecord]) -> OrderSums:
    totals = [line.totals for line in lines]
    return OrderSums(len(totals), sum(t.quantity for t in totals), sum((t.total for t in totals), start=Decimal(0)))
