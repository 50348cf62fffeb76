"""Restore a canceled order with its prices recalculated as of today.

The prices are looked up before anything is locked: read the order and its lines, let go of the
connection, ask the host's resolver (``price_lookup``), then lock the order, check that neither
it nor its lines changed meanwhile, and apply. A slow resolver therefore holds no lock and no
connection of the restore's own.

``preview_restore`` does the same reading and lookup and stops there: the confirm screen shows its
old → new prices and totals, and the manager's Yes carries its fingerprint, so that a Restore whose
prices are no longer those refuses (``PricesChanged``) rather than apply prices nobody saw.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy.orm import Session

from ..store import OrderStore
from ..domain import TRANSITIONS, Action, OrderStatus, OrderTotals, line_totals, order_totals
from ..domain.messages import N_, Listing, Message, Quantity
from ..errors import PriceResolutionFailed, PricesChanged, StaleOrder
from ..models import utcnow
from ..store.fields import AmountNotInMinorUnits
from ..store.records import LineRecord, OrderRecord
from .resolver_pool import ResolverBusy, ResolverTimedOut
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from ..signals import order_restored
from .events import check_version, record_events, restored_event
from .orders import get_order_record
from .price_lookup import Resolution, look_up_prices
from .status_actions import ensure_allowed
from .transaction import action_transaction, checked_id, lock_orders, read_transaction

_LISTED_ITEMS = 10
LISTED_UNCHANGED = 20


@dataclass(frozen=True)
class _OrderAsRead:
    """The order before the lookup: what must still hold when the prices are applied."""

    id: int
    number: str
    version: int
    lines: tuple[Any, ...]  # detached copies (of the line class), handed to the resolver


@dataclass(frozen=True)
class LinePrices:
    """A line's three prices (yuan); ``discount_price`` None: no discount."""

    price: Decimal | None
    discount_price: Decimal | None
    china_delivery: Decimal | None

    def as_details(self) -> dict[str, str | None]:
        return {name: _money_text(getattr(self, name)) for name in PRICE_FIELDS}


@dataclass(frozen=True)
class LinePreview:
    """One line as Restore would leave it: its prices now and as of today (``new`` None: no longer sold)."""

    id: int
    title: str
    provider_item_id: str | None
    quantity: int
    old: LinePrices
    new: LinePrices | None
    old_total: Decimal
    new_total: Decimal | None

    @property
    def sold(self) -> bool:
        return self.new is not None

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.old

    @property
    def has_discount(self) -> bool:
        """A discount price applies before or after (the unit price charged is the discount price)."""
        return self.old.discount_price is not None or (self.new is not None and self.new.discount_price is not None)

    @property
    def name(self) -> Message:
        """How a manager recognises the item: its title and marketplace item id, never the line's row id."""
        return describe_item(self.title, self.provider_item_id)

    def as_removed(self) -> dict[str, Any]:
        """What the history keeps of a line Restore removed (no longer sold)."""
        return {"item_id": self.id, "title": self.title[:200], "provider_item_id": self.provider_item_id,
                "quantity": self.quantity, **self.old.as_details(), "total": f"{self.old_total:.2f}"}


@dataclass(frozen=True)
class RestorePreview:
    """What Restore would do to an order, from the resolver's answer, before anything changes.

    ``fingerprint`` identifies these prices: Restore posted with it changes nothing when the prices it
    finds are not these (``PricesChanged``).
    """

    order_id: int
    number: str
    version: int
    priced_at: datetime
    to_status: OrderStatus
    lines: tuple[LinePreview, ...]
    old_totals: OrderTotals
    new_totals: OrderTotals  # of the lines still sold, at today's prices
    fingerprint: str

    @property
    def unsold(self) -> list[LinePreview]:
        return [line for line in self.lines if not line.sold]

    @property
    def changed(self) -> list[LinePreview]:
        return [line for line in self.lines if line.changed]

    @property
    def listed_lines(self) -> list[LinePreview]:
        """The lines a confirm screen lists: every one no longer sold or repriced, then unchanged ones up to
        ``LISTED_UNCHANGED`` (an order of thousands of lines lists what the manager must see)."""
        unchanged = [line for line in self.lines if line.sold and not line.changed]
        return self.unsold + self.changed + unchanged[:LISTED_UNCHANGED]

    @property
    def unlisted_lines(self) -> int:
        return len(self.lines) - len(self.listed_lines)

    @property
    def restorable(self) -> bool:
        """Some item is still sold (an order restored without all its items would hold none)."""
        return any(line.sold for line in self.lines)


