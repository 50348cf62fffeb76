"""Export jobs through the panel, on every database: instant or background, progress, download,
cancel, failure with its reason, a stopped worker, expiry, limits, access and the audit log."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
import xlrd
from sqlalchemy import update

from flask_order_admin.jobs.work import run_export
from flask_order_admin.models import ExportRecord, OrderEvent, utcnow
from tests.jobs.conftest import export_order_ids, moved_back, queued_job, wait_until_gone

from .conftest import IsolatedClient


def sheet_rows(data: bytes) -> list[list[object]]:
    book = xlrd.open_workbook(file_contents=data)
    return [sheet.row_values(r) for sheet in book.sheets() for r in range(1, sheet.nrows)]


def numbers_in(rows: list[list[object]]) -> set[str]:
    return {str(row[2]) for row in rows if str(row[2]).startswith("ORD-")}


def test_a_small_export_downloads_at_once_and_is_recorded(client, make_order, folder, start_export, session, db):
    shipped = [make_order("shipped", items=2), make_order("shipped", items=1)]
    make_order("processing", items=1)
    response = start_export(client, "flt0_status_equals=shipped")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert numbers_in(sheet_rows(response.data)) == {order.number for order in shipped}
    [record] = session.query(ExportRecord).all()
    assert (record.actor, record.runner, record.state, record.source) == ("manager", "inline", "done", "matching")
    assert (export_order_ids(db, record.id), record.rows_written, record.fmt) == ([o.id for o in shipped], 3, "xls")
    assert str(record.description_message) == "By orders: Status equals Shipped"
    assert record.query_args == {"flt0_status_equals": "shipped"}
    assert record.file_size == len(response.data) and record.file_name is None
    assert session.query(OrderEvent).filter_by(action="export").count() == 0  # two orders: no history line
    assert not folder.exists() or not any(folder.iterdir())  # nothing kept


def test_exporting_one_order_shows_in_its_history(client, make_order, session):
    order = make_order("completed", items=2)
    response = client.get(f"/admin/orders/{order.id}/export/")
    assert response.status_code == 200
    [event] = session.query(OrderEvent).filter_by(order_id=order.id, action="export").all()
    assert event.actor == "manager" and event.details["rows"] == 2 and event.details["format"] == "xls"
    page = client.get(f"/admin/orders/details/?id={order.id}&tab=history").text
    assert "Exported" in page and "2 rows as .xls" in page


def test_a_big_export_runs_as_a_job_and_downloads(client, make_order, jobs, folder, start_export, wait_for,
                                                  job_id_of, session):
    orders = [make_order("shipped", items=3) for _ in range(3)]
    response = start_export(client, "flt0_status_equals=shipped")  # its speed: bench/bench_jobs.py
    export_id = job_id_of(response)
    record = wait_for(export_id, "done")
    assert (record.rows_total, record.rows_written, record.runner, record.order_count) == (9, 9, "thread", 3)
    assert record.started_at <= record.finished_at and record.worker and record.error is None
    assert sorted(p.name for p in folder.iterdir()) == [record.file_name]  # the whole file, no part left
    assert record.file_name.startswith(f"export-{export_id:010d}-") and record.file_name.endswith(".xls")
    status = client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()
    assert status["state"] == "done" and status["percent"] == 100 and status["rows_text"] == "9 of 9 rows"
    assert status["download_url"] == f"/admin/orders/exports/{export_id}/download/"
    page = client.get(f"/admin/orders/exports/{export_id}/").text
    assert 'id="export-download"' in page and "Ready" in page
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert "attachment; filename=orders-" in download.headers["Content-Disposition"]
    rows = sheet_rows(download.data)
    assert numbers_in(rows) == {order.number for order in orders} and len(rows) == 9 + 1  # and the totals row
    listing = client.get("/admin/orders/exports/").text
    assert "By orders: Status equals Shipped" in listing and f'data-download="{export_id}"' in listing


def test_get_never_starts_an_export(client, make_order, jobs, folder, session, form_fields, wait_for, job_id_of):
    order = make_order("processing", items=5)
    assert client.get("/admin/orders/export-matching/").status_code == 405
    page = client.get(f"/admin/orders/{order.id}/export/")
    assert page.status_code == 200 and "This order has 5 rows" in page.text
    assert session.query(ExportRecord).count() == 0
    fields = {**form_fields(page.text, "export-order-form"), "format": "xls"}
    export_id = job_id_of(client.post(f"/admin/orders/{order.id}/export/", data=fields))
    assert wait_for(export_id, "done").rows_written == 5
    session.rollback()  # a new transaction: MariaDB's REPEATABLE READ would show the one before the job
    assert session.query(OrderEvent).filter_by(order_id=order.id, action="export").one().details["export_id"] == export_id
    no_token = client.post(f"/admin/orders/{order.id}/export/", data={"format": "xls"})
    assert no_token.status_code == 400 and session.query(ExportRecord).count() == 1


def test_the_progress_poll_costs_the_same_statements_whatever_the_size(client, make_order, jobs, folder,
                                                                       start_export, wait_for, job_id_of,
                                                                       count_statements):
    small = job_id_of(start_export(client, "flt0_status_equals=shipped" if make_order("shipped", items=4) else ""))
    for _ in range(40):
        make_order("processing", items=3)
    big = job_id_of(start_export(client, "flt0_status_equals=processing"))
    wait_for(small, "done")
    wait_for(big, "done")
    polls = [count_statements(lambda export_id=export_id: client.get(f"/admin/orders/exports/{export_id}/status.json"))
             for export_id in (small, big)]
    assert polls[0] == polls[1] <= 2, polls


def test_cancel_stops_a_running_job_and_keeps_no_file(client, make_order, jobs, folder, start_export, paused,
                                                      wait_for, job_id_of, form_fields):
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    assert paused.reached(10)
    page = client.get(f"/admin/orders/exports/{export_id}/").text
    assert 'id="export-cancel"' in page
    fields = form_fields(page, "export-cancel-form")
    response = client.post(f"/admin/orders/exports/{export_id}/cancel/", data=fields, follow_redirects=True)
    assert f"Export #{export_id} was canceled." in response.text
    paused.release()
    record = wait_for(export_id, "canceled")
    wait_until_gone(folder)  # the worker notices at its next report and removes its part file
    assert wait_for(export_id, "canceled").file_size is None
    again = client.post(f"/admin/orders/exports/{export_id}/cancel/", data=fields, follow_redirects=True)
    assert "had already ended" in again.text
    assert client.get(f"/admin/orders/exports/{export_id}/download/").status_code == 302
    assert record.finished_at is not None


def test_a_failed_job_says_why(app, client, make_order, folder, session, read_export, monkeypatch):
    state = app.extensions["order_admin"]
    order = make_order("processing", items=2)
    record = queued_job(session, state.settings, folder, [order.id, 999_999_999],
                        fmt="xls", source="selected", description="2 selected orders")
    assert run_export(state, record.id) == "failed"
    failed = read_export(record.id)
    assert str(failed.error_message) == "There is no order 999999999; it may have been deleted." and failed.finished_at
    page = client.get(f"/admin/orders/exports/{record.id}/").text
    assert "There is no order 999999999" in page and 'id="export-again"' in page
    assert "There is no order 999999999" in client.get("/admin/orders/exports/").text

    from flask_order_admin.export import files

    def broken_disk(stream, scratch):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(files.BACKENDS, "xls", broken_disk)
    record = queued_job(session, state.settings, folder, [order.id], fmt="xls", source="order", description="Order")
    assert run_export(state, record.id) == "failed"
    assert str(read_export(record.id).error_message) == "The export failed unexpectedly (OSError); the server log has the details."
    assert list(folder.iterdir()) == []


def test_a_job_whose_worker_stops_is_failed_in_bounded_time_and_runs_again(
        client, make_order, jobs, folder, configure, start_export, paused, wait_for, job_id_of, form_fields, db,
        clock):
    orders = [make_order("shipped", items=2) for _ in range(3)]
    export_id = job_id_of(start_export(client))
    assert paused.reached(10)  # running, and then no heartbeat any more, as with a killed worker
    configure(export_stale_seconds=60)
    now = clock.set(utcnow().replace(microsecond=0))  # the clock stands still from here
    moved_back(db, export_id, "heartbeat_at", hours=60 / 3600, now=now)  # its last report 60 s ago: not stale yet
    assert client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()["state"] == "running"
    moved_back(db, export_id, "heartbeat_at", hours=61 / 3600, now=now)  # 61 s ago: past the stale time
    status = client.get(f"/admin/orders/exports/{export_id}/status.json").get_json()
    assert status["state"] == "failed"
    assert status["error"] == (
        "The export stopped: its worker did not report for 60 seconds (the process was stopped or crashed). "
        "Run it again."
    )
    paused.release()  # the "dead" worker wakes up: it sees it was failed, stops and removes its part file
    wait_until_gone(folder)
    assert wait_for(export_id, "failed")
    configure(export_stale_seconds=120)
    page = client.get(f"/admin/orders/exports/{export_id}/").text
    response = client.post(f"/admin/orders/exports/{export_id}/again/", data=form_fields(page, "export-again-form"))
    again_id = job_id_of(response)
    again = wait_for(again_id, "done")
    assert again.retry_of_id == export_id and again.rows_written == 6
    rows = sheet_rows(client.get(f"/admin/orders/exports/{again_id}/download/").data)
    assert numbers_in(rows) == {order.number for order in orders}


def test_a_queued_job_no_worker_takes_is_failed(app, client, make_order, folder, session, configure, read_export,
                                                db):
    state = app.extensions["order_admin"]
    record = queued_job(session, state.settings, folder, [make_order().id], fmt="xls",
                        source="order", description="Order")  # never handed to a runner
    configure(export_queued_seconds=60)
    assert "No export worker started this export" not in client.get("/admin/orders/exports/").text
    moved_back(db, record.id, "created_at", hours=61 / 3600)
    assert "No export worker started this export" in client.get("/admin/orders/exports/").text
    assert read_export(record.id).state == "failed"


def test_finished_files_expire(app, client, make_order, jobs, folder, start_export, wait_for, job_id_of, db):
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    record = wait_for(export_id, "done")
    assert (folder / record.file_name).is_file()
    with db.engine.begin() as connection:
        connection.execute(update(ExportRecord).where(ExportRecord.id == export_id)
                           .values(finished_at=utcnow() - timedelta(hours=25)))
    stray = folder / "export-0000000001-0123456789abcdef.xls.part"  # a killed worker's leftover
    stray.write_bytes(b"half")
    os.utime(stray, (time.time() - 25 * 3600,) * 2)
    result = app.test_cli_runner().invoke(args=["order-admin", "purge-exports"])
    assert result.exit_code == 0 and "1 export file(s) expired" in result.output
    assert list(folder.iterdir()) == [] and wait_for(export_id, "expired")
    response = client.get(f"/admin/orders/exports/{export_id}/download/", follow_redirects=True)
    assert "expired and its file was deleted; run it again" in response.text


def test_an_export_past_its_keep_time_is_never_served(client, make_order, jobs, folder, start_export, wait_for,
                                                      job_id_of, db, read_export):
    """Done 72 hours ago with a keep time of 24: the download, the progress page and its poll all say
    expired and the file goes, though nobody opened My exports and the purge never ran."""
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    wait_for(export_id, "done")
    assert [p.name for p in folder.iterdir()] == [read_export(export_id).file_name]
    with db.engine.begin() as connection:  # the clock moved on: the job finished three days ago
        connection.execute(update(ExportRecord).where(ExportRecord.id == export_id)
                           .values(finished_at=utcnow() - timedelta(hours=72)))
    download = client.get(f"/admin/orders/exports/{export_id}/download/")
    assert download.status_code == 302 and download.location == f"/admin/orders/exports/{export_id}/"
    assert f"Export #{export_id} expired and its file was deleted" in client.get(download.location).text
    status = client.get(f"/admin/orders/exports/{export_id}/status.json").json
    assert status["state"] == "expired" and "download_url" not in status
    assert 'data-state="expired"' in client.get(f"/admin/orders/exports/{export_id}/").text
    assert read_export(export_id).state == "expired" and list(folder.iterdir()) == []


@pytest.mark.parametrize("page", ["", "status.json", "download/"])
def test_each_export_page_expires_an_old_export_by_itself(client, make_order, jobs, folder, start_export, wait_for,
                                                          job_id_of, db, read_export, page):
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    wait_for(export_id, "done")
    with db.engine.begin() as connection:
        connection.execute(update(ExportRecord).where(ExportRecord.id == export_id)
                           .values(finished_at=utcnow() - timedelta(hours=24, seconds=1)))
    response = client.get(f"/admin/orders/exports/{export_id}/{page}")
    assert response.status_code in (200, 302) and response.mimetype != "application/vnd.ms-excel"
    assert read_export(export_id).state == "expired" and list(folder.iterdir()) == []


def test_my_exports_opening_deletes_expired_files(client, make_order, jobs, folder, start_export, wait_for,
                                                  job_id_of, db, configure):
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    wait_for(export_id, "done")
    moved_back(db, export_id, "finished_at", hours=25)  # the keep time, 24 hours, has passed
    assert 'data-state="expired"' in client.get("/admin/orders/exports/").text
    assert list(folder.iterdir()) == [] and wait_for(export_id, "expired")


def test_limits_per_user_and_for_the_shop(client, manager, make_order, jobs, folder, configure, start_export,
                                          paused, job_id_of, session):
    configure(export_max_jobs_per_user=1, export_max_jobs=2)
    make_order("shipped", items=5)
    first = job_id_of(start_export(client))
    assert paused.reached(10)
    refused = start_export(client)
    assert refused.status_code == 302 and refused.location.startswith("/admin/orders/")
    assert "You already have 1 export being prepared" in client.get(refused.location).text
    other = manager("other")
    second = job_id_of(start_export(other))
    third = manager("third")
    refused = start_export(third)
    assert "The shop already has 2 exports being prepared" in third.get(refused.location).text
    assert session.query(ExportRecord).filter(ExportRecord.state.in_(("queued", "running"))).count() == 2
    paused.release()
    assert {first, second} == {r.id for r in session.query(ExportRecord).all()}


def test_exports_are_seen_and_downloaded_by_their_owner_only(client, manager, make_order, jobs, folder, configure,
                                                             start_export, wait_for, job_id_of):
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    wait_for(export_id, "done")
    other = manager("other")
    for url in ("", "status.json", "download/"):
        assert other.get(f"/admin/orders/exports/{export_id}/{url}").status_code == 404
        for no_such_id in (export_id + 1, 2**63, 10**30):
            assert client.get(f"/admin/orders/exports/{no_such_id}/{url}").status_code == 404
    assert f'data-download="{export_id}"' not in other.get("/admin/orders/exports/").text
    configure(access=lambda action, order: None)  # the default rule does not open others' exports either
    assert other.get(f"/admin/orders/exports/{export_id}/download/").status_code == 404
    configure(access=lambda action, order: True if action == "all_exports" else None)  # the owner's audit right
    assert other.get(f"/admin/orders/exports/{export_id}/download/").status_code == 200
    assert "<td" in other.get("/admin/orders/exports/").text and f'data-download="{export_id}"' in (
        other.get("/admin/orders/exports/").text)
    configure(access=lambda action, order: False if action == "export" else None)  # the right is gone …
    assert client.get(f"/admin/orders/exports/{export_id}/download/").status_code == 403  # … so are the files
    assert client.get("/admin/orders/exports/").status_code == 403  # nor all_exports: no list
    configure(access=lambda action, order: action != "export")
    assert client.get("/admin/orders/exports/").status_code == 200  # an auditor without the export right


@pytest.mark.parametrize("long_ids", [False, True], ids=["login-ids", "ids-alike-in-200-characters"])
def test_two_staff_with_the_same_name_never_share_exports(client, manager, make_order, jobs, folder, configure,
                                                          start_export, paused, wait_for, job_id_of, form_fields,
                                                          long_ids):
    """README's ORDER_ADMIN_ACTOR_NAME example (a full name): two staff both called "Li Wei" own their exports
    by their ORDER_ADMIN_ACTOR_ID, for seeing, downloading, cancelling, Run again and the per-user limit."""
    configure(actor_name=lambda user: "Li Wei", export_max_jobs_per_user=1)
    if long_ids:  # too long for the column: kept whole (as a hash), not cut to the same 200 characters
        configure(actor_id=lambda user: "staff/" * 40 + user.get_id())
    make_order("shipped", items=5)
    export_id = job_id_of(start_export(client))
    assert paused.reached(10)
    namesake = manager("other")
    token = form_fields(namesake.get("/admin/orders/").text, "export-matching-form")["csrf_token"]
    for action in ("cancel/", "again/"):
        response = namesake.post(f"/admin/orders/exports/{export_id}/{action}", data={"csrf_token": token})
        assert response.status_code == 404
    theirs = job_id_of(start_export(namesake))  # their own limit of one, not the owner's running job
    paused.release()
    mine, their_export = wait_for(export_id, "done"), wait_for(theirs, "done")
    assert mine.actor == their_export.actor == "Li Wei" and mine.actor_id != their_export.actor_id
    if not long_ids:
        assert (mine.actor_id, their_export.actor_id) == ("manager", "other")
    for url in ("", "status.json", "download/"):
        assert namesake.get(f"/admin/orders/exports/{export_id}/{url}").status_code == 404
        assert client.get(f"/admin/orders/exports/{export_id}/{url}").status_code == 200
    listed = namesake.get("/admin/orders/exports/").text
    assert f'data-download="{theirs}"' in listed and f'data-download="{export_id}"' not in listed


def test_a_user_who_is_not_logged_in_owns_no_background_exports(app, make_order, jobs, folder, configure,
                                                                 start_export, session):
    """A host's rule may open the panel to anonymous users; a job of theirs would be nobody's, so none starts."""
    configure(access=lambda action, order: True)
    make_order("shipped", items=5)
    anonymous = IsolatedClient(app, app.response_class, use_cookies=True)
    refused = start_export(anonymous)
    assert refused.status_code == 302 and not refused.location.startswith("/admin/orders/exports/")
    assert "the panel cannot tell who you are" in anonymous.get(refused.location).text
    assert session.query(ExportRecord).count() == 0


def test_the_start_request_reads_as_little_for_many_orders_as_for_few(client, make_order, jobs, folder,
                                                                      start_export, count_statements,
                                                                      job_id_of, monkeypatch):
    from flask_order_admin.jobs.runners import ThreadRunner

    handed_over = []  # the jobs are only collected: no thread runs them while statements are counted
    monkeypatch.setattr(ThreadRunner, "submit", lambda self, app, export_id, user_id=None: handed_over.append(export_id))
    for n in range(60):
        make_order("shipped" if n < 10 else "processing", items=1)
    few = count_statements(lambda: job_id_of(start_export(client, "flt0_status_equals=shipped")))
    many = count_statements(lambda: job_id_of(start_export(client, "flt0_status_equals=processing")))
    assert len(handed_over) == 2
    assert many == few, (few, many)


def test_a_job_writes_its_file_in_the_language_of_the_manager_who_started_it(
        app, client, make_order, jobs, folder, start_export, wait_for, job_id_of, monkeypatch):
    """The job runs outside the request, where the app's default locale (English here) would apply."""
    import flask_babel

    monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "ru")
    flask_babel.refresh()
    make_order("shipped", items=2), make_order("shipped", items=3)
    export_id = job_id_of(start_export(client, "flt0_status_equals=shipped"))
    record = wait_for(export_id, "done")
    assert record.locale == "ru"
    sheet = xlrd.open_workbook(file_contents=client.get(f"/admin/orders/exports/{export_id}/download/").data)
    first = sheet.sheet_by_index(0)
    assert first.name == "Товары"
    assert first.row_values(0)[:4] == ["ФИО клиента", "Адрес клиента", "Номер заказа", "Товар (ссылка на Taobao)"]
    assert first.row_values(0)[6:8] == ["颜色分类", "尺码"]  # the supplier's columns: Chinese in every language
    assert first.row_values(first.nrows - 1)[0] == "Итого"
