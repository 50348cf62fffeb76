"""The order actions behind the order page's menu: confirm screens (GET) and the changes (POST).

Each change is a POST with a CSRF token and the order's version as the manager's
page showed it; the view calls the service, flashes its answer and redirects
back to the order page (POST-redirect-GET); a refusal goes through the views' one
handler (views/refusal_redirects.py). A GET on a POST URL gets 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, TYPE_CHECKING, cast

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import access
from ..domain import Action, OrderStatus
from ..domain.messages import N_, NC_, Message
from ..errors import ActionNotAllowed, MergeNotAllowed, PricesChanged
from ..export.query import count_rows
from ..i18n import gettext, ngettext, sentences, translate
from ..store.records import OrderRecord
from ..services import (
    MergeCandidates, RestoreOutcome, RestorePreview, UnmergePreview, cancel, close, contents,
    find_merge_candidates, get_order_record, merge, merge_refusal, order_glances, preview_merge, preview_restore,
    preview_unmerge, restore_order, unmerge,
)
from .exporting import ExportRequest
from .forms import CancelForm, ConfirmActionForm, ExportForm, MergeForm, RestoreForm, with_reasons
from .menu import merge_access_refusal, permitted_merge_candidates, refuse_unless_allowed, unmerge_access_refusal
from .presentation import Presenter
from .redirects import local_path

CONFIRMED_ACTIONS = "any(cancel,restore,close,merge,unmerge)"

FORMS: dict[Action, type[ConfirmActionForm]] = {
    Action.CANCEL: CancelForm, Action.RESTORE: RestoreForm, Action.CLOSE: ConfirmActionForm,
    Action.MERGE: MergeForm, Action.UNMERGE: ConfirmActionForm,
}

# The Yes button's Bootstrap colour says the risk: red stops an order (Cancel), yellow changes two orders
# for good (Merge), blue moves an order on (Close), green brings one back (Restore, Unmerge). docs/panel.md, "Actions".
YES_BUTTON_STYLES = {
    Action.CANCEL: "danger", Action.MERGE: "warning", Action.CLOSE: "primary", Action.RESTORE: "success",
    Action.UNMERGE: "success",
}

# Translated per request, with the order's number (and the basic order's, for a merge) and the new status.
QUESTIONS: dict[Action, Message] = {
    Action.CANCEL: N_("Are you sure you want to cancel order %(number)s?"),
    Action.RESTORE: N_(
        "Are you sure you want to restore order %(number)s? Its item prices are recalculated as of today "
        "and it becomes %(status)s."
    ),
    Action.CLOSE: N_("Are you sure you want to close order %(number)s? A completed order can only be exported."),
    Action.MERGE: N_(
        "Are you sure you want to merge order %(number)s into order %(into)s? All its items move to %(into)s, "
        "which becomes %(status)s; %(number)s stays as a record with status %(merged)s."
    ),
    Action.UNMERGE: N_(
        "Are you sure you want to undo the merge of order %(number)s into order %(into)s? Its items go back to "
        "it from %(into)s, and both orders get back the statuses they had before the merge."
    ),
}

DONE: dict[Action, Message] = {
    Action.CANCEL: N_("Order %(number)s was canceled."),
    Action.CLOSE: N_("Order %(number)s was closed."),
    Action.MERGE: N_("Order %(number)s was merged into this order."),
    Action.UNMERGE: N_("The merge was undone: the items of order %(number)s are back in it."),
}

# The confirm screen's Yes says what it does, rather than "Yes".
YES_LABELS: dict[Action, Message] = {
    Action.CANCEL: NC_("confirm button", "Cancel the order"),
    Action.RESTORE: NC_("confirm button", "Restore the order"),
    Action.CLOSE: NC_("confirm button", "Close the order"),
    Action.MERGE: NC_("confirm button", "Merge into %(into)s"),
    Action.UNMERGE: NC_("confirm button", "Undo the merge"),
}

# The confirm screen's title: what Yes does.
CONFIRM_TITLES: dict[Action, Message] = {
    Action.CANCEL: NC_("confirm screen", "Cancel order %(number)s"),
    Action.RESTORE: NC_("confirm screen", "Restore order %(number)s"),
    Action.CLOSE: NC_("confirm screen", "Close order %(number)s"),
    Action.MERGE: NC_("confirm screen", "Merge order %(number)s"),
    Action.UNMERGE: NC_("confirm screen", "Unmerge order %(number)s"),
}


def restored_message(outcome: RestoreOutcome, money: Callable[[Decimal], str]) -> str:
    """What Restore did, in words: how many prices changed (or none), the new total, the items removed."""
    preview = outcome.preview
    total = money(preview.new_totals.total)
    changed = len(preview.changed)
    if changed:
        said = ngettext(
            "Order %(number)s was restored: the price of %(num)d line changed, new total %(total)s.",
            "Order %(number)s was restored: the prices of %(num)d lines changed, new total %(total)s.",
            changed, number=preview.number, total=total,
        )
    else:
        said = gettext("Order %(number)s was restored; prices unchanged, total %(total)s.",
                       number=preview.number, total=total)
    if outcome.removed:
        said = sentences(said, ngettext(
            "%(num)d item no longer sold was removed from it; the history keeps it.",
            "%(num)d items no longer sold were removed from it; the history keeps them.",
            len(outcome.removed),
        ))
    return said


def form_problem(form: FlaskForm) -> str:
    if "csrf_token" in form.errors:
        return gettext(
            "The form has expired or is missing its security token, so nothing was changed. "
            "Reload the page and try again."
        )
    return gettext("Nothing was changed: %(errors)s", errors="; ".join(
        f"{form[name].label.text}: {', '.join(map(str, errors))}" for name, errors in form.errors.items()
    ))


if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker only
    from .panel_view import OrderPageView as _MixedInto
else:
    _MixedInto = object


class OrderActionsMixin(_MixedInto):
    """Mixed into the orders view, whose ``order_url``, ``list_url``, ``require`` and ``start_export`` it uses.

    A refusal is an ``OrderActionError`` the views let through: the view's one handler
    (views/refusal_redirects.py) flashes it and brings the manager back to the order page.
    """

    def load_order(self, order_id: Any, *, tab: str | None = None) -> OrderRecord:
        """The order (OrderNotFound otherwise, which goes back to the list); from now on a refusal goes back
        to its page (on ``tab``)."""
        order = get_order_record(self.state.session, order_id, panel=self.state)
        self.refusals_go_to(self.order_url(order.id, self.list_url(), tab=tab))
        return order

    @expose(f"/<int:order_id>/confirm/<{CONFIRMED_ACTIONS}:action_name>/")
    def confirm_view(self, order_id: int, action_name: str) -> Response | str:
        """The "Are you sure…?" screen with what the action would do: changes nothing; its Yes posts to
        ``run_action_view``."""
        action, return_url = Action(action_name), self.list_url()
        order = self.load_order(order_id)
        refuse_unless_allowed(self.settings, action, order)
        into = self._merge_target(order) if action == Action.MERGE else None
        # Restore's preview asks the resolver (no lock held); a refusal (a failed lookup) goes back to the order.
        preview = preview_restore(self.state.session, order.id, panel=self.state) \
            if action == Action.RESTORE else None
        # Unmerge: what goes back where, or (its Yes disabled) what changed since the merge.
        unmerging = preview_unmerge(self.state.session, order, self.state) if action == Action.UNMERGE else None
        if unmerging is not None:
            refusal = unmerge_access_refusal(self.settings, order, unmerging.basic)
            if refusal is not None:
                raise ActionNotAllowed(refusal, order_number=order.number)
        version = request.args.get("version", type=int) or order.version
        return self.render_confirm(order, action, version, return_url, into=into, preview=preview,
                                   unmerging=unmerging)

    def render_confirm(
        self, order: OrderRecord, action: Action, version: int | None, return_url: str | None, *,
        into: OrderRecord | None = None, preview: RestorePreview | None = None, notice: str | None = None,
        unmerging: UnmergePreview | None = None,
    ) -> str:
        """The confirm screen: the question, the order at a glance (the restore preview; both orders of a
        merge and the basic one after it), Yes in the colour of its risk, and No."""
        session, settings = self.state.session, self.settings
        form = with_reasons(FORMS[action](
            formdata=None, version=version, url=return_url, into=into.id if into else None,
            fingerprint=preview.fingerprint if preview else None,
        ), settings.cancel_reasons)
        if unmerging is not None and unmerging.basic is not None:
            into = unmerging.basic
        facts = {"number": order.number, "into": into.number if into else "",
                 "status": (preview.to_status if preview else settings.merge_result_status).label,
                 "merged": OrderStatus.MERGED.label}
        question = translate(replace(QUESTIONS[action], params=facts))
        title = translate(replace(CONFIRM_TITLES[action], params=facts))
        yes_label = translate(replace(YES_LABELS[action], params=facts))
        merge_preview = preview_merge(session, order, into, self.state) \
            if into is not None and action == Action.MERGE else None
        glance = order_glances(session, [order], self.state)[0] if action in (Action.CANCEL, Action.CLOSE) else None
        return self.render(
            "order_admin/confirm.html", order=order, action=action, form=form, question=question, title=title,
            yes_style=YES_BUTTON_STYLES[action], yes_label=yes_label, glance=glance, restore=preview,
            merge_preview=merge_preview,
            unmerging=unmerging, refusal=translate(unmerging.refusal) if unmerging and unmerging.refusal else None,
            notice=notice, post_url=self.get_url(".run_action_view", order_id=order.id, action_name=action.value),
            order_url=self.order_url(order.id, return_url), return_url=return_url,
        )

    def _merge_target(self, order: OrderRecord) -> OrderRecord:
        """The basic order picked on the candidates page, once the rules and the host's rule allow the merge."""
        into_id = request.args.get("into", type=int)
        if not into_id:
            raise MergeNotAllowed(N_("Pick the order to merge %(number)s into.", number=order.number))
        into = get_order_record(self.state.session, into_id, panel=self.state)
        refusal = (merge_access_refusal(self.settings, order, into)
                   or merge_refusal(self.state.session, order, into, self.state))
        if refusal is not None:
            raise MergeNotAllowed(refusal, order_number=order.number)
        return into

    def merge_candidates_of(self, order: OrderRecord) -> MergeCandidates:
        """The orders ``order`` can be merged into that the host's rule lets the current user merge it into."""
        found = find_merge_candidates(self.state.session, order.id, panel=self.state)
        return permitted_merge_candidates(self.settings, order, found)

    def _require_merge_access(self, added: OrderRecord, basic_id: int) -> None:
        """403 unless the host's rule lets the current user merge ``added`` into the posted basic order."""
        basic = get_order_record(self.state.session, basic_id, panel=self.state, with_state=False)
        if merge_access_refusal(self.settings, added, basic) is not None:
            abort(403)

    def _require_unmerge_access(self, added: OrderRecord) -> None:
        """403 unless the host's rule lets the current user undo the merge of ``added`` into the order it is in."""
        basic = None
        if added.merged_into_id is not None:
            basic = get_order_record(self.state.session, added.merged_into_id, panel=self.state,
                                     with_state=False)
        if unmerge_access_refusal(self.settings, added, basic) is not None:
            abort(403)

    @expose(f"/<int:order_id>/<{CONFIRMED_ACTIONS}:action_name>/", methods=("POST",))
    def run_action_view(self, order_id: int, action_name: str) -> Response | str:
        action = Action(action_name)
        order = self.load_order(order_id)
        self.require(action.value, order.obj)
        form = with_reasons(FORMS[action](), self.settings.cancel_reasons)
        return_url = local_path(form.url.data)
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(self.order_url(order.id, return_url))
        number, currency = order.number, order.currency
        if action == Action.MERGE:
            self._require_merge_access(order, cast(int, cast(MergeForm, form).into.data))  # validated: required
        if action == Action.UNMERGE:
            self._require_unmerge_access(order)
        try:
            shown = self._perform(action, order.id, form)
        except PricesChanged as error:  # not a refusal: the manager sees the new prices and decides again
            return self.render_confirm(order, action, form.version.data, return_url, preview=error.preview,
                                       notice=translate(error.message))
        if isinstance(shown, RestoreOutcome):
            flash(restored_message(shown, Presenter(self.settings, currency=currency).money), "success")
            shown = shown.order
        else:
            flash(translate(replace(DONE[action], params={"number": number})), "success")
        return redirect(self.order_url(self.binding.order_id(shown), return_url))

    def _perform(self, action: Action, order_id: int, form: Any) -> Any:
        """Run the service; returns the order to show next (the basic one after a merge), or what Restore did."""
        session, actor = self.state.session, access.actor_name(self.settings)
        common = {"actor": actor, "expected_version": form.version.data, "panel": self.state}
        if action == Action.CANCEL:
            return cancel(session, order_id, reason=form.reason.data, reason_choice=form.picked_reason(), **common)
        if action == Action.RESTORE:
            return restore_order(session, order_id, expected_fingerprint=form.fingerprint.data,
                                 without_unsold=bool(form.without_unsold.data), **common)
        if action == Action.CLOSE:
            return close(session, order_id, **common)
        if action == Action.UNMERGE:
            return unmerge(session, order_id, **common)
        return merge(session, order_id, form.into.data, **common)

    @expose("/<int:order_id>/merge-candidates/")
    def merge_candidates_view(self, order_id: int) -> Response | str:
        """The orders this one can be merged into; the manager picks one and goes on to confirm."""
        return_url = self.list_url()
        order = self.load_order(order_id)
        refuse_unless_allowed(self.settings, Action.MERGE, order)
        found = self.merge_candidates_of(order)
        # What this order and each candidate hold, side by side: the manager picks knowing what goes where.
        held = contents(self.state.session, [order, *found.records], self.state)
        return self.render(
            "order_admin/merge.html", order=order, candidates=found.records, held=held,
            reason=None if found.reason is None else translate(found.reason),
            version=request.args.get("version", type=int) or order.version,
            confirm_url=self.get_url(".confirm_view", order_id=order.id, action_name=Action.MERGE.value),
            order_url=self.order_url(order.id, return_url), return_url=return_url,
        )

    @expose("/<int:order_id>/export/")
    def export_order_view(self, order_id: int) -> Response | str:
        """The order's file (``?format=xlsx`` for another offered format): a GET that starts no work.

        An order with more rows than are exported at once gets a page whose button (a POST) starts its job.
        """
        order = self.load_order(order_id)
        self.require(Action.EXPORT.value, order.obj)
        fmt = request.args.get("format") or self.settings.export_formats[0]
        preset = request.args.get("preset", "")[:64] or None  # a key is at most 32: the refusal quotes it
        rows = count_rows(self.state.session, self.state, [order.id], self.settings.export_max_rows)
        if rows > self.settings.export_inline_rows:
            return self.render(
                "order_admin/export_order.html", order=order, rows=rows, fmt=fmt, preset=preset or "",
                order_url=self.order_url(order.id, self.list_url()),
                post_url=self.get_url(".export_order_job_view", order_id=order.id, url=self.list_url()),
            )
        return self.start_export(self._order_export(order, fmt, preset))

    @expose("/<int:order_id>/export/", methods=("POST",))
    def export_order_job_view(self, order_id: int) -> Response:
        order = self.load_order(order_id)
        self.require(Action.EXPORT.value, order.obj)
        form = ExportForm()
        if not form.validate_on_submit():
            flash(form_problem(form), "error")
            return redirect(self.order_url(order.id, self.list_url()))
        return self.start_export(self._order_export(order, cast(str, form.format.data),  # validated: a format
                                                    form.preset.data or None))

    def _order_export(self, order: OrderRecord, fmt: str, preset: str | None) -> ExportRequest:
        return ExportRequest([order.id], fmt, "order", N_("Order %(number)s", number=order.number), preset=preset)
