"""How the shop runs behind a real server: one configured SECRET_KEY for every worker, the proxy in front,
and a session cookie that is ``Secure`` wherever the shop is reached over HTTPS."""

from __future__ import annotations

import secrets

import click
from flask import Flask, has_request_context, request
from flask.cli import ScriptInfo
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

MISSING_SECRET_KEY = (
    "SECRET_KEY is not set. Every worker of a server such as `gunicorn -w 4` must sign sessions and CSRF "
    "tokens with the same key, or a login made on one worker fails on the next. Set the SECRET_KEY "
    "environment variable (for example to the output of `python -c 'import secrets; print(secrets.token_hex(32))'`) "
    "or pass SECRET_KEY to create_app. Only `flask run` and the other flask commands, and tests, go without one."
)


def require_secret_key(app: Flask) -> None:
    """Refuse to start without a configured key, except where one process is all there is."""
    if app.config.get("SECRET_KEY"):
        return
    if not (app.testing or started_by_flask_cli()):
        raise RuntimeError(MISSING_SECRET_KEY)
    # One process (the development server, a CLI command, a test): a key of its own lasts as long as it does.
    app.config["SECRET_KEY"] = secrets.token_hex(32)


def started_by_flask_cli() -> bool:
    """True while Flask's own CLI (``flask run``, ``flask seed-demo``, …) loads the app in this process.

    Asked of click's current context rather than of the ``FLASK_RUN_FROM_CLI`` environment variable, which the
    CLI sets for good and a server started from the same shell would inherit.
    """
    context = click.get_current_context(silent=True)
    return context is not None and context.find_object(ScriptInfo) is not None


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXY_COUNT`` proxies (nginx: 1), take the client's address and scheme from their
    X-Forwarded-For and X-Forwarded-Proto: the login throttle counts per client, and the session cookie is
    ``Secure`` when the client came over HTTPS. Without proxies those headers come from clients and are ignored."""
    value = app.config["TRUSTED_PROXY_COUNT"]
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise RuntimeError(f"TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), not {value!r}")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


class HttpsSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, ``Secure`` on every response to an HTTPS request (or always, with
    ``SESSION_COOKIE_SECURE``): ``flask run`` on plain HTTP keeps working, a deployment on HTTPS needs no setting."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)
