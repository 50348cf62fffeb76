"""The view tests' host (``tests/views/conftest.py``) speaking the language a test asks for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import flask_babel
import pytest
from flask import Flask, current_app
from flask_sqlalchemy import SQLAlchemy

from tests.conftest import shared_host
from tests.views.conftest import build_admin_host, client, form_fields  # noqa: F401 (fixtures)


def build_speaking_host(database_url: str, model_set: str) -> tuple[Flask, SQLAlchemy]:
    app, db = build_admin_host(database_url, model_set)
    # The host's locale selector: the language the test set (None: Flask-Babel's default, English).
    app.extensions["babel"].locale_selector = lambda: current_app.config.get("TEST_LOCALE")
    return app, db


@pytest.fixture
def _shared_app(host_apps: Any, database_url: str, model_set: str) -> tuple[Flask, SQLAlchemy]:
    return shared_host(host_apps, ("i18n", database_url, model_set),
                       lambda: build_speaking_host(database_url, model_set))


@pytest.fixture
def speak(app: Flask) -> Iterator[Callable[[str | None], None]]:
    """``speak("ru")``: the following requests are in Russian."""

    def use(locale: str | None) -> None:
        app.config["TEST_LOCALE"] = locale
        flask_babel.refresh()  # the test's requests share its app context, where Flask-Babel keeps the locale

    yield use
    use(None)
