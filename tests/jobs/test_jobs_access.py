"""An export job's orders are fixed when it starts (order_admin_export_orders, written in the database), and the
access rule is asked about each of them by the job's worker, as the manager who started it: the start request
asks it about no order, whatever the export's size; a denied order fails the job with the instant export's
message, and no file is kept."""

from __future__ import annotations

from typing import Any

import pytest
import xlrd
from flask_login import current_user

from flask_order_admin.jobs.runners import ThreadRunner
from flask_order_admin.jobs.work import run_export
from tests.jobs.conftest import export_order_ids


def numbers_in(data: bytes) -> set[str]:
    book = xlrd.open_workbook(file_contents=data)
    return {str(sheet.row_values(r)[2]) for sheet in book.sheets() for r in range(1, sheet.nrows)
            if str(sheet.row_values(r)[2]).startswith("ORD-")}


class SpyRule:
    """A host's rule that counts what it is asked: no "stock" order may be exported by "intern"."""

    def __init__(self) -> None:
        self.orders_asked: list[int] = []
        self.asked_without_order = 0

    def __call__(self, action: str, order: Any) -> bool | None:
        if order is None:
            self.asked_without_order += 1
            return None
        if action == "export":
            self.orders_asked.append(order.id)
            if order.provider == "stock" and current_user.get_id() == "intern":
                return False
        return None


@pytest.fixture
def held_jobs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str | None]]:
    """Jobs are handed to no worker: (export id, user id) of each is collected, for the test to run it."""
    handed_over: list[tuple[int, str | None]] = []
    monkeypatch.setattr(ThreadRunner, "submit",
                        lambda self, app, export_id, user_id=None: handed_over.append((export_id, user_id)))
    return handed_over


def test_the_start_request_asks_the_rule_about_no_order(app, client, make_order, jobs, folder, configure,
                                                        start_export, job_id_of, held_jobs, form_fields, read_export):
    orders = [make_order("shipped", items=1) for _ in range(40)]
    rule = SpyRule()
    configure(access=rule)
    page = client.get("/admin/orders/?flt0_status_equals=shipped").text
    matching_form = {**form_fields(page, "export-matching-form"), "format": "xls"}
    selected_form = {**form_fields(page, "action_form"), "action": "export_selected",
                     "rowid": [str(o.id) for o in orders[:20]]}
    rule.asked_without_order = 0

    export_id = job_id_of(client.post("/admin/orders/export-matching/?flt0_status_equals=shipped",
                                      data=matching_form))
    assert rule.orders_asked == []  # not one order asked in the request (it was 40 before)
    assert rule.asked_without_order <= 3  # ("view", None) of the panel, ("export", None) of the export
    selected_id = job_id_of(client.post("/admin/orders/action/", data=selected_form))
    assert rule.orders_asked == []
    assert rule.asked_without_order <= 6
    assert held_jobs == [(export_id, "manager"), (selected_id, "manager")]

    assert run_export(app.extensions["order_admin"], export_id, "manager") == "done"
    assert sorted(rule.orders_asked) == sorted(o.id for o in orders)  # every order, in the worker
    assert read_export(export_id).order_count == 40


@pytest.mark.parametrize("source", ["matching", "selected"])
def test_a_denied_order_fails_the_job_with_the_refusal_and_no_file_is_kept(
        app, make_order, manager, jobs, folder, configure, start_export, job_id_of, held_jobs, form_fields,
        read_export, source):
    taobao = [make_order("shipped", items=2) for _ in range(3)]
    stock = make_order("shipped", items=1, provider="stock")
    configure(access=SpyRule())
    intern = manager("intern")
    if source == "matching":
        response = start_export(intern, "flt0_status_equals=shipped")
    else:
        page = intern.get("/admin/orders/").text
        response = intern.post("/admin/orders/action/", data={
            **form_fields(page, "action_form"), "action": "export_selected",
            "rowid": [str(o.id) for o in [*taobao, stock]]})
    export_id = job_id_of(response)  # started: the refusal is the worker's

    assert run_export(app.extensions["order_admin"], export_id, "intern") == "failed"
    failed = read_export(export_id)
    assert str(failed.error_message) == (
        f"You may not export 1 of the 4 orders: {stock.number}. Nothing was exported; narrow the selection.")
    assert failed.rows_written == 0 and failed.file_size is None
    assert not folder.exists() or list(folder.iterdir()) == []  # no file, no part file
    page = intern.get(f"/admin/orders/exports/{export_id}/").text
    assert f"You may not export 1 of the 4 orders: {stock.number}" in page

    # The same export by a manager the rule lets export "stock" orders: done, all four orders.
    other = manager("manager")
    export_id = job_id_of(start_export(other, "flt0_status_equals=shipped"))
    assert held_jobs[-1] == (export_id, "manager")
    assert run_export(app.extensions["order_admin"], export_id, "manager") == "done"
    assert numbers_in(other.get(f"/admin/orders/exports/{export_id}/download/").data) == {
        o.number for o in [*taobao, stock]}


