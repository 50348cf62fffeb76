"""How many rows the database's planner expects each of several SELECTs to return, without running them.

PostgreSQL plans their ``UNION ALL`` once (``EXPLAIN (FORMAT JSON)``: one statement, no row read); each
branch's "Plan Rows" is the estimate of one SELECT, from the table's statistics (``ANALYZE``, which
autovacuum keeps), the SELECT's conditions all applied. SQLite and MariaDB give no such per-statement
figure cheaply: None, and the caller counts exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, union_all
from sqlalchemy.orm import Session


def planned_rows(session: Session, statements: Sequence[Select[Any]]) -> list[float] | None:
    """The planner's row estimate of each statement, in order; None where the database gives none."""
    connection = session.connection()
    if connection.dialect.name != "postgresql" or not statements:
        return None
    combined = union_all(*statements) if len(statements) > 1 else statements[0]
    compiled = combined.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    found = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
    plan = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]
    branches = plan.get("Plans", []) if len(statements) > 1 else [plan]
    if len(branches) != len(statements):  # not the plain Append of the branches (never seen): no estimate
        return None
    return [float(branch["Plan Rows"]) for branch in branches]
