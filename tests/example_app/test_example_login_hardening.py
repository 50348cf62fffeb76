"""The shop's login under attack: throttled guessing, no user-name oracle in the password check, and a
session (and CSRF token) renewed at login and ended on the server at logout."""

from __future__ import annotations

import gc
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select

import example_app.models
from example_app.models import LoginSession, db
from flask_order_admin.models import utcnow

from .conftest import PASSWORD, csrf_token, log_in, log_out

THROTTLED = "Too many failed logins"


def client_at(app: Flask, address: str) -> Any:
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# Throttling: 5 failed logins a minute per user name and address, 20 an hour per address.


def test_forty_wrong_passwords_then_the_right_one_is_refused(make_shop: Any) -> None:
    client = client_at(make_shop(), "203.0.113.7")
    token = csrf_token(client)
    statuses = [log_in(client, f"guess-{n}", token=token).status_code for n in range(40)]
    assert statuses == [200] * 5 + [429] * 35
    right = log_in(client, PASSWORD, token=token)
    assert right.status_code == 429
    assert THROTTLED in right.get_data(as_text=True)
    assert int(right.headers["Retry-After"]) > 0
    assert client.get("/admin/").status_code == 302  # nothing logged in


def test_failed_logins_from_one_address_are_limited_across_user_names(make_shop: Any) -> None:
    client = client_at(make_shop(LOGIN_LIMIT_PER_IP="6 per hour"), "203.0.113.8")  # 20 by default: same rule
    token = csrf_token(client)
    statuses = [log_in(client, "guess", username=f"staff{n % 3}", token=token).status_code for n in range(6)]
    assert statuses == [200] * 6
    assert log_in(client, "guess", username="someone-else", token=token).status_code == 429
    assert log_in(client, PASSWORD, token=token).status_code == 429


def test_the_throttle_does_not_lock_out_other_addresses(make_shop: Any) -> None:
    app = make_shop()
    attacker = client_at(app, "203.0.113.9")
    token = csrf_token(attacker)
    for n in range(8):
        log_in(attacker, f"guess-{n}", token=token)
    assert log_in(attacker, PASSWORD, token=token).status_code == 429
    staff = client_at(app, "198.51.100.20")
    assert log_in(staff, PASSWORD).status_code == 302
    assert staff.get("/admin/").status_code == 200


def test_successful_logins_are_not_counted(make_shop: Any) -> None:
    client = client_at(make_shop(LOGIN_LIMIT_PER_NAME_AND_IP="2 per minute", LOGIN_LIMIT_PER_IP="2 per hour"),
                       "198.51.100.21")
    for _ in range(4):
        assert log_in(client, PASSWORD).status_code == 302
        assert log_out(client).status_code == 302


def test_the_limits_come_from_the_config(make_shop: Any) -> None:
    app = make_shop()
    app.config["LOGIN_LIMIT_PER_NAME_AND_IP"] = "2 per minute"  # read per request: a change needs no restart
    client = client_at(app, "203.0.113.10")
    token = csrf_token(client)
    assert [log_in(client, "guess", token=token).status_code for _ in range(3)] == [200, 200, 429]


def test_with_the_throttle_turned_off_logins_work_after_a_garbage_collection(make_shop: Any) -> None:
    """``RATELIMIT_ENABLED=False``: nothing throttled, and no 500. Flask-Limiter's decorators hold the limiter
    weakly; a disabled one is not kept in ``app.extensions``, so a collection (at any moment under gunicorn)
    used to free it and every login then failed with ReferenceError."""
    app = make_shop(RATELIMIT_ENABLED=False, LOGIN_LIMIT_PER_NAME_AND_IP="2 per minute")
    gc.collect()
    client = client_at(app, "203.0.113.11")
    token = csrf_token(client)
    assert [log_in(client, "guess", token=token).status_code for _ in range(4)] == [200] * 4
    assert log_in(client, PASSWORD, token=token).status_code == 302


# The password check takes as long for a user name that does not exist.


