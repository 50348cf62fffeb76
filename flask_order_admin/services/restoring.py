"""Restore a canceled order with its prices recalculated as of today."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..domain import Action, TRANSITIONS
from ..errors import PriceResolutionFailed
from ..binding import ModelBinding
from ..models import utcnow
from ..pricing import Price
from ..settings import Settings, current_settings
from ..records import LineRecord, OrderRecord
from .events import change_order, check_version, record_event
from .status_actions import ensure_allowed
from .transaction import action_transaction, lock_orders

_LISTED_ITEMS = 10
logger = logging.getLogger(__name__)


@dataclass
class _Resolution:
    prices: dict[int, Price]
    no_longer_sold: list[Any]
    failed: list[tuple[Any, str]]


def restore(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None,
    settings: Settings | None = None,
) -> Any:
    """Restore a canceled order: reprice every item with the host's resolver, then Awaiting payment.

    If the resolver has no price for an item, fails, or takes longer than
    ``ORDER_ADMIN_PRICE_RESOLVER_TIMEOUT``, nothing changes and the message
    names the items.
    """
    settings = settings or current_settings()
    binding = settings.models
    with action_transaction(session, settings):
        order = lock_orders(session, settings, [order_id])[order_id]
        check_version(session, settings, order, expected_version)
        ensure_allowed(settings, order, Action.RESTORE)
        if settings.price_resolver is None:
            raise PriceResolutionFailed(
                f"{order.number} cannot be restored: no price resolver is configured "
                "(ORDER_ADMIN_PRICE_RESOLVER), so its prices cannot be recalculated.",
                order_number=order.number,
            )
        items = binding.lines_of(session, order.id)
        at = utcnow()
        resolution = _resolve_with_timeout(
            binding, settings.price_resolver, items, at, settings.price_resolver_timeout, order
        )
        _refuse_unresolved(binding, order, resolution)
        changes = _apply_prices(session, binding, items, resolution.prices)
        from_status = order.status
        to_status = TRANSITIONS[Action.RESTORE].to_status
        change_order(session, settings, order, to_status=to_status)
        record_event(
            session, settings, order, Action.RESTORE.value, actor=actor, from_status=from_status,
            to_status=to_status,
            details={"priced_at": at.isoformat(timespec="seconds"), "items": len(items), "price_changes": changes},
        )
    return order.obj


def _resolve_all(
    binding: ModelBinding, resolver: Callable[..., object], items: Sequence[Any], at: datetime
) -> _Resolution:
    result = _Resolution(prices={}, no_longer_sold=[], failed=[])
    for item in items:
        try:
            price = resolver(item, at)
        except Exception as exc:  # the host's code: any failure is reported, never raised to the manager
            logger.warning("price resolver failed for order item %s", binding.line_id(item), exc_info=True)
            result.failed.append((item, f"{type(exc).__name__}: {exc}"[:200]))
            continue
        if price is None:
            result.no_longer_sold.append(item)
        elif isinstance(price, Price):
            result.prices[binding.line_id(item)] = price
        else:
            result.failed.append((item, f"the resolver returned {type(price).__name__}, not Price"))
    return result


def _resolve_with_timeout(
    binding: ModelBinding, resolver: Callable[..., object], items: Sequence[Any], at: datetime, timeout: float,
    order: OrderRecord,
) -> _Resolution:
    # The resolver is the host's code and may hang (a slow catalog, a remote call): run it in a
    # worker thread with the app context, and give up after the configured timeout.
    from flask import current_app, has_app_context

    app = current_app._get_current_object() if has_app_context() else None

    def run() -> _Resolution:
        if app is None:
            return _resolve_all(binding, resolver, items, at)
        with app.app_context():
            return _resolve_all(binding, resolver, items, at)

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


def _describe(binding: ModelBinding, item: Any) -> str:
    line = LineRecord(binding, item)
    title = (line.title or "").strip() or "untitled"
    if len(title) > 60:
        title = title[:59] + "…"
    return f"“{title}” (line {line.id})"


def _refuse_unresolved(binding: ModelBinding, order: OrderRecord, resolution: _Resolution) -> None:
    problems: list[str] = []
    listed: list[str] = []
    if resolution.no_longer_sold:
        names = [_describe(binding, i) for i in resolution.no_longer_sold]
        listed += names
        problems.append("no longer sold: " + _join_some(names))
    if resolution.failed:
        names = [f"{_describe(binding, i)}: {why}" for i, why in resolution.failed]
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


PRICE_FIELDS = ("price", "discount_price", "china_delivery")


def _apply_prices(
    session: Session, binding: ModelBinding, items: Sequence[Any], prices: dict[int, Price]
) -> list[dict]:
    """Write the new prices (by primary key, one executemany); a price field the shop keeps as a
    constant stays that constant."""
    written = [binding.line_field(name) for name in PRICE_FIELDS]
    changes: list[dict] = []
    updates: list[dict] = []
    for item in items:
        line = LineRecord(binding, item)
        new = prices[line.id]
        old = (line.price, line.discount_price, line.china_delivery)
        if old == (new.price, new.discount_price, new.china_delivery):
            continue
        changes.append(
            {
                "item_id": line.id,
                "title": (line.title or "")[:200],
                "old": {"price": _money_text(old[0]), "discount_price": _money_text(old[1]),
                        "china_delivery": _money_text(old[2])},
                "new": {"price": _money_text(new.price), "discount_price": _money_text(new.discount_price),
                        "china_delivery": _money_text(new.china_delivery)},
            }
        )
        values = dict(zip(PRICE_FIELDS, (new.price, new.discount_price, new.china_delivery)))
        updates.append({binding.line_pk_key: line.id,
                        **{field.key: values[field.name] for field in written if field.is_direct}})
    if updates:
        # ORM bulk UPDATE by primary key: one executemany, not one round trip per line.
        session.execute(update(binding.line), updates)
    return changes
