"""Bulk Close of 500 orders ÷ 500 single closes, in time and in SQL statements (issue 14: ≤ 0.5 in both).

The single side closes each order as the order page's Yes does: ``services.close`` with the version the
page showed, one transaction per order. The bulk side is ``services.bulk_close`` over the same number of
orders, as the list's bulk Close runs it (chunks of ``services.bulk.CHUNK_SIZE`` orders: one locking
SELECT, one UPDATE and one INSERT of events per chunk). Before every sample (untimed) both sides' orders
are put back to Shipped with one UPDATE. Samples alternate between the sides, medians are compared;
statements are counted on the engine (``before_cursor_execute``) during the timed call only.

Runs over both model sets (``bench_models.py``), on a temporary SQLite file or on the database in
``ORDER_ADMIN_BENCH_DATABASE_URL`` (its order tables dropped and re-created; 1,000 orders are enough).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from bench_models import MODEL_SETS, BenchModels
from bench_services import Case, compare, database, result
from flask_order_admin import services
from flask_order_admin.domain import OrderStatus

ORDERS = 500
SEEDED = 2 * ORDERS  # ids 1..500 for the single closes, 501..1000 for the bulk one
GOAL = 0.5  # issue 14: bulk ÷ singles, in time and in statements


class StatementCounter:
    """Counts the statements sent while ``counting`` is on."""

    def __init__(self, engine: Engine) -> None:
        self.counting = False
        self.counts: list[int] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, *args: Any) -> None:
        if self.counting:
            self.counts[-1] += 1

    def counted(self, op: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            self.counts.append(0)
            self.counting = True
            try:
                return op()
            finally:
                self.counting = False

        return run


def reship(models: BenchModels, engine: Engine, ids: list[int]) -> None:
    """Put the orders back to Shipped (one UPDATE), so that they can be closed again."""
    binding = models.binding
    status = binding.order_fields["status"].attribute
    with Session(engine) as session, session.begin():
        session.execute(update(binding.order).where(binding.order_pk.in_(ids))
                        .values({status: binding.statuses.to_host(OrderStatus.SHIPPED)})
                        .execution_options(synchronize_session=False))


def singles_case(models: BenchModels, engine: Engine, session: Session, ids: list[int],
                 counter: StatementCounter) -> Case:
    versions: dict[int, int] = {}

    def setup() -> None:
        reship(models, engine, ids)
        with Session(engine) as reader:  # the versions the order pages showed
            records = services.get_order_record
            versions.update({i: records(reader, i, panel=models.panel).version for i in ids})

    def op() -> None:
        for order_id in ids:
            services.close(session, order_id, actor="bench", expected_version=versions[order_id],
                           panel=models.panel)

    return Case(counter.counted(op), setup=setup, after=session.expunge_all)


def bulk_case(models: BenchModels, engine: Engine, session: Session, ids: list[int],
              counter: StatementCounter) -> Case:
    def op() -> None:
        outcome = services.bulk_close(session, ids, actor="bench", panel=models.panel)
        assert len(outcome.done) == len(ids), outcome.refused[:3]

    return Case(counter.counted(op), setup=lambda: reship(models, engine, ids), after=session.expunge_all)


def run(quick: bool) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for models in MODEL_SETS:
        results += run_on(models, quick)
    return results


def run_on(models: BenchModels, quick: bool) -> list[dict[str, Any]]:
    samples = 5 if quick else 11
    with database(models, SEEDED) as (engine, _):
        binding = models.binding
        with Session(engine) as reader:
            ids = list(reader.scalars(select(binding.order_pk).order_by(binding.order_pk)))
        single_ids, bulk_ids = ids[:ORDERS], ids[ORDERS:SEEDED]
        singles_counter, bulk_counter = StatementCounter(engine), StatementCounter(engine)
        with Session(engine) as session:
            bulk, singles = compare(bulk_case(models, engine, session, bulk_ids, bulk_counter),
                                    singles_case(models, engine, session, single_ids, singles_counter),
                                    samples=samples, warmup=1)
        dialect = engine.dialect.name
    bulk_statements, single_statements = max(bulk_counter.counts), max(singles_counter.counts)
    tables = f"[{models.label}] "
    detail = f"{dialect}; {ORDERS} shipped orders closed, {SEEDED:,} orders seeded"
    statements = bulk_statements / single_statements
    return [
        result(f"{tables}bulk Close of {ORDERS} orders ÷ {ORDERS} single closes (time)", bulk, singles, GOAL, detail),
        {
            "name": f"{tables}bulk Close of {ORDERS} orders ÷ {ORDERS} single closes (SQL statements)",
            "value": bulk_statements, "baseline": single_statements, "ratio": round(statements, 4), "goal": GOAL,
            "unit": "statements", "ok": statements <= GOAL, "exact": True, "detail": detail,
        },
    ]


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for row in run(quick="--full" not in sys.argv):
        print(f"{row['ratio']:>8.3f} (goal ≤ {row['goal']})  {row['name']}  [{row['value']} vs {row['baseline']}]")
