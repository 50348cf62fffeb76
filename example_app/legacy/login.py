"""Staff login (Flask-Login) and the back office's index page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import gettext, lazy_gettext
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired

from .models import Staff, db

ADMIN_LOGIN = "admin"

bp = Blueprint("legacy_login", __name__, template_folder="templates")


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Login"), validators=[DataRequired()])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired()])
    submit = SubmitField(lazy_gettext("Log in"))


def init_login(app: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "legacy_login.login"
    manager.user_loader(lambda user_id: db.session.get(Staff, int(user_id)) if user_id.isdigit() else None)
    manager.init_app(app)
    app.register_blueprint(bp)


def ensure_staff(password: str) -> None:
    """The demo ``admin`` staff member, with the configured password."""
    staff = db.session.scalar(select(Staff).where(Staff.login == ADMIN_LOGIN))
    if staff is None:
        staff = Staff(login=ADMIN_LOGIN, full_name="Wang Li")
        db.session.add(staff)
    elif staff.check_password(password):
        return
    staff.set_password(password)
    db.session.commit()


def _safe_next(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(ch) < 32 for ch in target)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    target = request.args.get("next")
    destination = target if _safe_next(target) else url_for("admin.index")
    if current_user.is_authenticated:
        return redirect(destination)
    form = LoginForm()
    if form.validate_on_submit():
        staff = db.session.scalar(select(Staff).where(Staff.login == form.username.data.strip()))
        if staff is not None and staff.check_password(form.password.data):
            login_user(staff)
            return redirect(destination)
        flash(gettext("Wrong login or password."), "error")
    return render_template("legacy/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    return redirect(url_for("legacy_login.login"))


class BackofficeIndex(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name: str, **kwargs: object) -> Response:
        return redirect(url_for("legacy_login.login", next=request.full_path.rstrip("?")))

    @expose("/")
    def index(self) -> str:
        return self.render("legacy/index.html")
