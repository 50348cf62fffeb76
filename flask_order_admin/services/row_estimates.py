"""How many rows the database's planner expects each of several SELECTs to return, without running them.

PostgreSQL plans their ``UNION ALL`` once (``EXPLAIN (FORMAT JSON)``: one statement, no row read); each
branch's "Plan Rows" is the estimate of one SELECT, from the table's statistics (``ANALYZE``, which
autovacuum keeps), the SELECT's conditions all applied. Where every SELECT is one table's rows with one
column equal to a value (the status pills of an unfiltered list), the planner's arithmetic for that
condition is done here on the column's statistics instead, read in one small catalog query: the same
figures, without planning a dozen statements (docs/design.md, "Exact status counts"). SQLite and MariaDB
give no such per-statement figure cheaply: None, and the caller counts exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

from sqlalchemy import BindParameter, BinaryExpression, Column, Connection, Select, Table, text, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators


def planned_rows(session: Session, statements: Sequence[Select[Any]]) -> list[float] | None:
    """The planner's row estimate of each statement, in order; None where the database gives none."""
    connection = session.connection()
    if connection.dialect.name != "postgresql" or not statements:
        return None
    equalities = _column_equal_to_values(statements)
    if equalities is not None:
        estimated = _equality_rows(connection, *equalities)
        if estimated is not None:
            return estimated
    return _explained_rows(connection, statements)


def _explained_rows(connection: Connection, statements: Sequence[Select[Any]]) -> list[float] | None:
    combined = union_all(*statements) if len(statements) > 1 else statements[0]
    compiled = combined.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    found = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar_one()
    plan = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]
    branches = plan.get("Plans", []) if len(statements) > 1 else [plan]
    if len(branches) != len(statements):  # not the plain Append of the branches (never seen): no estimate
        return None
    return [float(branch["Plan Rows"]) for branch in branches]


def _column_equal_to_values(statements: Sequence[Select[Any]]) -> tuple[Column[Any], list[str]] | None:
    """``(column, [value, …])`` when every statement is ``SELECT … FROM <table> WHERE <column> = <value>``
    with nothing else (no join, grouping, limit), the same column each time and a string or integer value
    (as the statistics write it); else None."""
    column: Column[Any] | None = None
    values = []
    for statement in statements:
        # What the statement was built from (get_final_froms would compile it: slower than the EXPLAIN saved).
        froms = [table._deannotate() for table in statement._from_obj]
        condition = statement.whereclause
        if (len(froms) != 1 or not isinstance(froms[0], Table) or statement._setup_joins
                or any(column._from_objects for column in statement._raw_columns) or statement._group_by_clauses
                or statement._having_criteria or statement._limit_clause is not None
                or statement._offset_clause is not None or statement._distinct
                or not isinstance(condition, BinaryExpression) or condition.operator is not operators.eq
                or not isinstance(condition.right, BindParameter)):
            return None
        # An ORM entity's table and columns come annotated, new objects each time: their plain selves compare.
        left = condition.left._deannotate() if isinstance(condition.left, Column) else None
        if not isinstance(left, Column) or left.table is not froms[0] or (column is not None and left is not column):
            return None
        column = left
        value = condition.right.effective_value
        value = value.value if isinstance(value, Enum) else value
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return None
        values.append(str(value))
    return None if column is None else (column, values)


# The column's statistics and the table's size as the planner reads them (pg_stats is pg_statistic made
# readable, for the columns the user may read). The most common values come back as text whatever the type.
_STATISTICS = text("""
SELECT c.reltuples, c.relpages, pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,
       s.null_frac, s.n_distinct, s.most_common_vals::text::text[] AS common, s.most_common_freqs AS frequencies
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = :column AND NOT s.inherited
WHERE c.oid = to_regclass(:table) AND c.relkind = 'r'
""")


def _equality_rows(connection: Connection, column: Column[Any], values: Sequence[str]) -> list[float] | None:
    """The rows of ``column = value`` for each value, as PostgreSQL's planner estimates them (selfuncs.c,
    ``var_eq_const``, on the live table's size as ``estimate_rel_size`` scales it); None where the table has
    no statistics yet (never analyzed: the caller asks ``EXPLAIN``, whose default guesses apply)."""
    table = column.table
    name = connection.dialect.identifier_preparer.format_table(table)
    found = connection.execute(_STATISTICS, {"column": column.name, "table": name}).first()
    if found is None or found.reltuples < 0 or found.relpages <= 0 or found.n_distinct == 0:
        return None  # (no pages counted yet: the planner guesses a density from the row width instead)
    # The table grown or shrunk since it was analyzed: the planner scales its rows by the pages there are now.
    tuples = float(round(found.reltuples / found.relpages * found.pages))
    common = dict(zip(found.common or [], found.frequencies or []))
    distinct = found.n_distinct if found.n_distinct > 0 else -found.n_distinct * tuples
    # A value not among the most common shares what they leave with the other distinct values, and is
    # never thought commoner than the least common of them.
    other = max(0.0, min(1.0, 1.0 - sum(common.values()) - found.null_frac))
    if distinct - len(common) > 1:
        other /= distinct - len(common)
    if common:
        other = min(other, min(common.values()))
    return [float(max(1, round(tuples * common.get(value, other)))) for value in values]
