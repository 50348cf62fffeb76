"""The search's own index: ``order_admin_search_keys`` (a buyer's name words, phone, email, by order) and
``order_admin_item_keys`` (a line's item ids and URL, by line), read from the orders and lines whatever
wrote them (docs/design.md, "Search keys").

Keys are compared byte by byte, so "starts with" is a range of the primary key's index; each lookup is one
statement reading at most ``limit`` ids. Every indexed order (line) has a mark row (kind 0, key ""), so the
newest indexed one is ``max(order_id)`` of the ``order_id`` index, and an order without a name, phone or
email is not read again on every search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..domain.search_keys import email_key, line_keys, name_words, next_prefix, phone_key
from .fields import Field, FieldJoins
from .storage import SearchKeyTables

MARK, NAME_WORD, PHONE, EMAIL = 0, 1, 2, 3
# Orders (lines) indexed per statement and transaction, before a search and by the CLI.
SEARCH_INDEX_CHUNK = 5_000


def key_range(column: Any, prefix: str, *, past_equal: bool = False) -> ColumnElement[Any]:
    """``column`` starts with ``prefix``: an index range (``past_equal``: the equal key left out)."""
    low = column > prefix if past_equal else column >= prefix
    high = next_prefix(prefix)
    return low if high is None else and_(low, column < high)


class SearchIndex:
    """Writes and reads the search keys of one store's orders and lines."""

    def __init__(self, tables: SearchKeyTables) -> None:
        self.keys = tables.orders
        self.items = tables.lines

    # -- writing ----------------------------------------------------------------------------------

    def _order_columns(self, binding: Any) -> tuple[FieldJoins, list[Any]]:
        joins = FieldJoins(binding.order)
        return joins, [binding.order_pk] + [_column(joins, binding.order_fields.get(name))
                                            for name in ("buyer_name", "buyer_phone", "buyer_email")]

    def _line_columns(self, binding: Any) -> tuple[FieldJoins, list[Any]]:
        joins = FieldJoins(binding.line)
        return joins, [binding.line_pk] + [_column(joins, binding.line_fields.get(name))
                                           for name in ("provider_item_id", "url")]

    def news(self, session: Session, binding: Any) -> tuple[bool, bool]:
        """Whether some order, some line, is newer than the newest indexed one: one statement of two
        index probes (as a rule both false)."""
        newest_order = select(func.coalesce(func.max(self.keys.c.order_id), 0)).scalar_subquery()
        newest_line = select(func.coalesce(func.max(self.items.c.line_id), 0)).scalar_subquery()
        row = session.execute(select(
            exists().where(binding.order_pk > newest_order), exists().where(binding.line_pk > newest_line),
        )).one()
        return bool(row[0]), bool(row[1])

    def orders_to_index(self, session: Session, binding: Any, after: int | None) -> Sequence[Any]:
        """(id, name, phone, email) of the orders after id ``after`` (None: after the newest indexed one),
        oldest first, a chunk at most."""
        joins, columns = self._order_columns(binding)
        start: Any = select(func.coalesce(func.max(self.keys.c.order_id), 0)).scalar_subquery() \
            if after is None else after
        statement = joins.apply(select(*columns).select_from(binding.order))
        return session.execute(statement.where(binding.order_pk > start).order_by(binding.order_pk)
                               .limit(SEARCH_INDEX_CHUNK)).all()

    def lines_to_index(self, session: Session, binding: Any, after: int | None) -> Sequence[Any]:
        """(line id, item id, url) of the lines after id ``after`` (None: the newest indexed one), a chunk."""
        joins, columns = self._line_columns(binding)
        start: Any = select(func.coalesce(func.max(self.items.c.line_id), 0)).scalar_subquery() \
            if after is None else after
        statement = joins.apply(select(*columns).select_from(binding.line))
        return session.execute(statement.where(binding.line_pk > start).order_by(binding.line_pk)
                               .limit(SEARCH_INDEX_CHUNK)).all()

    def store_orders(self, session: Session, rows: Sequence[Any], *, replace: bool = False) -> None:
        if replace:
            session.execute(delete(self.keys).where(self.keys.c.order_id.in_([row[0] for row in rows])))
        values = [value for row in rows for value in order_key_rows(*row)]
        if values:
            session.execute(insert(self.keys), values)

    def store_lines(self, session: Session, rows: Sequence[Any], *, replace: bool = False) -> None:
        if replace:
            session.execute(delete(self.items).where(self.items.c.line_id.in_([row[0] for row in rows])))
        values = [{"key": key, "line_id": line_id}
                  for line_id, item_id, url in rows for key in ["", *line_keys(item_id, url)]]
        if values:
            session.execute(insert(self.items), values)

    # -- reading ----------------------------------------------------------------------------------

    def name_ids(self, session: Session, binding: Any, words: Sequence[str], *, exact: bool, limit: int,
                 within: ColumnElement[Any] | None) -> list[int]:
        """Orders with a name word for each typed word, each word the start of one (any order). The longest
        typed word leads: ``exact``, its equal words, newest first; otherwise the words it starts (past the
        equal one) in the index's order."""
        lead, *others = sorted(words, key=len, reverse=True)
        k = self.keys.alias("lead")
        statement = select(k.c.order_id).where(
            k.c.kind == NAME_WORD, k.c.key == lead if exact else key_range(k.c.key, lead, past_equal=True))
        for word in others:
            other = self.keys.alias()
            statement = statement.where(exists().where(
                other.c.kind == NAME_WORD, key_range(other.c.key, word), other.c.order_id == k.c.order_id))
        order_by = (k.c.order_id.desc(),) if exact else (k.c.key, k.c.order_id)
        return self._ids(session, binding, statement, k.c.order_id, order_by, limit, within)

    def key_ids(self, session: Session, binding: Any, kind: int, keys: Sequence[str], *, exact: bool, limit: int,
                within: ColumnElement[Any] | None) -> list[int]:
        """Orders with a key of ``kind`` equal to one of ``keys`` (newest first), or (not ``exact``) starting
        with one, past the equal ones (in the index's order)."""
        if not keys:
            return []
        k = self.keys.alias("found")
        match = k.c.key.in_(list(keys)) if exact else or_(*(key_range(k.c.key, key, past_equal=True) for key in keys))
        order_by = (k.c.order_id.desc(),) if exact else (k.c.key, k.c.order_id)
        statement = select(k.c.order_id).where(k.c.kind == kind, match)
        return self._ids(session, binding, statement, k.c.order_id, order_by, limit, within)

    def item_ids(self, session: Session, binding: Any, keys: Sequence[str], *, limit: int,
                 within: ColumnElement[Any] | None) -> list[int]:
        """Orders holding a line with one of these item keys, newest first (the line's order now: a merge
        moves lines and no key)."""
        if not keys:
            return []
        order_id = binding.line_order_id
        statement = (select(order_id).select_from(self.items).join(binding.line, binding.line_pk == self.items.c.line_id)
                     .where(self.items.c.key.in_(list(keys))))
        if within is not None:
            statement = statement.where(order_id.in_(select(binding.order_pk).where(within)))
        return list(session.scalars(statement.group_by(order_id).order_by(order_id.desc()).limit(limit)))

    @staticmethod
    def _ids(session: Session, binding: Any, statement: Any, order_id: Any, order_by: tuple[Any, ...], limit: int,
             within: ColumnElement[Any] | None) -> list[int]:
        if within is not None:
            statement = statement.join(binding.order, binding.order_pk == order_id).where(within)
        return list(dict.fromkeys(session.scalars(statement.order_by(*order_by).limit(limit))))


def order_key_rows(order_id: int, name: Any, phone: Any, email: Any) -> list[dict[str, Any]]:
    """The key rows of one order: its mark, its name's words, its phone's digits reversed, its email."""
    keys = [(MARK, "")] + [(NAME_WORD, word) for word in name_words(name)]
    phone_digits = phone_key(None if phone is None else str(phone))
    if phone_digits:
        keys.append((PHONE, phone_digits))
    email = email_key(email)
    if email:
        keys.append((EMAIL, email))
    return [{"kind": kind, "key": key, "order_id": order_id} for kind, key in dict.fromkeys(keys)]


def _column(joins: FieldJoins, field: Field | None) -> Any:
    return literal(None) if field is None else joins.column(field)
