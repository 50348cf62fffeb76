from collections.abc import Sequence
from typing import Any

class ViewArgs:
    page: int | None
    page_size: int | None
    sort: int | None
    sort_desc: bool
    search: str | None
    filters: Sequence[Any] | None
    extra_args: dict[str, Any]
    def __init__(
        self, page: int | None = None, page_size: int | None = None, sort: int | None = None,
        sort_desc: int | None = None, search: str | None = None, filters: Sequence[Any] | None = None,
        extra_args: dict[str, Any] | None = None,
    ) -> None: ...
    def clone(self, **kwargs: Any) -> ViewArgs: ...

def __getattr__(name: str) -> Any: ...
