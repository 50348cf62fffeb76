"""The history of an order (one event per action): the events each action writes, built here, written and
read through the order store."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..domain import TRANSITIONS, Action, OrderStatus
from ..domain.cancel_reasons import CancelReason
from ..domain.messages import N_, Moment
from ..domain.notes import NOTE_DELETED, NOTE_EDITED
from ..errors import StaleOrder
from ..models import utcnow
from ..store.history import EventRecord as EventRecord  # where views and export import it from
from ..store.records import OrderRecord
from ..settings import Settings
from .app_panel import ServicePanel, panel_from


NOTE_LIMIT = 5000  # characters of a note (views/forms.py says so to the manager)


# One builder per kind of event (as Saleor's order/events.py): each says what its kind records. They return
# the row to write; ``record_events`` writes one or several in one statement.

def canceled_event(order: OrderRecord, *, actor: str, from_status: OrderStatus | None,
                   reason: str | None = None, choice: CancelReason | None = None) -> dict[str, Any]:
    """Canceled; ``reason``: the manager's words, if any; ``choice``: the listed reason picked, if any (kept as
    ``{"key": …}`` for a default, ``{"text": …}`` for a shop's own)."""
    reason = (reason or "").strip()
    details: dict[str, Any] = {"reason": reason[:2000]} if reason else {}
    if choice is not None:
        details["reason_choice"] = dict(choice.stored)
    return _row(order.id, Action.CANCEL, actor, from_status, TRANSITIONS[Action.CANCEL].to_status, details)


def closed_event(order: OrderRecord, *, actor: str, from_status: OrderStatus | None) -> dict[str, Any]:
    return _row(order.id, Action.CLOSE, actor, from_status, TRANSITIONS[Action.CLOSE].to_status, {})


