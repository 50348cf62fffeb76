"""The Order actions menu: each action enabled, or disabled with the reason a manager reads.

The rules themselves live in ``domain`` (status tables), ``services`` (the shop's statuses, merge
candidates) and ``access`` (the host's rule); this only puts their answers side by side.
A merge changes two orders, so the host's rule is asked about both (``merge_access_refusal``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import gettext, lazy_gettext, translate

from .. import access
from ..domain import Action
from ..records import OrderRecord
from ..services import MergeCandidates
from ..services import action_refusal as rule_refusal
from ..settings import Settings

MENU_ACTIONS = (Action.EXPORT, Action.CANCEL, Action.RESTORE, Action.CLOSE, Action.MERGE)

ACTION_LABELS = {
    Action.EXPORT: lazy_gettext("Export"),
    Action.CANCEL: lazy_gettext("Cancel"),
    Action.RESTORE: lazy_gettext("Restore"),
    Action.CLOSE: lazy_gettext("Close"),
    Action.MERGE: lazy_gettext("Merge"),
    Action.COMMENT: lazy_gettext("Comment"),
}

# "You are not allowed to …": the verb phrase per action.
_DENIED = {
    Action.EXPORT: lazy_gettext("You are not allowed to export this order."),
    Action.CANCEL: lazy_gettext("You are not allowed to cancel this order."),
    Action.RESTORE: lazy_gettext("You are not allowed to restore this order."),
    Action.CLOSE: lazy_gettext("You are not allowed to close this order."),
    Action.MERGE: lazy_gettext("You are not allowed to merge this order."),
    Action.COMMENT: lazy_gettext("You are not allowed to add notes to this order."),
}


@dataclass(frozen=True)
class MenuEntry:
    action: Action
    label: str
    reason: str | None  # None: enabled

    @property
    def enabled(self) -> bool:
        return self.reason is None


def action_refusal(
    settings: Settings, action: Action, order: OrderRecord, merge_candidates: MergeCandidates | None = None
) -> str | None:
    """Why the current user may not run ``action`` on ``order`` now; None when they may.

    The access rule gets the order as the host's own object.
    """
    if not access.is_allowed(settings, action.value, order.obj):
        return str(_DENIED[action])
    reason = rule_refusal(settings, order, action)
    if reason is None and action == Action.MERGE and merge_candidates is not None:
        return merge_candidates.reason
    return None if reason is None else translate(reason)


def merge_access_refusal(settings: Settings, added: OrderRecord, basic: OrderRecord) -> str | None:
    """Why the host's rule does not let the current user merge ``added`` into ``basic``; None when it does.

    The one place that decides it, for the candidate list, the confirm screen and the POST: the rule is
    asked ``("merge", order)`` for each of the two orders (the host's own objects), and both must allow it.
    """
    if not access.is_allowed(settings, Action.MERGE.value, added.obj):
        return str(_DENIED[Action.MERGE])
    if not access.is_allowed(settings, Action.MERGE.value, basic.obj):
        return gettext("You are not allowed to merge orders into %(number)s.", number=basic.number)
    return None


def permitted_merge_candidates(settings: Settings, added: OrderRecord, found: MergeCandidates) -> MergeCandidates:
    """The candidates the current user may merge ``added`` into; when the rule leaves none, the reason says so."""
    permitted = [basic for basic in found.records if merge_access_refusal(settings, added, basic) is None]
    if permitted or not found.records:
        return MergeCandidates(permitted, found.reason)
    return MergeCandidates([], gettext(
        "You are not allowed to merge into any of the orders this one can be merged into."
    ))


def action_menu(settings: Settings, order: OrderRecord, merge_candidates: MergeCandidates) -> list[MenuEntry]:
    return [
        MenuEntry(action, str(ACTION_LABELS[action]), action_refusal(settings, action, order, merge_candidates))
        for action in MENU_ACTIONS
    ]