@dataclass(frozen=True)
class RestoreOutcome:
    order: Any  # the order object (the shop's class, or ``models.Order``)
    preview: RestorePreview
    without_unsold: bool

    @property
    def removed(self) -> list[LinePreview]:
        return self.preview.unsold if self.without_unsold else []


def preview_restore(
    session: Session, order_id: int, *, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> RestorePreview:
    """What Restore would do now: every line's old and new prices, the old and new totals, the new status.

    Nothing changes and no lock is taken: the lines are read, the connection let go, the resolver asked
    (``price_lookup``). Refused as Restore would be (status, no resolver, a failed or slow resolver).
    """
    panel = find_panel(panel, settings)
    read = _read_order(session, order_id, None, panel)
    at = utcnow()
    return _preview(panel.store, read, _look_up(read, panel, at), at)


def restore(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None,
    expected_fingerprint: str | None = None, without_unsold: bool = False, panel: ServicePanel | None = None,
    settings: Settings | None = None,
) -> Any:
    """Restore a canceled order: reprice every item with the host's resolver, then Awaiting payment.

    If the resolver fails or takes longer than ``ORDER_ADMIN_PRICE_RESOLVER_TIMEOUT``, nothing changes
    and the message names the items. So too when an item is no longer sold, unless ``without_unsold``:
    then those lines leave the order (the history keeps them with their prices). With
    ``expected_fingerprint`` (of the ``preview_restore`` the manager confirmed), prices that moved since
    refuse it (``PricesChanged``, carrying the new preview). If the order or its lines change while the
    prices are looked up, nothing changes either (StaleOrder).
    """
    panel = find_panel(panel, settings)
    return restore_order(
        session, order_id, actor=actor, expected_version=expected_version,
        expected_fingerprint=expected_fingerprint, without_unsold=without_unsold, panel=panel,
    ).order


def restore_order(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None,
    expected_fingerprint: str | None = None, without_unsold: bool = False, panel: ServicePanel | None = None,
    settings: Settings | None = None,
) -> RestoreOutcome:
    """``restore``, answering what it did (the preview it applied, the lines it removed)."""
    panel = find_panel(panel, settings)
    read = _read_order(session, order_id, expected_version, panel)
    at = utcnow()
    binding = panel.store
    preview = _preview(binding, read, _look_up(read, panel, at), at)
    if expected_fingerprint is not None and preview.fingerprint != expected_fingerprint:
        raise PricesChanged(
            N_("The prices of %(number)s changed since you saw them; nothing was changed. "
               "Check the new prices below.", number=read.number),
            order_number=read.number, preview=preview,
        )
    _refuse_unsold(preview, without_unsold)
    kept = {line.id: line for line in preview.lines if line.sold}
    removed = preview.unsold
    with action_transaction(session, panel) as transaction:
        order = lock_orders(session, panel, [read.id])[read.id]
        check_version(session, panel, order, expected_version)
        items = binding.line_rows(session, order.id, _LINE_COLUMNS)
        _refuse_if_changed(read, binding, order, items)
        ensure_allowed(panel, order, Action.RESTORE)
        changes = _apply_prices(session, binding, [item for item in items if item.id in kept], kept)
        if removed:
            binding.delete_lines(session, [line.id for line in removed])
        from_status = order.status
        binding.write_changes(session, [order.change(preview.to_status)])
        [event] = record_events(session, panel, [restored_event(
            order, actor=actor, from_status=from_status, priced_at=at, items=len(kept), price_changes=changes,
            totals=(preview.old_totals.total, preview.new_totals.total),
            removed_lines=[line.as_removed() for line in removed],
        )])
        transaction.send_after_commit(order_restored, order=order.obj, actor=actor, from_status=from_status,
                                      to_status=preview.to_status, details=event.details, event=event)
    if removed:
        session.expire(order.obj)  # lines left under the ORM's feet
    return RestoreOutcome(order.obj, preview, without_unsold)


def _preview(binding: OrderStore, read: _OrderAsRead, resolution: Resolution, at: datetime) -> RestorePreview:
    """The preview of the lines as read and the resolver's answer; a failed lookup refuses (naming the items)."""
    _refuse_failed(binding, read.number, resolution)
    lines = []
    for item in read.lines:
        line = LineRecord(binding, item)
        old = LinePrices(line.price, line.discount_price, line.china_delivery)
        price = resolution.prices.get(line.id)
        new = None if price is None else LinePrices(price.price, price.discount_price, price.china_delivery)
        quantity = line.quantity or 0
        lines.append(LinePreview(
            id=line.id, title=(line.title or "").strip(), provider_item_id=line.provider_item_id,
            quantity=quantity, old=old, new=new, old_total=_line_total(quantity, old),
            new_total=None if new is None else _line_total(quantity, new),
        ))
    old_totals = order_totals(line_totals(line.quantity, *_triple(line.old)) for line in lines)
    new_totals = order_totals(line_totals(line.quantity, *_triple(line.new)) for line in lines if line.new)
    return RestorePreview(
        order_id=read.id, number=read.number, version=read.version, priced_at=at,
        to_status=cast(OrderStatus, TRANSITIONS[Action.RESTORE].to_status), lines=tuple(lines), old_totals=old_totals,
        new_totals=new_totals, fingerprint=_fingerprint(read.version, lines),
    )


def _triple(prices: LinePrices) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    return prices.price, prices.discount_price, prices.china_delivery


def _line_total(quantity: int, prices: LinePrices) -> Decimal:
    return line_totals(quantity, *_triple(prices)).total


def _fingerprint(version: int, lines: Sequence[LinePreview]) -> str:
    """A short digest of the order's version and every line's item, quantity and old and new prices."""
    facts = [version] + [
        [line.id, line.provider_item_id, line.quantity, line.old.as_details(),
         None if line.new is None else line.new.as_details()]
        for line in lines
    ]
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:32]


