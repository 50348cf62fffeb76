"""Forged and repeated requests: refused merges and restores, double submits, CSRF, access, return addresses."""

from __future__ import annotations

import pytest

from flask_order_admin.models import OrderEvent

EVIL_TARGETS = ["//evil.example", "\\\\evil", "/\\evil.example", " javascript:alert(1)", "https://evil.example/"]


def post_action(test_client, order_id, action, csrf, version=1, **extra):
    return test_client.post(f"/admin/orders/{order_id}/{action}/", data={
        "csrf_token": csrf, "version": version, **extra}, follow_redirects=True)


@pytest.mark.parametrize("case", ["itself", "providers", "canceled", "completed", "merged", "already_merged"])
def test_forbidden_merges_are_refused_on_confirm_and_on_a_forged_post(client, make_order, session, token, db_state,
                                                                       refused, error_of, case):
    added = make_order("awaiting_payment")
    if case == "already_merged":
        added.obj.status, added.obj.merged_into_id = "merged", make_order("awaiting_payment").id
        session.commit()
    target = {
        "itself": lambda: added,
        "providers": lambda: make_order("awaiting_payment", provider="stock"),
        "canceled": lambda: make_order("canceled"),
        "completed": lambda: make_order("completed"),
        "merged": lambda: make_order("merged"),
        "already_merged": lambda: make_order("awaiting_payment"),
    }[case]()
    added_id, target_id = added.id, target.id
    csrf = token(client)
    before = db_state()
    refused(client.get(f"/admin/orders/{added_id}/confirm/merge/", query_string={"into": target_id},
                       follow_redirects=True))
    response = post_action(client, added_id, "merge", csrf, version=2 if case == "already_merged" else 1,
                           into=target_id)
    refused(response)
    assert error_of(response)
    assert db_state() == before


@pytest.mark.parametrize("status", ["awaiting_payment", "processing", "shipped", "completed", "merged"])
def test_restore_of_an_order_that_is_not_canceled(client, make_order, token, db_state, refused, status):
    order_id = make_order(status).id
    csrf = token(client)
    before = db_state()
    refused(client.get(f"/admin/orders/{order_id}/confirm/restore/", follow_redirects=True))
    refused(post_action(client, order_id, "restore", csrf))
    assert db_state() == before


@pytest.mark.parametrize("action", ["cancel", "close", "merge"])
def test_the_same_confirm_form_posted_twice_acts_once(client, make_order, session, form_fields, action):
    order = make_order("processing" if action != "merge" else "awaiting_payment")
    basic_id = make_order("awaiting_payment").id if action == "merge" else None
    order_id = order.id
    args = {"version": order.version, "into": basic_id} if basic_id else {"version": order.version}
    page = client.get(f"/admin/orders/{order_id}/confirm/{action}/", query_string=args).text
    fields = form_fields(page, "confirm-form")
    first = client.post(f"/admin/orders/{order_id}/{action}/", data=fields, follow_redirects=True)
    second = client.post(f"/admin/orders/{order_id}/{action}/", data=fields, follow_redirects=True)
    assert first.status_code == second.status_code == 200
    assert "was changed by manager" in second.text or "already merged" in second.text
    session.expire_all()
    assert session.query(OrderEvent).filter_by(order_id=order_id).count() == 1
    session.rollback()


@pytest.mark.parametrize("token_kind", ["missing", "wrong", "another_session"])
@pytest.mark.parametrize("action", ["cancel", "close", "merge", "comment"])
def test_posts_without_a_valid_csrf_token_are_400(client, other_client, make_order, token, db_state,
                                                  token_kind, action):
    order_id = make_order("processing").id
    basic_id = make_order("processing").id
    token(client)  # the client has a session token of its own
    csrf = {"missing": None, "wrong": "not-a-token", "another_session": token(other_client)}[token_kind]
    data = {"version": 1, "into": basic_id, "text": "note", "url": "/admin/orders/"}
    if csrf is not None:
        data["csrf_token"] = csrf
    before = db_state()
    response = client.post(f"/admin/orders/{order_id}/{action}/", data=data)
    assert response.status_code == 400
    assert db_state() == before