def restored_event(order: OrderRecord, *, actor: str, from_status: OrderStatus | None, priced_at: datetime,
                   items: int, price_changes: list[dict[str, Any]], totals: tuple[Decimal, Decimal] | None = None,
                   removed_lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Restored with prices as of ``priced_at``: ``price_changes`` holds each line whose prices moved
    (``item_id``, ``title``, ``old`` and ``new`` price fields); ``totals`` the order total before and after;
    ``removed_lines`` the lines restored without, as no longer sold (``item_id``, ``title``,
    ``provider_item_id``, ``quantity``, the three prices and the line ``total``), kept here when they left."""
    details: dict[str, Any] = {
        "priced_at": priced_at.isoformat(timespec="seconds"), "items": items, "price_changes": price_changes,
    }
    if totals is not None:
        details["total"] = {"old": f"{totals[0]:.2f}", "new": f"{totals[1]:.2f}"}
    if removed_lines:
        details["removed_lines"] = removed_lines
    return _row(order.id, Action.RESTORE, actor, from_status, TRANSITIONS[Action.RESTORE].to_status, details)


def merged_away_event(added: OrderRecord, basic: OrderRecord, *, actor: str, from_status: OrderStatus | None,
                      moved: dict[str, Any], versions: dict[str, int]) -> dict[str, Any]:
    """The added order's side of a merge: its lines (``moved``: their count and sums) went to ``basic``;
    ``versions``: both orders' versions once merged (``{"added", "basic"}``, what unmerge checks)."""
    return _row(added.id, Action.MERGE, actor, from_status, OrderStatus.MERGED,
                {"moved": moved, "role": "added", "into_id": basic.id, "into_number": basic.number,
                 "versions": versions})


def merged_in_event(basic: OrderRecord, added: OrderRecord, *, actor: str, from_status: OrderStatus | None,
                    to_status: OrderStatus, moved: dict[str, Any], versions: dict[str, int]) -> dict[str, Any]:
    """The basic order's side of a merge: it received the lines of ``added``."""
    return _row(basic.id, Action.MERGE, actor, from_status, to_status,
                {"moved": moved, "role": "basic", "from_id": added.id, "from_number": added.number,
                 "versions": versions})


def unmerged_event(order: OrderRecord, other: OrderRecord, *, role: str, actor: str,
                   from_status: OrderStatus | None, to_status: OrderStatus | None, moved: dict[str, Any],
                   merge_event_id: int) -> dict[str, Any]:
    """One side of an unmerge (``role``: "added", whose lines came back from ``other``, or "basic", which gave
    them back); ``merge_event_id``: this order's event of the merge undone."""
    return _row(order.id, Action.UNMERGE, actor, from_status, to_status,
                {"moved": moved, "role": role, "other_id": other.id, "other_number": other.number,
                 "merge_event_id": merge_event_id})


def note_added_event(order: OrderRecord, *, actor: str, author_id: str | None, text: str,
                     at: datetime) -> dict[str, Any]:
    """A note; ``author_id`` (ORDER_ADMIN_ACTOR_ID) is who may edit or delete it (domain/notes.py), kept when known."""
    details: dict[str, Any] = {"text": text[:NOTE_LIMIT]}
    if author_id is not None:
        details["author_id"] = author_id
    return _row(order.id, Action.COMMENT, actor, None, None, details, at=at)


def note_edited_event(order: OrderRecord, note_id: int, *, actor: str, text: str, at: datetime) -> dict[str, Any]:
    """The note written by event ``note_id`` now reads ``text``; its earlier texts stay in their events."""
    return _row(order.id, NOTE_EDITED, actor, None, None, {"comment_id": note_id, "text": text[:NOTE_LIMIT]}, at=at)


def note_deleted_event(order: OrderRecord, note_id: int, *, actor: str, at: datetime) -> dict[str, Any]:
    return _row(order.id, NOTE_DELETED, actor, None, None, {"comment_id": note_id}, at=at)


def exported_event(order_id: int, *, actor: str, export_id: int, fmt: str, rows: int) -> dict[str, Any]:
    """The order was exported on its own (an export of several orders is in the exports log only)."""
    return _row(order_id, Action.EXPORT, actor, None, None, {"export_id": export_id, "format": fmt, "rows": rows})


def _row(order_id: int, action: str, actor: str, from_status: OrderStatus | None,
         to_status: OrderStatus | None, details: dict[str, Any], *, at: datetime | None = None) -> dict[str, Any]:
    """The history row (``action``: an ``Action``, or a note's later event); statuses are kept as the plugin's
    codes, whatever the shop stores."""
    return {
        "order_id": order_id,
        "at": at or utcnow(),
        "actor": (actor or "")[:200],
        "action": str(action),
        "from_status": None if from_status is None else str(from_status),
        "to_status": None if to_status is None else str(to_status),
        "details": details,
    }


def record_events(session: Session, panel: ServicePanel, rows: list[dict[str, Any]]) -> list[EventRecord]:
    """Write events (rows from the builders above) in one statement; they come back with their ids."""
    binding = panel.store
    written: list[EventRecord] = binding.record_events(session, rows)
    return written


def events_of(session: Session, panel: ServicePanel | Settings, order_id: int) -> list[EventRecord]:
    """The order's events, oldest first (``panel``: ``Settings`` there is deprecated, see ``panel_from``)."""
    binding = panel_from(panel).store
    events: list[EventRecord] = binding.events_of(session, order_id)
    return events


def check_version(session: Session, panel: ServicePanel, order: OrderRecord, expected_version: int | None) -> None:
    """Refuse when the order changed after the manager's page showed it (version ``expected_version``)."""
    if expected_version is None or order.version == expected_version:
        return
    binding = panel.store
    last = binding.last_change(session, order.id)
    if last is None:
        raise StaleOrder(N_("This order was changed just now; review it and try again."), order_number=order.number)
    actor, at = last
    raise StaleOrder(N_(
        "This order was changed by %(who)s at %(when)s; review it and try again.",
        who=actor or N_("another manager"), when=Moment(at),
    ), order_number=order.number)
