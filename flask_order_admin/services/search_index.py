"""Keeping the search's own index (``order_admin_search_keys``, ``order_admin_item_keys``) up to date,
whatever wrote the orders: the panel, a shop's import, raw SQL (docs/design.md, "Search keys").

Before each search one statement tells whether some order or line is newer than the newest indexed one
(as a rule none is); those are indexed, a chunk per transaction, as an action's: it refuses to run on a
session holding the caller's uncommitted work. Two searches indexing the same chunk at once: the second's
insert meets the first's keys, and it stops (the keys are there either way).
``flask order-admin index-search`` calls ``index_search`` for a first fill, and with ``everything=True``
after a shop changed buyers' names, phones or emails, or lines' items, in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..store.search_index import SEARCH_INDEX_CHUNK
from .app_panel import ServicePanel
from .transaction import action_transaction


# Chunks of new orders (and of new lines) a search indexes before it looks: a shop's first search after
# installing or upgrading must not index a whole shop inside a request (2,000 orders a second or so); the
# CLI fills the rest (docs/design.md, "Search keys").
SEARCH_CATCH_UP_CHUNKS = 2


def index_new_search_keys(session: Session, panel: ServicePanel, *, max_chunks: int | None = None) -> int:
    """Index the orders and lines placed since the newest indexed ones (at most ``max_chunks`` chunks of
    each; None: all); how many rows were indexed."""
    binding = panel.store
    new_orders, new_lines = binding.search_index_news(session)
    done = 0
    if new_orders:
        done += _index_new(session, panel, binding.orders_to_index, "orders", max_chunks)
    if new_lines:
        done += _index_new(session, panel, binding.lines_to_index, "lines", max_chunks)
    return done


def _index_new(session: Session, panel: ServicePanel, read: Callable[..., Sequence[Any]], kind: str,
               max_chunks: int | None) -> int:
    done, chunks = 0, 0
    while (max_chunks is None or chunks < max_chunks) and (rows := read(session)):
        chunks += 1
        try:
            with action_transaction(session, panel):
                if kind == "orders":
                    panel.store.index_search_keys(session, orders=rows)
                else:
                    panel.store.index_search_keys(session, lines=rows)
        except IntegrityError:
            return done  # another search indexed them meanwhile: they are there either way
        done += len(rows)
        if len(rows) < SEARCH_INDEX_CHUNK:
            break
    return done


def index_search(session: Session, panel: ServicePanel, *, everything: bool = False) -> int:
    """Index new orders and lines, or (``everything``) re-read every one; how many rows were indexed."""
    if not everything:
        return index_new_search_keys(session, panel)
    binding = panel.store
    done = 0
    for read, kind in ((binding.orders_to_index, "orders"), (binding.lines_to_index, "lines")):
        after = 0
        while rows := read(session, after):
            with action_transaction(session, panel):
                if kind == "orders":
                    binding.index_search_keys(session, orders=rows, replace=True)
                else:
                    binding.index_search_keys(session, lines=rows, replace=True)
            done += len(rows)
            after = rows[-1][0]
    return done
