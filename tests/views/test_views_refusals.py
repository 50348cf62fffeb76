"""Refusals go through the views' one handler (views/refusal_redirects.py, an error handler of each view's
blueprint): the manager is brought back
to the page they acted from, with the reason; the History tab reads each kind of event through one presenter;
the Order actions menu brings its own URLs."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import flask_order_admin.views
from flask_order_admin.services.events import record_events
from flask_order_admin.services import cancel, close, get_order_record
from flask_order_admin.views.menu import action_menu
from flask_order_admin.services import find_merge_candidates

VIEWS = Path(flask_order_admin.views.__file__).parent


def flashed(client) -> list[str]:
    """The messages waiting for the next page (taken, as that page would)."""
    with client.session_transaction() as flask_session:
        return [text for _, text in flask_session.pop("_flashes", [])]


def refused(client, method: str, path: str, **kwargs):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 302, response.text
    where = urlsplit(response.headers["Location"])
    return where.path, parse_qs(where.query), flashed(client)


def test_a_refused_action_goes_back_to_the_order_page_with_the_reason(client, make_order):
    order = make_order("completed")
    path, args, messages = refused(client, "get", f"/admin/orders/{order.id}/confirm/cancel/",
                                   query_string={"url": "/admin/orders/?page=2"})
    assert (path, args["id"], args["url"]) == ("/admin/orders/details/", [str(order.id)], ["/admin/orders/?page=2"])
    assert messages == ["Only orders in one of the statuses Awaiting payment, Awaiting additional payment, Processing, "
                        "Additional order can be canceled; this order is Completed."]


def test_a_refused_merge_pick_goes_back_to_the_order_page(client, make_order, configure):
    order = make_order("awaiting_payment")
    configure(access=lambda action, order: action != "merge")
    path, args, messages = refused(client, "get", f"/admin/orders/{order.id}/merge-candidates/")
    assert (path, args["id"]) == ("/admin/orders/details/", [str(order.id)])
    assert messages == ["You are not allowed to merge this order."]
    configure(access=None)
    added = make_order("awaiting_payment")
    path, args, messages = refused(client, "get", f"/admin/orders/{added.id}/confirm/merge/",
                                   query_string={"into": 999999})
    assert (path, args["id"]) == ("/admin/orders/details/", [str(added.id)])
    assert messages == ["There is no order 999999; it may have been deleted."]


def test_a_refused_note_goes_back_to_the_comments_tab(client, make_order, form_fields, session):
    order = make_order("processing")
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    fields = form_fields(page, "comment-form")
    close(session, order.id, actor="someone else")
    path, args, messages = refused(client, "post", f"/admin/orders/{order.id}/comment/",
                                   data={**fields, "text": "too late"})
    assert (path, args["id"], args["tab"]) == ("/admin/orders/details/", [str(order.id)], ["comments"])
    assert len(messages) == 1 and "Completed" in messages[0]


def test_an_unknown_order_goes_back_to_the_list_and_a_refused_search_to_where_it_was_typed(client):
    path, args, messages = refused(client, "get", "/admin/orders/999999/confirm/close/")
    assert path == "/admin/orders/" and messages == ["There is no order 999999; it may have been deleted."]
    path, args, messages = refused(client, "get", "/admin/orders/search/",
                                   query_string={"q": "<*>", "back": "/admin/orders/items/?page=1"})
    assert (path, args) == ("/admin/orders/items/", {"page": ["1"], "q": ["<*>"]})  # the text kept in the box
    assert len(messages) == 1 and "holds no letter or digit" in messages[0]


def test_no_view_turns_a_refusal_into_a_flash_of_its_own():
    """The blueprint's handler (registered in views/base.py) is the only place that turns OrderActionError into
    a page; the one ``except`` (an export file's download) answers 403."""
    catching, handling = [], []
    for path in sorted(VIEWS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and "OrderActionError" in ast.unparse(node.type or ast.Name("")):
                catching.append(f"{path.name}:{ast.unparse(node.body[0])}")
            if isinstance(node, ast.Call) and "register_error_handler" in ast.unparse(node.func) \
                    and "OrderActionError" in ast.unparse(node.args[0]):
                handling.append(path.name)
    assert catching == ["base.py:abort(403)"]
    assert handling == ["base.py"]


def test_history_reads_each_kind_of_event_and_shows_an_unknown_kind_as_it_is(client, app, make_order, session):
    order = make_order("processing")
    cancel(session, order.id, actor="alice", reason="buyer asked")
    panel = app.extensions["order_admin"]
    record = get_order_record(session, order.id, panel=panel)
    row = {"order_id": record.id, "at": record.updated_at or record.created_at, "actor": "robot", "action": "refund",
           "from_status": None, "to_status": None, "details": {"amount": "1.00"}}
    record_events(session, panel, [row])
    session.commit()
    page = client.get("/admin/orders/details/", query_string={"id": order.id, "tab": "history"}).text
    history = re.search(r'id="pane-history".*?</table>', page, re.S).group(0)
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]]
    assert any(row.endswith("alice Canceled Processing → Canceled Reason: buyer asked") for row in rows), rows
    assert any(row.endswith("robot refund") for row in rows), rows


@pytest.mark.parametrize("status, enabled", [
    ("processing", ["export", "cancel", "close"]),
    ("canceled", ["export", "restore"]),
    ("completed", ["export"]),
])
def test_menu_entries_bring_their_own_urls(app, make_order, session, configure, status, enabled):
    order = make_order(status)
    # No one is logged in here; Restore needs a price resolver to be offered.
    configure(access=lambda action, order: True, price_resolver=lambda item, at: None)
    panel = app.extensions["order_admin"]
    with app.test_request_context():
        record = get_order_record(session, order.id, panel=panel)
        candidates = find_merge_candidates(session, order.id, panel=panel)
        menu = action_menu(panel.settings, record, candidates, "/admin/orders/?page=3")
    assert [entry.action.value for entry in menu.entries if entry.enabled] == enabled
    for entry in menu.entries:
        if not entry.enabled:
            assert entry.url is None and entry.reason
            continue
        where = urlsplit(entry.url)
        args = parse_qs(where.query)
        assert args["url"] == ["/admin/orders/?page=3"]
        if entry.action.value == "export":
            assert where.path == f"/admin/orders/{order.id}/export/"
        else:
            assert where.path == f"/admin/orders/{order.id}/confirm/{entry.action.value}/"
            assert args["version"] == [str(record.version)]
