"""The History tab: each kind of event (``services/events.py``) as a line a manager reads.

One presenter per kind writes the Details cell; the template only lays the lines out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from markupsafe import Markup

from ..domain import Action
from ..domain.cancel_reasons import stored_reason_label
from ..domain.notes import NOTE_DELETED, NOTE_EDITED, Note, fold_notes
from ..i18n import gettext, lazy_pgettext, pgettext, translate
from ..services.events import EventRecord
from .presentation import Presenter


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    label: str
    status_change: str  # "Processing → Canceled", or "" when the status did not change
    details: Markup


def history_lines(
    events: Iterable[EventRecord], oa: Presenter, *, unmerge_url: Callable[[int], str] | None = None,
) -> list[HistoryLine]:
    """The events as the History tab shows them, newest first; ``unmerge_url(added_id)``: where a merge into this
    order not undone since links to, to undo it (None: no such links)."""
    events = list(events)
    undoable = _merges_not_undone(events) if unmerge_url is not None else set()
    notes = fold_notes(events)
    lines = []
    for event in reversed(events):
        if event.action in (NOTE_EDITED, NOTE_DELETED):
            continue  # told on the note's own line (docs/design.md, "Editing notes")
        label, details = _KINDS.get(event.action, (None, None))
        change = ""
        if event.from_status or event.to_status:
            change = f"{oa.status_label(event.from_status)} → {oa.status_label(event.to_status)}"
        lines.append(HistoryLine(
            at=event.at, actor=event.actor, label=str(label) if label else event.action, status_change=change,
            details=(_note(notes[event.id], oa) if event.id in notes
                     else details(event.details, oa) if details else Markup())
            + (_unmerge_link(unmerge_url(event.details["from_id"]))
               if unmerge_url is not None and event.id in undoable else Markup()),
        ))
    return lines


def linked_order_ids(events: Iterable[EventRecord]) -> set[int]:
    """The orders the history links to (the other order of each merge and unmerge), whose numbers the page
    looks up."""
    ids: set[int] = set()
    for event in events:
        if event.action in (Action.MERGE, Action.UNMERGE):
            ids.update(i for i in (event.details.get("into_id"), event.details.get("from_id"),
                                   event.details.get("other_id")) if isinstance(i, int))
    return ids


def _merges_not_undone(events: list[EventRecord]) -> set[int]:
    """The ids of this order's merge events as the basic order that no later unmerge undid."""
    undone = {e.details.get("merge_event_id") for e in events if e.action == Action.UNMERGE}
    return {e.id for e in events if e.action == Action.MERGE and e.details.get("role") == "basic"
            and isinstance(e.details.get("from_id"), int) and e.id not in undone}


def _unmerge_link(url: str) -> Markup:
    return Markup(' <a class="btn btn-sm btn-outline-warning ml-1 order-admin-unmerge-link" href="{}">{}</a>').format(
        url, pgettext("order action", "Unmerge"))


def _canceled(details: dict[str, Any], oa: Presenter) -> Markup:
    """The listed reason picked (a default one in the reader's language) and the manager's words, either or both."""
    picked = stored_reason_label(details.get("reason_choice"))
    words = details.get("reason") or None
    if picked is None and not words:
        return Markup()
    reason = words if picked is None else translate(picked)
    if picked is not None and words:
        reason = gettext("%(reason)s (%(words)s)", reason=reason, words=words)
    return Markup("{}").format(gettext("Reason: %(reason)s", reason=reason))


def _restored(details: dict[str, Any], oa: Presenter) -> Markup:
    return _price_changes(details, oa) + _total_change(details, oa) + _removed_lines(details, oa)


def _price_changes(details: dict[str, Any], oa: Presenter) -> Markup:
    changes = details.get("price_changes") or []
    if not changes:
        return Markup("{}").format(gettext("Prices recalculated; none changed."))
    fields = (("price", gettext("price")), ("discount_price", gettext("discount price")),
              ("china_delivery", pgettext("in a sentence", "China delivery")))
    items = Markup()
    for change in changes:
        old, new = change.get("old") or {}, change.get("new") or {}
        moved = Markup("; ").join(
            Markup("{} {} → {}").format(label, oa.money(old.get(name)), oa.money(new.get(name)))
            for name, label in fields if old.get(name) != new.get(name)
        )
        items += Markup("<li>{}: {}</li>").format(change.get("title") or "", moved)
    return Markup('<ul class="mb-0 pl-3">{}</ul>').format(items)


def _total_change(details: dict[str, Any], oa: Presenter) -> Markup:
    total = details.get("total") or {}
    if total.get("old") == total.get("new"):
        return Markup()
    return Markup("<div>{} {} → {}</div>").format(
        gettext("Order total"), oa.money(total.get("old")), oa.money(total.get("new")))


