"""What the orders lists read besides their page: their count (capped), and the ids of their rows' orders.

The lists' queries are Flask-Admin's (``Query`` objects with the list's filters and search applied); these
functions only run them: the views build no statements of their own (docs/design.md, "Views").
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Query


def count_up_to(query: Query[Any], cap: int) -> int:
    """The rows ``query`` matches, counted up to ``cap`` + 1 (more than ``cap``: there are more):
    ``SELECT count(*) FROM (SELECT 1 FROM … WHERE … LIMIT cap + 1)``. A count over a million rows costs more
    than the page itself (PostgreSQL reads the whole table), and "10,000+" is all a manager needs."""
    rows = query.limit(cap + 1).subquery()
    return int(query.session.execute(select(func.count()).select_from(rows)).scalar_one())


def column_values(query: Query[Any], column: Any, limit: int | None = None, *, distinct: bool = False) -> list[int]:
    """``column`` of the rows ``query`` matches (at most ``limit`` of them)."""
    values = query.with_entities(column)
    if distinct:
        values = values.distinct()
    return [value for (value,) in (values if limit is None else values.limit(limit))]


def column_select(query: Query[Any], column: Any) -> Select[Any]:
    """A SELECT of ``column`` of the rows ``query`` matches (maybe repeated), for the database to run."""
    # The statement of an ORM Query of one column is a SELECT.
    return cast("Select[Any]", query.with_entities(column).statement)
