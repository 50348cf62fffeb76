"""What the views use of Flask-Admin that Flask-Admin does not publish: each private name, and why.

Flask-Admin 2.x (2.2.1 when this was written) offers public hooks for most of what the panel needs
(``is_accessible``, ``inaccessible_callback``, ``get_list``, ``get_count_query``, ``get_filter_arg``,
``get_actions_list``, ``is_action_allowed``, ``render``, ``create_blueprint``); where it has none, the views
use its private names, listed here. tests/views/test_views_flask_admin_private.py fails when the installed
Flask-Admin no longer has one of them, or when a view overrides a private Flask-Admin method not listed in
``PRIVATE_OVERRIDES`` (docs/design.md, "Views").
"""

from __future__ import annotations

from typing import Any

# Private methods of flask_admin.model.BaseModelView the views override (name → why).
PRIVATE_OVERRIDES = {
    "_get_list_extra_args": (
        "the one place index_view reads the query string (page, page size, search, filters), and the list's "
        "count, pager and export read it too: the page is kept within BIGINT (an OFFSET past it fails on "
        "every database), an unknown page size is read as none given, and ?search= is read as the search box "
        "reads it (refused text goes back to the list). Flask-Admin has no public hook for it; without the "
        "override ?page=10**19 is a 500 and the search applies untrimmed, unchecked text"
    ),
}

# Private attributes the views read (name → why).
PRIVATE_READS = {
    "_filters": "the view's filters by index (as filter arguments number them); get_filters() would build "
                "new filter objects on every call",
    "_filter_args": "filter argument key → (index, filter), as index_view reads them; no public reader",
    "_template_args": "per-request values for the list template (records and sums of the page's rows), set "
                      "in get_list: Flask-Admin's documented way to pass them to index_view's render",
    "_get_view_url": "a view's URL as Flask-Admin mounts it (views/mounting.py: no host view may sit there)",
    "_search_supported": "whether the list searches at all: the status pills count with the list's search "
                         "applied as get_list applies it (views/status_pills.py)",
    "_apply_search": "the list's search as get_list applies it, for the status pills' counts; no public form",
}


def filters_of(view: Any) -> list[Any]:
    """The view's filters, in the order their arguments' indexes count them (``_filters``)."""
    return list(view._filters or ())


def filter_keys(view: Any) -> dict[str, tuple[int, Any]]:
    """Each filter argument's key (``status_equals``) → (index, filter) (``_filter_args``)."""
    return dict(view._filter_args or {})


def template_args(view: Any) -> dict[str, Any]:
    """This request's extra arguments of the view's templates (``_template_args``)."""
    return view._template_args  # type: ignore[no-any-return]


def mounted_url(view: Any, admin: Any) -> str:
    """Where Flask-Admin mounts ``view`` under ``admin`` (``_get_view_url``)."""
    return str(view._get_view_url(admin, view.url))
