"""The order actions, as functions over a SQLAlchemy session.

Each action is one transaction: it locks the order rows, re-checks the rule on
them, changes them, writes an ``OrderEvent`` and commits; on any error the
database is left as it was and an ``OrderActionError`` says why.
"""

from .merging import MergeCandidates, find_merge_candidates, item_sums, merge, merge_candidates, merge_refusal
from .orders import get_order
from .restoring import restore
from .order_search import search
from .status_actions import add_comment, cancel, close
from .totals_query import OrderSums, item_sums_by_order

__all__ = [
    "MergeCandidates", "OrderSums", "add_comment", "cancel", "close", "find_merge_candidates", "get_order",
    "item_sums", "item_sums_by_order", "merge", "merge_candidates", "merge_refusal", "restore", "search",
]
