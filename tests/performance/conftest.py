"""The view tests' host app (Flask-Admin, Flask-Login, the plugin) and their statement counter, for the
query-count tests here: loaded from tests/views/conftest.py, which --import-mode=importlib cannot import."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "order_admin_views_conftest", Path(__file__).parent.parent / "views" / "conftest.py"
)
_views = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_views)

# Fixtures are found by name in a conftest: these replace the root conftest's host with the views' one.
_shared_app = _views._shared_app
client = _views.client
count_statements = _views.count_statements
