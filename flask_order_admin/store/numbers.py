"""Order numbers: made from the id (prefix + zero-padded id, the default), or the shop's own.

Search by the last digits must be an index lookup however many orders there are:

* id numbers (``ORD-0000000023``): "ends with 0023" is ``id % 10**4 == 23``, so the search
  lists the ids that end that way, newest first, and looks them up by primary key;
* a shop's own numbers (``SH-24-00042``): the panel keeps ``order_admin_number_keys``, each
  order's number lower-cased and reversed ("24000-42-hs"), compared byte by byte; "ends with
  42" is then "starts with 24", an index range on all three databases. Orders newer than the
  newest indexed one are indexed before each search (one index-range query finds them);
  ``flask order-admin index-numbers`` fills it for a big shop and re-reads changed numbers
  (``services/number_index.py`` writes it).
"""

from __future__ import annotations

import re
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..domain import NotAnOrderNumber, NumberFormat, TrailingDigits
from ..domain.messages import N_
from ..domain.search_keys import next_prefix
from .fields import Field
from .storage import NUMBER_KEY_LENGTH

# Ids probed per round and rounds at most: rows may be missing where a host deleted orders.
_PROBE_BATCH = 200
_MAX_ROUNDS = 5
# Orders indexed per statement and transaction by the refresh before a search and by the CLI.
INDEX_CHUNK = 5_000


class IdNumbers:
    """Numbers made from the id: ``ORDER_ADMIN_NUMBER_PREFIX`` + the id zero-padded to ``_WIDTH`` digits."""

    field: Field | None = None

    def format(self, order_id: int, raw: Any, number_format: NumberFormat) -> str:
        return number_format.format(order_id)

    def numbers_of(self, session: Session, ids: Iterable[int], number_format: NumberFormat) -> dict[int, str]:
        return {order_id: number_format.format(order_id) for order_id in ids}

    def parse(self, text: str, number_format: NumberFormat) -> TrailingDigits:
        return number_format.parse(text)

    def search(self, session: Session, binding: Any, text: str, number_format: NumberFormat, limit: int,
               within: ColumnElement[Any] | None = None) -> list[Any]:
        """Orders whose number ends with the digits in ``text``: the exact one first, then newest first;
        ``within``: only orders meeting that condition (the list's filters)."""
        digits = number_format.parse(text)
        pk, options = binding.order_pk, binding.order_load_options()
        max_id = session.scalar(select(func.max(pk)))
        if not max_id or digits.value > max_id:
            return []
        found: list[Any] = []
        if within is None:
            exact = session.get(binding.order, digits.value, options=options)
        else:
            exact = session.scalars(select(binding.order).where(pk == digits.value, within).options(*options)).first()
        if exact is not None:
            found.append(exact)
        probe = _largest_matching_id(digits, max_id)
        for _ in range(_MAX_ROUNDS):
            if len(found) >= limit or probe <= digits.value:
                break
            batch: list[int] = []
            while probe > digits.value and len(batch) < _PROBE_BATCH:
                batch.append(probe)
                probe -= digits.modulus
            rows = session.scalars(
                _within(select(binding.order).where(pk.in_(batch)), within).order_by(pk.desc()).options(*options)
            ).all()
            found.extend(rows[: limit - len(found)])
        return found

    def unindexed(self, session: Session) -> Sequence[Any]:
        return []  # nothing to keep: the id is the number


def _within(statement: Select[Any], condition: ColumnElement[Any] | None) -> Select[Any]:
    return statement if condition is None else statement.where(condition)


