"""Money, amounts and times in the host's locale and timezone (Flask-Babel's selectors), on every page
that shows them: the exact strings in English, Russian and Simplified Chinese."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
import flask_babel
from flask_babel import Babel

from flask_order_admin.i18n import translate
from flask_order_admin.errors import OrderAdminConfigError
from flask_order_admin.settings import DEFAULT_SETTINGS, load_settings
from flask_order_admin.views import formats
from flask_order_admin.views.presentation import Presenter
from tests.model_sets import BUILTIN

NBSP, NNBSP = "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}"
PLACED = datetime(2026, 11, 29, 11, 5)  # stored times are naive UTC


def host(locale: str, zone: str) -> Flask:
    app = Flask("formats_host")
    Babel(app, locale_selector=lambda: locale, timezone_selector=lambda: zone)
    return app


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["CN¥15,736.00", "-CN¥0.50", "$1,234.50", "—"]),
    ("ru", [f"15{NBSP}736,00{NBSP}CN¥", f"-0,50{NBSP}CN¥", f"1{NBSP}234,50{NBSP}$", "—"]),
    ("zh_Hans", ["¥15,736.00", "-¥0.50", "US$1,234.50", "—"]),
])
def test_money_has_the_currency_the_locale_writes(locale, expected):
    with host(locale, "UTC").test_request_context():
        shown = [formats.money(Decimal("15736"), "CNY"), formats.money("-0.5", "CNY"),
                 formats.money(Decimal("1234.5"), "USD"), formats.money(None, "CNY")]
    assert shown == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["12,345", "340 kB", "1.2 MB"]),
    ("ru", [f"12{NBSP}345", "340 кБ", "1,2 МБ"]),
    ("zh_Hans", ["12,345", "340 kB", "1.2 MB"]),
])
def test_counts_and_file_sizes_group_digits_as_the_locale_does(locale, expected):
    with host(locale, "UTC").test_request_context():
        shown = [formats.amount(12345), formats.file_size(340 * 1024), formats.file_size(int(1.2 * 2**20))]
    assert shown == expected


@pytest.mark.parametrize(("locale", "zone", "expected"), [
    ("en", "UTC", f"Nov 29, 2026, 11:05{NNBSP}AM{NBSP}UTC"),
    ("en", "Europe/Moscow", f"Nov 29, 2026, 2:05{NNBSP}PM{NBSP}UTC+3"),
    ("en", "America/New_York", f"Nov 29, 2026, 6:05{NNBSP}AM{NBSP}UTC-5"),
    ("en", "Asia/Kolkata", f"Nov 29, 2026, 4:35{NNBSP}PM{NBSP}UTC+5:30"),
    ("en", "America/St_Johns", f"Nov 29, 2026, 7:35{NNBSP}AM{NBSP}UTC-3:30"),
    ("ru", "Europe/Moscow", f"29 нояб. 2026{NNBSP}г., 14:05{NBSP}UTC+3"),
    ("ru", "UTC", f"29 нояб. 2026{NNBSP}г., 11:05{NBSP}UTC"),
    ("zh_Hans", "Asia/Shanghai", f"2026年11月29日 19:05{NBSP}UTC+8"),
    ("zh_Hans", "Europe/Moscow", f"2026年11月29日 14:05{NBSP}UTC+3"),
])
def test_every_time_is_in_the_hosts_timezone_and_says_which(locale, zone, expected):
    with host(locale, zone).test_request_context():
        assert formats.date_time(PLACED) == expected
        assert formats.date_time(None) == "—"


def test_a_time_across_midnight_moves_to_the_next_day_in_the_hosts_timezone():
    with host("en", "Asia/Shanghai").test_request_context():
        assert formats.date_time(datetime(2026, 12, 31, 20, 0)) == f"Jan 1, 2027, 4:00{NNBSP}AM{NBSP}UTC+8"


def test_without_flask_babel_the_panel_shows_english_and_utc():
    app = Flask("no_babel_host")
    with app.test_request_context():
        assert formats.date_time(PLACED) == f"Nov 29, 2026, 11:05{NNBSP}AM{NBSP}UTC"
        assert formats.money(Decimal("5"), "CNY") == "CN¥5.00"


def test_an_amount_of_an_order_without_currency_is_in_the_configured_one():
    presenter = Presenter(load_settings({"ORDER_ADMIN_CURRENCY": "RUB"}))
    with host("ru", "UTC").test_request_context():
        assert presenter.money(Decimal("10"), None) == f"10,00{NBSP}₽"
        assert presenter.money(Decimal("10"), "CNY") == f"10,00{NBSP}CN¥"  # the order's own wins
    assert DEFAULT_SETTINGS.currency == "CNY"  # yuan by default (docs/design.md, "Orders and their data")


@pytest.mark.parametrize("value", ["yuan", "cny", 156, None])
def test_a_currency_that_is_no_iso_code_fails_at_start_up(value):
    with pytest.raises(OrderAdminConfigError, match="ORDER_ADMIN_CURRENCY: must be an ISO 4217 currency code"):
        load_settings({"ORDER_ADMIN_CURRENCY": value})


def _cells(page: str, column: str) -> list[str]:
    return [re.sub(r"<[^>]+>|[ \t\r\n]+", " ", cell).strip()
            for cell in re.findall(rf'<td class="col-{column}">(.*?)</td>', page, re.S)]


def test_lists_show_money_with_its_currency_right_aligned_and_times_with_their_zone(client, make_order, speak):
    speak("ru", "Europe/Moscow")
    make_order("processing", items=3, created_at=PLACED)
    orders = client.get("/admin/orders/").text
    assert _cells(orders, "total") == [f"634,30{NBSP}CN¥"]
    assert _cells(orders, "created_at") == [f"29.11.2026, 14:05{NBSP}UTC+3"]  # short and numeric: one line
    assert re.search(r"\.model-list td\.col-created_at \{ white-space: nowrap; \}", orders)
    assert _cells(orders, "lines") == ["3"]
    assert re.search(r"td\.col-lines, th\.col-lines, td\.col-total, th\.col-total\s*\{ text-align: right;", orders)
    items = client.get("/admin/orders/items/").text
    assert sorted(_cells(items, "line_total")) == [f"{total}{NBSP}CN¥" for total in ("107,80", "197,10", "329,40")]
    assert sorted(_cells(items, "price")) == [f"{price}{NBSP}CN¥" for price in ("100,50", "102,50", "91,25")]
    assert "td.col-quantity, th.col-quantity, td.col-price, th.col-price, td.col-line_total" in items


def test_order_page_summary_items_history_and_comments_in_chinese_and_shanghai_time(
    client, make_order, speak, session, use_resolver,
):
    from flask_order_admin.pricing import Price
    from flask_order_admin.services import add_comment, cancel, restore

    speak("zh_Hans", "Asia/Shanghai")
    order = make_order("processing", items=1, created_at=PLACED)
    use_resolver(lambda item, at: Price(price=Decimal("101.50"), discount_price=None, china_delivery=Decimal("3")))
    cancel(session, order.id, actor="alice")
    restore(session, order.id, actor="alice")
    add_comment(session, order.id, actor="alice", text="called the buyer")
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    summary = re.search(r'class="order-admin-summary.*?</section>', page, re.S).group(0)
    assert f"2026年11月29日 19:05{NBSP}UTC+8" in summary
    assert re.search(r'id="order-total">¥104\.50</dd>', summary)
    items = re.search(r'id="pane-items".*?</table>', page, re.S).group(0)
    assert ">¥101.50</td>" in items and ">¥3.00</td>" in items and ">—</td>" in items
    history = re.search(r'id="pane-history".*?</table>', page, re.S).group(0)
    assert re.search(r"¥[\d,.]+ → ¥101\.50", history)
    now_in_shanghai = (datetime.utcnow() + timedelta(hours=8)).strftime("%Y年%-m月%-d日")
    assert history.count(f"{NBSP}UTC+8</td>") == 3 and now_in_shanghai in history
    comments = re.search(r'id="pane-comments".*', page, re.S).group(0)
    assert re.search(rf"alice · {now_in_shanghai} \d\d:\d\d{NBSP}UTC\+8", comments)


@pytest.mark.models(BUILTIN)  # the shop of the other model set keeps no currency per order
def test_an_orders_own_currency_is_shown_on_its_page_its_history_and_in_the_list(
    client, make_order, session, use_resolver,
):
    from flask_order_admin.pricing import Price
    from flask_order_admin.services import cancel, restore

    order = make_order("processing", items=1, currency="RUB")
    use_resolver(lambda item, at: Price(price=Decimal("101.50"), discount_price=None, china_delivery=Decimal("3")))
    cancel(session, order.id, actor="alice")
    restore(session, order.id, actor="alice")
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    assert re.search(r'id="order-total">RUB[\d,.]+</dd>', page)
    assert re.search(r"price RUB100\.50 → RUB101\.50", page)  # the History tab
    assert _cells(client.get("/admin/orders/").text, "total")[0].startswith("RUB")


def test_merge_candidates_show_their_totals_and_dates_in_the_locale(client, make_order, speak):
    speak("ru", "Europe/Moscow")
    added = make_order("awaiting_payment", items=1)
    basic = make_order("awaiting_payment", items=2, created_at=PLACED)
    page = client.get(f"/admin/orders/{added.id}/merge-candidates/", query_string={"version": added.version}).text
    row = re.search(rf'<tr>\s*<td[^>]*><input type="radio" name="into" value="{basic.id}".*?</tr>', page,
                    re.S).group(0)
    assert f"29.11.2026, 14:05{NBSP}UTC+3" in row  # a table row: the short date
    assert re.search(rf'class="order-admin-money"[^>]*>[\d{NBSP},]+{NBSP}CN¥</td>', row)


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", f"11/29/26, 2:05{NNBSP}PM"), ("ru", "29.11.2026, 14:05"), ("zh_Hans", "2026/11/29 14:05"),
])
def test_list_cells_write_the_short_numeric_date_and_a_shop_in_one_zone_can_drop_it(app, locale, expected):
    with host(locale, "Europe/Moscow").test_request_context():
        assert formats.short_date_time(PLACED) == f"{expected}{NBSP}UTC+3"
    shown = app.extensions["order_admin"].settings
    app.extensions["order_admin"].settings = dataclasses.replace(shown, show_timezone=False)
    try:
        with app.test_request_context():
            flask_babel.refresh()
            assert "UTC" not in formats.date_time(PLACED) and "UTC" not in formats.short_date_time(PLACED)
    finally:
        app.extensions["order_admin"].settings = shown


def test_a_stale_page_names_the_other_managers_change_in_the_shops_time_and_format(client, make_order, speak,
                                                                                   session):
    """The refusal of a Yes on a page that another manager changed meanwhile says when, as every page does."""
    from flask_order_admin import services
    from flask_order_admin.errors import StaleOrder

    speak("ru", "Europe/Moscow")
    order = make_order("processing", items=1)
    seen = order.version
    services.close(session, order.id, actor="Анна")
    with pytest.raises(StaleOrder) as refused:
        services.cancel(session, order.id, actor="Борис", expected_version=seen)
    with client.application.test_request_context():  # a request of the manager's: Russian, Moscow time
        flask_babel.refresh()
        text = translate(refused.value.message)
    assert re.search(rf"Анна в \d{{1,2}} [а-я]+\. 20\d\d{NNBSP}г\., \d\d:\d\d{NBSP}UTC\+3;", text), text
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # no ISO UTC time any more
    assert str(refused.value.message).count(" UTC") == 1  # logs keep ISO UTC


@pytest.mark.parametrize(("zone", "expected"), [("Europe/Moscow", "orders-20261129-1405.xls"),
                                               ("UTC", "orders-20261129-1105.xls")])
def test_export_file_names_carry_the_shops_time(zone, expected):
    from flask_order_admin.export.download import export_filename

    with host("ru", zone).test_request_context():
        assert export_filename([1, 2], "xls", PLACED) == expected


MONEY_AMOUNTS = tuple(map(Decimal, (
    "0", "-0.00", "0.01", "-0.01", "0.5", "7.30", "100", "999.99", "1000", "-1234.56", "15736", "98765432.10",
    "1000000000",
)))


@pytest.mark.parametrize("locale", ["en", "ru", "zh_Hans", "zh_Hans_CN", "de", "fr", "hi_IN", "es", "ar"])
@pytest.mark.parametrize("currency", ["CNY", "RUB", "USD", "EUR", "JPY", "KWD"])
def test_money_writes_every_amount_as_babel_does(locale, currency):
    """The presenter writes amounts through a layout learnt from Babel once (views/formats.py, ``_MoneyLayout``):
    its text is Babel's own for every amount, also where the layout is refused and Babel writes each (a
    locale grouping by two: hi_IN; currencies without cents, or with three digits: JPY, KWD)."""
    from babel import Locale
    from babel.numbers import format_currency

    parsed = Locale.parse(locale)
    with host(locale, "UTC").test_request_context():
        written = [Presenter(DEFAULT_SETTINGS).money(amount, currency) for amount in MONEY_AMOUNTS]
    assert written == [format_currency(amount, currency, locale=parsed) for amount in MONEY_AMOUNTS]


@pytest.mark.parametrize(("locale", "currency", "learnt"), [
    ("en", "CNY", True), ("ru", "CNY", True), ("zh_Hans", "USD", True), ("hi_IN", "CNY", False), ("en", "JPY", False),
])
def test_a_money_layout_is_learnt_only_where_it_writes_as_babel(locale, currency, learnt):
    from babel import Locale

    assert (formats._money_layout(currency, Locale.parse(locale)) is not None) is learnt
