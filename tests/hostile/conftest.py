"""Hostile and bad input: the view tests' host app (tests/views/conftest.py), a second manager, and
a whole-database snapshot to show that a refused request changed nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from flask_order_admin.models import Order, OrderEvent, OrderItem
from tests.model_sets import BUILTIN
from tests.views.conftest import _shared_app, configure, form_fields, hidden_fields  # noqa: F401

# Ids no order has, in every spelling a URL may carry; the int converter turns some away with a 404.
BAD_IDS = ["ORD-001", "ORD-0000000001x", "-1", "0", str(2**63), str(10**30)]


class IsolatedClient(FlaskClient):
    """A test client whose requests share nothing through ``g``.

    The ``app`` fixture keeps an app context pushed for the whole test, so every request
    reuses it, and ``g`` would carry one client's CSRF token and Flask-Login user into
    the next client's request: a browser of its own, as the tests here need, starts clean.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for name in list(g):  # what the last request left: its CSRF token, user, refusal page, locale...
            g.pop(name, None)
        return super().open(*args, **kwargs)


def log_in(app: Flask, username: str | None) -> FlaskClient:
    test_client = IsolatedClient(app, app.response_class, use_cookies=True)
    if username is None:
        return test_client
    with test_client.session_transaction() as flask_session:
        flask_session["_user_id"] = username
        flask_session["_fresh"] = True
    return test_client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A manager logged in as "manager"."""
    return log_in(app, "manager")


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return log_in(app, None)


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    """A second manager, with a session (and CSRF token) of their own."""
    return log_in(app, "other")


def csrf_token(test_client: FlaskClient, order_id: int) -> str:
    """The client's CSRF token, read from an order page's note form, as a browser would."""
    page = test_client.get("/admin/orders/details/", query_string={"id": order_id})
    assert page.status_code == 200, page.status_code
    return hidden_fields(page.text, "comment-form")["csrf_token"]


@pytest.fixture
def token(make_order: Callable[..., Order]) -> Callable[[FlaskClient], str]:
    """``token(client)``: that client's CSRF token (from an order of its own that takes notes)."""
    page_order: list[int] = []

    def read(test_client: FlaskClient) -> str:
        if not page_order:
            page_order.append(make_order("awaiting_payment", items=1, customer_ref="token-page").id)
        return csrf_token(test_client, page_order[0])

    return read


def database_state(session: Any) -> dict[str, Any]:
    session.expire_all()
    state = {
        "orders": session.query(Order.id, Order.status, Order.version, Order.merged_into_id).order_by(Order.id).all(),
        "items": session.query(OrderItem.id, OrderItem.order_id, OrderItem.price, OrderItem.quantity)
        .order_by(OrderItem.id).all(),
        # A download's "Exported" line in the history is its audit record (issue 13), not a change of the order.
        "events": session.query(OrderEvent.id).filter(OrderEvent.action != "export").count(),
    }
    session.rollback()
    return state


@pytest.fixture
def db_state(session: Any) -> Callable[[], dict[str, Any]]:
    """Everything a refused request must leave as it was, over every order."""
    return lambda: database_state(session)


def flashed_error(response: Any) -> str:
    """The text of the error alerts on a page (Flask-Admin renders flash category "error" as alert-danger)."""
    alerts = re.findall(r'<div class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', response.text, re.S)
    return " ".join(re.sub(r"<[^>]+>|\s+", " ", a).strip() for a in alerts)


@pytest.fixture
def error_of() -> Callable[[Any], str]:
    return flashed_error


def assert_refused(response: Any) -> None:
    """A refusal: a 4xx, or a redirect (followed) to a page that flashes an error. Never a 5xx."""
    assert response.status_code < 500, response.status_code
    if response.history:
        assert response.history[0].status_code in (301, 302, 303), response.history[0].status_code
        assert response.status_code == 200
        assert flashed_error(response), "redirected without saying why"
    else:
        assert 400 <= response.status_code < 500, response.status_code


@pytest.fixture
def refused() -> Callable[[Any], None]:
    return assert_refused


@pytest.fixture(scope="session")
def model_set() -> str:
    """These tests run on the plugin's own tables only (the services, export and view tests cover both sets)."""
    return BUILTIN
