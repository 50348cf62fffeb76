"""Faults injected at the database's door: a statement the test picks fails (or its connection dies) as it is
sent, whatever code sends it. So a fault test does not name the module-level function that happens to write
the history today, and keeps testing the same thing when that code moves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


def statement_text(statement: str) -> str:
    """The statement on one line, upper case: ``INSERT INTO ORDER_ADMIN_EVENTS …``."""
    return " ".join(statement.split()).upper()


def writes_to(table: str) -> Callable[[str], bool]:
    """Whether a statement inserts into or updates ``table``."""
    name = table.upper()
    return lambda text: text.startswith((f"INSERT INTO {name} ", f"INSERT INTO {name}(", f"UPDATE {name} "))


def reads_from(table: str) -> Callable[[str], bool]:
    """Whether a statement is a SELECT reading ``table``."""
    name = table.upper()
    return lambda text: text.startswith("SELECT ") and (f" FROM {name} " in f"{text} " or f" JOIN {name} " in text)


@contextmanager
def fault_at(engine: Any, matches: Callable[[str], bool], fault: Callable[[Any], None]) -> Iterator[list[str]]:
    """While the block runs, the first statement that ``matches`` (on ``statement_text``) calls ``fault(cursor)``
    before it is sent (``fault`` raises, or breaks the connection). Yields the statements sent until then, in
    order, the faulty one last: the test asserts the fault was reached, and what came before it."""
    seen: list[str] = []
    happened = False

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        nonlocal happened
        if happened:  # once only: the statements after it (the next action's) go through
            return
        seen.append(statement_text(statement))
        if matches(seen[-1]):
            happened = True
            fault(cursor)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def raises(error: BaseException) -> Callable[[Any], None]:
    def fault(cursor: Any) -> None:
        raise error

    return fault


@contextmanager
def row_refused_by_a_trigger(engine: Any, table: str, key: str, value: int) -> Iterator[None]:
    """While the block runs, the database itself refuses any UPDATE of ``table``'s row whose ``key`` is ``value``
    (a trigger, as a shop's own rule or a broken disk page would)."""
    name, message = f"oa_test_refuse_{table}", "a trigger refused the row"
    create, drop = {
        "sqlite": ([f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} WHEN NEW.{key} = {value} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"],
                   [f"DROP TRIGGER {name}"]),
        "postgresql": ([f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN IF NEW.{key} = {value} THEN "
                        f"RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                        f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"],
                       [f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()"]),
        "mysql": ([f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW BEGIN IF NEW.{key} = {value} THEN "
                   f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{message}'; END IF; END"],
                  [f"DROP TRIGGER {name}"]),
    }[engine.dialect.name]
    with engine.begin() as connection:
        for statement in create:
            connection.exec_driver_sql(statement)
    try:
        yield
    finally:
        with engine.begin() as connection:
            for statement in drop:
                connection.exec_driver_sql(statement)