# What restore reads of the lines under the lock, by the plugin's field names.
_LINE_COLUMNS = ("provider_item_id", "quantity", "title", "price", "discount_price", "china_delivery")


def _read_order(session: Session, order_id: int, expected_version: int | None, panel: ServicePanel) -> _OrderAsRead:
    """The order and its lines as they are now, or the refusal the action would give; no lock taken."""
    order_id = checked_id(order_id)
    with read_transaction(session):
        order = get_order_record(session, order_id, panel=panel)
        check_version(session, panel, order, expected_version)
        ensure_allowed(panel, order, Action.RESTORE)  # refused without a price resolver too
        return _OrderAsRead(order.id, order.number, order.version,
                            panel.store.detached_lines(session, order.id))


def _look_up(read: _OrderAsRead, panel: ServicePanel, at: datetime) -> Resolution:
    try:
        return _unstorable_failed(panel.store, read.lines, look_up_prices(panel, read.lines, at))
    except ResolverTimedOut:
        raise PriceResolutionFailed(N_(
            "%(number)s was not restored: the price resolver did not answer within %(seconds)s seconds. "
            "Nothing was changed; try again later.", number=read.number,
            seconds=Quantity(panel.settings.price_resolver_timeout),
        ), order_number=read.number) from None
    except ResolverBusy:
        raise PriceResolutionFailed(N_(
            "%(number)s was not restored: the price resolver is still busy with earlier requests that did "
            "not answer; try again in a minute. Nothing was changed.", number=read.number,
        ), order_number=read.number) from None


