"""One object per app (docs/design.md, "One object per app"): each app's panel holds its settings and store, the
services find the current app's, and nothing of the package keeps per-app state anywhere else."""

import re
from pathlib import Path

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

import flask_order_admin
from flask_order_admin import OrderAdmin, OrderAdminState, OrderPanel, services
from flask_order_admin.errors import ActionNotAllowed
from flask_order_admin.models import Order, OrderAdminBase


def shop(prefix: str, width: int) -> tuple[Flask, SQLAlchemy]:
    app = Flask(f"shop_{prefix.strip('-').lower()}")
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", ORDER_ADMIN_NUMBER_PREFIX=prefix,
                      ORDER_ADMIN_NUMBER_WIDTH=width)
    db = SQLAlchemy(app)
    OrderAdmin(app, db=db)
    with app.app_context():
        OrderAdminBase.metadata.create_all(db.engine)
        db.session.add_all([Order(status="processing"), Order(status="canceled")])
        db.session.commit()
    return app, db


def test_two_apps_in_one_process_each_number_orders_their_way():
    apps = [shop("TB-", 6), shop("SH-", 4)]
    # Interleaved, so that nothing one app did can linger for the other.
    for _ in range(2):
        for (app, db), number in zip(apps, ("TB-000001", "SH-0001"), strict=True):
            with app.app_context():
                assert services.get_order_record(db.session, 1).number == number
                assert [o.id for o in services.search(db.session, number)] == [1]
                with pytest.raises(ActionNotAllowed, match=number.replace("1", "2")):
                    services.close(db.session, 2, actor="ann")
    for (app, _), number in zip(apps, ("TB-000001", "SH-0001"), strict=True):
        assert app.extensions["order_admin"].number_of(Order(id=1)) == number


def test_the_panel_is_the_extension_state_under_both_names():
    app, _ = shop("TB-", 6)
    panel = app.extensions["order_admin"]
    assert OrderAdminState is OrderPanel and isinstance(panel, OrderPanel)
    assert panel.store.is_builtin and panel.resolver_pool.workers == panel.settings.price_resolver_workers


def test_the_package_keeps_no_context_variables():
    package = Path(flask_order_admin.__file__).parent
    found = [f"{path.relative_to(package)}:{number}"
             for path in sorted(package.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bContextVar\b", line)]
    assert found == []
