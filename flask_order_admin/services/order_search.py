"""The search box: an order number's digits, a buyer's name, email or phone, a customer reference or a
marketplace item id, each found by an index lookup, as fast at a million orders as at a thousand.

The typed text is read through NFKC (``２３`` is ``23``) with its spaces collapsed, and refused when it
holds NUL or is too long (``domain/search_keys.py: search_text``). Then, each lookup one statement reading
at most ``search_limit`` ids:

* the order number (``store/numbers.py``): id arithmetic, or the index of a shop's own numbers;
* exact matches: the email key, the customer reference, the item id of a line (its orders, newest
  first), the phone's digits, the name's key;
* "starts with" matches, each a range of an index of ``(key, id)``: a phone by its last digits (six or
  more: its key is the digits reversed), the name, the email.

The results keep that order (the number's matches first, the exact one first), each order once, and
are loaded in one more statement. ``within`` (a condition on the orders: the list's filters, built by
the view) is added to each of these statements, so a search within filters sends as many statements as
one without (an id number's probes then find only what the newest probed ids hold: docs/panel.md).

Which lookups run depends on the text: digits are a number, a phone, a reference or an item id, never
a name; text with ``@`` is an email. On a shop's own tables a field without its key (``buyer_name_key``,
``buyer_phone_key``, ``buyer_email_key``) is compared plainly: see docs/performance.md for the indexes a
shop's tables need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..store import Field, OrderStore
from ..store.reference_types import reference_value
from ..domain import NotAnOrderNumber
from ..domain.merge import normalize_email
from ..domain.messages import N_
from ..domain.search_keys import (
    PHONE_MIN_DIGITS, NotSearchText, has_word_characters, like_escaped, name_key, next_prefix, phone_digits, phone_key,
    search_text,
)
from ..errors import OrderSearchError
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from .number_index import index_new_orders

# What a phone may look like as typed: digits with the usual separators, an international "+" first.
_PHONE_TEXT = re.compile(r"\+?\(?[0-9][0-9 ()./-]*")


def search(session: Session, text: object, *, panel: ServicePanel | None = None, settings: Settings | None = None,
           within: ColumnElement[Any] | None = None) -> list[Any]:
    """Orders matching ``text``: the order number's matches first (the exact number first, then newest
    first), then exact matches of the other fields, then "starts with" matches; ``search_limit`` at most;
    ``within``: only orders meeting that condition on the orders (the list's filters).

    ``text`` may be ``23``, ``０023``, ``ORD-0000000023``, ``ord-23``, ``Li Wei``, ``li@example.com``,
    ``+86 138 1234 5678``, ``5678 1234`` (a phone's last digits), a customer reference or an item id.
    Raises OrderSearchError (an OrderActionError) with a message for text that cannot find anything.
    """
    panel = find_panel(panel, settings)
    binding = panel.store
    try:
        cleaned = search_text(text)
    except NotSearchText as refusal:
        raise OrderSearchError(refusal.message) from None
    if not has_word_characters(cleaned):
        raise OrderSearchError(N_("“%(text)s” holds no letter or digit to search for.", text=_shorten(cleaned)))
    limit = panel.settings.search_limit
    found = _number_matches(session, binding, cleaned, panel, within)
    if found and _is_whole_number(binding, found[0], cleaned, panel):
        return found  # a whole order number means that order: no other field is searched
    seen = {binding.order_id(order) for order in found}
    ids = []
    for condition in _lookups(binding, cleaned):
        if len(seen) >= limit:
            break
        for order_id in condition.ids(session, binding, limit, within):
            if order_id not in seen:
                seen.add(order_id)
                ids.append(order_id)
    found.extend(binding.orders_by_id(session, ids[: max(limit - len(found), 0)]))
    return found


def _number_matches(session: Session, binding: OrderStore, text: str, panel: ServicePanel,
                    within: ColumnElement[Any] | None) -> list[Any]:
    text = text.replace(" ", "")  # "0000 0023", "ORD- 23": a number has no spaces
    try:
        binding.parse_number(text, panel.settings.number_format)
    except NotAnOrderNumber:
        return []
    index_new_orders(session, panel)
    return binding.search_numbers(session, text, panel.settings.number_format, panel.settings.search_limit, within)


def _is_whole_number(binding: OrderStore, order: Any, text: str, panel: ServicePanel) -> bool:
    return binding.number_of(order, panel.settings.number_format).lower() == text.replace(" ", "").lower()


class Lookup:
    """One statement: the ids of the orders whose ``field`` meets ``predicate``, in the index's order where
    the field is a column of the order (its key, then its id), newest first otherwise."""

    def __init__(self, field: Field, predicate: Any, *, by_key: bool = False) -> None:
        self.field = field
        self.predicate = predicate
        self.by_key = by_key

    def ids(self, session: Session, binding: OrderStore, limit: int, within: ColumnElement[Any] | None) -> list[int]:
        return binding.order_ids_where(session, self.field, self.predicate, by_key=self.by_key, limit=limit,
                                       within=within)


class ItemLookup:
    """The orders holding a line of this marketplace item: the lines' index gives their order ids in order."""

    def __init__(self, item_id: str) -> None:
        self.item_id = item_id

    def ids(self, session: Session, binding: OrderStore, limit: int, within: ColumnElement[Any] | None) -> list[int]:
        return binding.order_ids_with_item(session, self.item_id, limit=limit, within=within)


def _lookups(binding: OrderStore, text: str) -> Iterator[Any]:
    """The lookups for ``text``, best first."""
    fields = binding.order_fields
    digits = phone_digits(text) if _PHONE_TEXT.fullmatch(text) else ""
    is_email = "@" in text
    # Exact matches.
    if is_email:
        yield from _key_equal(fields, "buyer_email_key", "buyer_email", normalize_email(text), func.lower)
    reference = _as_stored(fields.get("customer_ref"), text)
    if reference is not None:
        yield Lookup(fields["customer_ref"], lambda column: column == reference)
    yield ItemLookup(text)
    if len(digits) >= PHONE_MIN_DIGITS:
        yield from _key_equal(fields, "buyer_phone_key", "buyer_phone", phone_key(digits), None,
                              plain={text, digits, f"+{digits}"})
    if not digits and not is_email:
        yield from _key_equal(fields, "buyer_name_key", "buyer_name", name_key(text), func.lower)
    # "Starts with" matches (a phone's key is reversed: its last digits).
    if len(digits) >= PHONE_MIN_DIGITS and "buyer_phone_key" in fields:
        yield _key_prefix(fields["buyer_phone_key"], phone_key(digits))
    if not digits and not is_email:
        yield from _starts_with(fields, "buyer_name_key", "buyer_name", name_key(text))
    if not digits:
        yield from _starts_with(fields, "buyer_email_key", "buyer_email", normalize_email(text))


def _key_equal(fields: Any, key_name: str, plain_name: str, key: str, lower: Any, *,
               plain: set[str] | None = None) -> Iterator[Any]:
    """Equal keys; a shop without the key column: the plain field lower-cased, or equal to one of ``plain``."""
    if not key:
        return
    if key_name in fields:
        yield Lookup(fields[key_name], lambda column: column == key)
        return
    field = fields.get(plain_name)
    if field is None or field.is_constant:
        return
    if plain is not None:
        yield Lookup(field, lambda column: column.in_(sorted(plain)))
    elif lower is not None:
        yield Lookup(field, lambda column: lower(column) == key)


def _starts_with(fields: Any, key_name: str, plain_name: str, key: str) -> Iterator[Any]:
    """Keys starting with ``key``, past the equal ones (an index range); a shop without the key column:
    the plain field, lower-cased, LIKE ``key%`` (an index only where the shop made one on lower(field))."""
    if not key:
        return
    if key_name in fields:
        yield _key_prefix(fields[key_name], key)
        return
    field = fields.get(plain_name)
    if field is None or field.is_constant:
        return
    pattern = like_escaped(key) + "%"
    yield Lookup(field, lambda column: func.lower(column).like(pattern, escape="\\"))


def _key_prefix(field: Field, key: str) -> Lookup:
    high = next_prefix(key)
    return Lookup(field, lambda column: (column > key) if high is None else (column > key) & (column < high),
                  by_key=True)


def _as_stored(field: Field | None, text: str) -> Any:
    """``text`` as the customer reference column holds it (an integer column: digits within its range, a
    string column: no longer than it); None: no stored value can equal it, so it is not compared
    (docs/design.md, "Typed text and the reference column's type")."""
    if field is None or field.is_constant:
        return None
    return reference_value(field.attribute.property.columns[0].type, text)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

