"""Server-side login sessions: what turns a session cookie into a logged-in user.

Flask's session is a signed cookie, so deleting data from it cannot take back a copy made earlier. The login
therefore lives in a ``LoginSession`` row; the cookie carries only the row's random token (Flask-Login's user
id). Logout deletes the row, and the user's other login sessions (another browser) stay valid. A login session
ends by itself after ``LOGIN_SESSION_LIFETIME``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, select

from flask_order_admin.models import utcnow

from .models import LoginSession, User, db


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_valid() -> datetime:
    return utcnow() - current_app.config["LOGIN_SESSION_LIFETIME"]


def start_login_session(user: User) -> None:
    """Log ``user`` in on a new session: nothing of the session before it carries over (its CSRF token
    included), so a session planted before the login is worth nothing after it."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(LoginSession).where(LoginSession.created_at < _oldest_valid()))
    db.session.add(LoginSession(token_hash=_digest(token), user_id=user.id))
    db.session.commit()
    user.login_token = token
    login_user(user)


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of a live login session, or None."""
    user = db.session.scalar(
        select(User).join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == _digest(token), LoginSession.created_at >= _oldest_valid())
    )
    if user is not None:
        user.login_token = token
    return user


def end_login_session() -> None:
    """Log out: delete this login session's row, then start an empty session (a new CSRF token)."""
    token = current_user.get_id() if current_user.is_authenticated else None
    if token is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
        db.session.commit()
    logout_user()
    session.clear()