def every_request(order_id, basic_id, csrf):
    """(right needed, method, url, data) of every view, action and the export URLs."""
    post = {"csrf_token": csrf, "version": 1, "into": basic_id, "text": "note"}
    bulk_export = {"csrf_token": csrf, "action": "export_selected", "rowid": order_id}
    return [
        ("view", "get", "/admin/orders/", None), ("view", "get", "/admin/orders/items/", None),
        ("view", "get", f"/admin/orders/details/?id={order_id}", None),
        ("view", "get", "/admin/orders/search/?q=1", None),
        ("view", "get", "/admin/orders/exports/", None),
        ("merge", "get", f"/admin/orders/{order_id}/merge-candidates/", None),
        ("export", "get", f"/admin/orders/{order_id}/export/", None),
        ("export", "post", "/admin/orders/export-matching/", {"csrf_token": csrf, "format": "xls"}),
        ("export", "post", "/admin/orders/items/export-matching/", {"csrf_token": csrf, "format": "xls"}),
        ("export", "post", "/admin/orders/action/", bulk_export),
        ("export", "post", "/admin/orders/items/action/", bulk_export),
        ("comment", "post", f"/admin/orders/{order_id}/comment/", post),
    ] + [(a, "get", f"/admin/orders/{order_id}/confirm/{a}/?into={basic_id}", None)
         for a in ("cancel", "restore", "close", "merge")] + [
        (a, "post", f"/admin/orders/{order_id}/{a}/", post) for a in ("cancel", "restore", "close", "merge")]


def test_anonymous_users_are_sent_to_the_login_page_everywhere(app, anonymous, client, make_order, token, db_state):
    order_id, basic_id = make_order("processing").id, make_order("processing").id
    csrf = token(client)
    before = db_state()
    for _, method, url, data in every_request(order_id, basic_id, csrf):
        response = getattr(anonymous, method)(url, data=data)
        if method == "post":
            assert response.status_code == 400, (url, response.status_code)  # not even the CSRF check passes
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert response.location.startswith("/login?next="), (url, response.location)
    assert db_state() == before


@pytest.mark.parametrize("denied", ["view", "export", "cancel", "restore", "close", "merge", "comment"])
def test_managers_without_the_right_get_403(client, configure, make_order, token, db_state, error_of, denied):
    order_id, basic_id = make_order("processing").id, make_order("processing").id
    csrf = token(client)
    configure(access=lambda action, order: action != denied)
    before = db_state()
    for needed, method, url, data in every_request(order_id, basic_id, csrf):
        if denied not in ("view", needed):
            continue
        response = getattr(client, method)(url, data=data)
        if method == "get" and denied != "view" and ("/confirm/" in url or "merge-candidates" in url):
            assert response.status_code == 302, (url, response.status_code)  # back to the order page, saying why
            assert "You are not allowed" in error_of(client.get(response.location))
        else:
            assert response.status_code == 403, (url, response.status_code)
    assert db_state() == before


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_return_addresses_never_leave_the_site(client, anonymous, make_order, token, target):
    order_id = make_order("processing").id
    csrf = token(client)
    responses = [
        client.get("/admin/orders/details/", query_string={"id": order_id, "url": target}),
        client.get(f"/admin/orders/{order_id}/confirm/cancel/", query_string={"url": target}),
        client.get(f"/admin/orders/{order_id}/merge-candidates/", query_string={"url": target}),
        client.get("/admin/orders/search/", query_string={"q": "abc", "url": target, "back": target}),
        client.get("/admin/orders/search/", query_string={"q": str(order_id), "url": target}),
        client.post(f"/admin/orders/{order_id}/comment/", data={"csrf_token": csrf, "text": "x", "url": target}),
        client.post(f"/admin/orders/{order_id}/close/", data={"csrf_token": csrf, "version": 1, "url": target}),
        client.get("/admin/orders/details/", query_string={"id": "0", "url": target}),
    ]
    for response in responses:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert response.location.startswith("/") and not response.location.startswith("//"), response.location
            assert "evil" not in response.location and "javascript" not in response.location
        else:
            assert f'href="{target.strip()}' not in response.text
            assert 'href="//evil' not in response.text and "href=\"javascript" not in response.text
    # The login redirect's next= is this request's own path, never a target from the query.
    location = anonymous.get("/admin/orders/", query_string={"next": target}).location
    assert location.startswith("/login?next=/admin/orders/"), location
