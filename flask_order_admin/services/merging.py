"""Merge (the guide's "Combine"): move every item of the opened order into a basic order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import or_
from sqlalchemy.orm import Session

from ..store.storage import LineSpan
from ..store.sums import LineSums
from ..domain import Action, Buyer, OrderStatus, basic_statuses_for, matrix_allows, same_customer
from ..domain.merge import NEVER_MERGED
from ..domain.messages import N_, Message
from ..domain.rules import status_list
from ..domain.rules import switched_off_reason, unknown_status_reason
from ..errors import AlreadyMerged, MergeNotAllowed
from ..store.records import OrderRecord, order_records
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from ..signals import orders_merged
from .events import check_version, merged_away_event, merged_in_event, record_events
from .orders import get_order_record
from .transaction import action_transaction, checked_id, lock_orders


@dataclass(frozen=True)
class ItemSums:
    lines: int
    quantity: int
    goods: Decimal
    china_delivery: Decimal
    line_ids: LineSpan | None = None  # the lowest and highest line id (how a shop's lines' origins are kept)

    def as_details(self) -> dict[str, Any]:
        return {"lines": self.lines, "quantity": self.quantity, "goods": f"{self.goods:.2f}",
                "china_delivery": f"{self.china_delivery:.2f}"}


def item_sums(
    session: Session, order_id: int, *, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> ItemSums:
    """Counts and money of an order's items, in one aggregate query."""
    binding = find_panel(panel, settings).store
    sums: LineSums = binding.line_sums(session, [order_id]).get(order_id, LineSums())
    return ItemSums(sums.lines, sums.quantity, Decimal(sums.goods).quantize(Decimal("0.01")),
                    Decimal(sums.china_delivery).quantize(Decimal("0.01")), sums.span)


def _number_of(session: Session, panel: ServicePanel, order_id: int | None) -> str | Message:
    another = N_("another order")
    if order_id is None:
        return another
    numbers = panel.store.numbers_of(session, [order_id], panel.settings.number_format)
    return cast("str | Message", numbers.get(order_id, another))


def already_merged_message(session: Session, panel: ServicePanel, order: OrderRecord) -> Message:
    return N_("%(number)s is already merged into %(into)s.", number=order.number,
              into=_number_of(session, panel, order.merged_into_id))


def merge_refusal(session: Session, added: OrderRecord, basic: OrderRecord, panel: ServicePanel) -> Message | None:
    """Why ``added`` may not be merged into ``basic``; None when it may (records loaded with their state
    where either may be merged already)."""
    off = switched_off_reason(Action.MERGE, panel.store.statuses.mapped, panel.settings.merge_result_status)
    if off is not None:
        return off
    if added.id == basic.id:
        return N_("%(number)s cannot be merged with itself.", number=added.number)
    for order in (added, basic):
        if order.status is None:
            return N_("%(number)s: %(reason)s", number=order.number,
                      reason=unknown_status_reason(Action.MERGE, order.raw_status))
    added_status, basic_status = added.status, basic.status
    assert added_status is not None and basic_status is not None  # an unknown status is refused above
    if added_status == OrderStatus.MERGED:
        return already_merged_message(session, panel, added)
    if basic_status == OrderStatus.MERGED:
        into = _number_of(session, panel, basic.merged_into_id)
        return N_("%(number)s was itself merged into %(into)s; merge into that order instead.",
                  number=basic.number, into=into)
    if added.provider != basic.provider:
        label = panel.settings.provider_label
        added_label, basic_label = label(added.provider), label(basic.provider)
        return N_("%(added)s (%(added_provider)s) and %(basic)s (%(basic_provider)s) have different goods "
                  "providers; only orders of the same provider can be merged.", added=added.number,
                  added_provider=added_label, basic=basic.number, basic_provider=basic_label)
    if panel.settings.merge_same_customer and not same_customer(
        Buyer(added.customer_ref, added.buyer_email), Buyer(basic.customer_ref, basic.buyer_email)
    ):
        return N_("%(added)s and %(basic)s belong to different customers.", added=added.number, basic=basic.number)
    if not matrix_allows(panel.settings.merge_matrix, added_status, basic_status):
        allowed = _mapped_basic_statuses(panel, added_status)
        if not allowed:
            return N_("An order in status %(status)s cannot be merged.", status=added_status.label)
        return N_("An order in status %(status)s cannot be merged into one in status %(basic_status)s; "
                  "it can be merged into: %(allowed)s.", status=added_status.label, basic_status=basic_status.label,
                  allowed=status_list(allowed))
    return None


def _mapped_basic_statuses(panel: ServicePanel, added: OrderStatus) -> frozenset[OrderStatus]:
    """The matrix's basic statuses for ``added``, of those the shop has."""
    return (basic_statuses_for(panel.settings.merge_matrix, added) - NEVER_MERGED) & panel.store.statuses.mapped


