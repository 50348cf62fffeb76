"""The extension pattern and the start-up checks of every ORDER_ADMIN_* key."""

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect

from flask_order_admin import OrderAdmin, OrderAdminConfigError
from flask_order_admin.models import Order
from flask_order_admin.settings import CONFIG_KEYS, load_settings


def make(config=None, **kwargs):
    app = Flask("host")
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    app.config.update(config or {})
    db = SQLAlchemy(app)
    return app, db, OrderAdmin(app, db=db, **kwargs)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ORDER_ADMIN_NUMBER_PREFIX", 5),
        ("ORDER_ADMIN_NUMBER_PREFIX", "OR D"),
        ("ORDER_ADMIN_NUMBER_WIDTH", 0),
        ("ORDER_ADMIN_NUMBER_WIDTH", "10"),
        ("ORDER_ADMIN_PROVIDERS", {}),
        ("ORDER_ADMIN_PROVIDERS", ["taobao"]),
        ("ORDER_ADMIN_MERGE_MATRIX", {"awaiting_payment": ["paid"]}),
        ("ORDER_ADMIN_MERGE_MATRIX", "all"),
        ("ORDER_ADMIN_MERGE_SAME_CUSTOMER", "yes"),
        ("ORDER_ADMIN_MERGE_RESULT_STATUS", "paid"),
        ("ORDER_ADMIN_MERGE_RESULT_STATUS", "processing"),  # not a row of the matrix
        ("ORDER_ADMIN_PRICE_RESOLVER", "catalog.price"),
        ("ORDER_ADMIN_PRICE_RESOLVER_TIMEOUT", 0),
        ("ORDER_ADMIN_PRICE_RESOLVER_WORKERS", 0),
        ("ORDER_ADMIN_PRICE_RESOLVER_WORKERS", "2"),
        ("ORDER_ADMIN_PRICE_BATCH_RESOLVER", "catalog.prices"),
        ("ORDER_ADMIN_ACCESS", True),
        ("ORDER_ADMIN_ACTOR_NAME", None),
        ("ORDER_ADMIN_ACTOR_NAME", "full_name"),
        ("ORDER_ADMIN_SEARCH_LIMIT", 0),
        ("ORDER_ADMIN_EXPORT_MAX_ROWS", -5),
        ("ORDER_ADMIN_EXPORT_FORMATS", ("csv",)),
        ("ORDER_ADMIN_EXPORT_INLINE_ROWS", -1),
        ("ORDER_ADMIN_EXPORT_RUNNER", "dramatiq"),
        ("ORDER_ADMIN_EXPORT_CELERY_APP", "shop.tasks"),
        ("ORDER_ADMIN_EXPORT_CELERY_APP", object()),
        ("ORDER_ADMIN_EXPORT_CELERY_BROKER_URL", "127.0.0.1:6379"),
        ("ORDER_ADMIN_EXPORT_CELERY_QUEUE", "two words"),
        ("ORDER_ADMIN_EXPORT_RQ_REDIS_URL", "http://127.0.0.1:6379"),
        ("ORDER_ADMIN_EXPORT_RQ_QUEUE", "two words"),
        ("ORDER_ADMIN_EXPORT_APP_FACTORY", "shop create_app"),
        ("ORDER_ADMIN_EXPORT_STORAGE", ""),
        ("ORDER_ADMIN_EXPORT_KEEP_HOURS", 0),
        ("ORDER_ADMIN_EXPORT_STALE_SECONDS", "60"),
        ("ORDER_ADMIN_EXPORT_QUEUED_SECONDS", 0),
        ("ORDER_ADMIN_EXPORT_MAX_JOBS_PER_USER", 0),
        ("ORDER_ADMIN_EXPORT_MAX_JOBS", True),
        ("ORDER_ADMIN_SQLITE_BUSY_TIMEOUT", -1),
        ("ORDER_ADMIN_COMMENT_EDIT_MINUTES", -1),
        ("ORDER_ADMIN_COMMENT_EDIT_MINUTES", "15"),
        ("ORDER_ADMIN_COMMENT_EDIT_MINUTES", 1.5),
        ("ORDER_ADMIN_COMMENT_EDIT_MINUTES", 24 * 60 + 1),
        ("ORDER_ADMIN_NUMBER_PREFIXX", "ORD-"),  # a typo is caught too
    ],
)
def test_wrong_value_fails_at_start_up_naming_the_key(key, value):
    with pytest.raises(OrderAdminConfigError) as caught:
        make({key: value})
    assert str(caught.value).startswith(key + ":")


def test_the_rq_runner_needs_an_app_factory():
    with pytest.raises(OrderAdminConfigError, match=r'^ORDER_ADMIN_EXPORT_APP_FACTORY: the "rq" runner needs it'):
        make({"ORDER_ADMIN_EXPORT_RUNNER": "rq"})
    make({"ORDER_ADMIN_EXPORT_RUNNER": "rq", "ORDER_ADMIN_EXPORT_APP_FACTORY": "shop:create_app"})  # passes