def test_a_job_of_one_order_denied_says_so(app, make_order, manager, jobs, folder, configure, held_jobs,
                                           form_fields, read_export, job_id_of):
    stock = make_order("shipped", items=5, provider="stock")
    configure(access=SpyRule())
    intern = manager("intern")
    page = intern.get("/admin/orders/").text
    export_id = job_id_of(intern.post("/admin/orders/action/", data={
        **form_fields(page, "action_form"), "action": "export_selected", "rowid": [str(stock.id)]}))
    assert run_export(app.extensions["order_admin"], export_id, "intern") == "failed"
    assert str(read_export(export_id).error_message) == (
        f"You may not export order {stock.number}. Nothing was exported.")


def test_the_job_exports_the_orders_matched_at_its_start(app, db, client, make_order, jobs, folder, start_export,
                                                         job_id_of, held_jobs, read_export, form_fields, wait_for):
    matched = [make_order("shipped", items=1) for _ in range(5)]
    export_id = job_id_of(start_export(client, "flt0_status_equals=shipped"))
    later = make_order("shipped", items=1)  # matches the filter, but came after the start

    assert export_order_ids(db, export_id) == [o.id for o in matched]
    assert run_export(app.extensions["order_admin"], export_id, "manager") == "done"
    assert read_export(export_id).rows_written == 5
    exported = {o.number for o in matched}
    assert numbers_in(client.get(f"/admin/orders/exports/{export_id}/download/").data) == exported
    assert later.number not in exported

    # Run again (offered once a file expired; the view takes it for any ended export): the same orders, not
    # the filter applied again.
    token = form_fields(client.get("/admin/orders/").text, "export-matching-form")["csrf_token"]
    again_id = job_id_of(client.post(f"/admin/orders/exports/{export_id}/again/", data={"csrf_token": token}))
    assert export_order_ids(db, again_id) == [o.id for o in matched]
    assert run_export(app.extensions["order_admin"], again_id, "manager") == "done"
    again = read_export(again_id)
    assert (again.retry_of_id, again.order_count, again.rows_written) == (export_id, 5, 5)
    assert numbers_in(client.get(f"/admin/orders/exports/{again_id}/download/").data) == exported


def test_the_progress_page_shows_the_orders_and_rows_of_a_job(app, client, make_order, jobs, folder, start_export,
                                                              job_id_of, held_jobs, read_export):
    for _ in range(4):
        make_order("shipped", items=3)
    export_id = job_id_of(start_export(client, "flt0_status_equals=shipped"))
    assert read_export(export_id).order_count == 4
    assert run_export(app.extensions["order_admin"], export_id, "manager") == "done"
    status = client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()
    assert (status["rows_total"], status["rows_written"], status["state"]) == (12, 12, "done")


def test_the_worker_reads_the_orders_a_chunk_at_a_time(app, client, make_order, jobs, folder, configure,
                                                       start_export, job_id_of, held_jobs, statements,
                                                       monkeypatch):
    from flask_order_admin.jobs import selection

    for _ in range(7):
        make_order("shipped", items=1)
    configure(access=SpyRule())
    export_id = job_id_of(start_export(client, "flt0_status_equals=shipped"))
    monkeypatch.setattr(selection, "IDS_PER_READ", 3)
    sent = statements(lambda: run_export(app.extensions["order_admin"], export_id, "manager"))
    id_reads = [s for s in sent if "FROM order_admin_export_orders" in s]
    # Three passes (the rule, the count, the rows), each reading 3 + 3 + 1 ids and one empty read.
    assert len(id_reads) == 3 * 4, id_reads


def test_more_orders_than_the_row_limit_are_refused_at_the_start_and_leave_no_job(
        client, make_order, jobs, folder, configure, start_export, held_jobs, session):
    from flask_order_admin.models import ExportOrder, ExportRecord

    for _ in range(6):
        make_order("shipped", items=0)
    configure(export_max_rows=5)  # every order is at least one row
    response = start_export(client, "flt0_status_equals=shipped")
    assert response.status_code == 302 and "/exports/" not in response.location
    page = client.get(response.location).text
    assert "6 rows is more than the export limit of 5; narrow the filter." in page
    assert session.query(ExportRecord).count() == 0 and session.query(ExportOrder).count() == 0
    assert held_jobs == []
