"""Bulk exports put every order they cover to the host's access rule, as ``("export", order)``.

One denied order refuses the whole export: no file, and a message saying how many orders are
denied and naming the first few. A file silently missing some of the selection could pass for
all of it. The orders are read a chunk of ids per SELECT, so an export of 100,000 orders costs
a hundred queries, not one per order. A job asks in its worker (jobs/work.py), an instant export
as it starts (jobs/service.py), a download of a job's file in its request (views/export_access.py);
all refuse with this module's message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from .. import access
from ..domain.messages import N_, NP_, Listing, Message, Quantity
from ..services.app_panel import ServicePanel
from .query import export_ids

NUMBERS_SHOWN = 3  # denied order numbers named in the message; the rest are counted
IDS_PER_SELECT = 1000  # well under every database's limit of bound parameters


@dataclass
class ExportCheck:
    """What the rule said about an export's orders."""

    total: int = 0
    denied: int = 0
    first_ids: list[int] = field(default_factory=list)  # the first order, then the first denied ones


def check_orders(session: Session, panel: ServicePanel, chunks: Iterable[Sequence[int]]) -> ExportCheck:
    """Ask the rule about each order of ``chunks`` (ids in id order); with no host rule, nothing is asked:
    the default rule asks only who the user is, never which order."""
    check = ExportCheck()
    binding = panel.store
    for chunk in chunks:
        if not check.first_ids and chunk:
            check.first_ids.append(chunk[0])
        check.total += len(chunk)
        if panel.settings.access is None:
            continue
        for order in binding.orders_in_id_order(session, chunk):  # held weakly: a chunk is let go once asked
            if not access.is_allowed(panel.settings, "export", order):
                check.denied += 1
                if check.denied <= NUMBERS_SHOWN:
                    check.first_ids.append(binding.order_id(order))
    return check


def refusal(session: Session, panel: ServicePanel, check: ExportCheck) -> Message | None:
    """Why the user may not export these orders (None when they may), naming the first denied numbers."""
    if not check.denied:
        return None
    numbers_of = panel.store.numbers_of(session, check.first_ids, panel.settings.number_format)
    if check.total == 1:
        return N_("You may not export order %(number)s. Nothing was exported.", number=numbers_of[check.first_ids[0]])
    numbers: Listing | Message = Listing(tuple(numbers_of[order_id] for order_id in check.first_ids[1:]))
    if check.denied > NUMBERS_SHOWN:
        numbers = N_("%(numbers)s and %(count)s more", numbers=numbers, count=Quantity(check.denied - NUMBERS_SHOWN))
    return NP_(
        "You may not export %(denied)s of the %(total)s order: %(numbers)s. "
        "Nothing was exported; narrow the selection.",
        "You may not export %(denied)s of the %(total)s orders: %(numbers)s. "
        "Nothing was exported; narrow the selection.", check.total,
        denied=Quantity(check.denied), total=Quantity(check.total), numbers=numbers,
    )


def ids_refusal(session: Session, panel: ServicePanel, order_ids: Iterable[object]) -> Message | None:
    """Why the current user may not export these orders (given as ids, all at hand); None when they may.

    Raises OrderNotFound for an id that cannot be an order, as the export itself would.
    """
    ids = export_ids(order_ids)
    chunks = (ids[start:start + IDS_PER_SELECT] for start in range(0, len(ids), IDS_PER_SELECT))
    return refusal(session, panel, check_orders(session, panel, chunks))
