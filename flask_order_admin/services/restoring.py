"""Restore a canceled order with its prices recalculated as of today."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain import Action, OrderStatus, TRANSITIONS
from ..errors import PriceResolutionFailed
from ..models import Order, OrderItem, utcnow
from ..pricing import Price
from ..settings import Settings, current_settings
from .events import change_status, check_version, record_event
from .status_actions import ensure_allowed
from .transaction import action_transaction, lock_orders

_LISTED_ITEMS = 10
logger = logging.getLogger(__name__)


@dataclass
class _Resolution:
    prices: dict[int, Price]
    no_longer_sold: list[OrderItem]
    failed: list[tuple[OrderItem, str]]


def restore(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None,
    settings: Settings | None = None,
) -> Order:
    """Restore a canceled order: reprice every item with the host's resolver, then Awaiting payment.

    If the resolver has no price for an item, fails, or takes longer than
    ``ORDER_ADMIN_PRICE_RESOLVER_TIMEOUT``, nothing changes and the message
    names the items.
    """
    settings = settings or current_settings()
    with action_transaction(session, settings):
        order = lock_orders(session, [order_id])[order_id]
        check_version(session, order, expected_version)
        ensure_allowed(order, Action.RESTORE)
        if settings.price_resolver is None:
            raise PriceResolutionFailed(
                f"{order.number} cannot be restored: no price resolver is configured "
                "(ORDER_ADMIN_PRICE_RESOLVER), so its prices cannot be recalculated.",
                order_number=order.number,
            )
        items = session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)).all()
        at = utcnow()
        resolution = _resolve_with_timeout(settings.price_resolver, items, at, settings.price_resolver_timeout, order)
        _refuse_unresolved(order, resolution)
        changes = _apply_prices(session, items, resolution.prices)
        from_status = order.status
        to_status = TRANSITIONS[Action.RESTORE].to_status
        change_status(order, to_status)
        record_event(
            session, order, Action.RESTORE.value, actor=actor, from_status=from_status, to_status=to_status,
            details={"priced_at": at.isoformat(timespec="seconds"), "items": len(items), "price_changes": changes},
        )
    return order


def _resolve_all(resolver: Callable[..., object], items: Sequence[OrderItem], at: datetime) -> _Resolution:
    result = _Resolution(prices={}, no_longer_sold=[], failed=[])
    for item in items:
        try:
            price = resolver(item, at)
        except Exception as exc:  # the host's code: any failure is reported, never raised to the manager
            logger.warning("price resolver failed for order item %s", item.id, exc_info=True)
            result.failed.append((item, f"{type(exc).__name__}: {exc}"[:200]))
            continue
        if price is None:
            result.no_longer_sold.append(item)
        elif isinstance(price, Price):
            result.prices[item.id] = price
        else:
            result.failed.append((item, f"the resolver returned {type(price).__name__}, not Price"))
    return result


def _resolve_with_timeout(
    resolver: Callable[..., object], items: Sequence[OrderItem], at: datetime, timeout: float, order: Order
) -> _Resolution:
    # The resolver is the host's code and may hang (a slow catalog, a remote call): run it in a
    # worker thread with the app context, and give up after the configured timeout.
    from flask import current_app, has_app_context

    app = current_app._get_current_object() if has_app_context() else None

    def run() -> _Resolution:
        if app is None:
            return _resolve_all(resolver, items, at)
        with app.app_context():
            return _resolve_all(resolver, items, at)

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="order-admin-resolver")
    try:
        return executor.submit(run).result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        raise PriceResolutionFailed(
            f"{order.number} was not restored: the price resolver did not answer within {timeout:g} seconds. "
            "Nothing was changed; try again later.",
            order_number=order.number,
        ) from None
    finally:
        executor.shutdown(wait=False)


def _describe(item: OrderItem) -> str:
    title = (item.title or "").strip() or "untitled"
    if len(title) > 60:
        title = title[:59] + "…"
    return f"“{title}” (line {item.id})"


def _refuse_unresolved(order: Order, resolution: _Resolution) -> None:
    problems: list[str] = []
    listed: list[str] = []
    if resolution.no_longer_sold:
        names = [_describe(i) for i in resolution.no_longer_sold]
        listed += names
        problems.append("no longer sold: " + _join_some(names))
    if resolution.failed:
        names = [f"{_describe(i)}: {why}" for i, why in resolution.failed]
        listed += names
        problems.append("price lookup failed for: " + _join_some(names))
    if problems:
        raise PriceResolutionFailed(
            f"{order.number} was not restored, nothing was changed; " + "; ".join(problems) + ".",
            order_number=order.number,
            items=listed,
        )


def _join_some(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED_ITEMS])
    if len(names) > _LISTED_ITEMS:
        shown += f" and {len(names) - _LISTED_ITEMS} more"
    return shown


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _apply_prices(session: Session, items: Sequence[OrderItem], prices: dict[int, Price]) -> list[dict]:
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
        updates.append(
            {"id": item.id, "price": new.price, "discount_price": new.discount_price,
             "china_delivery": new.china_delivery}
        )
    if updates:
        # ORM bulk UPDATE by primary key: one executemany, not one round trip per line.
        session.execute(update(OrderItem), updates)
    return changes
