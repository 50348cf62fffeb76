"""Find orders by the last digits of their number.

An order number is the prefix and the zero-padded id, so "ends with 0023" is
``id % 10**4 == 23``. Rather than scan every number for a suffix, the search
lists the ids that end that way (23, 10023, 20023, …), newest first, and looks
them up by primary key: the same few index probes at a million orders as at a
thousand, on every database.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import NotAnOrderNumber, TrailingDigits
from ..errors import OrderSearchError
from ..models import Order
from ..settings import Settings, current_settings

# Ids probed per round and rounds at most: rows may be missing where a host deleted orders.
_PROBE_BATCH = 200
_MAX_ROUNDS = 5


def search(session: Session, text: object, *, settings: Settings | None = None) -> list[Order]:
    """Orders whose number ends with the digits in ``text``: the exact match first, then newest first.

    ``text`` may be ``23``, ``0023``, ``ORD-0000000023`` or ``ord-23``, with spaces around.
    Raises OrderSearchError (an OrderActionError) with a message for anything else.
    """
    settings = settings or current_settings()
    try:
        digits = settings.number_format.parse(text if isinstance(text, str) else str(text or ""))
    except NotAnOrderNumber as exc:
        raise OrderSearchError(str(exc)) from None
    limit = settings.search_limit
    max_id = session.scalar(select(func.max(Order.id)))
    if not max_id or digits.value > max_id:
        return []
    found: list[Order] = []
    exact = session.get(Order, digits.value)
    if exact is not None:
        found.append(exact)
    probe = _largest_matching_id(digits, max_id)
    for _ in range(_MAX_ROUNDS):
        if len(found) >= limit or probe <= digits.value:
            break
        batch = []
        while probe > digits.value and len(batch) < _PROBE_BATCH:
            batch.append(probe)
            probe -= digits.modulus
        rows = session.scalars(select(Order).where(Order.id.in_(batch)).order_by(Order.id.desc())).all()
        found.extend(rows[: limit - len(found)])
    return found


def _largest_matching_id(digits: TrailingDigits, max_id: int) -> int:
    return digits.value + ((max_id - digits.value) // digits.modulus) * digits.modulus
