"""Merge (the guide's "Combine"): move every item of the opened order into a basic order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from ..domain import Action, Buyer, OrderStatus, basic_statuses_for, matrix_allows, same_customer
from ..domain.merge import NEVER_MERGED
from ..errors import AlreadyMerged, MergeNotAllowed, OrderNotFound
from ..models import Order, OrderItem
from ..settings import Settings, current_settings, uses_settings
from ..signals import orders_merged
from .events import change_status, check_version, record_event
from .transaction import action_transaction, checked_id, lock_orders


@dataclass(frozen=True)
class ItemSums:
    lines: int
    quantity: int
    goods: Decimal
    china_delivery: Decimal

    def as_details(self) -> dict:
        return {"lines": self.lines, "quantity": self.quantity, "goods": f"{self.goods:.2f}",
                "china_delivery": f"{self.china_delivery:.2f}"}


def item_sums(session: Session, order_id: int) -> ItemSums:
    """Counts and money of an order's items, in one aggregate query."""
    unit = func.coalesce(OrderItem.discount_price, OrderItem.price)
    row = session.execute(
        select(
            func.count(OrderItem.id),
            func.coalesce(func.sum(OrderItem.quantity), 0),
            func.coalesce(func.sum(unit * OrderItem.quantity), 0),
            func.coalesce(func.sum(OrderItem.china_delivery * OrderItem.quantity), 0),
        ).where(OrderItem.order_id == order_id)
    ).one()
    return ItemSums(int(row[0]), int(row[1]), Decimal(row[2]).quantize(Decimal("0.01")),
                    Decimal(row[3]).quantize(Decimal("0.01")))


def already_merged_message(order: Order) -> str:
    into = order.merged_into.number if order.merged_into is not None else "another order"
    return f"{order.number} is already merged into {into}."


def merge_refusal(added: Order, basic: Order, settings: Settings) -> str | None:
    """Why ``added`` may not be merged into ``basic``; None when it may."""
    added_status, basic_status = OrderStatus.parse(added.status), OrderStatus.parse(basic.status)
    if added.id == basic.id:
        return f"{added.number} cannot be merged with itself."
    if added_status == OrderStatus.MERGED:
        return already_merged_message(added)
    if basic_status == OrderStatus.MERGED:
        into = basic.merged_into.number if basic.merged_into is not None else "another order"
        return f"{basic.number} was itself merged into {into}; merge into that order instead."
    if added.provider != basic.provider:
        return (f"{added.number} ({added.provider_label}) and {basic.number} ({basic.provider_label}) "
                "have different goods providers; only orders of the same provider can be merged.")
    if settings.merge_same_customer and not same_customer(
        Buyer(added.customer_ref, added.buyer_email), Buyer(basic.customer_ref, basic.buyer_email)
    ):
        return f"{added.number} and {basic.number} belong to different customers."
    if not matrix_allows(settings.merge_matrix, added_status, basic_status):
        allowed = basic_statuses_for(settings.merge_matrix, added_status)
        if not allowed:
            return f"An order in status {added_status.label} cannot be merged."
        labels = ", ".join(s.label for s in OrderStatus if s in allowed)
        return (f"An order in status {added_status.label} cannot be merged into one in status "
                f"{basic_status.label}; it can be merged into: {labels}.")
    return None


