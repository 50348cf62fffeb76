"""The Order actions menu: each action enabled, or disabled with the reason a manager reads.

The rules themselves live in ``domain`` (status tables), ``services`` (the shop's statuses, merge
candidates) and ``access`` (the host's rule); this only puts their answers side by side.
A merge changes two orders, so the host's rule is asked about both (``merge_access_refusal``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import url_for

from .. import access
from ..domain import Action, OrderStatus
from ..domain.rules import ACCESS_DENIED
from ..domain.messages import N_
from ..errors import ActionNotAllowed
from ..i18n import gettext, lazy_gettext, lazy_pgettext, translate
from ..store.records import OrderRecord
from ..services import MergeCandidates
from ..services import action_refusal
from ..services.app_panel import find_panel
from ..settings import Settings

MENU_ACTIONS = (Action.EXPORT, Action.CANCEL, Action.RESTORE, Action.CLOSE, Action.MERGE, Action.UNMERGE)

# "order action": Cancel the order (not dismiss a dialog), Close the order (not a window).
ACTION_LABELS = {
    Action.EXPORT: lazy_pgettext("order action", "Export"),
    Action.CANCEL: lazy_pgettext("order action", "Cancel"),
    Action.RESTORE: lazy_pgettext("order action", "Restore"),
    Action.CLOSE: lazy_pgettext("order action", "Close"),
    Action.MERGE: lazy_pgettext("order action", "Merge"),
    Action.UNMERGE: lazy_pgettext("order action", "Unmerge"),
    Action.COMMENT: lazy_pgettext("order action", "Add note"),
}

@dataclass(frozen=True)
class MenuEntry:
    """One entry of the Order actions menu: where it leads, or (disabled) why it cannot run now."""

    action: Action
    label: str
    url: str | None  # None: disabled
    reason: str | None = None
    format: str | None = None  # an export entry's file format
    hint: str | None = None  # an enabled entry's line under its label: what comes next

    @property
    def enabled(self) -> bool:
        return self.url is not None


@dataclass(frozen=True)
class ActionMenu:
    entries: list[MenuEntry]
    # A completed or merged order says once why its actions are disabled (``note``); otherwise each disabled
    # entry shows its reason under its label, readable without pointing at it (a phone has no hover).
    note: str | None

    def shows_reason(self, entry: MenuEntry) -> bool:
        """Unmerge's reason says what changed since the merge, which the note does not."""
        return not entry.enabled and (self.note is None or entry.action == Action.UNMERGE)



def refusal_for_current_user(
    settings: Settings, action: Action, order: OrderRecord, merge_candidates: MergeCandidates | None = None
) -> str | None:
    """Why the current user may not run ``action`` on ``order`` now, in their language; None when they may.

    ``services.action_refusal`` decides, asking the access rule for the current user (with the order as the
    host's own object); a merge also needs a candidate.
    """
    # The app's panel: its store says which statuses the shop has.
    reason = action_refusal(find_panel(), order, action,
                            allowed=lambda obj: access.is_allowed(settings, action.value, obj))
    if reason is None and action == Action.MERGE and merge_candidates is not None:
        reason = merge_candidates.reason
    return None if reason is None else translate(reason)


def refuse_unless_allowed(settings: Settings, action: Action, order: OrderRecord) -> None:
    """ActionNotAllowed, saying why, unless the current user may run ``action`` on ``order`` now."""
    reason = refusal_for_current_user(settings, action, order)
    if reason is not None:
        raise ActionNotAllowed(reason, order_number=order.number)


def merge_access_refusal(settings: Settings, added: OrderRecord, basic: OrderRecord) -> str | None:
    """Why the host's rule does not let the current user merge ``added`` into ``basic``; None when it does.

    The one place that decides it, for the candidate list, the confirm screen and the POST: the rule is
    asked ``("merge", order)`` for each of the two orders (the host's own objects), and both must allow it.
    """
    if not access.is_allowed(settings, Action.MERGE.value, added.obj):
        return translate(ACCESS_DENIED[Action.MERGE])
    if not access.is_allowed(settings, Action.MERGE.value, basic.obj):
        return gettext("You are not allowed to merge orders into %(number)s.", number=basic.number)
    return None


