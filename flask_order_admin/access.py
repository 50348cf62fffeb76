"""Who may open the panel and run each action.

``ORDER_ADMIN_ACCESS`` is the host's ``callable(action, order) -> bool | None``:
``action`` is one of ``settings.ACCESS_ACTIONS`` ("view", "export", "cancel", …),
``order`` the order concerned or None for the panel as a whole and bulk exports.
A merge asks ("merge", order) for both of its orders (views/menu.py,
``merge_access_refusal``); a bulk export asks ("export", order) for each order
after ("export", None) (views/export_access.py); a bulk cancel, close or restore asks (action, None)
to offer it, then (action, order) for each order, and refuses only the orders denied (services/bulk.py).
Where the setting is None, or the callable answers None, the default rule
decides: a Flask-Login user who is logged in; with no Flask-Login on the app,
nobody (the panel is never open to anonymous users unless the host says so).
"all_exports" (see and download every user's exports) is the exception: only
the callable answering True grants it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import abort, current_app, redirect, request, url_for
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
