"""One consistent read of the orders for a whole export job, on each database.

- PostgreSQL: one ``REPEATABLE READ, READ ONLY`` transaction: every row as of its first query.
- MariaDB/MySQL: ``START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`` at REPEATABLE READ (InnoDB).
- SQLite in WAL mode: one read transaction (``BEGIN``): a snapshot; writers are not blocked.
- SQLite in its default rollback-journal mode: an open read transaction would block every writer
  (order actions, the job's own progress reports) for the whole export, so each chunk of 500 orders
  is read in a short transaction of its own: each order (and each chunk) is consistent, but an
  order changed during the export may be written as it was before or after the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session


@dataclass
class SnapshotRead:
    session: Session
    # None: the whole read is one snapshot; else a short read transaction to wrap each chunk in.
    chunk_reads: Callable[[], AbstractContextManager[object]] | None
    guarantee: str  # for the log: what this database gave


def _sqlite_chunk_reads(connection: Connection) -> Callable[[], AbstractContextManager[object]]:
    @contextmanager
    def read() -> Iterator[None]:
        connection.exec_driver_sql("BEGIN")
        try:
            yield
        finally:
            connection.exec_driver_sql("ROLLBACK")

    return read


@contextmanager
def snapshot_read(engine: Engine) -> Iterator[SnapshotRead]:
    """A session reading one snapshot (see the module's notes); nothing it reads can be written back."""
    with engine.connect() as connection:
        name = connection.dialect.name
        chunk_reads = None
        if name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            guarantee = "snapshot (REPEATABLE READ, READ ONLY)"
        elif name in ("mysql", "mariadb"):
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            connection.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
            guarantee = "snapshot (WITH CONSISTENT SNAPSHOT)"
        elif name == "sqlite" and str(connection.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "wal":
            connection.exec_driver_sql("BEGIN")
            guarantee = "snapshot (SQLite WAL read transaction)"
        elif name == "sqlite":
            chunk_reads = _sqlite_chunk_reads(connection)
            guarantee = "per chunk of orders (SQLite rollback journal)"
        else:
            guarantee = "none (unknown database)"
        session = Session(bind=connection, autoflush=False, expire_on_commit=False)
        try:
            yield SnapshotRead(session=session, chunk_reads=chunk_reads, guarantee=guarantee)
        finally:
            session.close()
            connection.rollback()
