"""How a list reads its page from the query string: the page kept within what the database can read, an
unknown page size read as none given, the search text read as the search box reads it, and a page past the
end sent to the last page."""

from __future__ import annotations

import math
from typing import Any, cast

from flask import abort, redirect, request, url_for
from flask_admin.model.base import ViewArgs

from ..domain.search_keys import search_text
from ..services.transaction import MAX_ID
from .list_count import PAGES_AHEAD


def last_page(page_size_options: tuple[int, ...], page_size: int) -> int:
    """The furthest page a list reads, so that OFFSET and the count's LIMIT stay within BIGINT: PostgreSQL
    and MariaDB refuse more, and so does SQLite's driver. Pages that far hold nothing anyway."""
    return MAX_ID // max(*page_size_options, page_size) - PAGES_AHEAD - 1


def kept_within_bounds(args: ViewArgs, page_size_options: tuple[int, ...], page_size: int) -> ViewArgs:
    """Flask-Admin's reading of the query string with the page kept to 0..last_page and a page size that is not
    offered read as none given (the default), as Flask-Admin's page does. The search is left as it is."""
    size = args.page_size if args.page_size in page_size_options else 0
    page = min(max(args.page or 0, 0), last_page(page_size_options, page_size))
    return args.clone(page=page, page_size=size)


def list_search(typed: str | None) -> str | None:
    """The list's ``?search=`` read as the search box reads its text (``search_text``); NotSearchText when
    refused (docs/design.md, "Text from requests")."""
    return search_text(typed) if typed else None


def without_search_url(view: Any) -> str:
    """This list without its ``?search=``: where a refused search sends the manager back."""
    args = request.args.to_dict(flat=False)
    args.pop("search", None)
    return cast(str, view.get_url(".index_view", **args))


def go_to_last_page(count: int, page_size: int) -> None:
    """A page past the end (``?page=999`` of a list of 400) goes to the last page, not to "List (400)" over
    an empty table; the filters, sort and page size are kept."""
    last = max(math.ceil(count / page_size) - 1, 0) if page_size else 0
    args: dict[str, Any] = request.args.to_dict(flat=False)
    if last:
        args["page"] = [str(last)]
    else:
        args.pop("page", None)
    abort(redirect(url_for(cast(str, request.endpoint), **args)))  # a view's request has its endpoint

