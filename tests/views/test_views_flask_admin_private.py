"""The views use a few private names of Flask-Admin (views/flask_admin_internals.py says which, and why): an
upgrade of Flask-Admin that drops or stops calling one fails here, not in a manager's browser; and no view
overrides or reads another private name of Flask-Admin without it being listed there."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from flask_admin.contrib.sqla import ModelView
from flask_admin.model.base import BaseModelView

import flask_order_admin.views
from flask_order_admin.views.flask_admin_internals import PRIVATE_OVERRIDES, PRIVATE_READS

VIEWS = Path(flask_order_admin.views.__file__).parent


def flask_admin_classes(cls: type) -> list[type]:
    return [klass for klass in cls.__mro__ if klass.__module__.startswith("flask_admin.")]


def plain_view(app):
    """A stock Flask-Admin view of the shop's orders, as Flask-Admin builds it (its filter caches included)."""
    state = app.extensions["order_admin"]
    binding = state.store

    class PlainOrdersView(ModelView):
        column_filters = [binding.order_pk]

    return PlainOrdersView(binding.order, state.db, endpoint="plain_orders")


def test_the_installed_flask_admin_still_has_and_calls_each_private_method_we_override():
    for name in PRIVATE_OVERRIDES:
        assert callable(getattr(ModelView, name, None)), f"Flask-Admin no longer has {name}"
    # Overriding it is only worth anything while index_view reads the query string through it.
    assert "self._get_list_extra_args()" in inspect.getsource(BaseModelView.index_view)


def test_the_installed_flask_admin_still_has_each_private_name_we_read(app):
    with app.test_request_context():
        view = plain_view(app)
        for name in PRIVATE_READS:
            assert hasattr(view, name), f"Flask-Admin no longer has {name}"
        assert view._filter_args and view._filters  # the caches' shapes the views read
        index, flt = next(iter(view._filter_args.values()))
        assert view._filters[index] is flt


def test_every_private_flask_admin_method_a_view_overrides_is_listed(app):
    state = app.extensions["order_admin"]
    made_by_the_metaclass = set(vars(type("Stock", (ModelView,), {})))  # _urls, _default_view: every class has them
    overridden = set()
    for view in state.views:
        for klass in type(view).__mro__:
            if not klass.__module__.startswith("flask_order_admin."):
                continue
            for name in vars(klass):
                if name.startswith("_") and not name.startswith("__") and name not in made_by_the_metaclass and any(
                    name in vars(base) for base in flask_admin_classes(type(view))
                ):
                    overridden.add(name)
    assert overridden == set(PRIVATE_OVERRIDES)


def test_every_private_flask_admin_name_the_views_read_is_listed(app):
    with app.test_request_context():
        stock = plain_view(app)
        read = set()
        for path in VIEWS.glob("*.py"):
            for name in re.findall(r"\.(_[a-z][a-z_]*)\b", path.read_text()):
                if hasattr(stock, name):
                    read.add(name)
    assert read <= set(PRIVATE_READS) | set(PRIVATE_OVERRIDES), read - set(PRIVATE_READS) - set(PRIVATE_OVERRIDES)
