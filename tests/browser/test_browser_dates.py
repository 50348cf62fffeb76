"""The list's date filter in the manager's language: the picker's month and weekday names, its first weekday
(Monday in Russian and Chinese, not the picker's own English Sunday) and its buttons; and the list's dates on
one line each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.menus import pick_from_menu

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")

PICKERS = {
    "ru": {"filter": "Добавить фильтр", "date": "Дата", "weekdays": ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
           "months": {"янв.", "февр.", "дек."}, "apply": "Применить"},
    "zh_Hans": {"filter": "添加筛选条件", "date": "日期", "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
                "months": {"1月", "2月", "12月"}, "apply": "确定"},
}


def open_date_picker(page: Any, base_url: str, language: str) -> Any:
    words = PICKERS[language]
    page.goto(f"{base_url}/admin/orders/?lang={language}")
    pick_from_menu(page, f"a.nav-link:text-is('{words['filter']}')", f"a.filter:text-is('{words['date']}')")
    field = page.locator("#filter_form input.filter-val").last
    field.wait_for(state="visible")
    field.click()
    picker = page.locator(".daterangepicker").last
    picker.wait_for(state="visible")
    return picker


@pytest.mark.parametrize("language", sorted(PICKERS))
def test_the_date_picker_speaks_the_managers_language_and_starts_the_week_on_monday(page, base_url, language):
    words = PICKERS[language]
    picker = open_date_picker(page, base_url, language)
    weekdays = picker.locator(".calendar.left thead tr").nth(1).locator("th").all_inner_texts()
    assert [day.strip() for day in weekdays if day.strip()] == words["weekdays"]
    months = set(picker.locator(".calendar.left select.monthselect option").all_inner_texts())
    assert words["months"] <= months, months
    assert picker.locator(".applyBtn").inner_text().strip() == words["apply"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"date-picker-{language}.png"))


def test_list_dates_are_short_and_on_one_line(page, base_url):
    page.goto(f"{base_url}/admin/orders/?lang=ru")
    cell = page.locator("td.col-created_at").first
    text = cell.inner_text().strip()
    assert text[2] == "." and text[5] == "." and "г." not in text, text  # 07.12.2026, 16:51
    line_height = float(cell.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight)"))
    assert cell.evaluate("cell => getComputedStyle(cell).whiteSpace") == "nowrap"
    assert cell.bounding_box()["height"] < 2 * line_height + 16  # one line of text and the cell's padding
