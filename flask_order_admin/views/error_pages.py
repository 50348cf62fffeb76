"""The panel's own 404, 405 and 500 pages: a page of the panel (its menu, a way back), not a bare one.

Registered on each plugin view's blueprint (``OrderAdminView.create_blueprint``): the host's own pages keep
the host's error pages.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Blueprint, make_response
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from ..i18n import lazy_gettext

if TYPE_CHECKING:
    from .panel_view import PanelView

logger = logging.getLogger("flask_order_admin.views")

# A title and a line for the manager.
ERROR_PAGES = {
    404: (lazy_gettext("Page not found"),
          lazy_gettext("There is no such page in the orders panel. It may have been an old or mistyped link.")),
    405: (lazy_gettext("This address cannot be opened like that"),
          lazy_gettext("It is the address of a button (it changes an order), not of a page. "
                       "Go back to the order and use its Order actions menu.")),
    500: (lazy_gettext("Something went wrong"),
          lazy_gettext("The orders panel could not show this page; nothing was changed. "
                       "Try again, or tell the shop's administrator if it happens again.")),
}


def register_error_pages(blueprint: Blueprint, view: PanelView) -> None:
    for code in ERROR_PAGES:
        blueprint.register_error_handler(code, lambda error: error_page(view, error))


def error_page(view: PanelView, error: HTTPException) -> Response:
    """A 404, 405 or 500 of ``view`` as a page of the panel."""
    code = error.code or 500
    title, explanation = ERROR_PAGES.get(code, ERROR_PAGES[500])
    try:
        if code >= 500:
            view.state.session.rollback()  # the failed request's transaction, before the page reads anything
        body = view.render("order_admin/error.html", code=code, title=str(title),
                           explanation=str(explanation), orders_url=view.orders_list_url())
    except Exception:  # the page itself failed (the database is down…): the plain one, as Flask's
        logger.exception("the error page of %s could not be rendered", view.endpoint)
        return error.get_response()
    response = make_response(body, code)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
