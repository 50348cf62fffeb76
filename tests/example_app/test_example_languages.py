"""The demo in Russian or Chinese: ``?lang=`` (kept in the session) or ``DEMO_LANGUAGE``, times in
``DEMO_TIMEZONE`` (Moscow unless set), and the navbar's language switcher."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from example_app import create_app
from example_app.legacy import create_app as create_legacy_app
from example_app.models import db
from example_app.seed import seed_demo
from tests.example_app.conftest import PASSWORD, csrf_token, log_in, shop_config
from tests.unicode_text import UNICODE_TEXT, urlencoded, wire

NBSP = "\N{NO-BREAK SPACE}"


def logged_in(app: Any) -> Any:
    with app.app_context():
        seed_demo(db.session, orders=3)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    return client


def totals_and_dates(page: str) -> tuple[list[str], list[str]]:
    cells = lambda column: re.findall(rf'<td class="col-{column}">\s*(.*?)\s*</td>', page, re.S)  # noqa: E731
    return cells("total"), cells("created_at")


def test_lang_switches_the_panel_and_the_session_keeps_it(make_shop):
    client = logged_in(make_shop())
    english = client.get("/admin/orders/").get_data(as_text=True)
    totals, dates = totals_and_dates(english)
    assert totals and all(re.fullmatch(r"CN¥[\d,]+\.\d\d", total) for total in totals)
    assert dates and all(date.endswith(f"{NBSP}UTC+3") for date in dates)  # the demo's Moscow time

    russian = client.get("/admin/orders/?lang=ru").get_data(as_text=True)
    assert "Список" in russian  # Flask-Admin's own catalog
    totals, _ = totals_and_dates(russian)
    assert all(re.fullmatch(rf"[\d{NBSP}]+,\d\d{NBSP}CN¥", total) for total in totals)
    again = client.get("/admin/orders/items/").get_data(as_text=True)  # no ?lang=: the session keeps it
    assert "Список" in again

    chinese = client.get("/admin/orders/?lang=zh_Hans").get_data(as_text=True)
    assert "列表" in chinese  # Flask-Admin ships zh_Hans_CN: the demo serves that locale
    totals, dates = totals_and_dates(chinese)
    assert all(re.fullmatch(r"¥[\d,]+\.\d\d", total) for total in totals)
    assert dates and all(re.fullmatch(rf"\d{{4}}/\d+/\d+ \d\d:\d\d{NBSP}UTC\+3", date) for date in dates)  # short, numeric

    assert "Список" not in client.get("/admin/orders/?lang=klingon").get_data(as_text=True)  # ignored: still zh
    assert "List (" in client.get("/admin/orders/?lang=en").get_data(as_text=True)


def test_demo_language_and_timezone_come_from_the_settings(make_shop):
    client = logged_in(make_shop(DEMO_LANGUAGE="ru", BABEL_DEFAULT_TIMEZONE="Asia/Shanghai"))
    page = client.get("/admin/orders/").get_data(as_text=True)
    assert "Список" in page
    _, dates = totals_and_dates(page)
    assert dates and all(date.endswith(f"{NBSP}UTC+8") for date in dates)


def test_demo_language_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DEMO_LANGUAGE", "zh_Hans")
    monkeypatch.setenv("DEMO_TIMEZONE", "UTC")
    app = create_app(shop_config(f"sqlite:///{tmp_path / 'env.sqlite'}"))
    assert app.config["DEMO_LANGUAGE"] == "zh_Hans" and app.config["BABEL_DEFAULT_TIMEZONE"] == "UTC"


def test_an_unknown_demo_language_fails_at_start_up(tmp_path):
    with pytest.raises(ValueError, match="DEMO_LANGUAGE: 'fr' is not one of en, ru, zh_Hans"):
        create_app({**shop_config(f"sqlite:///{tmp_path / 'fr.sqlite'}"), "DEMO_LANGUAGE": "fr"})


def test_the_navbar_switcher_keeps_the_page_and_its_filters(make_shop):
    client = logged_in(make_shop())
    page = client.get("/admin/orders/?flt0_status_equals=processing&lang=ru").get_data(as_text=True)
    switcher = re.search(r'<ul class="nav navbar-nav navbar-right" id="language-switcher">.*?</ul>', page, re.S).group(0)
    links = dict(re.findall(r'href="([^"]+)"[^>]*data-language="(\w+)"', switcher))
    assert set(links.values()) == {"en", "ru", "zh_Hans"}
    assert "/admin/orders/?flt0_status_equals=processing&amp;lang=zh_Hans" in links
    assert re.search(r'class="nav-link active"[^>]*data-language="ru">Русский<', switcher)


def test_the_legacy_shop_speaks_russian_too(tmp_path):
    app = create_legacy_app({**shop_config(f"sqlite:///{tmp_path / 'legacy.sqlite'}"), "DEMO_LANGUAGE": "ru"})
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Moscow"
    with app.test_request_context("/backoffice/?lang=zh_Hans"):
        from flask_babel import get_locale

        assert str(get_locale()) == "zh_Hans_CN"


@pytest.fixture
def shop_client(make_shop):
    return logged_in(make_shop())


# Derandomized (the same examples on every run); a logged-in client shared by the examples, as a browser would be.
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lang=UNICODE_TEXT, accept=UNICODE_TEXT, path=st.sampled_from([
    "/login", "/admin/", "/admin/orders/", "/admin/orders/items/", "/admin/orders/exports/", "/admin/orders/search/",
]))
def test_any_lang_and_accept_language_is_answered(shop_client, lang, accept, path):
    """``?lang=`` and ``Accept-Language`` from the whole of Unicode (tests/unicode_text.py): a page, never a 500;
    the header as a server hands it over: its bytes read as Latin-1, no line break (that would end it)."""
    header = wire(accept).decode("latin-1").replace("\r", "").replace("\n", "")
    response = shop_client.get(path, query_string=urlencoded({"lang": lang, "q": "1"}),
                               headers={"Accept-Language": header}, follow_redirects=True)
    assert response.status_code < 500, (path, lang, accept)
    assert response.status_code == 200


# What each example shop's own pages say (their catalog: example_app/translations), by language.
SHOP_WORDS = {
    "ru": {"title": "<title>Войти — Управление демо-магазином</title>", "user": "Имя пользователя", "submit": 'value="Войти"',
           "wrong": "Неверное имя пользователя или пароль.", "logged in": "Вы вошли как admin", "log out": "Выйти",
           "logged out": "Вы вышли из системы.", "brand": "Демо-магазин"},
    "zh_Hans": {"title": "<title>登录 — 演示店铺后台</title>", "user": "用户名", "submit": 'value="登录"',
                "wrong": "用户名或密码错误。", "logged in": "当前用户：admin", "log out": "退出登录",
                "logged out": "您已退出登录。", "brand": "演示店铺"},
}
BACK_OFFICE_WORDS = {
    "ru": ("Старый магазин", "Продажи", "Клиенты", "Каталог", "Заказы", "Бэк-офис старого магазина", "Выйти"),
    "zh_Hans": ("旧版店铺", "销售", "客户", "商品目录", "订单", "旧版店铺后台", "退出登录"),
}


@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_the_login_page_logout_and_index_speak_the_demo_language(make_shop, language):
    words = SHOP_WORDS[language]
    client = make_shop(DEMO_LANGUAGE=language).test_client()
    page = client.get("/login").get_data(as_text=True)
    assert words["title"] in page and words["user"] in page and words["submit"] in page
    assert f'<html lang="{language.replace("_", "-")}">' in page
    refused = log_in(client, "wrong password").get_data(as_text=True)
    assert words["wrong"] in refused and "Wrong user name" not in refused
    log_in(client, PASSWORD)
    index = client.get("/admin/").get_data(as_text=True)
    assert words["logged in"] in index and words["log out"] in index
    assert re.search(rf'class="navbar-brand"[^>]*>\s*{words["brand"]}\s*<', index)
    after = client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")}, follow_redirects=True)
    assert words["logged out"] in after.get_data(as_text=True)


def test_the_login_page_is_english_in_english(make_shop):
    page = make_shop().test_client().get("/login").get_data(as_text=True)
    assert "<title>Log in — Demo shop admin</title>" in page and 'value="Log in"' in page


@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_the_legacy_back_office_menus_speak_the_demo_language(tmp_path, language):
    app = create_legacy_app({**shop_config(f"sqlite:///{tmp_path / 'legacy.sqlite'}"), "DEMO_LANGUAGE": language,
                             "WTF_CSRF_ENABLED": False, "DEMO_ADMIN_PASSWORD": "admin"})
    client = app.test_client()
    assert SHOP_WORDS[language]["submit"] in client.get("/login").get_data(as_text=True)  # the same words as the demo's
    client.post("/login", data={"username": "admin", "password": "admin"})
    page = client.get("/backoffice/").get_data(as_text=True)
    navbar = re.sub(r"\s+", " ", re.search(r"<nav.*?</nav>", page, re.S).group(0))
    brand, sales, customers, catalog, orders, heading, log_out = BACK_OFFICE_WORDS[language]
    assert re.search(rf'class="navbar-brand"[^>]*>{brand}<', navbar)
    # Sales > Customers, Catalog and the panel's Orders: one menu, every entry in the page's language.
    assert re.search(rf"dropdown-toggle.*?{sales}<i.*?> {customers}<.*?> {catalog}<.*?> {orders}<", navbar)
    assert not re.search(r">\s*(Sales|Customers|Catalog|Orders)\s*<", navbar)
    assert heading in page and log_out in page
    columns = client.get("/backoffice/shop_customers/").get_data(as_text=True)
    assert {"ru": "Телефон", "zh_Hans": "电话"}[language] in columns
