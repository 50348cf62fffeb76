"""The Comments tab: its author edits or deletes a note (delete after a confirm screen) while the window is open;
anyone else, or later, sees no buttons and a POST is refused with the reason, never a 500; forged ids are 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from flask_order_admin.models import utcnow
from tests.hostile.conftest import log_in
from tests.model_sets import current_orders


class Clock:
    def __init__(self) -> None:
        self.now = utcnow().replace(microsecond=0)

    def __call__(self):
        return self.now


@pytest.fixture
def clock(app):
    """The app's clock (``OrderPanel.clock``), which the test moves on."""
    state = app.extensions["order_admin"]
    before, state.clock = state.clock, Clock()
    yield state.clock
    state.clock = before


@pytest.fixture
def client(app):
    """"manager", in a client sharing nothing through ``g`` with the colleague's (tests/hostile/conftest.py)."""
    return log_in(app, "manager")


def comments_tab(client, order) -> str:
    response = client.get(f"/admin/orders/details/?id={order.id}&tab=comments")
    assert response.status_code == 200
    return response.text


def add_note(client, order, text, form_fields) -> int:
    fields = form_fields(comments_tab(client, order), "comment-form")
    response = client.post(f"/admin/orders/{order.id}/comment/", data={**fields, "text": text}, follow_redirects=True)
    assert "Your note was added" in response.text
    return int(re.findall(r'id="note-(\d+)"', response.text)[0])  # newest first


def edit_fields(page: str, note_id: int, form_fields) -> dict[str, str]:
    return form_fields(page, f"note-edit-form-{note_id}")


def last_change(session, order):
    return current_orders(session).get(order.id).updated_at


def test_the_author_edits_and_the_page_keeps_the_earlier_text(client, make_order, session, form_fields, clock):
    order = make_order("processing")
    note_id = add_note(client, order, "Buyer asks for <red>", form_fields)
    page = comments_tab(client, order)
    assert f'id="note-edit-form-{note_id}"' in page and "order-admin-note-delete" in page
    clock.now += timedelta(minutes=3)
    fields = edit_fields(page, note_id, form_fields)
    response = client.post(f"/admin/orders/{order.id}/comment/{note_id}/edit/",
                           data={**fields, f"note-{note_id}-text": "Buyer asks for blue"}, follow_redirects=True)
    assert "Your note was changed" in response.text
    assert response.request.args["tab"] == "comments"
    assert "Buyer asks for blue" in response.text
    assert ">edited</summary>" in response.text and "Buyer asks for &lt;red&gt;" in response.text  # kept, escaped
    assert last_change(session, order) == clock.now
    history = client.get(f"/admin/orders/details/?id={order.id}&tab=history").text
    assert "Buyer asks for blue" in history and ">edited</summary>" in history


def test_delete_asks_first_then_leaves_who_and_when(client, make_order, session, form_fields, clock):
    order = make_order("processing")
    note_id = add_note(client, order, "Wrong order, sorry", form_fields)
    confirm = client.get(f"/admin/orders/{order.id}/comment/{note_id}/delete/")
    assert confirm.status_code == 200
    assert "Are you sure you want to delete this note?" in confirm.text and "Wrong order, sorry" in confirm.text
    assert len(current_orders(session).events(order.id)) == 1  # asking changed nothing
    clock.now += timedelta(minutes=1)
    response = client.post(f"/admin/orders/{order.id}/comment/{note_id}/delete/",
                           data=form_fields(confirm.text, "confirm-form"), follow_redirects=True)
    assert "Your note was deleted" in response.text
    assert "Note deleted by manager at" in response.text and "Wrong order, sorry" not in response.text
    assert last_change(session, order) == clock.now
    first = current_orders(session).events(order.id)[0]
    assert first.details["text"] == "Wrong order, sorry"  # nothing lost in the database


def test_another_manager_sees_no_buttons_and_is_refused(app, client, make_order, session, form_fields, clock):
    order = make_order("processing")
    note_id = add_note(client, order, "mine", form_fields)
    own_page = comments_tab(client, order)
    other = log_in(app, "colleague")
    page = comments_tab(other, order)
    assert "mine" in page and f"note-edit-form-{note_id}" not in page and "order-admin-note-delete" not in page
    fields = edit_fields(own_page, note_id, form_fields)  # a forged post with a valid token of the author's page
    with other.session_transaction() as flask_session, client.session_transaction() as own_session:
        flask_session["csrf_token"] = own_session["csrf_token"]
    response = other.post(f"/admin/orders/{order.id}/comment/{note_id}/edit/",
                          data={**fields, f"note-{note_id}-text": "theirs"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Only the manager who wrote a note can edit or delete it." in response.text
    response = other.get(f"/admin/orders/{order.id}/comment/{note_id}/delete/", follow_redirects=True)
    assert "Only the manager who wrote a note" in response.text and "confirm-form" not in response.text
    assert [e.action for e in current_orders(session).events(order.id)] == ["comment"]


def test_after_the_window_the_buttons_go_and_a_post_is_refused(client, make_order, session, form_fields, clock):
    order = make_order("processing")
    note_id = add_note(client, order, "soon stale", form_fields)
    page = comments_tab(client, order)
    fields, confirm = edit_fields(page, note_id, form_fields), client.get(
        f"/admin/orders/{order.id}/comment/{note_id}/delete/").text
    clock.now += timedelta(minutes=16)
    assert f"note-edit-form-{note_id}" not in comments_tab(client, order)
    response = client.post(f"/admin/orders/{order.id}/comment/{note_id}/edit/",
                           data={**fields, f"note-{note_id}-text": "late"}, follow_redirects=True)
    assert "only in the first 15 minutes after it was written" in response.text
    response = client.post(f"/admin/orders/{order.id}/comment/{note_id}/delete/",
                           data=form_fields(confirm, "confirm-form"), follow_redirects=True)
    assert "only in the first 15 minutes after it was written" in response.text
    assert [e.action for e in current_orders(session).events(order.id)] == ["comment"]


def test_forged_note_ids_are_404(client, make_order, session, form_fields, clock):
    order, other = make_order("processing"), make_order("processing")
    own = add_note(client, order, "here", form_fields)
    elsewhere = add_note(client, other, "there", form_fields)
    fields = edit_fields(comments_tab(client, order), own, form_fields)
    for forged in (elsewhere, 10**12, 2**70):
        assert client.get(f"/admin/orders/{order.id}/comment/{forged}/delete/").status_code == 404
        response = client.post(f"/admin/orders/{order.id}/comment/{forged}/edit/",
                               data={k.replace(f"note-{own}-", f"note-{forged}-"): v for k, v in fields.items()}
                               | {f"note-{forged}-text": "x"})
        assert response.status_code == 404
    assert client.get(f"/admin/orders/{order.id}/comment/abc/delete/").status_code == 404
    assert len(current_orders(session).events(order.id)) == 1


def test_a_post_without_its_token_changes_nothing(client, make_order, session, form_fields, clock):
    order = make_order("processing")
    note_id = add_note(client, order, "keep", form_fields)
    response = client.post(f"/admin/orders/{order.id}/comment/{note_id}/delete/", data={})
    assert response.status_code == 400
    assert client.get(f"/admin/orders/{order.id}/comment/{note_id}/edit/").status_code == 405
    assert len(current_orders(session).events(order.id)) == 1
