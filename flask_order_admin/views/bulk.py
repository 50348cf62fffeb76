"""Bulk Cancel, Close and Restore from both lists: for the ticked rows (Flask-Admin's "With selected"
actions) or for every order the list's filters match, behind a confirm screen.

The flow: a "With selected" entry posts the ticked rows to Flask-Admin's ``action_view``, whose handler
answers with the confirm screen (it changes nothing); "Change all matching" is a GET of the same screen
with the list's filters in its query string. The screen says how many orders will change and how many will
be skipped and why, lists every order, and stops at the cap (``ORDER_ADMIN_BULK_ACTION_LIMIT``). Its Yes
posts (CSRF) the orders it counted, each with its version, signed, to ``bulk_run_view``, which runs the bulk
service on exactly those (``services.bulk``: each order on its own, only if unchanged since, the access rule
asked per order), keeps the result (``services.bulk_results``) and redirects to ``bulk_result_view``:
"12 closed, 3 refused", the refusals grouped by reason, and the way back to the same list
(docs/design.md, "Bulk actions").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flask import current_app, flash, redirect, request
from flask import session as browser_session
from flask_admin import expose
from flask_admin.actions import action
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from .. import access
from ..domain import Action
from ..domain.rules import switched_off_reason
from ..errors import OrderNotFound
from ..i18n import gettext, lazy_pgettext, ngettext, translate
from ..store.records import OrderRecord, order_records
from ..services import BulkOutcome, bulk_cancel, bulk_close, bulk_restore
from ..services.bulk_results import KEY_PATTERN, keep_result, kept_result
from ..settings import Settings
from ..store import OrderStore
from .actions import YES_BUTTON_STYLES, form_problem
from .formats import amount
from .forms import BulkActionForm, BulkCancelForm, with_reasons
from .listing import page_totals
from .menu import refusal_for_current_user
from .redirects import local_path

T = TypeVar("T")

BULK_ACTION_NAMES = "any(cancel,close,restore)"
PAGE_ROWS = 25  # the confirm screen's orders table shows this many a page (a screenful), its pages on the screen
RESULTS_IN_SESSION = 5  # the keys of a manager's latest results their (cookie) session remembers
SESSION_RESULTS = "order_admin_bulk_results"
SIGNING_SALT = "flask-order-admin.bulk-confirm"

# The Yes, named by the action and the number of orders it will change.
YES_LABELS: dict[Action, Callable[[int], str]] = {
    Action.CANCEL: lambda n: ngettext("Cancel %(num)d order", "Cancel %(num)d orders", n),
    Action.CLOSE: lambda n: ngettext("Close %(num)d order", "Close %(num)d orders", n),
    Action.RESTORE: lambda n: ngettext("Restore %(num)d order", "Restore %(num)d orders", n),
}

# What the manager should know before Yes, beyond the counts.
NOTES: dict[Action, Callable[[], str]] = {
    Action.CANCEL: lambda: "",
    Action.CLOSE: lambda: gettext("A completed order can only be exported."),
    Action.RESTORE: lambda: gettext("Item prices will be recalculated as of today; an order with an item no longer "
                                    "sold is refused and stays canceled."),
}

# Result page: how many orders changed, per action.
DONE: dict[Action, Callable[[int], str]] = {
    Action.CANCEL: lambda n: ngettext("%(num)d canceled", "%(num)d canceled", n),
    Action.CLOSE: lambda n: ngettext("%(num)d closed", "%(num)d closed", n),
    Action.RESTORE: lambda n: ngettext("%(num)d restored", "%(num)d restored", n),
}

TITLES = {
    Action.CANCEL: lazy_pgettext("bulk action", "Cancel orders"),
    Action.CLOSE: lazy_pgettext("bulk action", "Close orders"),
    Action.RESTORE: lazy_pgettext("bulk action", "Restore orders"),
}

MATCHING_LABELS = {
    Action.CANCEL: lazy_pgettext("bulk action", "Cancel all matching"),
    Action.CLOSE: lazy_pgettext("bulk action", "Close all matching"),
    Action.RESTORE: lazy_pgettext("bulk action", "Restore all matching"),
}

# The colour of Yes says the risk: canceling stops an order, closing ends it for good, restoring brings
# it back (prices recalculated).
# The colours of the one-order confirm screens (actions.YES_BUTTON_STYLES): the same action, the same risk.
YES_BUTTONS = {action: f"btn-{YES_BUTTON_STYLES[action]}" for action in (Action.CANCEL, Action.CLOSE, Action.RESTORE)}

SERVICES = {Action.CANCEL: bulk_cancel, Action.CLOSE: bulk_close, Action.RESTORE: bulk_restore}

# Flask-Admin's action names ("With selected" entries) and the action each runs.
BULK_ACTIONS = {f"bulk_{action.value}": action for action in SERVICES}


def bulk_action_off(settings: Settings, action: Action, store: OrderStore) -> bool:
    """Whether ``action`` is not offered in bulk: the shop has no status for it (in ``store``), or the host's rule
    does not let the current user run it at all (asked with no order, as bulk exports ask; then per order)."""
    off = switched_off_reason(action, store.statuses.mapped, settings.merge_result_status)
    return off is not None or not access.is_allowed(settings, action.value)


if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker only (OrderListView derives from it)
    from .base import OrderAdminView as _MixedInto
else:
    _MixedInto = object


class BulkActionsMixin(_MixedInto):
    """Mixed into both list views (``OrderListView``), whose ``order_ids_of``, ``matching_order_ids``,
    ``refused_filter_args``, ``require`` and ``render`` it uses."""

    if TYPE_CHECKING:
        def order_ids_of(self, row_ids: Sequence[str]) -> list[int]: ...
        def matching_order_ids(self, limit: int | None = None) -> list[int]: ...
        def refused_filter_args(self) -> list[str]: ...

    def bulk_matching_entries(self) -> list[tuple[str, str]]:
        """The list's "Change all matching" menu: (URL of the confirm screen, label) per action offered."""
        return [
            (self.get_url(".bulk_matching_view", action_name=action.value, **request.args),
             str(MATCHING_LABELS[action]))
            for action in SERVICES if not bulk_action_off(self.settings, action, self.binding)
        ]

    @action("bulk_cancel", lazy_pgettext("bulk action", "Cancel selected orders"))
    def action_bulk_cancel(self, row_ids: list[str]) -> Response | str:
        return self._confirm_selected(Action.CANCEL, row_ids)

    @action("bulk_close", lazy_pgettext("bulk action", "Close selected orders"))
    def action_bulk_close(self, row_ids: list[str]) -> Response | str:
        return self._confirm_selected(Action.CLOSE, row_ids)

    @action("bulk_restore", lazy_pgettext("bulk action", "Restore selected orders"))
    def action_bulk_restore(self, row_ids: list[str]) -> Response | str:
        return self._confirm_selected(Action.RESTORE, row_ids)

    def _confirm_selected(self, action: Action, row_ids: list[str]) -> Response | str:
        self.require(action.value)
        # Ticked rows are at most a page; ids past the cap could only come from a forged post.
        order_ids = self.order_ids_of(row_ids[:self.settings.bulk_action_limit + 1])
        return self._confirm(action, order_ids, "selected", self.list_url())

    @expose(f"/bulk/<{BULK_ACTION_NAMES}:action_name>/")
    def bulk_matching_view(self, action_name: str) -> Response | str:
        """The confirm screen for every order the list's filters (this GET's query string) match."""
        action = Action(action_name)
        self.require(action.value)
        back = self.get_url(".index_view", **request.args)
        if self.refused_filter_args():  # Flask-Admin would drop them, and the action would widen
            flash(gettext("Nothing was changed: a filter value is not valid."), "error")
            return redirect(back)
        return self._confirm(action, self.matching_order_ids(limit=self.settings.bulk_action_limit + 1),
                             "matching", back)

    def _confirm(self, action: Action, order_ids: Sequence[int], scope: str, back: str) -> Response | str:
        """The confirm screen: how many orders will change and how many will be skipped, and why (one line
        per reason), every order by number and in a table (buyer, status, total; a page at a time), and a Yes
        naming the action and the count (none when nothing would change, none past the cap). Its form carries every order's id and
        version, signed: the Yes acts on these orders only, and only on those unchanged since."""
        if not order_ids:
            flash(gettext("No orders are selected, so nothing was changed."), "error")
            return redirect(back)
        limit = self.settings.bulk_action_limit
        session, settings = self.state.session, self.settings
        common = {"action": action, "title": TITLES[action], "return_url": back, "limit": limit}
        if len(order_ids) > limit:
            return self.render("order_admin/bulk_confirm.html", too_many=True, **common)
        orders = order_records(session, self.binding, self.binding.orders_by_id(session, order_ids),
                               settings.number_format, with_state=True)
        orders.sort(key=lambda order: order.id)  # the same order on every database (IN returns any)
        verdicts: list[tuple[OrderRecord | None, str | None]] = [
            (order, refusal_for_current_user(settings, action, order)) for order in orders]
        found = {order.id for order in orders}
        verdicts += [(None, translate(OrderNotFound.deleted(order_id).message))
                     for order_id in order_ids if order_id not in found]
        # An order not found always has its reason: "order is not None" only tells the type checker so.
        changing = [order for order, refusal in verdicts if refusal is None and order is not None]
        changing_ids = {order.id for order in changing}
        skipped = grouped_by_reason((refusal, None if order is None else order.id)
                                    for order, refusal in verdicts if refusal is not None)
        form = with_reasons((BulkCancelForm if action == Action.CANCEL else BulkActionForm)(
            url=back, orders=signed_versions(action, orders)), settings.cancel_reasons)
        return self.render(
            "order_admin/bulk_confirm.html", too_many=False, count=len(verdicts), changing=changing,
            skipped=skipped, skipped_count=len(verdicts) - len(changing),
            summary=gettext("%(changing)s, %(skipped)s",
                            changing=ngettext("%(num)d order will change", "%(num)d orders will change",
                                              len(changing)),
                            skipped=ngettext("%(num)d will be skipped", "%(num)d will be skipped",
                                             len(verdicts) - len(changing))),
            explanation=sentences(
                gettext("Every order the list’s filters match.") if scope == "matching"
                else gettext("The orders ticked in the list."),
                gettext("Each order is changed on its own; an order that cannot be changed is left as it is and "
                        "listed with the reason."),
                NOTES[action](),
            ),
            yes_label=YES_LABELS[action](len(changing)), yes_class=YES_BUTTONS[action],
            pages=table_pages([(order, order.id in changing_ids) for order in orders]),
            totals=page_totals(session, [order.id for order in orders], self.state),
            numbers={order.id: order.number for order in orders}, form=form,
            post_url=self.get_url(".bulk_run_view", action_name=action.value), **common,
        )

    @expose(f"/bulk/<{BULK_ACTION_NAMES}:action_name>/run/", methods=("POST",))
    def bulk_run_view(self, action_name: str) -> Response:
        """Yes on the bulk confirm screen: run the action on the orders the screen showed, each only if
        unchanged since, keep the result and redirect to it (POST-redirect-GET: a reload does nothing)."""
        action = Action(action_name)
        self.require(action.value)
        form = with_reasons((BulkCancelForm if action == Action.CANCEL else BulkActionForm)(),
                            self.settings.cancel_reasons)
        back = local_path(form.url.data) or self.get_url(".index_view")
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(back)
        versions = shown_versions(action, form.orders.data)
        if versions is None:
            flash(gettext("This confirm screen cannot be used; nothing was changed. Open it again from the list."),
                  "error")
            return redirect(back)
        limit = self.settings.bulk_action_limit
        if len(versions) > limit:  # the confirm screen offered no Yes: a forged post
            flash(gettext("More than %(limit)s orders are selected; one bulk action changes at most %(limit)s. "
                          "Narrow the selection or the filters.", limit=amount(limit)), "error")
            return redirect(back)
        self.refusals_go_to(back)
        settings = self.settings
        outcome = self._run(action, versions, form)
        key = keep_result(self.state.session, self.state, outcome, actor=access.actor_name(settings), back_url=back)
        browser_session[SESSION_RESULTS] = [*browser_session.get(SESSION_RESULTS, []), key][-RESULTS_IN_SESSION:]
        return redirect(self.get_url(".bulk_result_view", key=key), code=303)

    def _run(self, action: Action, versions: dict[int, int], form: Any) -> BulkOutcome:
        settings = self.settings
        extra = ({"reason": form.reason.data, "reason_choice": form.picked_reason()}
                 if action == Action.CANCEL else {})
        return SERVICES[action](
            self.state.session, list(versions), actor=access.actor_name(settings), panel=self.state,
            versions=versions, allowed=lambda order: access.is_allowed(settings, action.value, order), **extra,
        )

    @expose("/bulk/result/<key>/")
    def bulk_result_view(self, key: str) -> Response | str:
        """What a bulk action did: shown again on reload, to the manager who ran it only."""
        kept = None
        if re.fullmatch(KEY_PATTERN, key) and key in browser_session.get(SESSION_RESULTS, ()):
            kept = kept_result(self.state.session, key, actor=access.actor_name(self.settings))
        if kept is None:
            flash(gettext("This result is no longer kept: a bulk action's result is shown for a day, to the "
                          "manager who ran it."), "error")
            return redirect(self.get_url(".index_view"))
        outcome = kept.outcome
        action = outcome.action
        summary = gettext(
            "%(done)s, %(refused)s", done=DONE[action](len(outcome.done)),
            refused=ngettext("%(num)d refused", "%(num)d refused", len(outcome.refused)),
        )
        numbers = self.binding.numbers_of(self.state.session, outcome.done, self.settings.number_format)
        numbers.update({r.order_id: r.number for r in outcome.refused if r.order_id is not None and r.number})
        refused = grouped_by_reason((translate(r.reason), r) for r in outcome.refused)
        return self.render(
            "order_admin/bulk_result.html", action=action, title=TITLES[action], summary=summary, outcome=outcome,
            refused=refused, numbers=numbers, back_url=kept.back_url, return_url=kept.back_url,
        )


