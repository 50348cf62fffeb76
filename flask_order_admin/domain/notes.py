"""A manager's note as its events tell it: written, edited, deleted (docs/design.md, "Editing notes").

The history is only ever appended to: an edit is an event holding the new text, a delete an event
naming the note, and the note's first event keeps its first text. ``fold_notes`` reads them back
into notes with every version; ``change_refusal`` says whether a manager may still edit or delete one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from .messages import N_, NP_, Message
from .rules import Action

# The event kinds (the history's ``action`` column) of a note's later life; its first event is Action.COMMENT.
NOTE_EDITED = "comment_edited"
NOTE_DELETED = "comment_deleted"
NOTE_KINDS = (Action.COMMENT.value, NOTE_EDITED, NOTE_DELETED)


class NoteEvent(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class NoteVersion:
    text: str
    at: datetime
    actor: str


@dataclass(frozen=True)
class Note:
    """``id``: the id of the event that wrote it; ``versions``: oldest first, the last one is the text now."""

    id: int
    author: str
    author_id: str | None  # ORDER_ADMIN_ACTOR_ID of the author; None for notes written before it was kept
    at: datetime
    versions: tuple[NoteVersion, ...]
    deleted_by: str | None = None
    deleted_at: datetime | None = None

    @property
    def text(self) -> str:
        return self.versions[-1].text

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    @property
    def earlier_versions(self) -> tuple[NoteVersion, ...]:
        """The texts it had before, newest first."""
        return tuple(reversed(self.versions[:-1]))

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def fold_notes(events: Iterable[NoteEvent]) -> dict[int, Note]:
    """The notes of an order's events (oldest first), by the id of the event that wrote each; edits and deletes
    naming a note not among them are left out."""
    notes: dict[int, Note] = {}
    for event in sorted(events, key=lambda e: e.id):  # written order, whatever clock stamped them
        details = event.details
        if event.action == Action.COMMENT:
            notes[event.id] = Note(
                id=event.id, author=event.actor, author_id=details.get("author_id"), at=event.at,
                versions=(NoteVersion(details.get("text") or "", event.at, event.actor),),
            )
            continue
        note = notes.get(details.get("comment_id"))  # type: ignore[arg-type]  # None finds nothing
        if note is None:
            continue
        if event.action == NOTE_EDITED:
            version = NoteVersion(details.get("text") or "", event.at, event.actor)
            notes[note.id] = replace(note, versions=(*note.versions, version))
        elif event.action == NOTE_DELETED:
            notes[note.id] = replace(note, deleted_by=event.actor, deleted_at=event.at)
    return notes


def change_refusal(note: Note, actor_id: str | None, now: datetime, edit_minutes: int) -> Message | None:
    """Why the manager ``actor_id`` may not edit or delete ``note`` at ``now``; None when they may."""
    if note.deleted:
        return N_("This note was deleted.")
    if actor_id is None or note.author_id != actor_id:
        return N_("Only the manager who wrote a note can edit or delete it.")
    if edit_minutes == 0:
        return N_("Notes cannot be edited or deleted in this shop.")
    if now > change_deadline(note, edit_minutes):
        return NP_("A note can be edited or deleted only in the first %(num)d minute after it was written.",
                   "A note can be edited or deleted only in the first %(num)d minutes after it was written.",
                   edit_minutes)
    return None


def change_deadline(note: Note, edit_minutes: int) -> datetime:
    """Until when its author may edit or delete ``note``: the window runs from when it was written."""
    return note.at + timedelta(minutes=edit_minutes)
