"""Login throttling with Flask-Limiter: failed logins are counted per user name and client address, and per
client address alone. While either count is over its limit, every login from that address is refused with
429 (the right password too), so guessing stops there; other addresses log in as usual.

Only failed logins count (``count_failed_login``), so staff logging in many times a day are never held up.
The counts live in Flask-Limiter's storage: in memory by default (each process counts for itself: under
``gunicorn -w 4`` an address gets up to four times the limits), or shared by all workers when
``RATELIMIT_STORAGE_URI`` names one, e.g. ``redis://localhost:6379`` (needs ``flask-limiter[redis]``).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, g, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

DEFAULT_LIMITS = {
    "LOGIN_LIMIT_PER_NAME_AND_IP": "5 per minute",  # a mistyped password or two, never a guessing run
    "LOGIN_LIMIT_PER_IP": "20 per hour",  # many names tried from one address; an office behind NAT still fits
}


def throttle_logins(app: Flask, endpoint: str, refuse: Callable[[RequestLimit], Response]) -> Limiter:
    """Put the login limits on the view of ``endpoint``; ``refuse`` makes the 429 page."""
    for key, value in DEFAULT_LIMITS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")  # no burst of twice the limit at a window's edge
    limiter = Limiter(get_remote_address, app=app)  # one per app: its counts belong to this app only
    # The app holds it: the decorators below keep only a weak reference, and Flask-Limiter files itself in
    # app.extensions["limiter"] only when enabled. With RATELIMIT_ENABLED=False nothing else held it, and
    # once garbage-collected every login failed (ReferenceError).
    app.extensions["login_throttle"] = limiter
    counted = {"methods": ["POST"], "deduct_when": _login_failed, "on_breach": refuse}
    view = app.view_functions[endpoint]
    view = limiter.limit(_configured("LOGIN_LIMIT_PER_NAME_AND_IP"), key_func=_name_and_address, **counted)(view)
    view = limiter.limit(_configured("LOGIN_LIMIT_PER_IP"), **counted)(view)
    app.view_functions[endpoint] = view
    return limiter


def count_failed_login() -> None:
    """Mark this request as a failed login: the limits count it once the response is made."""
    g.login_failed = True


def _login_failed(response: Response) -> bool:
    return g.get("login_failed", False)


def _configured(key: str) -> Callable[[], str]:
    return lambda: current_app.config[key]


def _name_and_address() -> str:
    # casefold: MariaDB compares user names without case, so "ADMIN" would be a fresh count for "admin".
    name = request.form.get("username", "").strip().casefold()[:80]
    return f"{get_remote_address()}|{name}"