def sentences(*texts: str) -> str:
    """Sentences one after the other: a space after a Latin or Cyrillic full stop, none after a Chinese one."""
    joined = ""
    for text in filter(None, texts):
        joined += ("" if not joined or joined.endswith(("。", "！", "？")) else " ") + text
    return joined


def table_pages(rows: Sequence[T]) -> list[TablePage[T]]:
    """``rows`` in pages of ``PAGE_ROWS``: all of them go to the screen, which shows one page at a time (the
    confirm screen of a ticked selection answers a POST: a link to a page of it could not query again)."""
    return [TablePage(list(rows[start:start + PAGE_ROWS]), start + 1, len(rows))
            for start in range(0, len(rows), PAGE_ROWS)]


@dataclass(frozen=True)
class TablePage(Generic[T]):
    rows: list[T]
    first: int  # the number of its first row, from 1
    total: int  # the rows on every page

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def grouped_by_reason(refusals: Iterable[tuple[str, T]]) -> list[tuple[str, list[T]]]:
    """One group per reason (its text in the manager's language), in the order the reasons first come."""
    groups: dict[str, list[T]] = {}
    for reason, item in refusals:
        groups.setdefault(str(reason), []).append(item)
    return list(groups.items())


def _signer() -> URLSafeSerializer:
    secret_key = current_app.secret_key
    if secret_key is None:  # itsdangerous would fail on None with a TypeError that does not say why
        raise RuntimeError("The bulk actions' confirm screens are signed with the app's SECRET_KEY: set it")
    return URLSafeSerializer(secret_key, salt=SIGNING_SALT)


def signed_versions(action: Action, orders: Sequence[OrderRecord]) -> str:
    """The confirm screen's orders and their versions, for its form: signed, so that the Yes acts on exactly
    the orders the screen counted (not on a fresh query), whatever the post says."""
    return _signer().dumps({"action": action.value, "orders": [[order.id, order.version] for order in orders]})


def shown_versions(action: Action, signed: str | None) -> dict[int, int] | None:
    """What ``signed_versions`` signed for ``action`` (order id -> version); None for a forged or foreign value."""
    try:
        shown = _signer().loads(signed or "")
    except BadSignature:
        return None
    if not isinstance(shown, dict) or shown.get("action") != action.value:
        return None
    try:
        return {int(order_id): int(version) for order_id, version in shown.get("orders", ())}
    except (TypeError, ValueError):  # signed by this app, so only if its secret key leaked
        return None
