"""The action tables against docs/design.md, "Actions", written out here independently of the code."""

import pytest

from flask_order_admin.domain import TRANSITIONS, Action, OrderStatus, is_allowed, refusal_reason

ALL = set(OrderStatus)
CANCEL_FROM = {"awaiting_payment", "awaiting_additional_payment", "processing", "additional_order"}
CLOSE_FROM = {
    "processing", "additional_order", "processing_at_warehouse", "awaiting_packing_confirmation",
    "ready_for_packing", "ready_to_ship", "shipped",
}
RESTORE_FROM = {"canceled"}


def test_statuses_are_the_twelve_codes_of_the_spec():
    assert [s.value for s in OrderStatus] == [
        "awaiting_payment", "awaiting_additional_payment", "processing", "additional_order",
        "processing_at_warehouse", "awaiting_packing_confirmation", "ready_for_packing", "ready_to_ship",
        "shipped", "completed", "canceled", "merged",
    ]
    assert str(OrderStatus.AWAITING_PACKING_CONFIRMATION.label) == "Awaiting confirmation of packing"
    assert OrderStatus("canceled") == "canceled"


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize(
    ("action", "allowed_from"),
    [(Action.CANCEL, CANCEL_FROM), (Action.CLOSE, CLOSE_FROM), (Action.RESTORE, RESTORE_FROM),
     (Action.EXPORT, {s.value for s in ALL})],
)
def test_action_table(status, action, allowed_from):
    assert is_allowed(action, status) == (status.value in allowed_from)
    reason = refusal_reason(action, status)
    if status.value in allowed_from:
        assert reason is None
    else:
        assert str(status.label) in str(reason)


def test_restore_refusal_reads_like_the_spec():
    assert str(refusal_reason(Action.RESTORE, OrderStatus.SHIPPED)).startswith(
        "Only orders in status Canceled can be restored"
    )


def test_a_refusal_lists_only_the_statuses_the_shop_has():
    mapped = frozenset({OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.CANCELED, OrderStatus.COMPLETED})
    assert str(refusal_reason(Action.CLOSE, OrderStatus.CANCELED, mapped)) == (
        "Only orders in one of the statuses Processing, Shipped can be closed; this order is Canceled.")
    assert str(refusal_reason(Action.CANCEL, OrderStatus.SHIPPED, mapped)) == (
        "Only orders in status Processing can be canceled; this order is Shipped.")
    assert refusal_reason(Action.CLOSE, OrderStatus.SHIPPED, mapped) is None
    # None of the statuses it runs from: said so, not an empty list.
    assert str(refusal_reason(Action.RESTORE, OrderStatus.SHIPPED, mapped - {OrderStatus.CANCELED})) == (
        "No order of this shop can be restored: it has none of the statuses restoring starts from.")


def test_completed_order_allows_only_export():
    allowed = [a for a in TRANSITIONS if is_allowed(a, OrderStatus.COMPLETED)]
    assert allowed == [Action.EXPORT]
    assert Action.MERGE not in TRANSITIONS  # the merge matrix decides merges


def test_unknown_status_is_refused_with_its_name():
    with pytest.raises(ValueError, match="'lost'"):
        OrderStatus.parse("lost")