def _largest_matching_id(digits: TrailingDigits, max_id: int) -> int:
    return digits.value + ((max_id - digits.value) // digits.modulus) * digits.modulus


# What a shop's number search accepts: letters, digits and the separators numbers use.
_NUMBER_TEXT = re.compile(r"[0-9a-z][0-9a-z\-_/.#]*|[0-9a-z\-_/.#]*[0-9a-z]")
_TRAILING_DIGITS = re.compile(r"([0-9]+)$")
_TAIL_LIMIT = 10**18


def number_key(number: Any) -> tuple[str, int | None]:
    """The indexed form of a number: lower-cased and reversed, and the value of its trailing digits."""
    text = str(number or "").strip().lower()
    digits = _TRAILING_DIGITS.search(text)
    tail = int(digits.group(1)) if digits else None
    return text[::-1][:NUMBER_KEY_LENGTH], tail if tail is not None and tail < _TAIL_LIMIT else None


class KeyedNumbers:
    """A shop's own numbers (a column or a ``column_property``), searched through ``order_admin_number_keys``."""

    def __init__(self, field: Field, keys: Any, pk_key: str) -> None:
        self.field = field
        self.keys = keys
        self.pk_key = pk_key
        self._lookups: dict[int, Any] = {}  # by limit

    def format(self, order_id: int, raw: Any, number_format: NumberFormat) -> str:
        return "" if raw is None else str(raw)

    def numbers_of(self, session: Session, ids: Iterable[int], number_format: NumberFormat) -> dict[int, str]:
        ids = sorted(set(ids))
        if not ids:
            return {}
        pk = getattr(self.field.base, self.pk_key)
        rows = session.execute(select(pk, self.field.attribute).where(pk.in_(ids)))
        return {order_id: self.format(order_id, raw, number_format) for order_id, raw in rows}

    def parse(self, text: str, number_format: NumberFormat | None = None) -> str:
        """The search text, lower-cased; NotAnOrderNumber with a message for anything else."""
        cleaned = (text or "").strip().lower()
        if not cleaned:
            raise NotAnOrderNumber(N_("Enter the last digits of an order number, for example %(example)s.", example=42))
        if len(cleaned) > NUMBER_KEY_LENGTH or not _NUMBER_TEXT.fullmatch(cleaned):
            shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:39] + "…"
            raise NotAnOrderNumber(N_(
                "“%(text)s” is not an order number: enter its last digits (for example 42) or the whole number.",
                text=shown,
            ))
        if cleaned.isdigit() and int(cleaned) == 0:
            raise NotAnOrderNumber(N_("Enter the last digits of the number other than zeros (for example 42)."))
        return cleaned

    def search(self, session: Session, binding: Any, text: str, number_format: NumberFormat, limit: int,
               within: ColumnElement[Any] | None = None) -> list[Any]:
        """Orders whose number ends with ``text``: exact matches first (the whole number, or trailing digits
        of the same value: ``42`` is exact for ``SH-24-00042``), then newest first; ``within``: only orders
        meeting that condition. One statement: the index range of the keys, their orders by primary key
        (built once: a search is as cheap as it can be; ``within`` is added to the built statement)."""
        cleaned = self.parse(text)
        prefix = cleaned[::-1]
        # ``prefix`` is ASCII (_NUMBER_TEXT): it has a next one.
        params = {"low": prefix, "high": next_prefix(prefix), "exact": prefix,
                  "tail": int(cleaned) if cleaned.isdigit() and int(cleaned) < _TAIL_LIMIT else -1}
        lookup = self._lookups.get(limit)
        if lookup is None:
            lookup = self._lookups[limit] = self._lookup(binding, limit)
        return list(session.scalars(_within(lookup, within), params).unique())

    def _lookup(self, binding: Any, limit: int) -> Any:
        c = self.keys.c
        exact = or_(c.reversed_number == bindparam("exact"), c.tail_value == bindparam("tail"))
        return (
            select(binding.order).join(self.keys, c.order_id == binding.order_pk)
            .where(c.reversed_number >= bindparam("low"), c.reversed_number < bindparam("high"))
            .order_by(case((exact, 0), else_=1), c.order_id.desc()).limit(limit)
            .options(*binding.order_load_options())
        )

    @functools.cached_property
    def _newer_than_indexed(self) -> Any:
        pk = getattr(self.field.base, self.pk_key)
        newest = select(func.coalesce(func.max(self.keys.c.order_id), 0)).scalar_subquery()
        return select(pk, self.field.attribute).where(pk > newest).order_by(pk).limit(INDEX_CHUNK)

    def unindexed(self, session: Session) -> Sequence[Any]:
        """(id, number) of orders newer than the newest indexed one, oldest first, a chunk at most: one
        index-range query on the orders' primary key (nothing, as a rule)."""
        return session.execute(self._newer_than_indexed).all()

    def store(self, session: Session, rows: Sequence[Any], *, replace: bool = False) -> None:
        """Write the keys of (id, number) rows; ``replace``: their old keys go first."""
        if replace:
            session.execute(delete(self.keys).where(self.keys.c.order_id.in_([order_id for order_id, _ in rows])))
        session.execute(insert(self.keys), [_key_row(order_id, raw) for order_id, raw in rows])

    def every_order(self, session: Session, after: int) -> Sequence[Any]:
        """(id, number) of the orders after id ``after``, a chunk at most (to re-read every number)."""
        pk = getattr(self.field.base, self.pk_key)
        return session.execute(
            select(pk, self.field.attribute).where(pk > after).order_by(pk).limit(INDEX_CHUNK)).all()


def _key_row(order_id: int, raw: Any) -> dict[str, Any]:
    reversed_number, tail = number_key(raw)
    return {"order_id": order_id, "reversed_number": reversed_number, "tail_value": tail}

