"""Which action may run from which status, kept as tables.

The views show a disabled action with ``refusal_reason``; the services refuse
with the same sentence, so a manager reads one wording everywhere.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from .statuses import OrderStatus as S


class Action(enum.StrEnum):
    EXPORT = "export"
    CANCEL = "cancel"
    RESTORE = "restore"
    CLOSE = "close"
    MERGE = "merge"
    COMMENT = "comment"


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[S] | None  # None: every status
    to_status: S | None  # None: the status does not change


# Cancel only while the goods have not reached the warehouse (SPEC §5, decided).
_CANCELABLE = frozenset({S.AWAITING_PAYMENT, S.AWAITING_ADDITIONAL_PAYMENT, S.PROCESSING, S.ADDITIONAL_ORDER})
_CLOSABLE = frozenset(
    {
        S.PROCESSING,
        S.ADDITIONAL_ORDER,
        S.PROCESSING_AT_WAREHOUSE,
        S.AWAITING_PACKING_CONFIRMATION,
        S.READY_FOR_PACKING,
        S.READY_TO_SHIP,
        S.SHIPPED,
    }
)

TRANSITIONS: Mapping[Action, Transition] = {
    Action.EXPORT: Transition(allowed_from=None, to_status=None),
    Action.CANCEL: Transition(allowed_from=_CANCELABLE, to_status=S.CANCELED),
    Action.RESTORE: Transition(allowed_from=frozenset({S.CANCELED}), to_status=S.AWAITING_PAYMENT),
    Action.CLOSE: Transition(allowed_from=_CLOSABLE, to_status=S.COMPLETED),
    # A completed or merged order is read-only: only export is left.
    Action.COMMENT: Transition(
        allowed_from=frozenset(set(S) - {S.COMPLETED, S.MERGED}), to_status=None
    ),
}

ACTION_VERBS: Mapping[Action, str] = {
    Action.EXPORT: "exported",
    Action.CANCEL: "canceled",
    Action.RESTORE: "restored",
    Action.CLOSE: "closed",
    Action.MERGE: "merged",
    Action.COMMENT: "commented",
}


def _status_list(statuses: frozenset[S]) -> str:
    labels = [s.label for s in S if s in statuses]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def refusal_reason(action: Action, status: S) -> str | None:
    """Why ``action`` is not allowed from ``status``; None when it is allowed.

    Merge has no row here: the merge matrix decides it, pair by pair (``domain.merge``).
    """
    transition = TRANSITIONS[action]
    if transition.allowed_from is None or status in transition.allowed_from:
        return None
    return (
        f"Only orders in status {_status_list(transition.allowed_from)} can be "
        f"{ACTION_VERBS[action]}; this order is {status.label}."
    )


def is_allowed(action: Action, status: S) -> bool:
    return refusal_reason(action, status) is None


def target_statuses(action: Action, merge_result: S) -> tuple[S, ...]:
    """The statuses ``action`` sets: a shop must have a value for each, or the action is off."""
    if action == Action.MERGE:
        return (S.MERGED, merge_result)
    to_status = TRANSITIONS[action].to_status
    return () if to_status is None else (to_status,)


def switched_off_reason(action: Action, mapped: frozenset[S], merge_result: S) -> str | None:
    """Why ``action`` cannot run at all on a shop whose statuses are ``mapped``; None when it can."""
    for status in target_statuses(action, merge_result):
        if status not in mapped:
            return (
                f"This shop has no status for {status.label.lower()} orders, so orders cannot be "
                f"{ACTION_VERBS[action]} here."
            )
    return None


def unknown_status_reason(action: Action, raw_status: object) -> str | None:
    """An order whose stored status the panel does not know can only be exported."""
    if action == Action.EXPORT:
        return None
    return (
        f"This order has status {raw_status!s}, which this panel does not know, so it cannot be "
        f"{ACTION_VERBS[action]} here."
    )
