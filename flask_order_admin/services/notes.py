"""Managers' notes on an order: add one, and (its author, for a while) edit or delete it.

Each is one locked transaction that appends an event (the history keeps every text: docs/design.md,
"Editing notes") and moves the order's last change; a note changes no order, so its version stays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from blinker import Signal
from sqlalchemy.orm import Session

from ..domain import Action
from ..domain.messages import N_, Message
from ..domain.notes import NOTE_KINDS, Note, change_refusal, fold_notes
from ..errors import ActionNotAllowed, NoteChangeRefused, NoteNotFound
from ..store.records import OrderRecord
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from ..signals import order_comment_deleted, order_comment_edited, order_commented
from .events import note_added_event, note_deleted_event, note_edited_event, record_events
from .status_actions import ensure_allowed
from .transaction import action_transaction, checked_id, lock_orders, read_transaction

Clock = Callable[[], datetime]


def add_comment(
    session: Session, order_id: int, *, actor: str, text: str, actor_id: str | None = None,
    panel: ServicePanel | None = None, settings: Settings | None = None, clock: Clock | None = None,
) -> Any:
    """Add a manager's note to the order's history; ``actor_id`` (ORDER_ADMIN_ACTOR_ID) may later edit or
    delete it (None: nobody). ``clock``: what "now" is (None: the panel's, ``OrderPanel.clock``).
    Returns the order."""
    text = _note_text(text)
    panel = find_panel(panel, settings)
    with action_transaction(session, panel) as transaction:
        order = lock_orders(session, panel, [order_id])[order_id]
        ensure_allowed(panel, order, Action.COMMENT)
        now = (clock or panel.clock)()
        [event] = record_events(session, panel, [
            note_added_event(order, actor=actor, author_id=actor_id, text=text, at=now)])
        panel.store.mark_changed(session, order.obj, now)
        transaction.send_after_commit(order_commented, order=order.obj, actor=actor, details=event.details,
                                      event=event)
    return order.obj


def edit_comment(
    session: Session, order_id: int, note_id: int, *, actor: str, actor_id: str | None, text: str,
    panel: ServicePanel | None = None, settings: Settings | None = None, clock: Clock | None = None,
) -> Any:
    """The note ``note_id`` (the id of the event that wrote it) now reads ``text``; only its author, within
    ORDER_ADMIN_COMMENT_EDIT_MINUTES of writing it (NoteChangeRefused otherwise). Returns the order."""
    panel = find_panel(panel, settings)
    text = _note_text(text)

    def edited(order: OrderRecord, note: Note, now: Any) -> dict[str, Any]:
        if text == note.text:
            raise ActionNotAllowed(N_("The note already says that; nothing was changed."),
                                   order_number=order.number)
        return note_edited_event(order, note.id, actor=actor, text=text, at=now)

    return _change_note(session, order_id, note_id, actor=actor, actor_id=actor_id, panel=panel,
                        clock=clock, event=edited, signal=order_comment_edited)


def delete_comment(
    session: Session, order_id: int, note_id: int, *, actor: str, actor_id: str | None,
    panel: ServicePanel | None = None, settings: Settings | None = None, clock: Clock | None = None,
) -> Any:
    """Delete the note ``note_id``: the history then says who deleted it and when, and keeps its texts. Only
    its author, within ORDER_ADMIN_COMMENT_EDIT_MINUTES of writing it. Returns the order."""
    panel = find_panel(panel, settings)
    return _change_note(
        session, order_id, note_id, actor=actor, actor_id=actor_id, panel=panel, clock=clock,
        signal=order_comment_deleted,
        event=lambda order, note, now: note_deleted_event(order, note.id, actor=actor, at=now),
    )


def note_of(
    session: Session, order_id: int, note_id: int, *, panel: ServicePanel | None = None,
    settings: Settings | None = None,
) -> Note:
    """The note as it is now (NoteNotFound when the order has no note of that id), read in a transaction of its
    own: what the delete confirm screen shows."""
    panel = find_panel(panel, settings)
    with read_transaction(session):
        return _find_note(session, panel, checked_id(order_id), note_id)


def note_change_refusal(settings: Settings, note: Note, actor_id: str | None, now: datetime) -> Message | None:
    """Why ``actor_id`` may not edit or delete ``note`` at ``now`` (None: they may): whether the page offers it."""
    return change_refusal(note, actor_id, now, settings.comment_edit_minutes)


def _change_note(
    session: Session, order_id: int, note_id: int, *, actor: str, actor_id: str | None, panel: ServicePanel,
    clock: Clock | None, event: Callable[[OrderRecord, Note, Any], dict[str, Any]], signal: Signal,
) -> Any:
    with action_transaction(session, panel) as transaction:
        order = lock_orders(session, panel, [order_id])[order_id]
        note = _find_note(session, panel, order.id, note_id)
        ensure_allowed(panel, order, Action.COMMENT)
        now = (clock or panel.clock)()
        refusal = change_refusal(note, actor_id, now, panel.settings.comment_edit_minutes)
        if refusal is not None:
            raise NoteChangeRefused(refusal, order_number=order.number)
        [written] = record_events(session, panel, [event(order, note, now)])
        panel.store.mark_changed(session, order.obj, now)
        transaction.send_after_commit(signal, order=order.obj, actor=actor, details=written.details, event=written)
    return order.obj


def _find_note(session: Session, panel: ServicePanel, order_id: int, note_id: object) -> Note:
    """The order's note of that id, folded from the order's note events (a handful per order)."""
    binding = panel.store
    notes = fold_notes(binding.events_of(session, order_id, NOTE_KINDS))
    note = notes.get(note_id) if isinstance(note_id, int) and not isinstance(note_id, bool) else None
    if note is None:
        raise NoteNotFound(N_("This order has no note %(note)s.", note=repr(str(note_id)[:40])))
    return note


def _note_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionNotAllowed(N_("A note cannot be empty."))
    return text
