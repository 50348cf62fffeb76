"""The forms behind the order page's buttons: Flask-WTF, so every POST carries a CSRF token."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast

from flask import request
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import HiddenInput

from ..domain.cancel_reasons import OTHER, CancelReason
from ..domain.search_keys import NON_TEXT, holds_non_text
from ..i18n import gettext, lazy_gettext, lazy_pgettext, translate
from ..services.events import NOTE_LIMIT


class TextOnly:
    """Mixed into a text field: a value that is not text is a form error. A multipart POST may send a
    file part in the field's name, and WTForms would hand the view its FileStorage; and text holding NUL
    is refused, as everywhere text reaches the database (docs/design.md, "Text from requests")."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if any(not isinstance(value, str) for value in valuelist):
            raise ValueError(gettext("Expected text, not a file."))
        super().process_formdata(valuelist)  # type: ignore[misc]

    def pre_validate(self, form: Any) -> None:
        # Before the field's validators, which would say "Write the note first" of an empty one instead.
        if isinstance(self.data, str) and holds_non_text(self.data):  # type: ignore[attr-defined]
            raise StopValidation(translate(NON_TEXT))
        super().pre_validate(form)  # type: ignore[misc]


class TextArea(TextOnly, TextAreaField):
    pass


class HiddenText(TextOnly, HiddenField):
    pass


class PostedForm(FlaskForm):
    """A form read from posted form fields only."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            # Flask-WTF would read a JSON body as the fields, and its values need not be text (nor the body
            # an object). The buttons post a form; a JSON post is read as one with no fields.
            if request.is_json:
                return request.form if form.is_submitted() else None
            return super().wrap_formdata(form, formdata)


class ConfirmActionForm(PostedForm):
    """Yes on a confirm screen. ``version`` is the order's version as the manager's page showed it."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    url = HiddenText()


class ReasonChoice(TextOnly, RadioField):
    """The listed cancel reasons and Other, as radio buttons; none picked is allowed (the reason is optional),
    a value not offered (a forged post, or a list changed since the page) is a form error."""

    def pre_validate(self, form: Any) -> None:
        TextOnly.pre_validate(self, form)
        offered = cast("list[tuple[str, str]]", self.choices)  # set by offer_reasons
        if self.data and self.data not in {value for value, _ in offered}:
            raise StopValidation(gettext("This reason is not one of those offered; pick one from the list."))


class CancelReasonsMixin:
    """The reason fields of a Cancel confirm screen: a listed reason, or Other and the manager's words.
    ``offer_reasons`` must be called before the form is rendered or validated."""

    # WTForms renders a lazy text (a str-like LazyProxy) where a label or message goes; its stubs ask for str.
    # "Reason" names the field in a form error; the screen's heading says it is optional (macros.html).
    reason_choice = ReasonChoice(
        lazy_gettext("Reason"),  # type: ignore[arg-type]
        choices=[], validate_choice=False,
    )
    reason = TextArea(
        lazy_pgettext("cancel reason", "Details"),  # type: ignore[arg-type]
        validators=[Optional(), Length(
            max=2000, message=lazy_gettext("A reason can be at most %(max)s characters long."),  # type: ignore[arg-type]
        )],
    )

    def offer_reasons(self, reasons: Iterable[CancelReason]) -> None:
        choices = [(reason.value, translate(reason.label)) for reason in reasons]
        if choices:
            choices.append((OTHER, gettext("Other (write it below)")))
        self.reason_choice.choices = choices

    def validate_reason_choice(self, field: Any) -> None:
        """Other with nothing written says nothing: ask for the words (WTForms calls it for ``reason_choice``)."""
        if field.data == OTHER and not (self.reason.data or "").strip():
            raise StopValidation(gettext("You picked Other: write the reason, or pick one from the list."))

    def picked_reason(self) -> str | None:
        """The listed reason's value to pass to the service, None for Other or none picked."""
        value = self.reason_choice.data
        return value if value and value != OTHER else None


class CancelForm(CancelReasonsMixin, ConfirmActionForm):
    pass


AnyForm = TypeVar("AnyForm", bound=FlaskForm)


def with_reasons(form: AnyForm, reasons: Iterable[CancelReason]) -> AnyForm:
    """``form``, offering ``reasons`` when it is a Cancel form (any other is left as it is)."""
    if isinstance(form, CancelReasonsMixin):
        form.offer_reasons(reasons)
    return form


class RestoreForm(ConfirmActionForm):
    """``fingerprint``: of the prices the preview showed (``services.preview_restore``); the second button
    restores the order without the items no longer sold."""

    fingerprint = HiddenText(validators=[InputRequired(), Length(max=64)])
    without_unsold = SubmitField()


class MergeForm(ConfirmActionForm):
    into = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])


class CommentForm(PostedForm):
    """A new note, or a note's new text (the same field: its author edits what they wrote)."""

    text = TextArea(lazy_gettext("Note"), validators=[  # type: ignore[arg-type]  # a lazy text, as above
        DataRequired(message=lazy_gettext("Write the note first.")),  # type: ignore[arg-type]
        Length(max=NOTE_LIMIT, message=lazy_gettext("A note can be at most %(max)s characters long.")),  # type: ignore[arg-type]
    ])
    url = HiddenText()


class NoteDeleteForm(PostedForm):
    """Yes on the delete-a-note confirm screen: the CSRF token and the page to go back to."""

    url = HiddenText()


class ExportForm(PostedForm):
    """Starts an export (a POST, so a link or an image on another page cannot): the format comes from
    the button pressed; the view checks it is offered (ORDER_ADMIN_EXPORT_FORMATS)."""

    format = HiddenText(validators=[InputRequired(), AnyOf(("xls", "xlsx"))])
    # The ORDER_ADMIN_EXPORT_PRESETS key the manager picked; empty: the default columns (the view checks it).
    preset = HiddenText(validators=[Optional(), Length(max=32)])


class ExportJobForm(PostedForm):
    """Cancel or Run again on an export: only the CSRF token."""


class BulkActionForm(PostedForm):
    """Yes on a bulk confirm screen: the orders the screen counted with their versions (signed, read by the
    view: ``views.bulk.shown_versions``), and the list to go back to."""

    orders = HiddenText(validators=[InputRequired()])
    url = HiddenText()


class BulkCancelForm(CancelReasonsMixin, BulkActionForm):
    pass
