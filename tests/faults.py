"""Faults injected at the database's door: a statement the test picks fails (or its connection dies) as it is
sent, whatever code sends it. So a fault test does not name the module-level function that happens to write
the history today, and keeps testing the same thing when that code moves."""

from __future__ import annotations

import threading
import weakref
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


def updates(table: str, column: str, *, not_: str | None = None) -> Callable[[str], bool]:
    """Whether a statement is an UPDATE of ``table`` setting ``column`` (and not ``not_``)."""
    name = table.upper()

    def matches(text: str) -> bool:
        values = text.partition(" WHERE ")[0]
        return text.startswith(f"UPDATE {name} SET ") and column.upper() in values and not (
            not_ and not_.upper() in values)

    return matches


def progress_of(table: str) -> Callable[[str], bool]:
    """Whether a statement is an export job's report of rows written (the last one, marking the job done, sets
    its state too)."""
    return updates(table, "rows_written", not_="state")


def claim_of(table: str) -> Callable[[str], bool]:
    """Whether a statement is a worker claiming a queued export job (it sets ``started_at``)."""
    return updates(table, "started_at")


HOLD_AT_MOST = 30  # seconds; only a test that forgot to let a statement go waits this long


class HeldStatements:
    """Statements held at the database's door: each one that matches (up to ``times``) waits, before it is sent
    and so holding no lock it would take, until the test lets it go. Its thread stands still there, as a
    worker that stopped would; once let go it goes on with what the database holds by then."""

    def __init__(self, matches: Callable[[str], bool], times: int | None) -> None:
        self.matches, self.times = matches, times
        self.held: list[str] = []  # the statements held so far, in order
        self._released = 0
        self._open = False
        self._condition = threading.Condition()

    def before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = statement_text(statement)
        with self._condition:
            if self._open or (self.times is not None and len(self.held) >= self.times) or not self.matches(text):
                return
            self.held.append(text)
            number = len(self.held)
            self._condition.notify_all()
            self._condition.wait_for(lambda: self._open or self._released >= number, timeout=HOLD_AT_MOST)

    def wait_until_held(self, timeout: float = HOLD_AT_MOST, count: int = 1) -> bool:
        """Whether ``count`` statements have come to be held (the last of them waiting now) within ``timeout``."""
        with self._condition:
            return self._condition.wait_for(lambda: len(self.held) >= count, timeout=timeout)

    def release(self) -> None:
        """Let the oldest statement still held go."""
        with self._condition:
            self._released += 1
            self._condition.notify_all()

    def release_all(self) -> None:
        """Let every held statement go, and hold no more."""
        with self._condition:
            self._open = True
            self._condition.notify_all()


# The holds in force, per engine. One listener per engine reads them and stays: removing a listener while a
# held thread is inside SQLAlchemy's loop over the listeners breaks that loop ("deque mutated during
# iteration") when the thread goes on.
_HOLDS: weakref.WeakKeyDictionary[Any, list[HeldStatements]] = weakref.WeakKeyDictionary()
_HOLDS_LOCK = threading.Lock()


def _holds_of(engine: Any) -> list[HeldStatements]:
    with _HOLDS_LOCK:
        if engine not in _HOLDS:
            holds: list[HeldStatements] = []
            _HOLDS[engine] = holds

            def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
                with _HOLDS_LOCK:
                    in_force = list(holds)
                for held in in_force:
                    held.before(conn, cursor, statement, *args)

            event.listen(engine, "before_cursor_execute", before)
        return _HOLDS[engine]


@contextmanager
def held_at(engine: Any, matches: Callable[[str], bool], times: int | None = 1) -> Iterator[HeldStatements]:
    """While the block runs, the first ``times`` statements that ``matches`` (on ``statement_text``; None: every
    one) wait before they are sent until the test lets each go; at the block's end every one goes."""
    held = HeldStatements(matches, times)
    holds = _holds_of(engine)
    with _HOLDS_LOCK:
        holds.append(held)
    try:
        yield held
    finally:
        held.release_all()
        with _HOLDS_LOCK:
            holds.remove(held)


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
