# The services tests' "nothing changed" fixtures, for the resolver and race tests here.
from tests.services.conftest import events_of, snapshot  # noqa: F401
