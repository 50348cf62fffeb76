from typing import Any

import pytest

from tests.model_sets import Orders


@pytest.fixture
def snapshot(orders: Orders):
    """Everything a refused action must leave as it was: the row, the plugin's state of it, its items and its
    events (``orders.snapshot``)."""
    return orders.snapshot


@pytest.fixture
def events_of(orders: Orders):
    """The order's events, oldest first (rows of the model set's history table)."""
    return orders.events


@pytest.fixture
def reload(orders: Orders) -> Any:
    """The order as the database has it now."""
    return orders.get
