"""The order actions, as functions over a SQLAlchemy session.

Each action is one transaction: it locks the order rows, re-checks the rule on
them, changes them, writes an event and commits; on any error the database is
left as it was and an ``OrderActionError`` says why. They work on the order
tables of the app's panel (its store, ``OrderModels``): the plugin's own, or the
shop's, whose objects they then return. They find the panel in the current app, or
are given it (``panel=``, services/app_panel.py).
"""

from ..errors import BulkActionTooLarge
from .bulk import BulkOutcome, BulkRefusal, bulk_cancel, bulk_close, bulk_restore
from .events import events_of
from .merging import MergeCandidates, find_merge_candidates, item_sums, merge, merge_candidates, merge_refusal
from .orders import get_order, get_order_record
from .previews import MergePreview, OrderGlance, contents, order_glances, preview_merge
from .restoring import LinePreview, RestoreOutcome, RestorePreview, preview_restore, restore, restore_order
from .notes import add_comment, delete_comment, edit_comment, note_change_refusal, note_of
from .order_search import search
from .search_index import index_search
from .status_actions import action_refusal, cancel, close
from .totals_query import OrderSums, item_sums_by_order
from .unmerging import UnmergePreview, preview_unmerge, unmerge

__all__ = [
    "BulkActionTooLarge", "BulkOutcome", "BulkRefusal", "LinePreview", "MergeCandidates", "MergePreview",
    "OrderGlance", "OrderSums", "RestoreOutcome", "RestorePreview", "action_refusal", "add_comment", "bulk_cancel",
    "bulk_close", "bulk_restore", "cancel", "close", "delete_comment", "edit_comment", "events_of", "find_merge_candidates", "get_order",
    "get_order_record", "index_search", "item_sums", "item_sums_by_order", "merge", "merge_candidates", "merge_refusal",
    "note_change_refusal", "note_of", "contents", "order_glances", "preview_merge", "preview_restore", "preview_unmerge", "restore", "restore_order",
    "search", "unmerge", "UnmergePreview",
]
