"""The order rules in plain Python: no Flask, no SQL."""

from .merge import DEFAULT_MERGE_MATRIX, Buyer, basic_statuses_for, matrix_allows, normalize_matrix, same_customer
from .numbers import NotAnOrderNumber, NumberFormat, TrailingDigits
from .rules import TRANSITIONS, Action, is_allowed, refusal_reason
from .statuses import STATUS_LABELS, OrderStatus
from .totals import LineTotals, OrderTotals, line_totals, money, order_totals

__all__ = [
    "DEFAULT_MERGE_MATRIX", "Action", "Buyer", "LineTotals", "NotAnOrderNumber", "NumberFormat",
    "OrderStatus", "OrderTotals", "STATUS_LABELS", "TRANSITIONS", "TrailingDigits",
    "basic_statuses_for", "is_allowed", "line_totals", "matrix_allows", "money",
    "normalize_matrix", "order_totals", "refusal_reason", "same_customer",
]
