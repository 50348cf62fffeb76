"""The forms behind the order page's buttons: Flask-WTF, so every POST carries a CSRF token."""

from __future__ import annotations

from flask_admin.babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.widgets import HiddenInput
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional


class ConfirmActionForm(FlaskForm):
    """Yes on a confirm screen. ``version`` is the order's version as the manager's page showed it."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    url = HiddenField()


class CancelForm(ConfirmActionForm):
    reason = TextAreaField(
        lazy_gettext("Reason (optional, kept in the order history)"), validators=[Optional(), Length(max=2000)]
    )


class MergeForm(ConfirmActionForm):
    into = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])


class CommentForm(FlaskForm):
    text = TextAreaField(lazy_gettext("Note"), validators=[DataRequired(), Length(max=5000)])
    url = HiddenField()


class ExportForm(FlaskForm):
    """Starts an export (a POST, so a link or an image on another page cannot): the format comes from
    the button pressed; the view checks it is offered (ORDER_ADMIN_EXPORT_FORMATS)."""

    format = HiddenField(validators=[InputRequired(), AnyOf(("xls", "xlsx"))])


class ExportJobForm(FlaskForm):
    """Cancel or Run again on an export: only the CSRF token."""
