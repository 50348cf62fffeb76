"""``ShopTablesStore``: a shop's own order and line tables (``OrderModels``), the panel's state and the
lines' origins in tables of its own beside them, keyed by the shop's keys (storage.side_tables;
docs/design.md, "Order store")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, and_, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from .changes import KEEP, OrderChange, OrderState
from .sql_store import SQLOrderStore
from .storage import LineRuns, LineSpan, consecutive_runs, uncovered


@dataclass(frozen=True, eq=False, kw_only=True)
class ShopTablesStore(SQLOrderStore):
    """``order_admin_order_states`` holds an order's state, a row made on its first action (inside that
    action's transaction, the order row locked first, so two actions cannot both make it).

    ``order_admin_line_origins`` holds runs of consecutive line ids (first, last) and the order they were
    first placed in, recorded by a merge for the lines it moves that have none yet. An order's lines are
    usually inserted together, so a merge of 5,000 lines records one row, not 5,000: the merge costs about
    what the bare move of the lines costs (docs/design.md, "Merge speed"). A line no run holds is still in
    the order it was placed in."""

    states_table: Table
    origins_table: Table

    # Candidate runs looked up per statement (a run each: its own range and the run that may hold its start).
    PROBES_PER_STATEMENT = 100

    # -- state ------------------------------------------------------------------------------------

    def states_of(self, session: Session, orders: Iterable[Any]) -> dict[int, OrderState]:
        """One statement; an order without a state row is at version 1, not merged (``stored=False``)."""
        ids = [self.order_id(o) for o in orders]
        found = {id_: OrderState(stored=False) for id_ in ids}
        if ids:
            c = self.states_table.c
            for row in session.execute(
                select(c.order_id, c.version, c.merged_into_id, c.status_changed_at).where(c.order_id.in_(ids))
            ):
                found[row.order_id] = OrderState(row.version, row.merged_into_id, row.status_changed_at)
        return found

    def _write_all(self, session: Session, changes: Sequence[OrderChange], at: datetime) -> None:
        """One UPDATE of the shop's order rows, every changed order's (its status kept where the change keeps
        it: its ``onupdate`` columns and triggers see the change), one INSERT (executemany) of the state rows
        of orders without one, one UPDATE of the others'."""
        ids = [self.order_id(change.order) for change in changes]
        status = self._status_value(changes)
        if not status:  # no status changes: set it to itself, an UPDATE all the same
            column = self.order_fields["status"].attribute
            status = {column: column}
        session.execute(update(self.order).where(self.order_pk.in_(ids)).values(status)
                        .execution_options(synchronize_session=False))
        new = [change for change in changes if not change.state.stored]
        if new:
            session.execute(insert(self.states_table), [
                {"order_id": self.order_id(change.order), "version": change.state.version + 1,
                 "merged_into_id": None if change.merged_into_id is KEEP else change.merged_into_id,
                 "status_changed_at": None if change.status is None else at}
                for change in new
            ])
        stored = [change for change in changes if change.state.stored]
        if stored:
            c = self.states_table.c
            session.execute(update(self.states_table).where(c.order_id.in_([self.order_id(s.order) for s in stored]))
                            .values(version=c.version + 1, **self._state_values(stored, at, c)))

    # -- lines ------------------------------------------------------------------------------------

    def move_lines(self, session: Session, added_id: int, basic_id: int, line_ids: LineSpan | None = None) -> None:
        """Record the origins of the lines that have none, then one UPDATE moves them."""
        self._record_origins(session, added_id, line_ids)
        session.execute(
            update(self.line).where(self.line_order_id == added_id).values({self.line_order_id: basic_id})
            .execution_options(synchronize_session=False)
        )

    def _record_origins(self, session: Session, added_id: int, line_ids: LineSpan | None) -> None:
        """Record the origin of the lines of ``added_id`` that have none yet, before they move.

        ``line_ids`` (count, lowest and highest id) tells, for free, when the lines are one run (as the
        lines of an order placed at once are): then no line is read. Otherwise the database ranks them.
        """
        if line_ids is None or not line_ids.is_one_run:
            runs = self._runs_of_order(session, added_id)
        elif not line_ids.count or line_ids.first is None or line_ids.last is None:
            return
        elif self._insert_if_unrecorded(session, line_ids.first, line_ids.last, added_id):
            return  # the usual case, one statement: one run that no recorded run overlaps
        else:
            runs = [(line_ids.first, line_ids.last)]
        new = uncovered(runs, [(first, last) for first, last in self._recorded(session, runs)])
        if new:
            session.execute(insert(self.origins_table), [
                {"first_line_id": first, "last_line_id": last, "origin_order_id": added_id} for first, last in new
            ])

    def _insert_if_unrecorded(self, session: Session, first: int, last: int, origin: int) -> bool:
        """Record the run (first, last) unless a recorded run overlaps it; whether it was recorded."""
        c = self.origins_table.c
        holder = select(func.max(c.first_line_id)).where(c.first_line_id <= first).scalar_subquery()
        overlapping = select(c.first_line_id).where(or_(
            and_(c.first_line_id > first, c.first_line_id <= last),
            and_(c.first_line_id == holder, c.last_line_id >= first),
        ))
        values = select(literal(first), literal(last), literal(origin)).where(~overlapping.exists())
        result = session.execute(
            insert(self.origins_table).from_select(["first_line_id", "last_line_id", "origin_order_id"], values))
        return cast("CursorResult[Any]", result).rowcount == 1

    def _runs_of_order(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        """The order's line ids as runs of consecutive ids, computed by the database ("gaps and islands":
        in a run, id minus its rank is constant), so one row comes back per run, not one per line."""
        line_id = self.line_pk
        ranked = select(
            line_id.label("line_id"), (line_id - func.row_number().over(order_by=line_id)).label("island")
        ).where(self.line_order_id == order_id).subquery()
        rows = session.execute(
            select(func.min(ranked.c.line_id), func.max(ranked.c.line_id)).group_by(ranked.c.island)
            .order_by(func.min(ranked.c.line_id))
        )
        return [(first, last) for first, last in rows]

    def _recorded(
        self, session: Session, runs: Sequence[tuple[int, int]], columns: tuple[Any, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """Recorded runs overlapping ``runs`` (first, last, *columns), sorted: those starting inside one,
        and the one that may hold its start (whose first is the greatest at or before it: an index probe,
        each with a constant, which every database answers from the index)."""
        c = self.origins_table.c
        found: set[tuple[Any, ...]] = set()
        for start in range(0, len(runs), self.PROBES_PER_STATEMENT):
            conditions = []
            for first, last in runs[start:start + self.PROBES_PER_STATEMENT]:
                holder = select(func.max(c.first_line_id)).where(c.first_line_id <= first).scalar_subquery()
                conditions += [and_(c.first_line_id > first, c.first_line_id <= last), c.first_line_id == holder]
            rows = session.execute(select(c.first_line_id, c.last_line_id, *columns).where(or_(*conditions)))
            found.update(tuple(row) for row in rows)
        return sorted(found)

    def origins_of(self, session: Session, order_id: int, lines: Iterable[Any]) -> dict[int, int | None]:
        """The origin of each of the order's lines, from the runs that hold them (a line no run holds is still
        in the order it was placed in): one statement for lines of consecutive ids, as an order's usually are."""
        ids = sorted(self.line_id(line) for line in lines)
        runs = LineRuns()
        if ids:
            c = self.origins_table.c
            recorded = self._recorded(session, consecutive_runs(ids), columns=(c.origin_order_id,))
            for first, last, origin in recorded:
                runs.starts.append(first)
                runs.ends.append(last)
                runs.origins.append(origin)
        return {line_id: runs.origin_of(line_id) or order_id for line_id in ids}
