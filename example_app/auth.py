"""Staff login: the login form, the user loader, and the admin index that requires a login."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired

from .models import User, db

ADMIN_USERNAME = "admin"

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    submit = SubmitField("Log in")


def init_login(app: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = "Please log in to open the shop's admin."
    manager.user_loader(_load_user)
    manager.init_app(app)
    app.register_blueprint(bp)


def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


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
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            current_app.logger.info("user %s logged in", user.username)
            return redirect(destination)
        flash("Wrong user name or password.", "error")
    return render_template("shop/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    # POST with the CSRF token (CSRFProtect checks it): a link on another site cannot log staff out.
    logout_user()
    flash("You are logged out.", "info")
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
