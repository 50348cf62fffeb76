"""Find orders by the last digits of their number (or the whole number).

Numbers made from the id are found by id arithmetic, a shop's own numbers through the plugin's
index of reversed numbers (``binding/numbers.py``): an index lookup either way, as fast at a
million orders as at a thousand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..domain import NotAnOrderNumber
from ..errors import OrderSearchError
from ..settings import Settings, current_settings
from .number_index import index_new_orders


def search(session: Session, text: object, *, settings: Settings | None = None) -> list[Any]:
    """Orders whose number ends with the digits in ``text``: the exact match first, then newest first.

    ``text`` may be ``23``, ``0023``, ``ORD-0000000023`` or ``ord-23``, with spaces around (a shop's own
    numbers: ``42``, ``00042`` or ``SH-24-00042``). Raises OrderSearchError (an OrderActionError) with a
    message for anything else.
    """
    settings = settings or current_settings()
    binding = settings.models
    text = text if isinstance(text, str) else str(text or "")
    try:
        binding.numbers.parse(text, settings.number_format)  # a message for anything else, before any work
        index_new_orders(session, settings)
        return binding.numbers.search(session, binding, text, settings.number_format, settings.search_limit)
    except NotAnOrderNumber as exc:
        raise OrderSearchError(exc.args[0]) from None