def merge(
    session: Session, added_id: int, basic_id: int, *, actor: str,
    expected_version: int | None = None, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> Any:
    """Merge order ``added_id`` into the basic order ``basic_id``; returns the basic order.

    ``expected_version`` is the added order's version as the manager's page showed it.
    """
    panel = find_panel(panel, settings)
    binding = panel.store
    added_id, basic_id = checked_id(added_id), checked_id(basic_id)
    with action_transaction(session, panel) as transaction:
        orders = lock_orders(session, panel, [added_id, basic_id])
        added, basic = orders[added_id], orders[basic_id]
        check_version(session, panel, added, expected_version)
        if added.status == OrderStatus.MERGED:
            raise AlreadyMerged(already_merged_message(session, panel, added), order_number=added.number)
        reason = merge_refusal(session, added, basic, panel)
        if reason is not None:
            raise MergeNotAllowed(reason, order_number=added.number)

        moved = item_sums(session, added.id, panel=panel)
        # One set-based UPDATE moves every line, however many there are.
        binding.move_lines(session, added.id, basic.id, moved.line_ids)
        added_from, basic_from = added.status, basic.status
        binding.write_changes(session, [
            added.change(OrderStatus.MERGED, merged_into_id=basic.id), basic.change(panel.settings.merge_result_status),
        ])
        shared = {"moved": moved.as_details()}
        # Each order's version once this merge is written: unmerge checks that neither changed since.
        versions = {"added": added.version + 1, "basic": basic.version + 1}
        added_event, basic_event = record_events(session, panel, [
            merged_away_event(added, basic, actor=actor, from_status=added_from, moved=shared["moved"],
                              versions=versions),
            merged_in_event(basic, added, actor=actor, from_status=basic_from,
                            to_status=panel.settings.merge_result_status, moved=shared["moved"], versions=versions),
        ])
        transaction.send_after_commit(orders_merged, basic=basic.obj, added=added.obj, actor=actor, details=shared,
                                      basic_event=basic_event, added_event=added_event)
    # The lines moved under the ORM's feet: what it holds of both orders is out of date.
    session.expire(added.obj)
    session.expire(basic.obj)
    return basic.obj


@dataclass(frozen=True)
class MergeCandidates:
    records: list[OrderRecord]
    reason: Message | None  # why the list is empty, for the manager

    @property
    def orders(self) -> list[Any]:
        return [record.obj for record in self.records]


def find_merge_candidates(
    session: Session, order_id: int, *, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> MergeCandidates:
    panel = find_panel(panel, settings)
    binding = panel.store
    order = get_order_record(session, order_id, panel=panel, with_state=False)
    off = switched_off_reason(Action.MERGE, binding.statuses.mapped, panel.settings.merge_result_status)
    if off is not None:
        return MergeCandidates([], off)
    status = order.status
    if status is None:
        return MergeCandidates([], unknown_status_reason(Action.MERGE, order.raw_status))
    if status == OrderStatus.MERGED:
        return MergeCandidates([], N_("%(number)s is already merged.", number=order.number))
    basic_statuses = _mapped_basic_statuses(panel, status)
    if not basic_statuses:
        return MergeCandidates([], N_("An order in status %(status)s cannot be merged.", status=status.label))
    conditions = [
        binding.where_order("provider", lambda provider: provider == order.provider),
        binding.status_in(basic_statuses),
        binding.order_pk != order.id,
    ]
    if panel.settings.merge_same_customer:
        # Index lookups on either key (through the customer table where the buyer lives there);
        # merge_refusal below applies the exact rule (docs/design.md, "Actions").
        ref = order.raw_customer_ref
        ref = ref.strip() if isinstance(ref, str) else ref
        matches = []
        if ref not in (None, ""):
            matches.append(binding.where_order("customer_ref", lambda column: column == ref))
        if order.buyer_email_key:
            matches.append(binding.where_email_key(order.buyer_email_key))
        if not matches:
            return MergeCandidates([], N_("%(number)s has no customer reference and no email, so no order can be "
                                          "recognised as the same customer's.", number=order.number))
        conditions.append(or_(*matches))
    # The same status first, then newest first, bounded: the manager picks from a short list.
    rows = binding.orders_where(session, conditions, preferred=binding.status_in([status]),
                                limit=panel.settings.merge_candidates_limit)
    records = order_records(session, binding, rows, panel.settings.number_format)
    candidates = [c for c in records if merge_refusal(session, order, c, panel) is None]
    if candidates:
        return MergeCandidates(candidates, None)
    facts = {"provider": panel.settings.provider_label(order.provider), "number": order.number, "status": status.label,
             "allowed": status_list(basic_statuses)}
    if panel.settings.merge_same_customer:
        return MergeCandidates([], N_(
            "%(number)s (%(status)s) can be merged only into an order of the same customer and goods provider "
            "(%(provider)s) in one of these statuses: %(allowed)s. There is no such order now.", **facts))
    return MergeCandidates([], N_(
        "%(number)s (%(status)s) can be merged only into an order of the same goods provider (%(provider)s) in "
        "one of these statuses: %(allowed)s. There is no such order now.", **facts))


def merge_candidates(
    session: Session, order_id: int, *, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> list[Any]:
    """The orders that order ``order_id`` may be merged into (basic orders), newest first."""
    panel = find_panel(panel, settings)
    return find_merge_candidates(session, order_id, panel=panel).orders
