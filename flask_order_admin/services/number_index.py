"""Keeping the index of a shop's own order numbers (``order_admin_number_keys``) up to date.

Before each search the orders newer than the newest indexed one are indexed (one index-range
query finds them; as a rule there are none, or the few placed since the last search). Each chunk
is written in a transaction of its own, as an action's: it refuses to run on a session holding the
caller's uncommitted work. ``flask order-admin index-numbers`` calls ``index_numbers`` for a
shop's first fill, and with ``everything=True`` after the shop changed existing numbers.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..store.numbers import INDEX_CHUNK
from .app_panel import ServicePanel
from .transaction import action_transaction


def index_new_orders(session: Session, panel: ServicePanel) -> int:
    """Index the orders placed since the newest indexed one; how many were indexed."""
    binding = panel.store
    done = 0
    while rows := binding.unindexed_numbers(session):
        try:
            with action_transaction(session, panel):
                binding.index_numbers(session, rows)
        except IntegrityError:
            return done  # another search indexed them meanwhile: they are there either way
        done += len(rows)
        if len(rows) < INDEX_CHUNK:
            break
    return done


def index_numbers(session: Session, panel: ServicePanel, *, everything: bool = False) -> int:
    """Index new orders, or (``everything``) re-read every order's number; how many were indexed."""
    if not everything:
        return index_new_orders(session, panel)
    binding = panel.store
    done, after = 0, 0
    while rows := binding.numbers_after(session, after):
        with action_transaction(session, panel):
            binding.index_numbers(session, rows, replace=True)
        done += len(rows)
        after = rows[-1][0]
    return done