def _unstorable_failed(binding: OrderStore, lines: Sequence[Any], resolution: Resolution) -> Resolution:
    """A price the shop's column cannot hold exactly (12.34 where it keeps whole yuan, ``MinorUnits``) counts as
    a failed lookup of its line, never rounded: Restore writes what the manager saw (docs/design.md, "Money in
    minor units")."""
    by_id = {binding.line_id(line): line for line in lines}
    for line_id, price in list(resolution.prices.items()):
        try:
            for name in PRICE_FIELDS:
                binding.line_field(name).stored(getattr(price, name))
        except AmountNotInMinorUnits as error:
            del resolution.prices[line_id]
            resolution.failed.append((by_id[line_id], f"{name}: {error}"))
    return resolution


def _line_keys(items: Sequence[Any]) -> list[tuple[int, str | None, int]]:
    """(id, provider item, quantity) of rows read by ``OrderStore.line_rows`` or of ``LineRecord``s."""
    return [(item.id, item.provider_item_id, item.quantity) for item in items]


def _refuse_if_changed(read: _OrderAsRead, binding: OrderStore, order: OrderRecord, items: Sequence[Any]) -> None:
    as_read = [LineRecord(binding, line) for line in read.lines]
    if order.version != read.version or _line_keys(items) != _line_keys(as_read):
        raise StaleOrder(N_(
            "%(number)s was not restored: it changed while its prices were being looked up; "
            "nothing was changed, try again.", number=read.number,
        ), order_number=read.number)


def describe_item(title: str | None, provider_item_id: str | None) -> Message:
    """“Title” (marketplace item id): how managers name an item in messages, never by the line's row id."""
    title = (title or "").strip()
    if len(title) > 60:
        title = title[:59] + "…"
    shown = title or N_("untitled")
    if provider_item_id:
        return N_("“%(title)s” (%(item)s)", title=shown, item=provider_item_id)
    return N_("“%(title)s”", title=shown)


def _describe(binding: OrderStore, item: Any) -> Message:
    line = LineRecord(binding, item)
    return describe_item(line.title, line.provider_item_id)


def _refuse_failed(binding: OrderStore, number: str, resolution: Resolution) -> None:
    if resolution.failed:
        names = [N_("%(item)s: %(why)s", item=_describe(binding, i), why=why) for i, why in resolution.failed]
        raise PriceResolutionFailed(
            N_("%(number)s was not restored, nothing was changed; price lookup failed for: %(items)s.",
               number=number, items=_some(names)),
            order_number=number,
            items=[str(name) for name in names],
        )


def _refuse_unsold(preview: RestorePreview, without_unsold: bool) -> None:
    names = [line.name for line in preview.unsold]
    if not names:
        return
    if not preview.restorable:
        raise PriceResolutionFailed(
            N_("%(number)s cannot be restored: every item of it is no longer sold (%(items)s). "
               "It stays canceled.", number=preview.number, items=_some(names)),
            order_number=preview.number, items=[str(name) for name in names],
        )
    if not without_unsold:
        raise PriceResolutionFailed(
            N_("%(number)s was not restored, nothing was changed; no longer sold: %(items)s. "
               "Restore it without these items, or leave it canceled.", number=preview.number,
               items=_some(names)),
            order_number=preview.number, items=[str(name) for name in names],
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
    session: Session, binding: OrderStore, items: Sequence[Any], kept: dict[int, LinePreview]
) -> list[dict[str, Any]]:
    """Write the new prices of ``items`` (rows with id, title and the three prices, by the plugin's names);
    the changes made. A price field the shop keeps as a constant stays that constant."""
    changes: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for item in items:
        new = kept[item.id].new
        assert new is not None  # kept lines are the ones still sold
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
        updates.append({"id": item.id, **dict(zip(PRICE_FIELDS, (new.price, new.discount_price, new.china_delivery),
                                                   strict=True))})
    binding.update_lines(session, updates)  # one executemany
    return changes
