"""The default merge matrix against the table in docs/design.md, "Merge matrix", and the host-matrix check."""

import pytest

from flask_order_admin.domain import DEFAULT_MERGE_MATRIX, Buyer, matrix_allows, normalize_matrix, same_customer
from flask_order_admin.domain import OrderStatus as S

COLUMNS = ["awaiting_payment", "awaiting_additional_payment", "additional_order", "processing_at_warehouse",
           "ready_for_packing", "ready_to_ship"]
# Rows in the order of that table; "x" marks an allowed pair, "-" a refused one.
DESIGN_TABLE = {
    "awaiting_payment": "xxxxxx",
    "awaiting_additional_payment": "xxxxxx",
    "additional_order": "xxxx--",
    "processing_at_warehouse": "--xxxx",
    "ready_for_packing": "---xxx",
    "ready_to_ship": "---xxx",
}


@pytest.mark.parametrize("added", list(S))
@pytest.mark.parametrize("basic", list(S))
def test_default_matrix_matches_the_spec_table(added, basic):
    expected = added.value in DESIGN_TABLE and basic.value in COLUMNS and \
        DESIGN_TABLE[added.value][COLUMNS.index(basic.value)] == "x"
    assert matrix_allows(DEFAULT_MERGE_MATRIX, added, basic) == expected


def test_host_matrix_with_unknown_status_names_it():
    with pytest.raises(ValueError, match="'paid'"):
        normalize_matrix({"awaiting_payment": ["paid"]})
    with pytest.raises(ValueError, match="'nope'"):
        normalize_matrix({"nope": ["awaiting_payment"]})


def test_host_matrix_cannot_merge_final_statuses():
    with pytest.raises(ValueError, match="completed"):
        normalize_matrix({"awaiting_payment": ["completed"]})


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Buyer("c1", "x@a.cn"), Buyer("c1", "y@a.cn"), True),
        (Buyer("c1", "x@a.cn"), Buyer("c2", "x@a.cn"), False),
        (Buyer("", "X@A.cn "), Buyer("c2", "x@a.cn"), True),
        (Buyer(None, "x@a.cn"), Buyer(None, "y@a.cn"), False),
        (Buyer(None, None), Buyer(None, None), False),
    ],
)
def test_same_customer_rule(a, b, same):
    assert same_customer(a, b) is same
    assert same_customer(b, a) is same
