"""Which action may run from which status, kept as tables.

The views show a disabled action with ``refusal_reason``; the services refuse
with the same sentence, so a manager reads one wording everywhere.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .messages import N_, NP_, Listing, Message
from .statuses import OrderStatus as S


class Action(enum.StrEnum):
    EXPORT = "export"
    CANCEL = "cancel"
    RESTORE = "restore"
    CLOSE = "close"
    MERGE = "merge"
    UNMERGE = "unmerge"
    COMMENT = "comment"


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[S] | None  # None: every status
    to_status: S | None  # None: the status does not change


# Cancel only while the goods have not reached the warehouse (docs/design.md, "Actions").
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

# Why an action is refused, one sentence per action (a verb alone does not translate): the status
# tables' refusal, the refusal on a shop that has no status for the action's result, and on an order
# whose stored status the panel does not know. Merge's status refusals come from the merge matrix.
_REFUSED_FROM: Mapping[Action, Message] = {
    Action.CANCEL: NP_("Only orders in status %(allowed)s can be canceled; this order is %(status)s.",
                       "Only orders in one of the statuses %(allowed)s can be canceled; this order is %(status)s.", 0),
    Action.RESTORE: NP_("Only orders in status %(allowed)s can be restored; this order is %(status)s.",
                        "Only orders in one of the statuses %(allowed)s can be restored; this order is %(status)s.", 0),
    Action.CLOSE: NP_("Only orders in status %(allowed)s can be closed; this order is %(status)s.",
                      "Only orders in one of the statuses %(allowed)s can be closed; this order is %(status)s.", 0),
    Action.COMMENT: NP_(
        "Notes can be added only to orders in status %(allowed)s; this order is %(status)s.",
        "Notes can be added only to orders in one of the statuses %(allowed)s; this order is %(status)s.", 0),
}

# The status tables' refusal on a shop that has none of the statuses the action runs from.
_FROM_NONE: Mapping[Action, Message] = {
    Action.CANCEL: N_("No order of this shop can be canceled: it has none of the statuses canceling starts from."),
    Action.RESTORE: N_("No order of this shop can be restored: it has none of the statuses restoring starts from."),
    Action.CLOSE: N_("No order of this shop can be closed: it has none of the statuses closing starts from."),
    Action.COMMENT: N_("Notes cannot be added to any order of this shop: it has none of the statuses notes are "
                       "allowed in."),
}

_SWITCHED_OFF: Mapping[Action, Message] = {
    Action.EXPORT: N_("This shop has no status “%(status)s”, so orders cannot be exported here."),
    Action.CANCEL: N_("This shop has no status “%(status)s”, so orders cannot be canceled here."),
    Action.RESTORE: N_("This shop has no status “%(status)s”, so orders cannot be restored here."),
    Action.CLOSE: N_("This shop has no status “%(status)s”, so orders cannot be closed here."),
    Action.MERGE: N_("This shop has no status “%(status)s”, so orders cannot be merged here."),
    Action.COMMENT: N_("This shop has no status “%(status)s”, so notes cannot be added here."),
}

_UNKNOWN_STATUS: Mapping[Action, Message] = {
    Action.CANCEL: N_("This order has status %(raw)s, which this panel does not know, so it cannot be canceled here."),
    Action.RESTORE: N_("This order has status %(raw)s, which this panel does not know, so it cannot be restored here."),
    Action.CLOSE: N_("This order has status %(raw)s, which this panel does not know, so it cannot be closed here."),
    Action.MERGE: N_("This order has status %(raw)s, which this panel does not know, so it cannot be merged here."),
    Action.COMMENT: N_(
        "This order has status %(raw)s, which this panel does not know, so notes cannot be added to it here."),
}


def status_list(statuses: frozenset[S]) -> Listing:
    """The labels of ``statuses``, in the statuses' own order."""
    return Listing(tuple(s.label for s in S if s in statuses))


def refusal_reason(action: Action, status: S, mapped: frozenset[S] | None = None) -> Message | None:
    """Why ``action`` is not allowed from ``status``; None when it is allowed.

    ``mapped``: the statuses the shop has (None: all); the refusal lists only those, never a status the
    manager cannot meet in this shop (docs/design.md, "Refusals name the shop's statuses").
    Merge has no row here: the merge matrix decides it, pair by pair (``domain.merge``).
    """
    transition = TRANSITIONS[action]
    if transition.allowed_from is None or status in transition.allowed_from:
        return None
    allowed = transition.allowed_from if mapped is None else transition.allowed_from & mapped
    if not allowed:
        return _FROM_NONE[action]
    return replace(_REFUSED_FROM[action], count=len(allowed),
                   params={"allowed": status_list(allowed), "status": status.label})


def is_allowed(action: Action, status: S) -> bool:
    return refusal_reason(action, status) is None


def target_statuses(action: Action, merge_result: S) -> tuple[S, ...]:
    """The statuses ``action`` sets: a shop must have a value for each, or the action is off."""
    if action == Action.MERGE:
        return (S.MERGED, merge_result)
    to_status = TRANSITIONS[action].to_status
    return () if to_status is None else (to_status,)


def switched_off_reason(action: Action, mapped: frozenset[S], merge_result: S) -> Message | None:
    """Why ``action`` cannot run at all on a shop whose statuses are ``mapped``; None when it can."""
    for status in target_statuses(action, merge_result):
        if status not in mapped:
            return replace(_SWITCHED_OFF[action], params={"status": status.label})
    return None


def unknown_status_reason(action: Action, raw_status: object) -> Message | None:
    """An order whose stored status the panel does not know can only be exported."""
    if action == Action.EXPORT:
        return None
    return replace(_UNKNOWN_STATUS[action], params={"raw": str(raw_status)})


# The host's access rule (ORDER_ADMIN_ACCESS) said no to this manager: which action they may not run.
ACCESS_DENIED: Mapping[Action, Message] = {
    Action.EXPORT: N_("You are not allowed to export this order."),
    Action.CANCEL: N_("You are not allowed to cancel this order."),
    Action.RESTORE: N_("You are not allowed to restore this order."),
    Action.CLOSE: N_("You are not allowed to close this order."),
    Action.MERGE: N_("You are not allowed to merge this order."),
    Action.UNMERGE: N_("You are not allowed to undo the merge of this order."),
    Action.COMMENT: N_("You are not allowed to add notes to this order."),
}
