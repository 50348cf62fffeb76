"""The search box: an order number's digits, a buyer's name, email or phone, a customer reference or a
marketplace item (its id or URL), each found by an index lookup, as fast at a million orders as at a
thousand, whatever wrote the orders (the panel, a shop's import, raw SQL).

The typed text is read through NFKC (``２３`` is ``23``) with its spaces collapsed, and refused when it
holds NUL or is too long (``domain/search_keys.py: search_text``). The buyer's and the items' keys live in
the panel's own index (``order_admin_search_keys``, ``order_admin_item_keys``: docs/design.md, "Search
keys"), which needs nothing of a shop's schema; orders and lines newer than the newest indexed ones are
indexed before the search (``services/search_index.py``). Then, each lookup one statement reading at most
``search_limit`` ids:

* the order number (``store/numbers.py``): id arithmetic, or the index of a shop's own numbers;
* exact matches: the email, the customer reference, an item (its id with or without the shop's prefix,
  the id a marketplace URL names, the URL), the phone's digits, the name's words (newest first);
* "starts with" matches, each a range of the index: a phone by its last digits (four or more; a Russian
  ``8…`` or a leading ``0`` is read as the phone's end), the name's words (every typed word starts one of
  the name's words, in any order: «сок дми» finds «Дмитрий Соколов»), the email.

The results keep that order (the number's matches first, the exact one first), each order once, and
are loaded in one more statement. ``within`` (a condition on the orders: the list's filters, built by
the view) is added to each of these statements, so a search within filters sends as many statements as
one without (an id number's probes then find only what the newest probed ids hold: docs/panel.md).

Which lookups run depends on the text: digits are a number, a phone, a reference or an item id, never
a name; text with ``@`` is an email; a URL is an item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..store import Field, OrderStore
from ..store.reference_types import reference_value
from ..domain import NotAnOrderNumber
from ..domain.messages import N_
from ..domain.search_keys import (
    NotSearchText, email_key, has_word_characters, name_words, phone_digits, phone_ends, search_text, typed_item_keys,
)
from ..errors import OrderSearchError
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from .number_index import index_new_orders
from .search_index import SEARCH_CATCH_UP_CHUNKS, index_new_search_keys

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
    # Digits that may end a phone as well as a number: the numbers keep half the results, or in a big shop
    # every "2941" of the order numbers would crowd out the buyer whose phone ends so (docs/design.md,
    # "Search keys").
    phone_like = _PHONE_TEXT.fullmatch(cleaned) is not None and bool(phone_ends(phone_digits(cleaned)))
    found = _number_matches(session, binding, cleaned, panel, within, max(limit // 2, 1) if phone_like else limit)
    if found and _is_whole_number(binding, found[0], cleaned, panel):
        return found  # a whole order number means that order: no other field is searched
    index_new_search_keys(session, panel, max_chunks=SEARCH_CATCH_UP_CHUNKS)
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
                    within: ColumnElement[Any] | None, limit: int) -> list[Any]:
    text = text.replace(" ", "")  # "0000 0023", "ORD- 23": a number has no spaces
    try:
        binding.parse_number(text, panel.settings.number_format)
    except NotAnOrderNumber:
        return []
    index_new_orders(session, panel)
    return binding.search_numbers(session, text, panel.settings.number_format, limit, within)


def _is_whole_number(binding: OrderStore, order: Any, text: str, panel: ServicePanel) -> bool:
    return binding.number_of(order, panel.settings.number_format).lower() == text.replace(" ", "").lower()


class Lookup:
    """One statement: the ids of the orders whose ``field`` meets ``predicate``, newest first."""

    def __init__(self, field: Field, predicate: Any) -> None:
        self.field = field
        self.predicate = predicate

    def ids(self, session: Session, binding: OrderStore, limit: int, within: ColumnElement[Any] | None) -> list[int]:
        return binding.order_ids_where(session, self.field, self.predicate, by_key=False, limit=limit, within=within)


class KeyLookup:
    """One statement of the search's index: a phone's or email's keys, equal or (not ``exact``) starting."""

    def __init__(self, kind: str, keys: list[str], *, exact: bool) -> None:
        self.kind, self.keys, self.exact = kind, keys, exact

    def ids(self, session: Session, binding: OrderStore, limit: int, within: ColumnElement[Any] | None) -> list[int]:
        return binding.order_ids_by_key(session, self.kind, self.keys, exact=self.exact, limit=limit, within=within)


class NameLookup:
    """One statement of the search's index: orders with a name word starting with each typed word."""

    def __init__(self, words: list[str], *, exact: bool) -> None:
        self.words, self.exact = words, exact

    def ids(self, session: Session, binding: OrderStore, limit: int, within: ColumnElement[Any] | None) -> list[int]:
        return binding.order_ids_by_name(session, self.words, exact=self.exact, limit=limit, within=within)


class ItemLookup:
    """The orders holding a line of this marketplace item (its id, its digits, its URL): one statement."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def ids(self, session: Session, binding: OrderStore, limit: int, within: ColumnElement[Any] | None) -> list[int]:
        return binding.order_ids_with_item(session, self.keys, limit=limit, within=within)


def _lookups(binding: OrderStore, text: str) -> Iterator[Any]:
    """The lookups for ``text``, best first."""
    fields = binding.order_fields
    digits = phone_digits(text) if _PHONE_TEXT.fullmatch(text) else ""
    is_email = "@" in text
    is_url = "/" in text
    words = name_words(text) if not digits and not is_email and not is_url else []
    phones = phone_ends(digits) if digits else []
    email = email_key(text) if not digits and not is_url else ""
    # Exact matches.
    if is_email and email:
        yield KeyLookup("email", [email], exact=True)
    reference = _as_stored(fields.get("customer_ref"), text)
    if reference is not None:
        yield Lookup(fields["customer_ref"], lambda column: column == reference)
    items = typed_item_keys(text)
    if items:
        yield ItemLookup(items)
    if phones:
        yield KeyLookup("phone", phones, exact=True)
    if words:
        yield NameLookup(words, exact=True)
    # "Starts with" matches (a phone's key is reversed: its last digits).
    if phones:
        yield KeyLookup("phone", phones, exact=False)
    if words:
        yield NameLookup(words, exact=False)
    if email:
        yield KeyLookup("email", [email], exact=False)


def _as_stored(field: Field | None, text: str) -> Any:
    """``text`` as the customer reference column holds it (an integer column: digits within its range, a
    string column: no longer than it); None: no stored value can equal it, so it is not compared
    (docs/design.md, "Typed text and the reference column's type")."""
    if field is None or field.is_constant:
        return None
    return reference_value(field.attribute.property.columns[0].type, text)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

