"""Typed errors of refused actions, written for order managers.

``error.message`` is a ``Message`` (or a plain string), which the views show in the manager's language
(``i18n.translate``); ``str(error)`` is its English text, for logs and for code outside a request.
"""

from __future__ import annotations

from typing import Any

from .domain.messages import N_, Message


class OrderActionError(Exception):
    """Base of every refused action; the database is left as it was."""

    def __init__(self, message: Message | str, *, order_number: str | None = None) -> None:
        super().__init__(message)
        self.message = message  # a Message is translated by the view that shows it (i18n.translate)
        self.order_number = order_number

    def __str__(self) -> str:
        return str(self.message)


class OrderNotFound(OrderActionError):
    @classmethod
    def deleted(cls, order_id: object) -> "OrderNotFound":
        """The order with this id is not (or no longer) there."""
        return cls(N_("There is no order %(order)s; it may have been deleted.", order=order_id))


class ActionNotAllowed(OrderActionError):
    """The order's status (or the read-only rule) does not allow the action."""


class MergeNotAllowed(ActionNotAllowed):
    pass


class AlreadyMerged(MergeNotAllowed):
    pass


class UnmergeNotAllowed(ActionNotAllowed):
    pass


class NoteNotFound(OrderActionError):
    """No note of that id on that order (a forged or stale address): the views answer 404."""


class NoteChangeRefused(ActionNotAllowed):
    """The manager may not edit or delete this note (not its author, or too late; ``domain.notes``)."""


class StaleOrder(OrderActionError):
    """The order changed after the manager's page showed it."""


class PricesChanged(StaleOrder):
    """The resolver's prices are not those of the preview the manager confirmed; ``preview`` is the new one."""

    def __init__(self, message: str | Message, *, order_number: str | None = None, preview: Any = None) -> None:
        super().__init__(message, order_number=order_number)
        self.preview = preview


class PriceResolutionFailed(OrderActionError):
    """The host's price resolver failed or no longer sells some items."""

    def __init__(
        self, message: Message | str, *, order_number: str | None = None, items: list[str] | None = None
    ) -> None:
        super().__init__(message, order_number=order_number)
        self.items = items or []


class OrderSearchError(OrderActionError):
    """The search text cannot find anything (empty, too long, no letter or digit)."""


class ActionFailed(OrderActionError):
    """The database gave up on the action (busy, connection lost); nothing was changed."""


class SessionHasUncommittedWork(RuntimeError):
    """The caller's session holds changes not yet committed (flushed or pending), which an action would
    have to discard to run in its own transaction: a programming error, so not an OrderActionError."""
