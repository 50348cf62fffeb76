"""Notes: the author edits or deletes their own within ORDER_ADMIN_COMMENT_EDIT_MINUTES (a clock
moved on, never slept), every text stays in the history, and each change moves the order's last change."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from flask_order_admin import services, signals
from flask_order_admin.domain.notes import fold_notes
from flask_order_admin.errors import ActionNotAllowed, NoteChangeRefused, NoteNotFound
from flask_order_admin.export.query import latest_notes
from flask_order_admin.models import utcnow
from flask_order_admin.services.events import EventRecord


class Clock:
    """A clock a test moves on."""

    def __init__(self) -> None:
        self.now = utcnow().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def forward(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    """What the services are told "now" is (the views pass the app's, ``OrderPanel.clock``)."""
    return Clock()


@pytest.fixture
def notes_of(orders):
    def read(order_id: int) -> list:
        rows = [EventRecord.from_row(row._mapping) for row in orders.events(order_id)]
        orders.session.rollback()
        return list(fold_notes(rows).values())
    return read


@pytest.fixture
def add(session, events_of, clock):
    """Add a note (by ann, unless told) and return its id: the id of the event that wrote it."""
    def write(order, text="Called the buyer", *, actor_id="ann-id", actor="ann") -> int:
        services.add_comment(session, order.id, clock=clock, actor=actor, actor_id=actor_id, text=text)
        return [e for e in events_of(order.id) if e.action == "comment"][-1].id
    return write


def test_the_author_edits_within_the_window_and_every_version_is_kept(session, add, make_order, clock, notes_of, reload):
    order = make_order("processing")
    note_id = add(order, "Call the buyer at 10")
    clock.forward(minutes=14, seconds=59)
    services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="Call the buyer at 11")
    [note] = notes_of(order.id)
    assert note.text == "Call the buyer at 11" and note.edited
    assert [v.text for v in note.versions] == ["Call the buyer at 10", "Call the buyer at 11"]
    assert [v.text for v in note.earlier_versions] == ["Call the buyer at 10"]
    assert reload(order.id).version == order.version  # a note changes no order: open pages are not stale


def test_another_manager_may_not_edit_or_delete(session, add, make_order, clock, snapshot):
    order = make_order("processing")
    note_id = add(order)
    before = snapshot(order.id)
    with pytest.raises(NoteChangeRefused, match="Only the manager who wrote a note"):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="bob", actor_id="bob-id", text="mine now")
    with pytest.raises(NoteChangeRefused, match="Only the manager who wrote a note"):
        services.delete_comment(session, order.id, note_id, clock=clock, actor="bob", actor_id="bob-id")
    with pytest.raises(NoteChangeRefused):  # anonymous: no identity, owns no note
        services.delete_comment(session, order.id, note_id, clock=clock, actor="anonymous", actor_id=None)
    assert snapshot(order.id) == before


def test_after_the_window_even_the_author_is_refused(session, add, make_order, clock, snapshot, app):
    order = make_order("processing")
    note_id = add(order)
    clock.forward(minutes=15, seconds=1)
    before = snapshot(order.id)
    with pytest.raises(NoteChangeRefused, match="only in the first 15 minutes") as refused:
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="late")
    assert refused.value.order_number == order.number
    with pytest.raises(NoteChangeRefused):
        services.delete_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id")
    assert snapshot(order.id) == before
    # The window is a setting: 60 minutes lets the same edit through.
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, comment_edit_minutes=60)
    services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="late")


def test_a_window_of_zero_keeps_notes_as_written(session, add, make_order, clock, app):
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, comment_edit_minutes=0)
    order = make_order("processing")
    note_id = add(order)
    with pytest.raises(NoteChangeRefused, match="cannot be edited or deleted in this shop"):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="x")


def test_delete_leaves_who_and_when_and_loses_no_text(session, add, make_order, clock, notes_of, events_of):
    order = make_order("processing")
    note_id = add(order, "first")
    services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="second")
    clock.forward(minutes=2)
    services.delete_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id")
    [note] = notes_of(order.id)
    assert (note.deleted, note.deleted_by, note.deleted_at) == (True, "ann", clock.now)
    assert [v.text for v in note.versions] == ["first", "second"]
    kinds = [(e.action, e.details.get("text")) for e in events_of(order.id)]
    assert kinds == [("comment", "first"), ("comment_edited", "second"), ("comment_deleted", None)]
    with pytest.raises(NoteChangeRefused, match="was deleted"):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="third")


@pytest.mark.parametrize("change", ["add", "edit", "delete"])
def test_each_change_moves_the_last_change_and_keeps_the_version(session, add, make_order, clock, reload, change):
    order = make_order("processing")
    note_id = add(order) if change != "add" else None
    clock.forward(minutes=5)
    if change == "add":
        add(order, "new")
    elif change == "edit":
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="changed")
    else:
        services.delete_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id")
    after = reload(order.id)
    assert after.updated_at == clock.now
    assert after.version == order.version


def test_forged_note_ids_are_not_found(session, add, make_order, clock, snapshot, events_of):
    order, other = make_order("processing"), make_order("processing")
    others_note = add(other)
    services.cancel(session, order.id, actor="ann")  # an event of this order that is not a note
    cancel_event = events_of(order.id)[-1].id
    before = snapshot(order.id)
    for forged in (others_note, cancel_event, 10**12, 0, -1, True):
        with pytest.raises(NoteNotFound):
            services.edit_comment(session, order.id, forged, clock=clock, actor="ann", actor_id="ann-id", text="x")
        with pytest.raises(NoteNotFound):
            services.delete_comment(session, order.id, forged, clock=clock, actor="ann", actor_id="ann-id")
    assert snapshot(order.id) == before


def test_an_unchanged_or_empty_text_is_refused(session, add, make_order, clock, snapshot):
    order = make_order("processing")
    note_id = add(order, "same")
    before = snapshot(order.id)
    with pytest.raises(ActionNotAllowed, match="already says that"):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text=" same ")
    with pytest.raises(ActionNotAllowed, match="cannot be empty"):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="  ")
    assert snapshot(order.id) == before


def test_a_read_only_order_keeps_its_notes(session, add, make_order, clock, snapshot, orders):
    order = make_order("processing")
    note_id = add(order)
    services.close(session, order.id, actor="ann")
    before = snapshot(order.id)
    with pytest.raises(ActionNotAllowed):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="x")
    assert snapshot(order.id) == before


def test_signals_carry_the_note(session, add, make_order, clock):
    order = make_order("processing")
    note_id = add(order)
    heard = []
    with signals.order_comment_edited.connected_to(lambda sender, **kw: heard.append(("edited", kw["details"]))), \
            signals.order_comment_deleted.connected_to(lambda sender, **kw: heard.append(("deleted", kw["details"]))):
        services.edit_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id", text="v2")
        services.delete_comment(session, order.id, note_id, clock=clock, actor="ann", actor_id="ann-id")
    assert heard == [("edited", {"comment_id": note_id, "text": "v2"}), ("deleted", {"comment_id": note_id})]


def test_the_export_comment_column_reads_notes_as_they_are_now(session, add, make_order, clock, orders):
    kept, emptied = make_order("processing"), make_order("processing")
    first = add(kept, "old text")
    add(kept, "second note")
    services.edit_comment(session, kept.id, first, clock=clock, actor="ann", actor_id="ann-id", text="new text")
    gone = add(emptied, "to delete")
    services.delete_comment(session, emptied.id, gone, clock=clock, actor="ann", actor_id="ann-id")
    assert latest_notes(session, orders.binding, [kept.id, emptied.id]) == {kept.id: "second note"}
    session.rollback()
