"""Bulk exports put every order they cover to the host's access rule, as ``("export", order)``.

One denied order refuses the whole export: no file, and a message saying how many orders are
denied and naming the first few. A file silently missing some of the selection could pass for
all of it. The orders are read a chunk of ids per SELECT, so an export of 100,000 orders costs
a hundred queries, not one per order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..domain.messages import Listing
from ..i18n import gettext, ngettext
from ..export.query import export_ids
from ..settings import Settings
from .formats import amount

IDS_PER_SELECT = 1000  # well under every database's limit of bound parameters
NUMBERS_SHOWN = 3  # denied order numbers named in the message; the rest are counted


def denied_order_ids(session: Session, settings: Settings, order_ids: Sequence[int]) -> list[int]:
    """The ids (in id order) of the orders the host's rule does not let the current user export."""
    if settings.access is None:
        return []  # the default rule asks only who the user is, never which order
    binding = settings.models
    denied: list[int] = []
    for start in range(0, len(order_ids), IDS_PER_SELECT):
        chunk = order_ids[start:start + IDS_PER_SELECT]
        orders = session.scalars(
            select(binding.order).where(binding.order_pk.in_(chunk)).order_by(binding.order_pk)
            .options(*binding.order_load_options())
        )
        denied.extend(binding.order_id(o) for o in orders if not access.is_allowed(settings, "export", o))
    return denied


def export_refusal(session: Session, settings: Settings, order_ids: Iterable[object]) -> str | None:
    """Why the current user may not export these orders, for the manager; None when they may.

    Raises OrderNotFound for an id that cannot be an order, as the export itself would.
    """
    ids = export_ids(order_ids)
    denied = denied_order_ids(session, settings, ids)
    if not denied:
        return None
    numbers_of = settings.models.numbers_of(session, [ids[0], *denied[:NUMBERS_SHOWN]], settings.number_format)
    number = numbers_of.__getitem__
    if len(ids) == 1:
        return gettext("You may not export order %(number)s. Nothing was exported.", number=number(ids[0]))
    numbers: Listing | str = Listing(tuple(number(order_id) for order_id in denied[:NUMBERS_SHOWN]))
    if len(denied) > NUMBERS_SHOWN:
        numbers = gettext("%(numbers)s and %(count)s more", numbers=numbers, count=amount(len(denied) - NUMBERS_SHOWN))
    return ngettext(
        "You may not export %(denied)s of the %(total)s order: %(numbers)s. "
        "Nothing was exported; narrow the selection.",
        "You may not export %(denied)s of the %(total)s orders: %(numbers)s. "
        "Nothing was exported; narrow the selection.", len(ids),
        denied=amount(len(denied)), total=amount(len(ids)), numbers=numbers,
    )
