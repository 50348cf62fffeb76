"""Staff login: the login form, the user loader, and the admin index that requires a login."""

from __future__ import annotations

import math
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import gettext, lazy_gettext, ngettext
from flask_limiter import RequestLimit
from flask_login import LoginManager, current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired

from .login_sessions import end_login_session, load_user, start_login_session
from .models import User, db, password_matches
from .throttle import count_failed_login, throttle_logins

ADMIN_USERNAME = "admin"

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("User name"), validators=[DataRequired()])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired()])
    submit = SubmitField(lazy_gettext("Log in"))


def init_login(app: Flask) -> None:
    app.config.setdefault("LOGIN_SESSION_LIFETIME", timedelta(hours=12))
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = lazy_gettext("Please log in to open the shop's admin.")
    manager.localize_callback = str  # flashed into the session: a plain string, in the page's language
    manager.user_loader(load_user)
    manager.init_app(app)
    app.register_blueprint(bp)
    throttle_logins(app, "auth.login", refuse=_throttled)


def _throttled(limit: RequestLimit) -> Response:
    """The login page again, with 429 and how long to wait: the form is not even checked."""
    wait = max(1, math.ceil(limit.reset_at - time.time()))
    minutes = math.ceil(wait / 60)
    message = ngettext("Too many failed logins. Wait %(num)d minute and try again.",
                       "Too many failed logins. Wait %(num)d minutes and try again.", minutes)
    response = make_response(render_template("shop/login.html", form=LoginForm(), refusal=message), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def ensure_admin_user(password: str) -> None:
    """Create the demo ``admin`` user, or reset its password to the configured one."""
    user = db.session.scalar(select(User).where(User.username == ADMIN_USERNAME))
    if user is None:
        user = User(username=ADMIN_USERNAME)
        db.session.add(user)
    elif user.check_password(password):
        return
    user.set_password(password)
    db.session.commit()


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, not ``//host`` nor the ``/\\host`` browsers read alike."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    target = request.args.get("next")
    destination = target if is_safe_next(target) else url_for("admin.index")
    if current_user.is_authenticated:
        return redirect(destination)
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if password_matches(user, form.password.data):
            start_login_session(user)
            current_app.logger.info("user %s logged in", user.username)
            return redirect(destination)
        count_failed_login()
        flash(gettext("Wrong user name or password."), "error")
    return render_template("shop/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    # POST with the CSRF token (CSRFProtect checks it): a link on another site cannot log staff out.
    end_login_session()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("auth.login"))


class ShopAdminIndex(AdminIndexView):
    """The /admin/ page; like every admin page it is for logged-in staff only."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name: str, **kwargs: object) -> Response:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @expose("/")
    def index(self) -> str:
        return self.render("shop/admin_index.html")
