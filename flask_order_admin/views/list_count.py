"""The lists' count ("List (…)", the pager): capped, so that a long list costs no more than its page.

The lists count matching rows only up to COUNT_CAP, or PAGES_AHEAD pages past the page shown when that
is more (``services/list_rows.py`` runs the count); "10,000+" is all a manager needs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Query

from ..services.list_rows import count_up_to
from . import formats

COUNT_CAP = 10_000
PAGES_AHEAD = 10  # deep in a long list the pager still offers this many pages further on


class AtLeast(int):
    """A capped count: the pager does arithmetic with it; Flask-Admin's "List (…)" shows "10,000+"."""

    def __str__(self) -> str:
        return f"{formats.amount(self - 1)}+"

    def __html__(self) -> str:
        return str(self)


class CappedCountQuery(Query[Any]):
    """Flask-Admin's count query (filters and joins applied as usual; it calls ``scalar()``), counting up to
    ``cap`` + 1 rows."""

    cap = COUNT_CAP

    def scalar(self) -> int:
        count = count_up_to(self, self.cap)
        return AtLeast(count) if count > self.cap else count


def count_cap(page: int | None, page_size: int) -> int:
    """Where a list's count stops when it shows ``page``: COUNT_CAP, or PAGES_AHEAD pages past it."""
    return max(COUNT_CAP, ((page or 0) + PAGES_AHEAD) * page_size)
