"""The shop as a server runs it: a configured SECRET_KEY (one for every worker), and its session cookie."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup

from example_app import create_app
from example_app.models import db

from .conftest import PASSWORD, csrf_token, log_in, shop_config


def server_config(tmp_path: Any, **extra: Any) -> dict[str, Any]:
    """The shop's config as a production server would give it: no TESTING, no SECRET_KEY unless in ``extra``."""
    config = shop_config(f"sqlite:///{tmp_path / 'server.sqlite'}")
    del config["SECRET_KEY"], config["TESTING"]
    return {**config, **extra}


@pytest.fixture
def no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)


def dispose(*apps: Flask) -> None:
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_without_a_secret_key_the_shop_refuses_to_start(tmp_path: Any, no_key_in_env: None) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(server_config(tmp_path))


def test_the_secret_key_may_come_from_the_environment(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app(server_config(tmp_path))
    assert app.secret_key == "from-the-environment"
    dispose(app)


def test_tests_may_start_without_a_key(tmp_path: Any, no_key_in_env: None) -> None:
    app = create_app(server_config(tmp_path, TESTING=True))
    assert len(app.secret_key) >= 32
    dispose(app)


@pytest.mark.parametrize("command", [["routes"], ["seed-demo", "--orders", "60"]])
def test_the_flask_cli_may_start_without_a_key(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, no_key_in_env: None,
                                              command: list[str]) -> None:
    """``flask run`` and ``flask seed-demo`` (``make demo``) are one process: a key made at start-up serves it."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)  # the CLI sets it for good; put back afterwards
    result = CliRunner().invoke(FlaskGroup(), ["--app", "example_app", *command], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "SECRET_KEY" not in result.output


def test_workers_that_share_the_configured_key_accept_each_others_logins(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``gunicorn -w 4``: each worker builds its own app; with SECRET_KEY set they read each other's sessions, and
    the login session (a row in the shared database) is good on every worker."""
    monkeypatch.setenv("SECRET_KEY", "one-key-for-every-worker")
    first, second = create_app(server_config(tmp_path)), create_app(server_config(tmp_path))
    browser = first.test_client()
    token = csrf_token(browser)  # the login form comes from one worker…
    cookie = browser.get_cookie("session").value
    browser = second.test_client()
    browser.set_cookie("session", cookie)
    assert log_in(browser, PASSWORD, token=token).status_code == 302  # …and is posted to another
    cookie = browser.get_cookie("session").value
    for worker in (first, second):
        client = worker.test_client()
        client.set_cookie("session", cookie)
        assert client.get("/admin/").status_code == 200
    dispose(first, second)


# The session cookie.


def _session_cookie(response: Any) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_the_session_cookie_is_samesite_lax_and_httponly(make_shop: Any) -> None:
    cookie = _session_cookie(log_in(make_shop().test_client(), PASSWORD))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain HTTP (flask run, tests): a Secure cookie would never come back


def test_over_https_the_session_cookie_is_secure(make_shop: Any) -> None:
    cookie = _session_cookie(make_shop().test_client().get("/login", base_url="https://localhost"))
    assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize(("proxies", "secure"), [(1, True), (0, False)])
def test_behind_a_trusted_proxy_the_forwarded_scheme_decides(make_shop: Any, proxies: int, secure: bool) -> None:
    """nginx terminates HTTPS and says so in X-Forwarded-Proto; the header counts only from a configured proxy."""
    client = make_shop(TRUSTED_PROXY_COUNT=proxies).test_client()
    cookie = _session_cookie(client.get("/login", headers={"X-Forwarded-Proto": "https"}))
    assert ("Secure" in cookie) is secure
