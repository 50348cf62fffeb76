"""The documentation covers every configuration key (docs/configuration.md) and the public names of
docs/design.md, "Public API" (docs/api.md); the README's links into it lead to files that exist."""

import re
from pathlib import Path

from flask_order_admin.settings import CONFIG_KEYS

ROOT = Path(__file__).parent.parent
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_config_key_is_in_the_configuration_table():
    missing = [k.name for k in CONFIG_KEYS if f"| `{k.name}` |" not in CONFIGURATION]
    assert missing == []


def test_public_names_are_documented_and_importable():
    from flask_order_admin import OrderAdmin, services  # noqa: F401
    from flask_order_admin.domain import OrderStatus  # noqa: F401
    from flask_order_admin.errors import OrderActionError  # noqa: F401
    from flask_order_admin.models import Order, OrderEvent, OrderItem  # noqa: F401
    from flask_order_admin.pricing import Price  # noqa: F401

    for name in ("cancel", "restore", "close", "merge", "merge_candidates", "search"):
        assert f"services.{name}(session" in API
        assert callable(getattr(services, name))
    assert "from flask_order_admin.export import order_xls" in API


def test_the_readme_links_to_files_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [t.split("#")[0] for t in re.findall(r"\]\(([^)]+)\)", readme) if "://" not in t]
    assert "docs/configuration.md" in targets and "docs/api.md" in targets
    assert [t for t in targets if not (ROOT / t).exists()] == []
