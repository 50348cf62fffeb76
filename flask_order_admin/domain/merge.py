"""The merge rules: the status matrix (as data) and the same-customer rule.

Rows are the status of the order being added, columns the status of the basic
order that receives its items. The guide's own table lost its marks; the
default below follows its rows and columns (docs/design.md, "Merge matrix").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .statuses import OrderStatus as S

MergeMatrix = Mapping[S, frozenset[S]]

_EARLY = frozenset(
    {S.AWAITING_PAYMENT, S.AWAITING_ADDITIONAL_PAYMENT, S.ADDITIONAL_ORDER,
     S.PROCESSING_AT_WAREHOUSE, S.READY_FOR_PACKING, S.READY_TO_SHIP}
)
_AT_WAREHOUSE = frozenset({S.PROCESSING_AT_WAREHOUSE, S.READY_FOR_PACKING, S.READY_TO_SHIP})

DEFAULT_MERGE_MATRIX: MergeMatrix = {
    S.AWAITING_PAYMENT: _EARLY,
    S.AWAITING_ADDITIONAL_PAYMENT: _EARLY,
    S.ADDITIONAL_ORDER: frozenset(
        {S.AWAITING_PAYMENT, S.AWAITING_ADDITIONAL_PAYMENT, S.ADDITIONAL_ORDER, S.PROCESSING_AT_WAREHOUSE}
    ),
    S.PROCESSING_AT_WAREHOUSE: frozenset({S.ADDITIONAL_ORDER}) | _AT_WAREHOUSE,
    S.READY_FOR_PACKING: _AT_WAREHOUSE,
    S.READY_TO_SHIP: _AT_WAREHOUSE,
}

# Statuses that end an order's life can never take part in a merge, whatever the host's matrix says.
NEVER_MERGED = frozenset({S.COMPLETED, S.CANCELED, S.MERGED})


def normalize_matrix(raw: Mapping[object, Iterable[object]]) -> dict[S, frozenset[S]]:
    """Check a host-supplied matrix; ValueError names the first bad entry."""
    if not isinstance(raw, Mapping):
        raise ValueError("must be a mapping of added-order status to basic-order statuses")
    matrix: dict[S, frozenset[S]] = {}
    for added, basics in raw.items():
        added_status = S.parse(added)
        if isinstance(basics, (str, bytes)) or not isinstance(basics, Iterable):
            raise ValueError(f"the entry for {added_status.value!r} must be a list of statuses")
        basic_statuses = frozenset(S.parse(b) for b in basics)
        for status in {added_status} | basic_statuses:
            if status in NEVER_MERGED:
                raise ValueError(f"status {status.value!r} can never take part in a merge")
        matrix[added_status] = basic_statuses
    return matrix


def basic_statuses_for(matrix: MergeMatrix, added: S) -> frozenset[S]:
    return matrix.get(added, frozenset())


def matrix_allows(matrix: MergeMatrix, added: S, basic: S) -> bool:
    return basic in basic_statuses_for(matrix, added)


def normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


@dataclass(frozen=True)
class Buyer:
    customer_ref: str | None
    email: str | None


def same_customer(a: Buyer, b: Buyer) -> bool:
    """Equal customer refs; where either ref is empty, equal emails ignoring case (docs/design.md, "Actions")."""
    a_ref, b_ref = (a.customer_ref or "").strip(), (b.customer_ref or "").strip()
    if a_ref and b_ref:
        return a_ref == b_ref
    a_email, b_email = normalize_email(a.email), normalize_email(b.email)
    return bool(a_email) and a_email == b_email
