from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

def action(name: str, text: Any, confirmation: Any = None) -> Callable[[_F], _F]: ...
def __getattr__(name: str) -> Any: ...
