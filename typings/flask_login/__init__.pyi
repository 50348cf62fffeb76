from typing import Any

current_user: Any

def __getattr__(name: str) -> Any: ...