def merge(
    session: Session, added_id: int, basic_id: int, *, actor: str,
    expected_version: int | None = None, settings: Settings | None = None,
) -> Order:
    """Merge order ``added_id`` into the basic order ``basic_id``; returns the basic order.

    ``expected_version`` is the added order's version as the manager's page showed it.
    """
    settings = settings or current_settings()
    added_id, basic_id = checked_id(added_id), checked_id(basic_id)
    with action_transaction(session, settings) as transaction:
        orders = lock_orders(session, [added_id, basic_id])
        added, basic = orders[added_id], orders[basic_id]
        check_version(session, added, expected_version)
        if added.status == OrderStatus.MERGED:
            raise AlreadyMerged(already_merged_message(added), order_number=added.number)
        reason = merge_refusal(added, basic, settings)
        if reason is not None:
            raise MergeNotAllowed(reason, order_number=added.number)

        moved = item_sums(session, added.id)
        # One set-based UPDATE moves every line, however many there are.
        session.execute(
            update(OrderItem)
            .where(OrderItem.order_id == added.id)
            .values(order_id=basic.id, origin_order_id=func.coalesce(OrderItem.origin_order_id, added.id))
            .execution_options(synchronize_session=False)
        )
        added_from, basic_from = added.status, basic.status
        change_status(added, OrderStatus.MERGED)
        added.merged_into_id = basic.id
        change_status(basic, settings.merge_result_status)
        shared = {"moved": moved.as_details()}
        added_event = record_event(
            session, added, Action.MERGE.value, actor=actor, from_status=added_from, to_status=OrderStatus.MERGED,
            details={**shared, "role": "added", "into_id": basic.id, "into_number": basic.number})
        basic_event = record_event(
            session, basic, Action.MERGE.value, actor=actor, from_status=basic_from,
            to_status=settings.merge_result_status,
            details={**shared, "role": "basic", "from_id": added.id, "from_number": added.number})
        session.expire(added, ["items"])
        session.expire(basic, ["items"])
        transaction.send_after_commit(orders_merged, basic=basic, added=added, actor=actor, details=shared,
                                      basic_event=basic_event, added_event=added_event)
    return basic


@dataclass(frozen=True)
class MergeCandidates:
    orders: list[Order]
    reason: str | None  # why the list is empty, for the manager


@uses_settings
def find_merge_candidates(session: Session, order_id: int, *, settings: Settings) -> MergeCandidates:
    order = session.get(Order, checked_id(order_id))
    if order is None:
        raise OrderNotFound(f"There is no order {order_id}.")
    status = OrderStatus.parse(order.status)
    if status == OrderStatus.MERGED:
        return MergeCandidates([], f"{order.number} is already merged.")
    basic_statuses = basic_statuses_for(settings.merge_matrix, status) - NEVER_MERGED
    if not basic_statuses:
        return MergeCandidates([], f"An order in status {status.label} cannot be merged.")
    query = select(Order).where(
        Order.provider == order.provider,
        Order.status.in_(sorted(s.value for s in basic_statuses)),
        Order.id != order.id,
    )
    if settings.merge_same_customer:
        # Index lookups on either key; merge_refusal below applies the exact rule (SPEC §5, decided).
        ref, email_key = (order.customer_ref or "").strip(), order.buyer_email_key or ""
        matches = []
        if ref:
            matches.append(Order.customer_ref == ref)
        if email_key:
            matches.append(Order.buyer_email_key == email_key)
        if not matches:
            return MergeCandidates([], f"{order.number} has no customer reference and no email, "
                                       "so no order can be recognised as the same customer's.")
        query = query.where(or_(*matches))
    # Newest first, bounded: the manager picks from a short list.
    query = query.order_by(case((Order.status == status.value, 0), else_=1), Order.id.desc())
    rows = session.scalars(query.limit(settings.merge_candidates_limit)).all()
    candidates = [c for c in rows if merge_refusal(order, c, settings) is None]
    if candidates:
        return MergeCandidates(candidates, None)
    labels = ", ".join(s.label for s in OrderStatus if s in basic_statuses)
    who = "of the same customer and " if settings.merge_same_customer else ""
    return MergeCandidates(
        [], f"No other order {who}goods provider ({order.provider_label}) is in a status {order.number} "
            f"({status.label}) can be merged into: {labels}."
    )


def merge_candidates(session: Session, order_id: int, *, settings: Settings | None = None) -> list[Order]:
    """The orders that order ``order_id`` may be merged into (basic orders), newest first."""
    return find_merge_candidates(session, order_id, settings=settings).orders
