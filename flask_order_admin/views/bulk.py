"""Bulk Cancel, Close and Restore from both lists: for the ticked rows (Flask-Admin's "With selected"
actions) or for every order the list's filters match, behind a confirm screen.

The flow: a "With selected" entry posts the ticked rows to Flask-Admin's ``action_view``, whose handler
answers with the confirm screen (it changes nothing); "Change all matching" is a GET of the same screen
with the list's filters in its query string. The screen shows how many orders, a sample of them, and the
cap (``ORDER_ADMIN_BULK_ACTION_LIMIT``); its Yes posts (CSRF) to ``bulk_run_view``, which runs the bulk
service (``services.bulk``: each order on its own, the access rule asked per order) and shows the result:
"12 closed, 3 refused", each refusal with its order and reason, and the way back to the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, request
from flask_admin import expose
from flask_admin.actions import action
from werkzeug.wrappers import Response

from .. import access
from ..domain import Action
from ..domain.rules import switched_off_reason
from ..i18n import gettext, lazy_pgettext, ngettext
from ..records import order_records
from ..services import BulkOutcome, bulk_cancel, bulk_close, bulk_restore
from ..services.transaction import id_from_text
from ..settings import Settings
from .actions import YES_BUTTON_STYLES, form_problem
from .formats import amount
from .forms import BulkActionForm, BulkCancelForm
from .listing import page_totals
from .menu import action_refusal
from .redirects import local_path

BULK_ACTION_NAMES = "any(cancel,close,restore)"
SAMPLE_SIZE = 10  # orders listed on the confirm screen
DONE_SHOWN = 50  # changed orders listed by number on the result page; the rest are counted

# Confirm screen: the question, per action, for ``n`` orders (written out, so that pybabel extracts them).
QUESTIONS: dict[Action, Callable[[int], str]] = {
    Action.CANCEL: lambda n: ngettext(
        "Are you sure you want to cancel %(num)d order?", "Are you sure you want to cancel %(num)d orders?", n),
    Action.CLOSE: lambda n: ngettext(
        "Are you sure you want to close %(num)d order? A completed order can only be exported.",
        "Are you sure you want to close %(num)d orders? A completed order can only be exported.", n),
    Action.RESTORE: lambda n: ngettext(
        "Are you sure you want to restore %(num)d order? Its item prices will be recalculated as of today; "
        "an order with an item no longer sold is refused and stays canceled.",
        "Are you sure you want to restore %(num)d orders? Their item prices will be recalculated as of today; "
        "an order with an item no longer sold is refused and stays canceled.", n),
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


def bulk_action_off(settings: Settings, action: Action) -> bool:
    """Whether ``action`` is not offered in bulk: the shop has no status for it, or the host's rule does not
    let the current user run it at all (asked with no order, as bulk exports ask; then per order)."""
    off = switched_off_reason(action, settings.models.statuses.mapped, settings.merge_result_status)
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
            for action in SERVICES if not bulk_action_off(self.settings, action)
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
        return self._confirm(action, order_ids, "selected", self.list_url(),
                             self.get_url(".bulk_run_view", action_name=action.value))

    @expose(f"/bulk/<{BULK_ACTION_NAMES}:action_name>/")
    def bulk_matching_view(self, action_name: str) -> Response | str:
        """The confirm screen for every order the list's filters (this GET's query string) match."""
        action = Action(action_name)
        self.require(action.value)
        back = self.get_url(".index_view", **request.args)
        if self.refused_filter_args():  # Flask-Admin would drop them, and the action would widen
            flash(gettext("Nothing was changed: a filter value is not valid."), "error")
            return redirect(back)
        order_ids = self.matching_order_ids(limit=self.settings.bulk_action_limit + 1)
        return self._confirm(action, order_ids, "matching", back,
                             self.get_url(".bulk_run_view", action_name=action.value, **request.args))

    def _confirm(
        self, action: Action, order_ids: Sequence[int], scope: str, back: str, post_url: str,
    ) -> Response | str:
        """The confirm screen: the count, the first orders with whether each can be changed now, and Yes
        (none past the cap)."""
        if not order_ids:
            flash(gettext("No orders are selected, so nothing was changed."), "error")
            return redirect(back)
        limit = self.settings.bulk_action_limit
        session, settings = self.state.session, self.settings
        sample = order_records(session, self.binding, self.binding.orders_by_id(session, order_ids[:SAMPLE_SIZE]),
                               settings.number_format)
        form_class = BulkCancelForm if action == Action.CANCEL else BulkActionForm
        return self.render(
            "order_admin/bulk_confirm.html", action=action, title=TITLES[action], scope=scope,
            count=len(order_ids), too_many=len(order_ids) > limit, limit=limit,
            question=QUESTIONS[action](len(order_ids)),
            sample=[(order, action_refusal(settings, action, order)) for order in sample],
            totals=page_totals(session, [order.id for order in sample], settings),
            order_ids=order_ids if scope == "selected" else (), form=form_class(scope=scope, url=back),
            post_url=post_url, yes_class=YES_BUTTONS[action], return_url=back,
        )

    @expose(f"/bulk/<{BULK_ACTION_NAMES}:action_name>/run/", methods=("POST",))
    def bulk_run_view(self, action_name: str) -> Response | str:
        """Yes on the bulk confirm screen: run the action on each order, then show what happened."""
        action = Action(action_name)
        self.require(action.value)
        form = (BulkCancelForm if action == Action.CANCEL else BulkActionForm)()
        back = local_path(form.url.data) or self.get_url(".index_view")
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(back)
        limit = self.settings.bulk_action_limit
        if form.scope.data == "matching":
            if self.refused_filter_args():
                flash(gettext("Nothing was changed: a filter value is not valid."), "error")
                return redirect(back)
            order_ids = self.matching_order_ids(limit=limit + 1)
        else:
            posted = request.form.getlist("order_id")[:limit + 1]
            order_ids = [order_id for order_id in map(id_from_text, posted) if order_id is not None]
        if not order_ids:
            flash(gettext("No orders are selected, so nothing was changed."), "error")
            return redirect(back)
        if len(order_ids) > limit:  # the confirm screen offered no Yes: a forged or stale post
            flash(gettext("More than %(limit)s orders are selected; one bulk action changes at most %(limit)s. "
                          "Narrow the selection or the filters.", limit=amount(limit)), "error")
            return redirect(back)
        self.refusals_go_to(back)
        return self._result(self._run(action, order_ids, form), back)

    def _run(self, action: Action, order_ids: list[int], form: Any) -> BulkOutcome:
        settings = self.settings
        extra = {"reason": form.reason.data} if action == Action.CANCEL else {}
        return SERVICES[action](
            self.state.session, order_ids, actor=access.actor_name(settings), settings=settings,
            allowed=lambda order: access.is_allowed(settings, action.value, order), **extra,
        )

    def _result(self, outcome: BulkOutcome, back: str) -> str:
        action = outcome.action
        done_count, refused_count = len(outcome.done), len(outcome.refused)
        summary = gettext(
            "%(done)s, %(refused)s", done=DONE[action](done_count),
            refused=ngettext("%(num)d refused", "%(num)d refused", refused_count),
        )
        linked = outcome.done[:DONE_SHOWN] + [r.order_id for r in outcome.refused if r.order_id is not None]
        numbers = self.binding.numbers_of(self.state.session, linked, self.settings.number_format)
        return self.render(
            "order_admin/bulk_result.html", action=action, title=TITLES[action], summary=summary, outcome=outcome,
            done_shown=outcome.done[:DONE_SHOWN], done_more=max(0, done_count - DONE_SHOWN), numbers=numbers,
            back_url=back, return_url=back,
        )

