"""Two order actions racing, with the order of their transactions forced, so each branch of a race has a test
of its own and every run takes that branch (a race left to the scheduler may never take one of them).

The first action runs in a thread of its own and is held at a chosen point of its transaction, its order rows
locked and nothing committed:

- ``AT_LOCK``: right after its lock statement (``SELECT … FOR UPDATE``, or SQLite's ``BEGIN IMMEDIATE``) came
  back, before it has read or written anything else: a refusal (made under the lock) is still to come;
- ``AT_HISTORY``: just before it writes its history, its changes made.

Only then does the second action start, in a thread of its own. The first is let go once the second is
waiting for the first's lock: on PostgreSQL and MariaDB seen in the server's own list of lock waits, on SQLite
once the second sends its ``BEGIN IMMEDIATE`` (SQLite lists no waits; the busy timeout keeps it waiting). So
the second always runs on what the first committed or left, and its wait proves the lock was held.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text

FIRST, SECOND = "first-action", "second-action"
AT_LOCK, AT_HISTORY = "lock", "history"
WAIT = 30  # seconds; only a broken race waits this long

# Sessions of this database waiting for a row lock.
LOCK_WAITS = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                  "AND datname = current_database()",
    "mysql": "SELECT count(*) FROM information_schema.innodb_trx AS t JOIN information_schema.processlist AS p "
             "ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()",
}


def is_lock_statement(statement: str) -> bool:
    text_ = " ".join(statement.split()).upper()
    return "FOR UPDATE" in text_ or text_.startswith("BEGIN IMMEDIATE")


class HeldRace:
    """``run(first, second)``: each call gets a session of its own thread and returns plain values (never the
    thread's ORM objects); the results, or the exceptions raised, in that order."""

    def __init__(self, app: Any, db: Any, hold: str = AT_LOCK) -> None:
        self.app, self.db, self.hold = app, db, hold
        self.history_insert = f"INSERT INTO {app.extensions['order_admin'].store.events.name.upper()}"
        self.first_is_held = threading.Event()
        self.second_is_locking = threading.Event()
        self.second_waited = False

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        name = threading.current_thread().name
        if name == SECOND and not self.second_is_locking.is_set() and is_lock_statement(statement):
            self.second_is_locking.set()
        elif name == FIRST and self.hold == AT_HISTORY and not self.first_is_held.is_set() and \
                " ".join(statement.split()).upper().startswith(self.history_insert):
            self._hold_first()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread().name == FIRST and self.hold == AT_LOCK and not self.first_is_held.is_set() \
                and is_lock_statement(statement):
            self._hold_first()

    def _hold_first(self) -> None:
        self.first_is_held.set()
        assert self.second_is_locking.wait(WAIT), "the second action never came to its lock"
        if self.db.engine.dialect.name == "sqlite":
            return
        deadline = time.monotonic() + WAIT
        while not self._someone_waits_on_a_lock():
            assert time.monotonic() < deadline, "the second action never waited for the first's lock"
            time.sleep(0.01)
        self.second_waited = True

    def _someone_waits_on_a_lock(self) -> bool:
        with self.db.engine.connect() as connection:
            return bool(connection.scalar(text(LOCK_WAITS[self.db.engine.dialect.name])))

    def run(self, first: Callable[[Any], Any], second: Callable[[Any], Any]) -> list[Any]:
        results: list[Any] = [None, None]

        def worker(index: int, call: Callable[[Any], Any], after: threading.Event | None) -> None:
            with self.app.app_context():
                try:
                    if after is not None:
                        assert after.wait(WAIT), "the first action never came to the point it is held at"
                    results[index] = call(self.db.session)
                except Exception as exc:  # asserted on by the test
                    results[index] = exc
                finally:
                    self.db.session.remove()

        event.listen(self.db.engine, "before_cursor_execute", self._before)
        event.listen(self.db.engine, "after_cursor_execute", self._after)
        try:
            threads = [threading.Thread(target=worker, name=FIRST, args=(0, first, None)),
                       threading.Thread(target=worker, name=SECOND, args=(1, second, self.first_is_held))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=2 * WAIT)
            assert not any(t.is_alive() for t in threads), "an action hung (deadlock?)"
        finally:
            event.remove(self.db.engine, "before_cursor_execute", self._before)
            event.remove(self.db.engine, "after_cursor_execute", self._after)
        # The test's own session may hold a snapshot from before the threads (MariaDB's REPEATABLE READ).
        self.db.session.rollback()
        for result in results:
            if isinstance(result, AssertionError):  # the race went otherwise than forced: not a result
                raise result
        return results
