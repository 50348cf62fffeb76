"""The Comments tab's changes: add a note; its author edits or deletes it (services/notes.py decides who may).

Each change is a POST with a CSRF token; the view calls the service, flashes its answer and goes back to
the Comments tab. A note id that is not one of the order's notes is a 404; a refusal (not the author,
too late) goes back to the order page with its reason, as every refused action.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from flask import abort, flash, redirect
from flask_admin import expose
from markupsafe import Markup
from werkzeug.wrappers import Response

from .. import access
from ..domain import Action
from ..domain.notes import Note, change_deadline, fold_notes
from ..errors import ActionNotAllowed, NoteChangeRefused, NoteNotFound
from ..i18n import gettext
from ..services import add_comment, delete_comment, edit_comment, note_change_refusal, note_of
from ..services.events import EventRecord
from ..settings import Settings
from .actions import form_problem
from ..store.records import OrderRecord
from .forms import CommentForm, NoteDeleteForm
from .history import earlier_versions
from .presentation import Presenter
from .redirects import local_path

if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker only
    from .actions import OrderActionsMixin as _MixedInto
else:
    _MixedInto = object


@dataclass(frozen=True)
class NoteOnPage:
    """A note as the Comments tab lists it; ``changeable``: its author may still edit or delete it."""

    note: Note
    earlier: Markup  # the «edited» marker opening its earlier texts; empty for a note never edited
    changeable: bool
    edit_form: CommentForm | None
    changeable_until: datetime | None  # when its Edit and Delete go


def notes_on_page(settings: Settings, events: Iterable[EventRecord], oa: Presenter, return_url: str,
                  now: datetime) -> list[NoteOnPage]:
    """The order's notes, newest first, each with its Edit and Delete when the current user may at ``now``."""
    actor_id = access.actor_id(settings)
    listed = []
    for note in reversed(fold_notes(events).values()):
        changeable = note_change_refusal(settings, note, actor_id, now) is None
        form = CommentForm(url=return_url, text=note.text, prefix=f"note-{note.id}") if changeable else None
        earlier = earlier_versions(note, oa) if note.edited and not note.deleted else Markup()
        until = change_deadline(note, settings.comment_edit_minutes) if changeable else None
        listed.append(NoteOnPage(note, earlier, changeable, form, until))
    return listed


@contextmanager
def note_or_404() -> Iterator[None]:
    """A note id the order does not have is a forged or stale address: 404, not a refusal."""
    try:
        yield
    except NoteNotFound:
        abort(404)


class OrderNotesMixin(_MixedInto):
    """Mixed into the orders view after ``OrderActionsMixin``, whose ``load_order`` it uses."""

    def _checked_post(self, order_id: int, form: CommentForm | NoteDeleteForm) -> tuple[OrderRecord, str]:
        """The order of a note's POST, once the user may write notes on it and the form (its CSRF token)
        is valid; and its Comments tab, where the manager goes back to."""
        order = self.load_order(order_id, tab="comments")
        self.require(Action.COMMENT.value, order.obj)
        if not form.validate_on_submit():
            raise ActionNotAllowed(form_problem(form), order_number=order.number)
        return order, self.order_url(order.id, local_path(form.url.data), tab="comments")

    @expose("/<int:order_id>/comment/", methods=("POST",))
    def comment_view(self, order_id: int) -> Response:
        form = CommentForm()
        order, order_url = self._checked_post(order_id, form)
        add_comment(self.state.session, order.id, actor=access.actor_name(self.settings),
                    actor_id=access.actor_id(self.settings), text=cast(str, form.text.data),  # validated: required
                    panel=self.state, clock=self.state.clock)
        flash(gettext("Your note was added to the order history."), "success")
        return redirect(order_url)

    @expose("/<int:order_id>/comment/<int:note_id>/edit/", methods=("POST",))
    def comment_edit_view(self, order_id: int, note_id: int) -> Response:
        form = CommentForm(prefix=f"note-{note_id}")
        order, order_url = self._checked_post(order_id, form)
        with note_or_404():
            edit_comment(self.state.session, order.id, note_id, actor=access.actor_name(self.settings),
                         actor_id=access.actor_id(self.settings), text=cast(str, form.text.data),
                         panel=self.state, clock=self.state.clock)
        flash(gettext("Your note was changed; the history keeps its earlier text."), "success")
        return redirect(order_url)

    @expose("/<int:order_id>/comment/<int:note_id>/delete/")
    def comment_delete_confirm_view(self, order_id: int, note_id: int) -> str:
        """Are you sure? The note as it reads now, and a Delete button (a POST): deleting is never one click."""
        order = self.load_order(order_id, tab="comments")
        self.require(Action.COMMENT.value, order.obj)
        with note_or_404():
            note = note_of(self.state.session, order.id, note_id, panel=self.state)
        refusal = note_change_refusal(self.settings, note, access.actor_id(self.settings), self.state.clock())
        if refusal is not None:
            raise NoteChangeRefused(refusal, order_number=order.number)
        order_url = self.order_url(order.id, self.list_url(), tab="comments")
        return self.render(
            "order_admin/note_delete.html", order=order, note=note, form=NoteDeleteForm(url=self.list_url()),
            post_url=self.get_url(".comment_delete_view", order_id=order.id, note_id=note.id),
            order_url=order_url, return_url=self.list_url(),
        )

    @expose("/<int:order_id>/comment/<int:note_id>/delete/", methods=("POST",))
    def comment_delete_view(self, order_id: int, note_id: int) -> Response:
        form = NoteDeleteForm()
        order, order_url = self._checked_post(order_id, form)
        with note_or_404():
            delete_comment(self.state.session, order.id, note_id, actor=access.actor_name(self.settings),
                           actor_id=access.actor_id(self.settings), panel=self.state,
                           clock=self.state.clock)
        flash(gettext("Your note was deleted; the history says who deleted it and when."), "success")
        return redirect(order_url)