def _removed_lines(details: dict[str, Any], oa: Presenter) -> Markup:
    """The lines Restore left out as no longer sold: they are gone from the order, so the history keeps them."""
    removed = details.get("removed_lines") or []
    if not removed:
        return Markup()
    items = Markup()
    for line in removed:
        item_id = Markup(" ({})").format(line["provider_item_id"]) if line.get("provider_item_id") else Markup()
        items += Markup("<li>{}{}: {}</li>").format(line.get("title") or "", item_id, gettext(
            "quantity %(quantity)s, price %(price)s, discount price %(discount)s, China delivery %(delivery)s, "
            "line total %(total)s", quantity=line.get("quantity"), price=oa.money(line.get("price")),
            discount=oa.money(line["discount_price"]) if line.get("discount_price") else "—",
            delivery=oa.money(line.get("china_delivery")), total=oa.money(line.get("total")),
        ))
    return Markup('<div class="mt-1">{}</div><ul class="mb-0 pl-3 order-admin-removed-lines">{}</ul>').format(
        gettext("Removed, no longer sold:"), items)


def _merged(details: dict[str, Any], oa: Presenter) -> Markup:
    if details.get("role") == "added" and isinstance(details.get("into_id"), int):
        text = gettext("Items moved into %(order)s", order=oa.order_link(details["into_id"]))
    elif details.get("role") == "basic" and isinstance(details.get("from_id"), int):
        text = gettext("Received the items of %(order)s", order=oa.order_link(details["from_id"]))
    else:
        text = Markup()
    moved = details.get("moved") or {}
    if moved:
        text += Markup(" ({})").format(gettext(
            "%(lines)s lines, quantity %(quantity)s", lines=moved.get("lines"), quantity=moved.get("quantity")
        ))
    return cast("Markup", text)  # translated with a link among its parameters, the text is markup


def _unmerged(details: dict[str, Any], oa: Presenter) -> Markup:
    other = details.get("other_id")
    if not isinstance(other, int):
        return Markup()
    # Translated with a link among its parameters, the text is markup (i18n.translate).
    if details.get("role") == "added":
        return cast("Markup", gettext("Items came back from %(order)s", order=oa.order_link(other)))
    return cast("Markup", gettext("Gave the items of %(order)s back to it", order=oa.order_link(other)))


def _note(note: Note, oa: Presenter) -> Markup:
    """A note as it reads now; an edited one marked so, with its earlier texts one click away; a deleted one
    only says who deleted it (its texts stay in the database)."""
    if note.deleted:
        return Markup('<span class="order-admin-note-deleted text-muted font-italic">{}</span>').format(
            deleted_note_text(note, oa))
    text = Markup('<span class="order-admin-note">{}</span>').format(note.text)
    if not note.edited:
        return text
    return text + Markup(" ") + earlier_versions(note, oa)


def deleted_note_text(note: Note, oa: Presenter) -> str:
    return gettext("Note deleted by %(who)s at %(when)s", who=note.deleted_by or "", when=oa.when(note.deleted_at))


def earlier_versions(note: Note, oa: Presenter) -> Markup:
    """The «edited» marker, which opens the note's earlier texts (newest first)."""
    items = Markup().join(
        Markup('<li><span class="text-muted">{} · {}</span><div class="order-admin-note-version">{}</div></li>')
        .format(version.actor, oa.when(version.at), version.text)
        for version in note.earlier_versions
    )
    return Markup(
        '<details class="order-admin-note-edited small">'
        '<summary class="text-muted">{}</summary>'
        '<div class="text-muted mt-1">{}</div><ul class="list-unstyled mb-0 pl-2 border-left">{}</ul>'
        '</details>'
    ).format(pgettext("note", "edited"),
             gettext("Edited at %(when)s. Earlier versions:", when=oa.when(note.versions[-1].at)), items)


def _exported(details: dict[str, Any], oa: Presenter) -> Markup:
    return Markup("{}").format(gettext(
        "%(rows)s rows as .%(format)s", rows=details.get("rows"), format=details.get("format")
    ))


def _no_details(details: dict[str, Any], oa: Presenter) -> Markup:
    return Markup()


# Each kind: its label (translated per request; "history": what happened, not the status of the same name)
# and its Details cell.
_KINDS: dict[str, tuple[Any, Callable[[dict[str, Any], Presenter], Markup]]] = {
    Action.CANCEL: (lazy_pgettext("history", "Canceled"), _canceled),
    Action.RESTORE: (lazy_pgettext("history", "Restored"), _restored),
    Action.CLOSE: (lazy_pgettext("history", "Closed"), _no_details),
    Action.MERGE: (lazy_pgettext("history", "Merged"), _merged),
    Action.UNMERGE: (lazy_pgettext("history", "Unmerged"), _unmerged),
    Action.COMMENT: (lazy_pgettext("history", "Note"), _no_details),  # its cell: _note, from its events
    Action.EXPORT: (lazy_pgettext("history", "Exported"), _exported),
}
