"""Asking the host's resolver for today's prices of an order's lines, outside any transaction.

The resolver is handed detached lines (transient objects of the line class with the column values),
never objects of the caller's session, and runs on the app's resolver pool
(``flask_order_admin.services.resolver_pool``) in its own app context.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context

from ..pricing import Price
from .app_panel import ServicePanel

logger = logging.getLogger(__name__)


@dataclass
class Resolution:
    prices: dict[int, Price] = field(default_factory=dict)
    no_longer_sold: list[Any] = field(default_factory=list)
    failed: list[tuple[Any, str]] = field(default_factory=list)


def look_up_prices(panel: ServicePanel, items: Sequence[Any], at: datetime) -> Resolution:
    """The resolver's answer for every line, from the panel's pool; ResolverBusy or ResolverTimedOut when it
    has none.

    ``panel.settings`` has a resolver, per item or batch.
    """
    if not items:
        return Resolution()
    if panel.settings.price_batch_resolver is not None:
        work = functools.partial(_resolve_batch, panel.settings.price_batch_resolver, panel.store.line_id, items, at)
    else:
        assert panel.settings.price_resolver is not None  # the caller checked has_price_resolver
        work = functools.partial(_resolve_each, panel.settings.price_resolver, panel.store.line_id, items, at)
    app = (current_app._get_current_object()  # type: ignore[attr-defined]  # typed as Flask, is a proxy
           if has_app_context() else None)
    return panel.resolver_pool.run(work, timeout=panel.settings.price_resolver_timeout, app=app)


def _resolve_each(
    resolver: Callable[..., object], line_id: Callable[[Any], int], items: Sequence[Any], at: datetime
) -> Resolution:
    result = Resolution()
    for item in items:
        try:
            answer = resolver(item, at)
        except Exception as exc:  # the host's code: any failure is reported, never raised to the manager
            logger.warning("price resolver failed for order item %s", line_id(item), exc_info=True)
            result.failed.append((item, _failure(exc)))
            continue
        _record(result, line_id(item), item, answer, "the resolver")
    return result


def _resolve_batch(
    batch: Callable[..., object], line_id: Callable[[Any], int], items: Sequence[Any], at: datetime
) -> Resolution:
    """``batch(items, at)`` answers ``{line id (primary key): Price | None}``."""
    result = Resolution()
    try:
        answers = batch(list(items), at)
    except Exception as exc:  # the host's code, as above
        logger.warning("batch price resolver failed for the lines %s…", line_id(items[0]), exc_info=True)
        result.failed = [(item, _failure(exc)) for item in items]
        return result
    if not isinstance(answers, Mapping):
        why = f"the batch resolver returned {type(answers).__name__}, not a mapping"
        result.failed = [(item, why) for item in items]
        return result
    for item in items:
        if line_id(item) in answers:
            _record(result, line_id(item), item, answers[line_id(item)], "the batch resolver")
        else:
            result.failed.append((item, "the batch resolver gave no answer for this line"))
    return result


def _record(result: Resolution, item_id: int, item: Any, answer: object, who: str) -> None:
    if answer is None:
        result.no_longer_sold.append(item)
    elif isinstance(answer, Price):
        result.prices[item_id] = answer
    else:
        result.failed.append((item, f"{who} returned {type(answer).__name__}, not Price"))


def _failure(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
