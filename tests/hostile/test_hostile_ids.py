"""Ids no order has, in every URL and form field that takes one: a 404 or a message, never a 500."""

from __future__ import annotations

import pytest

from tests.hostile.conftest import BAD_IDS


@pytest.fixture
def live(make_order):
    """A real order (for a CSRF token and as the other side of a merge)."""
    return make_order("awaiting_payment").id


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_every_get_url(client, live, db_state, refused, bad):
    before = db_state()
    urls = [
        ("/admin/orders/details/", {"id": bad}),
        (f"/admin/orders/{bad}/confirm/cancel/", {}),
        (f"/admin/orders/{bad}/confirm/merge/", {"into": live}),
        (f"/admin/orders/{live}/confirm/merge/", {"into": bad}),  # the basic order picked on the merge view
        (f"/admin/orders/{bad}/merge-candidates/", {}),
        (f"/admin/orders/{bad}/export/", {}),
    ]
    for url, args in urls:
        refused(client.get(url, query_string=args, follow_redirects=True))
    assert db_state() == before


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_every_post(client, live, token, db_state, refused, bad):
    csrf = token(client)
    before = db_state()
    for action in ("cancel", "restore", "close"):
        refused(client.post(f"/admin/orders/{bad}/{action}/", data={"csrf_token": csrf, "version": 1},
                            follow_redirects=True))
    refused(client.post(f"/admin/orders/{bad}/merge/", data={"csrf_token": csrf, "version": 1, "into": live},
                        follow_redirects=True))
    # The basic-order field of the merge form.
    refused(client.post(f"/admin/orders/{live}/merge/", data={"csrf_token": csrf, "version": 1, "into": bad},
                        follow_redirects=True))
    refused(client.post(f"/admin/orders/{bad}/comment/", data={"csrf_token": csrf, "text": "hello"},
                        follow_redirects=True))
    assert db_state() == before


@pytest.mark.parametrize("tab", ["orders", "orders/items"])
@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_row_ids_in_the_bulk_export(client, live, token, db_state, tab, bad):
    csrf = token(client)
    before = db_state()
    response = client.post(f"/admin/{tab}/action/", data={
        "csrf_token": csrf, "action": "export_selected", "rowid": bad}, follow_redirects=True)
    assert response.status_code < 500
    assert db_state() == before


@pytest.mark.parametrize("bad", ["", " ", "1e3", "0x10", "१२", "1;DROP TABLE order_admin_orders", "9" * 400])
def test_order_page_id_spellings(client, live, db_state, refused, bad):
    before = db_state()
    refused(client.get("/admin/orders/details/", query_string={"id": bad}, follow_redirects=True))
    assert db_state() == before
