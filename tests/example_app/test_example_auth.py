"""The shop's login: who gets into /admin/, and where a login may send the browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from example_app.auth import is_safe_next

from .conftest import PASSWORD


def _csrf(client: Any, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)


def _login(client: Any, password: str, next_: str | None = None) -> Any:
    path = "/login" if next_ is None else f"/login?next={next_}"
    token = _csrf(client, path)
    return client.post(path, data={"username": "admin", "password": password, "csrf_token": token})


def test_create_app_twice_in_one_process(make_shop: Any) -> None:
    first, second = make_shop(), make_shop()
    assert first.extensions["order_admin"] is not second.extensions["order_admin"]
    for app in (first, second):
        client = app.test_client()
        assert client.get("/login").status_code == 200
        assert _login(client, PASSWORD).status_code == 302
        assert client.get("/admin/").status_code == 200


def test_anonymous_admin_redirects_to_login(make_shop: Any) -> None:
    response = make_shop().test_client().get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/"


def test_right_password_opens_admin(make_shop: Any) -> None:
    client = make_shop().test_client()
    response = _login(client, PASSWORD, next_="/admin/")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200 and "Logged in as admin" in page.get_data(as_text=True)


def test_wrong_password_is_refused(make_shop: Any) -> None:
    client = make_shop().test_client()
    response = _login(client, "wrong")
    assert response.status_code == 200
    assert "Wrong user name or password." in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_login_without_csrf_token_is_refused(make_shop: Any) -> None:
    client = make_shop().test_client()
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400  # CSRFProtect answers before the view runs
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/admin/", "/\\evil.example", "admin"])
def test_login_does_not_follow_an_outside_next(make_shop: Any, target: str) -> None:
    response = _login(make_shop().test_client(), PASSWORD, next_=target)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("target", "safe"),
    [("/admin/orders/?page=2", True), ("/admin/", True), ("//evil.example", False), ("/\\evil", False),
     ("http://evil.example", False), ("javascript:alert(1)", False), ("/ok\r\nSet-Cookie: x", False),
     ("", False), (None, False)],
)
def test_is_safe_next(target: str | None, safe: bool) -> None:
    assert is_safe_next(target) is safe


def test_logout_needs_post_and_ends_the_session(make_shop: Any) -> None:
    app: Flask = make_shop()
    client = app.test_client()
    _login(client, PASSWORD)
    assert client.get("/logout").status_code == 405
    token = _csrf(client, "/admin/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_create_user_command(make_shop: Any) -> None:
    app = make_shop()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "olga"], input="pa55word\npa55word\n")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    token = _csrf(client)
    response = client.post("/login", data={"username": "olga", "password": "pa55word", "csrf_token": token})
    assert response.status_code == 302
    assert runner.invoke(args=["create-user", "olga"], input="x\nx\n").exit_code != 0
