"""A host app for the view tests: Flask-SQLAlchemy, Flask-Login, CSRFProtect, Flask-Admin and the plugin,
on SQLite and on every database in ``ORDER_ADMIN_TEST_DATABASE_URLS``."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import flask_babel
import pytest
from flask_babel import Babel
from flask import Flask
from flask.testing import FlaskClient
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from flask_order_admin import OrderAdmin
from tests.conftest import shared_host
from tests.model_sets import BUILTIN, SETS


class Manager(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username
        self.username = username


def build_admin_host(database_url: str, model_set: str = BUILTIN) -> tuple[Flask, SQLAlchemy]:
    """The host app (``shared_host`` creates its tables)."""
    app = Flask("order_admin_view_host")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SECRET_KEY="view-tests",
        TESTING=True,
    )
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    db = SETS[model_set].new_db()
    db.init_app(app)
    CSRFProtect(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "login"
    login_manager.user_loader(Manager)

    @app.get("/login")
    def login() -> str:
        return "the host's login page"

    admin = Admin(app, name="Shop", theme=Bootstrap4Theme())
    OrderAdmin(app, admin=admin, db=db, models=SETS[model_set].order_models())
    return app, db


@pytest.fixture
def _shared_app(host_apps: Any, database_url: str, model_set: str) -> tuple[Flask, SQLAlchemy]:
    """Replaces the root conftest's host (same name) with this one; its ``app``, ``db``,
    ``session`` and ``make_order`` fixtures then work on it, emptied for each test."""
    return shared_host(host_apps, ("views", database_url, model_set),
                       lambda: build_admin_host(database_url, model_set))


@pytest.fixture
def configure(app: Flask) -> Callable[..., None]:
    """Change this app's plugin settings for one test, e.g. ``configure(access=rule)``."""

    def change(**fields: Any) -> None:
        state = app.extensions["order_admin"]
        state.settings = dataclasses.replace(state.settings, **fields)

    return change


@pytest.fixture
def speak(app: Flask) -> Iterator[Callable[..., None]]:
    """Make the shared test host answer in ``locale`` and ``zone`` (Flask-Babel's selectors) for one test."""
    babel = app.extensions["babel"]
    kept = babel.locale_selector, babel.timezone_selector

    def use(locale: str, zone: str = "UTC") -> None:
        babel.locale_selector, babel.timezone_selector = (lambda: locale), (lambda: zone)
        flask_babel.refresh()  # the test's requests share its app context, where Flask-Babel keeps them

    yield use
    babel.locale_selector, babel.timezone_selector = kept
    flask_babel.refresh()


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client logged in as "manager"."""
    test_client = app.test_client()
    with test_client.session_transaction() as flask_session:
        flask_session["_user_id"] = "manager"
        flask_session["_fresh"] = True
    return test_client


def hidden_fields(page: str, form_id: str) -> dict[str, str]:
    """The hidden inputs of the form with ``id=form_id``, as a browser would post them."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S)
    assert form, f"no form {form_id!r} on the page"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(0)):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


@pytest.fixture
def form_fields() -> Callable[[str, str], dict[str, str]]:
    return hidden_fields


@pytest.fixture
def count_statements(statements: Callable[[Callable[[], Any]], list[str]]) -> Callable[[Callable[[], Any]], int]:
    """How many SQL statements ``run()`` sends to the database, starting from nothing loaded."""
    return lambda run: len(statements(run))
