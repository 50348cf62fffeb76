"""The Order actions menu: each action enabled, or disabled with the reason a manager reads.

The rules themselves live in ``domain`` (status tables), ``services`` (the shop's statuses, merge
candidates) and ``access`` (the host's rule); this only puts their answers side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_admin.babel import lazy_gettext

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
    return reason


def action_menu(settings: Settings, order: OrderRecord, merge_candidates: MergeCandidates) -> list[MenuEntry]:
    return [
        MenuEntry(action, str(ACTION_LABELS[action]), action_refusal(settings, action, order, merge_candidates))
        for action in MENU_ACTIONS
    ]
