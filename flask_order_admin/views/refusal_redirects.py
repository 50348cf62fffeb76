"""A refused action (an ``OrderActionError`` a view lets through) as the manager sees it: what the view had
begun is rolled back, the reason is flashed, and the manager goes back to the page the view named (the order
page, once the order is known), else to the list.

Registered as an error handler of each plugin view's blueprint (``OrderAdminView.create_blueprint``):
Flask's public hook, where Flask-Admin's ``_run_view`` (private) was overridden before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import flash, g, redirect
from werkzeug.wrappers import Response

from ..errors import OrderActionError
from ..i18n import translate

if TYPE_CHECKING:
    from .panel_view import PanelView


def refusals_go_to(url: str) -> None:
    """From now on in this request, a refusal brings the manager back to ``url``."""
    g.order_admin_refusal_url = url


def refusal_url(default: str) -> str:
    """Where a refused request goes back to: the page the view named (``refusals_go_to``), else ``default``."""
    return g.get("order_admin_refusal_url") or default


def refusal_redirect(view: PanelView, error: OrderActionError) -> Response:
    view.state.session.rollback()  # what the view had begun is dropped, as the service dropped its own
    flash(translate(error.message), "error")
    return redirect(refusal_url(view.list_url()))
