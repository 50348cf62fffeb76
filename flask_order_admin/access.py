"""Who may open the panel and run each action.

``ORDER_ADMIN_ACCESS`` is the host's ``callable(action, order) -> bool | None``:
``action`` is one of ``settings.ACCESS_ACTIONS`` ("view", "export", "cancel", …),
``order`` the order concerned or None for the panel as a whole and bulk exports.
A merge asks ("merge", order) for both of its orders (views/menu.py,
``merge_access_refusal``); a bulk export asks ("export", order) for each order
after ("export", None): an instant one as it starts (jobs/service.py), a job in its
worker, as the user who started it (``acting_as``; jobs/work.py); a bulk cancel, close or restore asks (action, None)
to offer it, then (action, order) for each order, and refuses only the orders denied (services/bulk.py).
Where the setting is None, or the callable answers None, the default rule
decides: a Flask-Login user who is logged in; with no Flask-Login on the app,
nobody (the panel is never open to anonymous users unless the host says so).
"all_exports" (see and download every user's exports) is the exception: only
the callable answering True grants it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import abort, current_app, g, redirect, request, url_for
from werkzeug.wrappers import Response

from .settings import Settings


def _flask_login_user() -> Any:
    """Flask-Login's current user, or None where the app does not use Flask-Login."""
    try:
        from flask_login import current_user
    except ImportError:
        return None
    if getattr(current_app, "login_manager", None) is None:
        return None
    return current_user


def default_rule() -> bool:
    user = _flask_login_user()
    return bool(user is not None and user.is_authenticated)


def is_allowed(settings: Settings, action: str, order: Any = None) -> bool:
    if settings.access is not None:
        verdict = settings.access(action, order)
        if verdict is not None:
            return bool(verdict)
    return default_rule()


def explicitly_allowed(settings: Settings, action: str, order: Any = None) -> bool:
    """Only the host's callable can say yes (True); the default rule never does. For rights beyond
    running actions, such as "all_exports" (seeing every user's exports)."""
    return settings.access is not None and settings.access(action, order) is True


def user_id() -> str | None:
    """The Flask-Login id of the current user, which ``acting_as`` finds them by again; None when anonymous."""
    user = _flask_login_user()
    if user is None or not user.is_authenticated:
        return None
    return str(user.get_id())


@contextmanager
def acting_as(user_id: str | None) -> Iterator[None]:
    """A request context (inside the app's) whose Flask-Login user is the one of ``user_id``, found by the
    host's user loader: an export job asks the access rule as the manager who started it, and a rule
    reads ``current_user``. With no id, no loader or no such user any more, the user is anonymous."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a proxy
    # Flask-Login keeps the user in ``g``, which is the app context's: the caller's is put back after.
    before = g.pop("_login_user", None)
    try:
        with app.test_request_context():
            login_manager = getattr(app, "login_manager", None)
            if login_manager is not None:
                # Flask-Login's own way of loading a user for a request (its user_loader), then of making it current.
                loader = getattr(login_manager, "_user_callback", None)
                user = loader(user_id) if loader is not None and user_id is not None else None
                login_manager._update_request_context_with_user(user)
            yield
    finally:
        g.pop("_login_user", None)
        if before is not None:
            g._login_user = before


def is_anonymous() -> bool:
    user = _flask_login_user()
    return user is None or not user.is_authenticated


def actor_name(settings: Settings) -> str:
    """The name written into the order history for the current user (``ORDER_ADMIN_ACTOR_NAME``)."""
    user = _flask_login_user()
    if user is None or not user.is_authenticated:
        return "anonymous"
    return str(settings.actor_name(user))


ACTOR_ID_LIMIT = 200  # the column's length


def actor_id(settings: Settings) -> str | None:
    """Who owns the exports the current user starts (``ORDER_ADMIN_ACTOR_ID``); None for an anonymous
    user, who owns none. An id too long for the column is kept as its SHA-256, never cut: two ids
    alike in their first 200 characters stay two owners."""
    user = _flask_login_user()
    if user is None or not user.is_authenticated:
        return None
    identity = str(settings.actor_id(user))
    if len(identity) > ACTOR_ID_LIMIT:
        return "sha256:" + hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()
    return identity


def login_redirect_or_403() -> Response:
    """Anonymous users go to the host's login page (with next=); everyone else gets 403."""
    login_manager = getattr(current_app, "login_manager", None)
    login_view = getattr(login_manager, "login_view", None)
    if is_anonymous() and login_view:
        return redirect(url_for(login_view, next=request.full_path.rstrip("?")))
    abort(403)
