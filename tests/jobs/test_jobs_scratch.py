"""Where an .xlsx export's temporary files go: XlsxWriter's ``constant_memory`` rows (buyer names and
addresses) are written in a folder of the job's own inside the export storage folder, never the
system's temporary folder; a web process killed mid-export (SIGKILL, thread runner) leaves them only
there, and the stale check removes them. The purge removes leftovers no job points to.
(The RQ worker's case is in test_jobs_rq.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask_order_admin.export.scratch import instant_scratch_name
from flask_order_admin.jobs.records import purge_expired
from flask_order_admin.jobs.storage import new_file_name, scratch_path

from .conftest import BUYER, files_with_buyer_data, queued_job, wait_until_written, worker_stopped_long_ago

ROOT = Path(__file__).resolve().parent.parent.parent
def test_a_web_process_killed_mid_xlsx_leaves_buyer_data_only_in_the_storage_folder(
        app, client, db, make_order, folder, database_url, session, read_export, tmp_path):
    orders = [make_order("shipped", items=10, buyer_name=BUYER) for _ in range(10)]
    state = app.extensions["order_admin"]
    record = queued_job(session, state.settings, folder, [order.id for order in orders], fmt="xlsx",
                        source="selected", description="10 selected orders")
    system_tmp = tmp_path / "system-tmp"  # the web process's TMPDIR: what the system's temporary folder is
    system_tmp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(system_tmp),
           "ORDER_ADMIN_TEST_THREAD_DATABASE_URL": database_url, "ORDER_ADMIN_TEST_THREAD_STORAGE": str(folder),
           "ORDER_ADMIN_TEST_THREAD_STOP_AT": "60"}  # of 100 rows
    web = subprocess.Popen([sys.executable, "-m", "tests.jobs.thread_host", str(record.id)], cwd=ROOT, env=env)
    try:
        wait_until_written(read_export, record.id, 60)  # well past the temporary file's first 8 KiB
    finally:
        web.send_signal(signal.SIGKILL)
        web.wait(timeout=10)
    assert read_export(record.id).state == "running"  # killed mid-export

    assert files_with_buyer_data(system_tmp) == []
    scratch = scratch_path(folder / record.file_name)
    assert files_with_buyer_data(scratch)  # the rows so far: in the job's own folder, nowhere else

    worker_stopped_long_ago(db, record.id)
    status = client.get(f"/admin/orders/exports/{record.id}/status.json").get_json()
    assert status["state"] == "failed"  # the stale check …
    assert list(folder.iterdir()) == []  # … took the part file and the temporary files with the job


def test_the_purge_removes_temporary_folders_nothing_points_to(app, session, folder):
    state = app.extensions["order_admin"]
    folder.mkdir(parents=True)
    day_old = time.time() - 25 * 3600
    left = [folder / instant_scratch_name(), scratch_path(folder / new_file_name(7, "xlsx"))]
    fresh = [folder / instant_scratch_name(), scratch_path(folder / new_file_name(8, "xlsx"))]
    for scratch in left + fresh:
        scratch.mkdir()
        (scratch / "tmpa1b2c3").write_text(BUYER)
    for scratch in left:
        os.utime(scratch, (day_old, day_old))
    unrelated = folder / "notes.tmp"  # not a name the plugin makes: left alone
    unrelated.mkdir()
    os.utime(unrelated, (day_old, day_old))

    purge_expired(session, state.settings, folder, state.clock())

    assert sorted(folder.iterdir()) == sorted([*fresh, unrelated])


def test_an_instant_xlsx_download_writes_its_rows_in_the_storage_folder_and_leaves_nothing(
        client, make_order, folder, configure, start_export, monkeypatch):
    from flask_order_admin.export import files
    from flask_order_admin.export.xlsx_writer import XlsxBackend

    configure(export_formats=("xls", "xlsx"))
    make_order("shipped", items=60, buyer_name=BUYER)  # past the temporary file's first 8 KiB, still instant
    seen = []

    def watched(stream, scratch):
        backend = XlsxBackend(stream, scratch)
        close = backend.close

        def close_and_look():
            seen.append((scratch, files_with_buyer_data(scratch)))  # the rows, before the file is put together
            close()

        backend.close = close_and_look
        return backend

    monkeypatch.setitem(files.BACKENDS, "xlsx", watched)
    response = start_export(client, fmt="xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    [(scratch, with_rows)] = seen
    assert scratch.parent == folder and scratch.name.startswith("instant-") and with_rows
    assert list(folder.iterdir()) == []  # gone once the file was written