def unmerge_access_refusal(settings: Settings, added: OrderRecord, basic: OrderRecord | None) -> str | None:
    """Why the host's rule does not let the current user undo the merge of ``added`` into ``basic``; None when it
    does. As for a merge, both orders are asked about: ``("unmerge", order)`` for each."""
    if not access.is_allowed(settings, Action.UNMERGE.value, added.obj):
        return translate(ACCESS_DENIED[Action.UNMERGE])
    if basic is not None and not access.is_allowed(settings, Action.UNMERGE.value, basic.obj):
        return gettext("You are not allowed to undo merges into %(number)s.", number=basic.number)
    return None


def permitted_merge_candidates(settings: Settings, added: OrderRecord, found: MergeCandidates) -> MergeCandidates:
    """The candidates the current user may merge ``added`` into; when the rule leaves none, the reason says so."""
    permitted = [basic for basic in found.records if merge_access_refusal(settings, added, basic) is None]
    if permitted or not found.records:
        return MergeCandidates(permitted, found.reason)
    return MergeCandidates([], N_("You are not allowed to merge into any of the orders this one can be merged into."))


def action_menu(
    settings: Settings, order: OrderRecord, merge_candidates: MergeCandidates, return_url: str | None, *,
    refusals: Mapping[Action, str] | None = None,
) -> ActionMenu:
    """The menu of ``order``'s page, each entry with its URL (every format's export its own entry);
    ``refusals``: reasons the page found besides the rules (Restore when no item is sold any more)."""
    entries = []
    for action in MENU_ACTIONS:
        if action == Action.UNMERGE and order.status != OrderStatus.MERGED:
            continue  # only a merged order has a merge to undo
        reason = refusal_for_current_user(settings, action, order, merge_candidates) or (refusals or {}).get(action)
        label = str(ACTION_LABELS[action])
        if reason is not None:
            entries.append(MenuEntry(action, label, None, reason))
        elif action == Action.EXPORT:
            entries.extend(_export_entries(settings, order, label, return_url))
        else:
            entries.append(MenuEntry(action, label, _action_url(settings, action, order, return_url),
                                     hint=str(_HINTS[action]) if action in _HINTS else None))
    return ActionMenu(entries, _disabled_note(order, [entry for entry in entries if not entry.enabled]))


def _export_entries(settings: Settings, order: OrderRecord, label: str, return_url: str | None) -> list[MenuEntry]:
    """One entry per offered format and column set; the first format and the default columns need no
    ?format= or ?preset= in the URL."""
    formats, presets = settings.export_formats, settings.export_presets
    entries = []
    for preset_index, preset in enumerate(presets):
        for index, fmt in enumerate(formats):
            text = f"{label} (.{fmt})" if len(formats) > 1 else label
            if len(presets) > 1:
                text = f"{text}: {translate(preset.label)}"
            entries.append(MenuEntry(Action.EXPORT, text, url_for(
                f"{settings.endpoint_prefix}_orders.export_order_view", order_id=order.id,
                format=None if index == 0 else fmt, preset=None if preset_index == 0 else preset.key, url=return_url,
            ), format=fmt))
    return entries


def _action_url(settings: Settings, action: Action, order: OrderRecord, return_url: str | None) -> str:
    """Merge goes to the list of orders to merge into; the others to their confirm screen."""
    endpoint = f"{settings.endpoint_prefix}_orders"
    if action == Action.MERGE:
        return url_for(f"{endpoint}.merge_candidates_view", order_id=order.id, version=order.version, url=return_url)
    return url_for(f"{endpoint}.confirm_view", order_id=order.id, action_name=action.value,
                   version=order.version, url=return_url)


# The order page never asks the price resolver (docs/design.md, "Views"): Restore says where its prices appear.
_HINTS = {
    Action.RESTORE: lazy_gettext("Prices are recalculated on the next screen; nothing changes until you confirm."),
}

# An order that only export is left for says so once, rather than once per disabled action.
_READ_ONLY_NOTES = {
    OrderStatus.COMPLETED: lazy_gettext("A completed order can only be exported."),
    OrderStatus.MERGED: lazy_gettext(
        "A merged order can only be exported or unmerged: its items are in the basic order."),
}


def _disabled_note(order: OrderRecord, disabled: list[MenuEntry]) -> str | None:
    if disabled and order.status in _READ_ONLY_NOTES and all(entry.action != Action.EXPORT for entry in disabled):
        return str(_READ_ONLY_NOTES[order.status])
    return None
