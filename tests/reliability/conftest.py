import pytest

from tests.model_sets import BUILTIN
# The services tests' "nothing changed" fixtures, for the resolver and race tests here.
from tests.services.conftest import events_of, snapshot  # noqa: F401


@pytest.fixture(scope="session")
def model_set() -> str:
    """These tests run on the plugin's own tables only (the services, export and view tests cover both sets)."""
    return BUILTIN
