"""A big export from the panel in a browser: Export all matching starts a job, the progress bar
moves without a reload, the file downloads; My exports lists it. Screenshots of both pages."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
import xlrd
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.menus import open_menu

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")


@pytest.fixture
def jobs(shop: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Exports over 20 rows become jobs, written to a temporary folder, each report of progress written as it
    comes (the job's own cadence: every CHECK_EVERY_ROWS rows, at most every REPORT_EVERY_SECONDS; no setting
    says how often)."""
    from flask_order_admin.jobs import work

    state = shop.extensions["order_admin"]
    settings = state.settings
    state.settings = dataclasses.replace(settings, export_inline_rows=20, export_storage=str(tmp_path / "exports"))
    monkeypatch.setattr(work, "REPORT_EVERY_SECONDS", 0)
    yield state
    for runner in state._runners.values():
        runner.shutdown(wait=True)
    state._runners.clear()
    state.settings = settings


def percent_written(engine: Any, export_id: int) -> int:
    """The export's progress as its row in the database has it (the page shows no more than 99 until done)."""
    from flask_order_admin.models import ExportRecord

    with engine.connect() as connection:
        written, total = connection.execute(select(ExportRecord.rows_written, ExportRecord.rows_total)
                                            .where(ExportRecord.id == export_id)).one()
    return min(99, written * 100 // total)


def test_a_big_export_shows_its_progress_and_downloads(page, base_url, jobs, db_session, tmp_path, monkeypatch):
    """The job is held before each of its first three reports of progress: at each, the page shows the report
    before it, so the bar is seen at two points on its way, on the same page (no reload)."""
    from flask_order_admin.export.query import count_rows
    from flask_order_admin.jobs import work
    from flask_order_admin.models import ExportRecord, Order
    from flask_order_admin.panel import OrderPanel
    from flask_order_admin.settings import DEFAULT_SETTINGS
    from tests.faults import claim_of, held_at, progress_of

    every_order = db_session.scalars(select(Order.id)).all()
    # The example shop runs on the plugin's own tables.
    total = count_rows(db_session, OrderPanel(settings=DEFAULT_SETTINGS), every_order, 10**6)
    db_session.rollback()
    monkeypatch.setattr(work, "CHECK_EVERY_ROWS", total // 10)  # a report every tenth of the rows
    engine = db_session.get_bind()
    shown = []
    with held_at(engine, progress_of(ExportRecord.__tablename__), times=3) as held:
        # The page reloads itself when the job starts, and its notice goes: the job waits to be claimed
        # until the notice is read.
        with held_at(engine, claim_of(ExportRecord.__tablename__)) as claim:
            page.goto(f"{base_url}/admin/orders/")
            page.click("#export-matching")
            page.wait_for_url("**/admin/orders/exports/*/")
            assert "is being prepared in the background" in page.inner_text(".alert-success")
        export_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        card = page.locator("#export-card")
        assert held.wait_until_held(count=1)
        # Mark the page once it shows the job running (after its reload).
        expect(card).to_have_attribute("data-state", "running")
        page.evaluate("() => { window.sameProgressPage = true; }")
        held.release()
        for count in (2, 3):
            assert held.wait_until_held(count=count)  # the report before it is in the database
            shown.append(percent_written(engine, export_id))
            expect(card).to_have_attribute("data-percent", str(shown[-1]))
            if count == 2:
                SCREENSHOTS.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / "export-progress.png"))
            held.release()
        assert page.evaluate("() => window.sameProgressPage === true")  # the bar moved without a reload
    assert 0 < shown[0] < shown[1] < 100, shown
    page.locator("#export-download").wait_for(timeout=60_000)  # the page reloads itself when done
    assert "Ready" in page.inner_text("#export-state")
    with page.expect_download() as caught:
        page.click("#export-download")
    download = caught.value
    assert download.suggested_filename.startswith("orders-") and download.suggested_filename.endswith(".xls")
    path = tmp_path / "download.xls"
    download.save_as(path)
    book = xlrd.open_workbook(str(path))
    rows = sum(sheet.nrows - 1 for sheet in book.sheets()) - 1  # without headers and the totals row
    assert rows == total  # every item, and a row per order without items

    page.click("#export-list")
    page.wait_for_url("**/admin/orders/exports/")
    assert "By orders: every order" in page.inner_text("table.model-list")
    page.screenshot(path=str(SCREENSHOTS / "my-exports.png"))


def test_an_export_past_its_keep_time_is_not_downloaded(page, base_url, jobs, db_session):
    """Its Download link, followed after the keep time, lands on its page saying it expired; no file comes."""
    from datetime import timedelta

    from sqlalchemy import update

    from flask_order_admin.models import ExportRecord, utcnow

    page.goto(f"{base_url}/admin/orders/")
    page.click("#export-matching")
    page.wait_for_url("**/admin/orders/exports/*/")
    page.locator("#export-download").wait_for(timeout=60_000)
    export_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    db_session.execute(update(ExportRecord).where(ExportRecord.id == export_id)
                       .values(finished_at=utcnow() - timedelta(hours=72)))  # the page was left open for 3 days
    db_session.commit()
    page.click("#export-download")
    page.wait_for_url(f"**/admin/orders/exports/{export_id}/")
    assert f"Export #{export_id} expired and its file was deleted" in page.inner_text(".alert-danger")
    assert "Expired" in page.inner_text("#export-state") and page.locator("#export-download").count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "export-expired.png"))


@pytest.fixture
def china_agent_preset(shop: Any) -> Any:
    """The shop offers a second column set in its export menus."""
    from flask_order_admin.domain.export_columns import presets

    state = shop.extensions["order_admin"]
    settings = state.settings
    state.settings = dataclasses.replace(settings, export_presets=presets({"china_agent": {
        "label": "For the agent in China", "columns": ["item_url", "item_id", "color_cn", "size_cn", "photo"],
    }}, settings.export_columns))
    yield state
    state.settings = settings


def test_a_manager_picks_the_agents_columns_from_the_export_menu(page, base_url, china_agent_preset, tmp_path):
    page.goto(f"{base_url}/admin/orders/")
    entries = open_menu(page, "#export-matching").locator(".export-preset-form button")
    expect(entries.first).to_be_visible()
    assert [text.strip() for text in entries.all_inner_texts()] == ["Standard columns", "For the agent in China"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "export-presets-menu.png"))
    with page.expect_download() as caught:
        page.click('.export-preset-form button[data-preset="china_agent"]')
    path = tmp_path / "agent.xls"
    caught.value.save_as(path)
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    assert sheet.row_values(0) == ["Item URL", "Item ID", "颜色分类", "尺码", "Item photo (link)"]
    photos = [sheet.cell_value(rowx, 4) for rowx in range(1, sheet.nrows - 1)]
    # The demo's photos are the shop's own (/static/photos/…): absolute on the address the manager used.
    assert photos and all(photo.startswith(f"{base_url}/static/photos/") for photo in photos if photo)
