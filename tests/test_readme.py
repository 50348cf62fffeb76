"""The README documents every configuration key and the public names of docs/design.md, "Public API"."""

from pathlib import Path

from flask_order_admin.settings import CONFIG_KEYS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_config_key_is_in_the_configuration_table():
    missing = [k.name for k in CONFIG_KEYS if f"| `{k.name}` |" not in README]
    assert missing == []


def test_public_names_are_documented_and_importable():
    from flask_order_admin import OrderAdmin, services  # noqa: F401
    from flask_order_admin.domain import OrderStatus  # noqa: F401
    from flask_order_admin.errors import OrderActionError  # noqa: F401
    from flask_order_admin.models import Order, OrderEvent, OrderItem  # noqa: F401
    from flask_order_admin.pricing import Price  # noqa: F401

    for name in ("cancel", "restore", "close", "merge", "merge_candidates", "search"):
        assert f"services.{name}(session" in README
        assert callable(getattr(services, name))
    assert "from flask_order_admin.export import order_xls" in README
