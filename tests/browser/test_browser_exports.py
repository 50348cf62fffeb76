"""A big export from the panel in a browser: Export all matching starts a job, the progress bar
moves without a reload, the file downloads; My exports lists it. Screenshots of both pages."""

from __future__ import annotations

import dataclasses
import os
import time
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
def slow_jobs(shop: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Exports over 20 rows become jobs, written to a temporary folder, and take about 0.25 s per 10 rows,
    so that the bar has time to move."""
    from flask_order_admin.jobs import work

    state = shop.extensions["order_admin"]
    settings = state.settings
    state.settings = dataclasses.replace(settings, export_inline_rows=20, export_storage=str(tmp_path / "exports"))
    report = work.Progress.report

    def slow_report(self: Any, *, force: bool = False, **values: Any) -> None:
        if "rows_written" in values and not force:
            time.sleep(0.25)
        report(self, force=True, **values)

    monkeypatch.setattr(work, "CHECK_EVERY_ROWS", 10)
    monkeypatch.setattr(work.Progress, "report", slow_report)
    yield state
    for runner in state._runners.values():
        runner.shutdown(wait=True)
    state._runners.clear()
    state.settings = settings


def test_a_big_export_shows_its_progress_and_downloads(page, base_url, slow_jobs, db_session, tmp_path):
    from flask_order_admin.export.query import count_rows
    from flask_order_admin.models import Order
    from flask_order_admin.panel import OrderPanel
    from flask_order_admin.settings import DEFAULT_SETTINGS

    page.goto(f"{base_url}/admin/orders/")
    page.click("#export-matching")
    page.wait_for_url("**/admin/orders/exports/*/")
    assert "is being prepared in the background" in page.inner_text(".alert-success")
    seen = set()
    deadline = time.monotonic() + 60
    screenshot_taken = False
    while page.locator("#export-download").count() == 0:
        assert time.monotonic() < deadline
        percent = page.get_attribute("#export-card", "data-percent")
        if percent is not None:
            seen.add(int(percent))
        if not screenshot_taken and 30 <= int(percent or 0) <= 70:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "export-progress.png"))
            screenshot_taken = True
        page.wait_for_timeout(100)
    moving = sorted(p for p in seen if 0 < p < 100)
    assert len(moving) >= 2, seen  # the bar moved, and the page was never reloaded for it
    assert "Ready" in page.inner_text("#export-state")
    with page.expect_download() as caught:
        page.click("#export-download")
    download = caught.value
    assert download.suggested_filename.startswith("orders-") and download.suggested_filename.endswith(".xls")
    path = tmp_path / "download.xls"
    download.save_as(path)
    book = xlrd.open_workbook(str(path))
    rows = sum(sheet.nrows - 1 for sheet in book.sheets()) - 1  # without headers and the totals row
    every_order = db_session.scalars(select(Order.id)).all()
    # Every item, and a row per order without items (the example shop runs on the plugin's own tables).
    assert rows == count_rows(db_session, OrderPanel(settings=DEFAULT_SETTINGS), every_order, 10**6)

    page.click("#export-list")
    page.wait_for_url("**/admin/orders/exports/")
    assert "By orders: every order" in page.inner_text("table.model-list")
    page.screenshot(path=str(SCREENSHOTS / "my-exports.png"))
    assert screenshot_taken


def test_an_export_past_its_keep_time_is_not_downloaded(page, base_url, slow_jobs, db_session):
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
