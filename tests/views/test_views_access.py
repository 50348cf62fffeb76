"""The access rule (flask_order_admin.access) and the return-address check, without a database."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from flask_login import LoginManager, UserMixin, login_user

from flask_order_admin import access
from flask_order_admin.settings import DEFAULT_SETTINGS
from flask_order_admin.views.redirects import local_path


def test_without_flask_login_on_the_app_the_default_rule_denies():
    app = Flask("no_login_host")
    with app.test_request_context("/admin/orders/"):
        assert access.is_allowed(DEFAULT_SETTINGS, "view") is False
        assert access.actor_name(DEFAULT_SETTINGS) == "anonymous"


def test_the_hosts_rule_decides_and_none_falls_back_to_the_default():
    app = Flask("login_host")
    app.secret_key = "x"
    LoginManager(app).user_loader(lambda user_id: None)
    seen = []

    def rule(action, order):
        seen.append((action, order))
        return None if action == "view" else action == "export"

    settings = dataclasses.replace(DEFAULT_SETTINGS, access=rule)
    with app.test_request_context("/admin/orders/"):
        assert access.is_allowed(settings, "view") is False  # anonymous
        assert access.is_allowed(settings, "export", "order") is True
        assert access.is_allowed(settings, "cancel", "order") is False

        class Staff(UserMixin):
            id = "7"
            username = "mei"

        login_user(Staff())
        assert access.is_allowed(settings, "view") is True
        assert access.actor_name(settings) == "mei"
    assert seen[:2] == [("view", None), ("export", "order")]


@pytest.mark.parametrize("target", [
    "//evil.example", "\\\\evil.example", "/\\evil.example", "javascript:alert(1)", "java\tscript:alert(1)",
    "https://evil.example/", "http://localhost/admin/", "evil.example/path", "/\t/evil.example", "", None,
])
def test_return_addresses_must_be_paths_on_this_site(target):
    assert local_path(target) is None


def test_a_local_path_with_its_query_is_kept():
    assert local_path("/admin/orders/?flt0_status_equals=shipped&page=2") == (
        "/admin/orders/?flt0_status_equals=shipped&page=2"
    )