def test_a_missing_user_still_costs_one_password_hash_check(make_shop: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_shop().test_client()
    token = csrf_token(client)
    real_check = example_app.models.check_password_hash
    calls: list[str] = []

    def spy(pwhash: str, password: str) -> bool:
        calls.append(password)
        return real_check(pwhash, password)

    monkeypatch.setattr(example_app.models, "check_password_hash", spy)
    assert log_in(client, "first", username="nobody", token=token).status_code == 200
    assert calls == ["first"]
    assert log_in(client, "second", username="admin", token=token).status_code == 200
    assert calls == ["first", "second"]


# Sessions: a fresh one at login; logout ends it on the server, so a copied cookie stops working.


def _raw_csrf(client: Any) -> str | None:
    with client.session_transaction() as flask_session:
        return flask_session.get("csrf_token")


def test_login_renews_the_session_and_its_csrf_token(make_shop: Any) -> None:
    client = make_shop().test_client()
    before = csrf_token(client)
    raw_before = _raw_csrf(client)
    assert log_in(client, PASSWORD, token=before).status_code == 302
    assert _raw_csrf(client) is None  # the pre-login session is gone, token included
    after = csrf_token(client, "/admin/")
    assert _raw_csrf(client) not in (None, raw_before) and after != before
    refused = client.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 400  # a token from before the login is worth nothing after it
    assert client.get("/admin/").status_code == 200


def test_logout_renews_the_csrf_token(make_shop: Any) -> None:
    client = make_shop().test_client()
    log_in(client, PASSWORD)
    logged_in_token = csrf_token(client, "/admin/")
    raw_logged_in = _raw_csrf(client)
    assert client.post("/logout", data={"csrf_token": logged_in_token}).status_code == 302
    csrf_token(client)
    assert _raw_csrf(client) not in (None, raw_logged_in)
    stale = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": logged_in_token})
    assert stale.status_code == 400


def test_a_cookie_copied_before_logout_no_longer_opens_admin(make_shop: Any, shop_database: str | None) -> None:
    app = make_shop(shop_database)
    victim = app.test_client()
    log_in(victim, PASSWORD)
    copied = victim.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/admin/").status_code == 200  # the copy works while the victim is logged in
    assert log_out(victim).status_code == 302
    after = thief.get("/admin/")
    assert after.status_code == 302 and after.location.startswith("/login")


def test_logout_leaves_the_users_other_login_sessions_alone(make_shop: Any, shop_database: str | None) -> None:
    app = make_shop(shop_database)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, PASSWORD)
    log_in(phone, PASSWORD)
    log_out(laptop)
    assert laptop.get("/admin/").status_code == 302
    assert phone.get("/admin/").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(LoginSession)) == 1


def test_a_user_id_in_the_cookie_is_not_a_login(make_shop: Any) -> None:
    """Cookies of the old kind (Flask-Login's user id) open nothing: only a live login session's token does."""
    client = make_shop().test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = "1"
        flask_session["_fresh"] = True
    assert client.get("/admin/").status_code == 302


def test_login_sessions_expire_and_expired_ones_are_deleted(make_shop: Any, shop_database: str | None) -> None:
    app = make_shop(shop_database)
    old, fresh = app.test_client(), app.test_client()
    log_in(old, PASSWORD)
    with app.app_context():
        row = db.session.scalars(select(LoginSession)).one()
        row.created_at = utcnow() - app.config["LOGIN_SESSION_LIFETIME"] - timedelta(seconds=1)
        db.session.commit()
    assert old.get("/admin/").status_code == 302
    log_in(fresh, PASSWORD)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(LoginSession)) == 1


def test_a_demo_database_from_before_login_sessions_keeps_working(make_shop: Any, shop_database: str | None) -> None:
    """An existing shop database (no shop_login_sessions table) gets the table; shop_users is unchanged."""
    app = make_shop(shop_database)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        LoginSession.__table__.drop(db.engine)
        db.engine.dispose()
    from example_app import create_app

    from .conftest import shop_config

    again = create_app(shop_config(url))
    with again.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("shop_users")}
        assert columns == {"id", "username", "password_hash"}
    client = again.test_client()
    assert log_in(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    with again.app_context():
        db.engine.dispose()
