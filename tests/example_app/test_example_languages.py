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
from tests.example_app.conftest import PASSWORD, shop_config
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