def test_the_celery_runner_needs_an_app_factory_and_one_way_to_its_broker():
    from celery import Celery

    celery = {"ORDER_ADMIN_EXPORT_RUNNER": "celery"}
    factory = {"ORDER_ADMIN_EXPORT_APP_FACTORY": "shop:create_app"}
    broker = {"ORDER_ADMIN_EXPORT_CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
    with pytest.raises(OrderAdminConfigError, match=r'^ORDER_ADMIN_EXPORT_APP_FACTORY: the "celery" runner needs it'):
        make({**celery, **broker})
    with pytest.raises(OrderAdminConfigError, match=r'^ORDER_ADMIN_EXPORT_CELERY_APP: the "celery" runner needs your'):
        make({**celery, **factory})
    with pytest.raises(OrderAdminConfigError, match=r"^ORDER_ADMIN_EXPORT_CELERY_BROKER_URL: set either it or"):
        make({**celery, **factory, **broker, "ORDER_ADMIN_EXPORT_CELERY_APP": "shop.tasks:celery"})
    for way in (broker, {"ORDER_ADMIN_EXPORT_CELERY_APP": "shop.tasks:celery"},
                {"ORDER_ADMIN_EXPORT_CELERY_APP": Celery("shop", set_as_current=False)},
                {"ORDER_ADMIN_EXPORT_CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}):
        make({**celery, **factory, **way})  # passes


def test_the_celery_runner_says_when_celery_is_not_installed(monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "celery" else find_spec(name, *a))
    with pytest.raises(OrderAdminConfigError, match=r'^ORDER_ADMIN_EXPORT_RUNNER: the "celery" runner needs Celery: pip'):
        make({"ORDER_ADMIN_EXPORT_RUNNER": "celery", "ORDER_ADMIN_EXPORT_APP_FACTORY": "shop:create_app",
              "ORDER_ADMIN_EXPORT_CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"})


def test_per_item_and_batch_resolvers_are_exclusive():
    with pytest.raises(OrderAdminConfigError) as caught:
        make({"ORDER_ADMIN_PRICE_RESOLVER": lambda item, at: None,
              "ORDER_ADMIN_PRICE_BATCH_RESOLVER": lambda items, at: {}})
    message = str(caught.value)
    assert message.startswith("ORDER_ADMIN_PRICE_BATCH_RESOLVER:") and "ORDER_ADMIN_PRICE_RESOLVER " in message


def test_one_resolver_pool_per_app_sized_by_the_setting():
    first, _, _ = make({"ORDER_ADMIN_PRICE_RESOLVER_WORKERS": 3})
    second, _, _ = make()
    pools = [host.extensions["order_admin"].resolver_pool for host in (first, second)]
    assert [pool.workers for pool in pools] == [3, 2] and pools[0] is not pools[1]


def test_every_key_has_a_default_that_passes_its_check_and_a_doc():
    names = [k.name for k in CONFIG_KEYS]
    assert len(names) == len(set(names))
    for key in CONFIG_KEYS:
        assert key.name.startswith("ORDER_ADMIN_") and key.doc
        key.check(key.default)


def test_each_settings_field_is_one_key_or_made_from_keys():
    import dataclasses

    from flask_order_admin.settings import Settings

    plain = [f.name for f in dataclasses.fields(Settings) if "check" in f.metadata]
    made = {f.name: [k.name for k in f.metadata["keys"]] for f in dataclasses.fields(Settings) if "keys" in f.metadata}
    others = [f.name for f in dataclasses.fields(Settings) if f.name not in plain and f.name not in made]
    assert others == []  # the order tables are init_app's argument (the panel's store), not a key
    assert made == {"number_format": ["ORDER_ADMIN_NUMBER_PREFIX", "ORDER_ADMIN_NUMBER_WIDTH"],
                    "export_presets": ["ORDER_ADMIN_EXPORT_COLUMNS", "ORDER_ADMIN_EXPORT_PRESETS"]}
    assert len(CONFIG_KEYS) == len(plain) + 4
    settings = load_settings({"ORDER_ADMIN_SEARCH_LIMIT": 7, "ORDER_ADMIN_MENU_CATEGORY": "Sales"})
    assert (settings.search_limit, settings.menu_category) == (7, "Sales")


def test_state_lives_in_app_extensions_and_settings_apply(app):
    host, db, _ = make({"ORDER_ADMIN_NUMBER_PREFIX": "TB-", "ORDER_ADMIN_NUMBER_WIDTH": 6})
    state = host.extensions["order_admin"]
    assert state.settings.number_format.format(23) == "TB-000023"
    assert state.number_of(Order(id=23)) == "TB-000023"


def test_init_app_later_and_on_two_apps():
    extension = OrderAdmin()
    apps = []
    for prefix in ("A-", "B-"):
        host = Flask(f"host{prefix}")
        host.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", ORDER_ADMIN_NUMBER_PREFIX=prefix)
        db = SQLAlchemy(host)
        extension.init_app(host, db=db)
        apps.append(host)
    for host, prefix in zip(apps, ("A-", "B-")):
        assert host.extensions["order_admin"].number_of(Order(id=1)) == f"{prefix}0000000001"


def test_initialising_twice_on_one_app_is_refused():
    host, db, extension = make()
    with pytest.raises(RuntimeError, match="already initialised"):
        extension.init_app(host)


def test_hosts_db_create_all_creates_the_plugin_tables():
    host, db, _ = make()
    with host.app_context():
        db.create_all()
        tables = set(inspect(db.engine).get_table_names())
    assert {"order_admin_orders", "order_admin_order_items", "order_admin_order_events"} <= tables


def test_metadata_create_all_on_the_hosts_engine_works_too():
    host = Flask("host")
    host.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(host)  # the plugin not even initialised
    with host.app_context():
        Order.metadata.create_all(db.engine)
        assert "order_admin_orders" in inspect(db.engine).get_table_names()
