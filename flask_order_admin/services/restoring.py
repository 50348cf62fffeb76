"""Restore a canceled order with its prices recalculated as of today.

The prices are looked up before anything is locked: read the order and its lines, let go of the
connection, ask the host's resolver (``price_lookup``), then lock the order, check that neither
it nor its lines changed meanwhile, and apply. A slow resolver therefore holds no lock and no
connection of the restore's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..binding import FieldJoins, ModelBinding
from ..domain import TRANSITIONS, Action
from ..domain.messages import CLAUSE_SEPARATOR, N_, Listing, Message
from ..errors import PriceResolutionFailed, StaleOrder
from ..models import utcnow
from ..pricing import Price
from ..records import LineRecord, OrderRecord
from ..resolver_pool import ResolverBusy, ResolverTimedOut
from ..settings import Settings, uses_settings
from ..signals import order_restored
from .events import change_order, check_version, record_events, restored_event
from .orders import get_order_record
from .price_lookup import Resolution, look_up_prices
from .status_actions import ensure_allowed
from .transaction import action_transaction, checked_id, lock_orders, read_transaction

_LISTED_ITEMS = 10


@dataclass(frozen=True)
class _OrderAsRead:
    """The order before the lookup: what must still hold when the prices are applied."""

    id: int
    number: str
    version: int
    lines: tuple[Any, ...]  # detached copies (of the line class), handed to the resolver


@uses_settings
def restore(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None, settings: Settings,
) -> Any:
    """Restore a canceled order: reprice every item with the host's resolver, then Awaiting payment.

    If the resolver has no price for an item, fails, or takes longer than
    ``ORDER_ADMIN_PRICE_RESOLVER_TIMEOUT``, nothing changes and the message
    names the items. If the order or its lines change while the prices are
    looked up, nothing changes either (StaleOrder).
    """
    read = _read_order(session, order_id, expected_version, settings)
    at = utcnow()
    binding = settings.models
    resolution = _look_up(read, settings, at)
    _refuse_unresolved(binding, read.number, resolution)
    with action_transaction(session, settings) as transaction:
        order = lock_orders(session, settings, [read.id])[read.id]
        check_version(session, settings, order, expected_version)
        items = session.execute(_lines_as_columns(binding, order.id)).all()
        _refuse_if_changed(read, binding, order, items)
        ensure_allowed(settings, order, Action.RESTORE)
        changes = _apply_prices(session, binding, items, resolution.prices)
        from_status = order.status
        to_status = TRANSITIONS[Action.RESTORE].to_status
        change_order(session, settings, order, to_status=to_status)
        [event] = record_events(session, settings, [restored_event(
            order, actor=actor, from_status=from_status, priced_at=at, items=len(items), price_changes=changes,
        )])
        transaction.send_after_commit(order_restored, order=order.obj, actor=actor, from_status=from_status,
                                      to_status=to_status, details=event.details, event=event)
    return order.obj


# What restore reads of the lines under the lock, by the plugin's field names.
_LINE_COLUMNS = ("provider_item_id", "quantity", "title", "price", "discount_price", "china_delivery")


def _lines_as_columns(binding: ModelBinding, order_id: int) -> Any:
    joins = FieldJoins(binding.line)
    columns = [binding.line_pk.label("id")] + [
        joins.column(binding.line_field(name)).label(name) for name in _LINE_COLUMNS
    ]
    return joins.apply(select(*columns).select_from(binding.line)).where(
        binding.line_order_id == order_id
    ).order_by(binding.line_pk)


def _read_order(session: Session, order_id: int, expected_version: int | None, settings: Settings) -> _OrderAsRead:
    """The order and its lines as they are now, or the refusal the action would give; no lock taken."""
    order_id = checked_id(order_id)
    with read_transaction(session):
        order = get_order_record(session, order_id, settings=settings)
        check_version(session, settings, order, expected_version)
        ensure_allowed(settings, order, Action.RESTORE)
        if settings.price_resolver is None and settings.price_batch_resolver is None:
            raise PriceResolutionFailed(N_(
                "%(number)s cannot be restored: no price resolver is configured "
                "(ORDER_ADMIN_PRICE_RESOLVER or ORDER_ADMIN_PRICE_BATCH_RESOLVER), "
                "so its prices cannot be recalculated.", number=order.number,
            ), order_number=order.number)
        return _OrderAsRead(order.id, order.number, order.version,
                            _detached_lines(session, settings.models, order.id))


def _detached_lines(session: Session, binding: ModelBinding, order_id: int) -> tuple[Any, ...]:
    """The order's lines as transient objects of the line class in no session, with every column's value
    (made without calling the class's own ``__init__``, which may want arguments)."""
    mapper = inspect(binding.line)
    attributes = list(mapper.column_attrs)
    rows = session.execute(
        select(*(getattr(binding.line, a.key) for a in attributes))
        .where(binding.line_order_id == order_id).order_by(binding.line_pk)
    )
    lines = []
    for row in rows:
        line = mapper.class_manager.new_instance()
        for attribute, value in zip(attributes, row, strict=True):
            set_committed_value(line, attribute.key, value)
        lines.append(line)
    return tuple(lines)


def _look_up(read: _OrderAsRead, settings: Settings, at: datetime) -> Resolution:
    try:
        return look_up_prices(settings, read.lines, at)
    except ResolverTimedOut:
        raise PriceResolutionFailed(N_(
            "%(number)s was not restored: the price resolver did not answer within %(seconds)s seconds. "
            "Nothing was changed; try again later.", number=read.number, seconds=f"{settings.price_resolver_timeout:g}",
        ), order_number=read.number) from None
    except ResolverBusy:
        raise PriceResolutionFailed(N_(
            "%(number)s was not restored: the price resolver is still busy with earlier requests that did "
            "not answer; try again in a minute. Nothing was changed.", number=read.number,
        ), order_number=read.number) from None


def _line_keys(items: Sequence[Any]) -> list[tuple[int, str | None, int]]:
    """(id, provider item, quantity) of rows read by ``_lines_as_columns`` or of ``LineRecord``s."""
    return [(item.id, item.provider_item_id, item.quantity) for item in items]


def _refuse_if_changed(read: _OrderAsRead, binding: ModelBinding, order: OrderRecord, items: Sequence[Any]) -> None:
    as_read = [LineRecord(binding, line) for line in read.lines]
    if order.version != read.version or _line_keys(items) != _line_keys(as_read):
        raise StaleOrder(N_(
            "%(number)s was not restored: it changed while its prices were being looked up; "
            "nothing was changed, try again.", number=read.number,
        ), order_number=read.number)


def _item_name(binding: ModelBinding, item: Any) -> Message:
    line = LineRecord(binding, item)
    title = (line.title or "").strip()
    if len(title) > 60:
        title = title[:59] + "…"
    if not title:
        return N_("untitled (line %(line)s)", line=line.id)
    return N_("“%(title)s” (line %(line)s)", title=title, line=line.id)


def _refuse_unresolved(binding: ModelBinding, number: str, resolution: Resolution) -> None:
    problems: list[Message] = []
    listed: list[str] = []
    if resolution.no_longer_sold:
        names = [_item_name(binding, i) for i in resolution.no_longer_sold]
        listed += [str(name) for name in names]
        problems.append(N_("no longer sold: %(items)s", items=_some(names)))
    if resolution.failed:
        names = [N_("%(item)s: %(why)s", item=_item_name(binding, i), why=why) for i, why in resolution.failed]
        listed += [str(name) for name in names]
        problems.append(N_("price lookup failed for: %(items)s", items=_some(names)))
    if problems:
        raise PriceResolutionFailed(
            N_("%(number)s was not restored, nothing was changed; %(problems)s.", number=number,
               problems=Listing(tuple(problems), CLAUSE_SEPARATOR)),
            order_number=number,
            items=listed,
        )


def _some(names: list[Message]) -> Message | Listing:
    """The first few names, and how many more there are."""
    shown = Listing(tuple(names[:_LISTED_ITEMS]))
    if len(names) <= _LISTED_ITEMS:
        return shown
    return N_("%(items)s and %(count)s more", items=shown, count=len(names) - _LISTED_ITEMS)


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


PRICE_FIELDS = ("price", "discount_price", "china_delivery")


def _apply_prices(
    session: Session, binding: ModelBinding, items: Sequence[Any], prices: dict[int, Price]
) -> list[dict]:
    """Write the new prices of ``items`` (rows with id, title and the three prices, by the plugin's names);
    the changes made. A price field the shop keeps as a constant stays that constant."""
    written = [binding.line_field(name) for name in PRICE_FIELDS if binding.line_field(name).is_direct]
    changes: list[dict] = []
    updates: list[dict] = []
    for item in items:
        new = prices[item.id]
        old = (item.price, item.discount_price, item.china_delivery)
        if old == (new.price, new.discount_price, new.china_delivery):
            continue
        changes.append(
            {
                "item_id": item.id,
                "title": (item.title or "")[:200],
                "old": {"price": _money_text(old[0]), "discount_price": _money_text(old[1]),
                        "china_delivery": _money_text(old[2])},
                "new": {"price": _money_text(new.price), "discount_price": _money_text(new.discount_price),
                        "china_delivery": _money_text(new.china_delivery)},
            }
        )
        values = dict(zip(PRICE_FIELDS, (new.price, new.discount_price, new.china_delivery), strict=True))
        updates.append({binding.line_pk_key: item.id, **{field.key: values[field.name] for field in written}})
    if updates:
        # ORM bulk UPDATE by primary key: one executemany, not one round trip per line.
        session.execute(update(binding.line), updates)
    return changes
